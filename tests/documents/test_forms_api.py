"""GET /api/v1/dossiers/{id}/forms/{01..06} and the tracking book: PDFs of real dossiers."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from motcua.core.clock import frozen
from motcua.documents.render import time_and_date
from motcua.dossiers.service import ActionParams, perform_action
from tests.documents.conftest import login
from tests.documents.pdfutil import A4_LANDSCAPE, A5_PORTRAIT, page_sizes, pdf_text

MONDAY_MORNING = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội


def test_receipt_form_01_of_an_accepted_dossier(client, receive, staff):
    with frozen(MONDAY_MORNING):
        dossier = receive()
    login(client, "tn.quay")

    response = client.get(f"/api/v1/dossiers/{dossier.id}/forms/01")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert page_sizes(response.content) == [A5_PORTRAIT]
    text = pdf_text(response.content)
    assert dossier.code in text
    # the lookup key, made at receipt, printed beside the code (its QR opens /tra-cuu with both)
    assert len(dossier.lookup_key) == 6
    assert f"Mã tra cứu: {dossier.lookup_key[:3]} {dossier.lookup_key[3:]}" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn tiếp nhận hồ sơ của" in text
    assert "Ông/Bà: Nguyễn Thị Hoà" in text
    assert "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 23/11/2026" in text
    assert "Lường Thị Quầy" in text  # the officer who received it
    assert "Cơ quan giải quyết: Sở Tư pháp" in text
    # The catalogue has no limit for this procedure: the officer's limit, with its basis, as entered.
    assert "3. Thời gian giải quyết hồ sơ: 3 ngày làm việc, do công chức tiếp nhận ghi theo" in text
    assert not re.search(r"theo quy định[^\n]{0,40}\d", text)


def test_form_not_applicable_yet_is_404_problem_json(client, receive):
    dossier = receive()
    login(client, "tn.quay")

    response = client.get(f"/api/v1/dossiers/{dossier.id}/forms/04")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["title"] == "Hồ sơ chưa có văn bản xin lỗi và hẹn lại ngày trả kết quả."
    unknown = client.get(f"/api/v1/dossiers/{dossier.id}/forms/99")
    assert unknown.status_code == 404
    assert unknown.json()["title"].startswith("Không có biểu mẫu số “99” cho hồ sơ.")


def test_incomplete_and_refused_receipts_print_forms_02_and_03(client, receive):
    incomplete = receive("incomplete")
    refused = receive("refused")
    login(client, "tn.quay")

    form02 = client.get(f"/api/v1/dossiers/{incomplete.id}/forms/02")
    form03 = client.get(f"/api/v1/dossiers/{refused.id}/forms/03")

    assert form02.status_code == 200
    text02 = pdf_text(form02.content)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text02
    assert incomplete.code in text02
    assert "Bản sao giấy khai sinh" in text02 and "Tờ khai có chữ ký người yêu cầu" in text02
    assert form03.status_code == 200
    text03 = pdf_text(form03.content)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text03
    assert "Không thuộc thẩm quyền giải quyết của Sở Tư pháp" in text03
    # an incomplete dossier was never accepted: no form 01
    assert client.get(f"/api/v1/dossiers/{incomplete.id}/forms/01").status_code == 404


def test_control_slip_06_has_one_row_per_hand_over(client, receive, walk):
    dossier = receive()
    walk(dossier, "returned")
    login(client, "tn.lanhdao")

    response = client.get(f"/api/v1/dossiers/{dossier.id}/forms/06")

    assert response.status_code == 200
    assert page_sizes(response.content)[0] == A5_PORTRAIT
    text = pdf_text(response.content)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert dossier.code in text
    for label in ["Tiếp nhận hồ sơ", "Phê duyệt", "Ban hành kết quả", "Trả kết quả", "Người nộp hồ sơ", "(Nguyễn Thị Hoà)"]:
        assert label in text, label
    assert "Trước hạn" in text


def test_apology_04_and_stop_notice_05(client, db, receive, staff):
    late = receive()
    old_due = late.due_at
    perform_action(db, late, user=staff.head, action="apologize_reschedule",
                   params=ActionParams(note="Cần xác minh thêm tại địa phương", extra_working_days=3))
    assert late.due_at > old_due
    withdrawn = receive()
    perform_action(db, withdrawn, user=staff.counter, action="withdraw", params=ActionParams(note="Không còn nhu cầu"))
    login(client, "tn.quantri")

    form04 = client.get(f"/api/v1/dossiers/{late.id}/forms/04")
    form05 = client.get(f"/api/v1/dossiers/{withdrawn.id}/forms/05")

    assert form04.status_code == 200
    text04 = pdf_text(form04.content)
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text04
    assert "Cần xác minh thêm tại địa phương" in text04
    # The limit was entered at the counter (none in the catalogue): "đã hẹn", not "theo quy định".
    assert f"Thời hạn trả kết quả giải quyết hồ sơ đã hẹn: {time_and_date(old_due)}" in text04
    assert "theo quy định" not in text04
    assert f"hẹn trả kết quả vào {time_and_date(late.due_at)}" in text04
    assert late.code in text04
    assert form05.status_code == 200
    text05 = pdf_text(form05.content)
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text05
    assert "Không còn nhu cầu" in text05


def test_forms_need_login_and_scope(client, receive):
    dossier = receive()

    anonymous = client.get(f"/api/v1/dossiers/{dossier.id}/forms/01")
    assert anonymous.status_code == 401

    login(client, "tn.ngoai")  # head at the Department of Finance
    outside = client.get(f"/api/v1/dossiers/{dossier.id}/forms/01")
    assert outside.status_code == 403
    assert outside.headers["content-type"].startswith("application/problem+json")


def test_tracking_book_07_for_the_receiving_unit(client, receive, org):
    with frozen(MONDAY_MORNING):
        first = receive()
        second = receive()
    login(client, "tn.quay")

    response = client.get(
        "/api/v1/reports/tracking-book", params={"unit": org.centre.code, "from": "2026-11-23", "to": "2026-11-23"}
    )

    assert response.status_code == 200, response.text
    assert set(page_sizes(response.content)) == {A4_LANDSCAPE}
    text = pdf_text(response.content)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert first.code in text and second.code in text
    assert "Từ ngày 23/11/2026 đến ngày 23/11/2026 — 2 hồ sơ" in text


def test_tracking_book_rejects_bad_periods_and_other_units(client, org, staff):
    login(client, "tn.quay")

    backwards = client.get(
        "/api/v1/reports/tracking-book", params={"unit": org.centre.code, "from": "2026-11-23", "to": "2026-11-01"}
    )
    assert backwards.status_code == 422
    assert backwards.json()["title"] == "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
    other = client.get(
        "/api/v1/reports/tracking-book", params={"unit": org.finance.code, "from": "2026-11-01", "to": "2026-11-23"}
    )
    assert other.status_code == 403
    far = client.get(
        "/api/v1/reports/tracking-book", params={"unit": org.centre.code, "from": "9999-12-31", "to": "9999-12-31"}
    )
    assert far.status_code == 422
    bad_date = client.get("/api/v1/reports/tracking-book", params={"unit": org.centre.code, "from": "x", "to": "y"})
    assert bad_date.status_code == 422
