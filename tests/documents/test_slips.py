"""Issue 16 slips: form 01 on one A5 sheet, numbers from the system's registers, the refusal
notice (03a), "Nơi nhận" on agency letters, form 02 in the name of who asked, both
appointments after an apology, the tracking book's rows and footer."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from pypdf import PdfReader

from motcua.core.clock import frozen
from motcua.documents import render
from motcua.documents.render import time_and_date
from motcua.documents.service import render_tracking_book_html
from motcua.documents.views import Applicant, BookRow, ComponentLine, Issuer, TrackingBookDoc
from motcua.dossiers.service import ActionParams, perform_action
from tests.documents.conftest import login
from tests.documents.pdfutil import A5_PORTRAIT, page_sizes, pdf_text
from tests.documents.test_render import SETTINGS, info, pdf_for, sample_doc

MONDAY_MORNING = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
# Components of a usual civil-status dossier, as long as the catalogue writes them.
EIGHT_COMPONENTS = [
    "Tờ khai đăng ký khai sinh theo mẫu", "Giấy chứng sinh do cơ sở y tế cấp",
    "Văn bản ủy quyền có chứng thực (nếu ủy quyền)", "Giấy tờ tùy thân của người đi đăng ký",
    "Giấy chứng nhận kết hôn của cha, mẹ trẻ", "Văn bản xác nhận của cơ quan công an về nơi cư trú",
    "Biên bản xác nhận việc trẻ bị bỏ rơi (nếu có)", "Giấy tờ chứng minh nơi cư trú của cha, mẹ",
]


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_receipt_with_eight_components_is_one_a5_sheet():
    doc = sample_doc(
        components=[ComponentLine(name, "copy" if i % 2 else "original", 1) for i, name in enumerate(EIGHT_COMPONENTS)],
        applicant=Applicant("Nguyễn Thị Hoà", id_number="020190001234", phone="0912345678", email="hoa@example.vn",
                            address="Số 12, đường Lê Lợi, phường Đông Kinh, tỉnh Lạng Sơn"),
        time_limit_basis="Khoản 2 Điều 64 Luật Hộ tịch số 60/2014/QH13", time_limit_source="catalogue",
        fees_text="8.000 đ", doc_number="15/GTN", book_volume="2026", book_number=15, lookup_key="K7MP3X",
        # reprinted after an apology: both appointments, one more line
        new_due_at=datetime(2026, 12, 2, 10, 0, tzinfo=UTC), apology_at=datetime(2026, 11, 26, 3, 0, tzinfo=UTC),
    )

    pdf = pdf_for("receipt", doc)

    assert pages(pdf) == 1
    assert page_sizes(pdf) == [A5_PORTRAIT]
    text = pdf_text(pdf)
    assert "NGƯỜI NỘP HỒ SƠ" in text and "Lường Văn Tâm" in text  # the signers are on the sheet
    assert "Số: 15/GTN" in text and "Quyển số: 2026, Số thứ tự: 15" in text
    assert EIGHT_COMPONENTS[-1] in text
    assert "Mã tra cứu: K7M P3X" in text  # the lookup key beside the code, on the same sheet


def test_the_agency_line_never_leaves_one_word_alone():
    assert render.balanced("Ủy ban nhân dân tỉnh Lạng Sơn".upper()) == "ỦY\xa0BAN\xa0NHÂN\xa0DÂN TỈNH\xa0LẠNG\xa0SƠN"
    # too long to keep in two halves: at least the last two words stay together
    long_name = "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH LẠNG SƠN THUỘC ỦY BAN NHÂN DÂN TỈNH"
    assert render.balanced(long_name).endswith("NHÂN DÂN\xa0TỈNH")
    html = render.render_html(
        "documents/form_receipt.html", form_number="01", form_title="GIẤY TIẾP NHẬN", paper_size="A5",
        place="Lạng Sơn", public_base_url="https://x.vn", code="X-1",
        doc=sample_doc(issuer=Issuer("Trung tâm Phục vụ hành chính công", "Ủy ban nhân dân tỉnh Lạng Sơn")),
        issuer=Issuer("Trung tâm Phục vụ hành chính công", "Ủy ban nhân dân tỉnh Lạng Sơn"),
    )
    assert "LẠNG\xa0SƠN" in html and 'class="upper' not in html


def test_book_footer_has_no_stray_separator_and_an_incomplete_dossier_has_no_result_date():
    book = TrackingBookDoc(
        Issuer("Trung tâm Phục vụ hành chính công"), datetime(2026, 11, 1).date(), datetime(2026, 11, 30).date(),
        [BookRow("X-0001", "Cấp bản sao trích lục", "Nguyễn Văn A", received_at=MONDAY_MORNING, note="Đã trả kết quả")],
    )
    html = render_tracking_book_html(info("tracking_book"), book, settings=SETTINGS)
    assert 'content: "Trang " counter(page)' in html
    text = pdf_text(render.html_to_pdf(html))
    assert "Trang 1/1" in text and "· Trang" not in text


def _book_rows(client, org):
    response = client.get("/api/v1/reports/tracking-book",
                          params={"unit": org.centre.code, "from": "2026-11-23", "to": "2026-11-23"})
    assert response.status_code == 200, response.text
    return pdf_text(response.content)


def test_numbers_and_book_positions_come_from_the_book(client, db, receive, org):
    with frozen(MONDAY_MORNING):
        first = receive()
        incomplete = receive("incomplete")
        third = receive()
    login(client, "tn.quay")

    form01 = pdf_text(client.get(f"/api/v1/dossiers/{third.id}/forms/01").content)
    form02 = pdf_text(client.get(f"/api/v1/dossiers/{incomplete.id}/forms/02").content)
    again = pdf_text(client.get(f"/api/v1/dossiers/{first.id}/forms/01").content)

    # the book of 2026 of the centre: first = 1, incomplete = 2, third = 3
    assert "Số: 03/GTN" in form01 and "Quyển số: 2026, Số thứ tự: 3" in form01
    assert "Số: 02/PBS" in form02
    assert "Số: 01/GTN" in again and "Quyển số: 2026, Số thứ tự: 1" in again
    # the same positions as the book printed from 1 January: STT then code, in order
    book = pdf_text(client.get("/api/v1/reports/tracking-book",
                               params={"unit": org.centre.code, "from": "2026-01-01", "to": "2026-11-30"}).content)
    assert re.search(rf"\b1 {re.escape(first.code)}", book) and re.search(rf"\b3 {re.escape(third.code)}", book)


def test_incomplete_dossier_has_no_result_date_in_the_book(client, receive, org):
    with frozen(MONDAY_MORNING):
        incomplete = receive("incomplete")
    assert incomplete.finished_at is not None  # the record is closed, but nothing was decided
    login(client, "tn.quay")
    text = _book_rows(client, org)
    row = text[text.index(incomplete.code):]
    # received 09:00 23/11/2026, then no other date in the row
    assert row.count("23/11/2026") == 1


def test_refusal_after_appraisal_prints_a_numbered_notice_with_recipients(client, db, receive, walk, staff):
    dossier = receive()
    login(client, "tn.lanhdao")
    assert client.get(f"/api/v1/dossiers/{dossier.id}/forms/03a").status_code == 404
    walk(dossier, "awaiting_approval")
    perform_action(db, dossier, user=staff.head, action="refuse",
                   params=ActionParams(note="Người yêu cầu không có quyền yêu cầu cấp bản sao trích lục"))
    db.commit()

    page = client.get(f"/ho-so/{dossier.id}")
    response = client.get(f"/api/v1/dossiers/{dossier.id}/forms/03a")

    assert f'href="/ho-so/{dossier.id}/bieu-mau/03a?pdf=1"' in page.text  # offered under "In phiếu"
    assert response.status_code == 200
    assert pages(response.content) == 1 and page_sizes(response.content) == [A5_PORTRAIT]
    text = pdf_text(response.content)
    assert "THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ" in text and "Mẫu số 03a" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "SỞ TƯ PHÁP" in text  # the competent agency issues it
    assert "Số: 01/TB-TCGQ" in text
    assert "Người yêu cầu không có quyền yêu cầu cấp bản sao trích lục" in text
    assert "Nơi nhận: - Như trên; - Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn; - Lưu: VT." in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text and "Vi Thị Lãnh" in text
    assert dossier.code in text


def test_apology_04_has_recipients_and_form_01_shows_both_appointments(client, db, receive, staff):
    dossier = receive()
    given = dossier.due_at
    perform_action(db, dossier, user=staff.head, action="apologize_reschedule",
                   params=ActionParams(note="Cần xác minh thêm tại địa phương", extra_working_days=3))
    db.commit()
    login(client, "tn.quay")

    text04 = pdf_text(client.get(f"/api/v1/dossiers/{dossier.id}/forms/04").content)
    text01 = pdf_text(client.get(f"/api/v1/dossiers/{dossier.id}/forms/01").content)

    assert "Nơi nhận: - Như trên; - Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn; - Lưu: VT." in text04
    assert "Số: 01/XL" in text04
    assert f"đã hẹn: {time_and_date(given)}" in text04 and time_and_date(dossier.due_at) in text04
    assert f"Thời gian trả kết quả giải quyết hồ sơ đã hẹn: {time_and_date(given)}" in text01
    assert f": {time_and_date(dossier.due_at)}" in text01 and "Hẹn lại theo văn bản xin lỗi ngày" in text01


def test_stop_notice_05_has_recipients(client, db, receive, staff):
    dossier = receive()
    perform_action(db, dossier, user=staff.counter, action="withdraw", params=ActionParams(note="Không còn nhu cầu"))
    db.commit()
    login(client, "tn.quay")
    text = pdf_text(client.get(f"/api/v1/dossiers/{dossier.id}/forms/05").content)
    assert "Nơi nhận: - Như trên;" in text and "Lưu: VT." in text
    assert "Số: 01/TB-DGQ" in text


def test_supplement_asked_by_a_department_specialist_is_signed_in_its_name(client, db, receive, staff):
    staff.specialist.phone = "0205 3812 345"
    dossier = receive()
    perform_action(db, dossier, user=staff.head, action="assign", params=ActionParams(assignee=staff.specialist))
    perform_action(db, dossier, user=staff.specialist, action="request_supplement",
                   params=ActionParams(missing_items=["Bản sao giấy khai sinh có chứng thực"], note="Bản sao mờ"))
    db.commit()
    login(client, "tn.quay")

    text = pdf_text(client.get(f"/api/v1/dossiers/{dossier.id}/forms/02").content)

    assert "Bản sao giấy khai sinh có chứng thực" in text
    assert "SỞ TƯ PHÁP" in text  # issued in the department's name
    assert "Sở Tư pháp (Hoàng Văn Chuyên, điện thoại 0205 3812 345)" in text  # its contact
    assert "Hoàng Văn Chuyên" in text.split("NGƯỜI HƯỚNG DẪN")[1]  # signed by who asked
    assert "Lường Thị Quầy" not in text  # not the counter officer
    assert "Số: 01/PBS" in text


def test_book_page_shows_a_bad_range_at_its_field_with_what_was_typed(client, org, staff):
    login(client, "tn.quay")

    backwards = client.get("/so-theo-doi", params={"don_vi": org.centre.code, "tu_ngay": "23/11/2026",
                                                   "den_ngay": "01/11/2026"})
    both = client.get("/so-theo-doi", params={"don_vi": org.centre.code, "tu_ngay": "31/02/2026", "den_ngay": "x"})

    assert backwards.status_code == 422 and backwards.headers["content-type"].startswith("text/html")
    page = backwards.text
    assert ('name="den_ngay" value="01/11/2026" maxlength="40"' in page
            and 'aria-invalid="true" aria-describedby="err-den_ngay"' in page)
    assert '<div class="field-error" id="err-den_ngay">Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.</div>' in page
    assert 'value="23/11/2026"' in page and "err-tu_ngay" not in page
    # every problem at once, each at its own field
    assert 'id="err-tu_ngay">Từ ngày không hợp lệ: “31/02/2026”' in both.text
    assert 'id="err-den_ngay">Đến ngày không hợp lệ: “x”' in both.text


def test_forms_admin_shows_labels_not_keys(client, staff):
    login(client, "tn.quantri")
    page = client.get("/quan-tri/bieu-mau").text
    assert "<code>" not in page
    for key in ("receipt", "supplement_request", "refusal_notice", "tracking_book"):
        assert f">{key}<" not in page and f"mẫu {key}" not in page
    assert "<td>Giấy tiếp nhận hồ sơ và hẹn trả kết quả</td>" in page
    assert "<td>Thông báo từ chối giải quyết hồ sơ (sau thẩm định)</td>" in page
