"""Staff pages: counter, inbox, dossier page with its actions, lookup."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from motcua.core.clock import frozen
from motcua.documents.models import FormDefinition
from motcua.dossiers.models import Dossier, DossierAttachment
from motcua.dossiers.service import ActionParams, perform_action
from tests import factories
from tests.documents.conftest import ENTERED_BASIS, PROCEDURE, csrf_from, login

PDF_BYTES = b"%PDF-1.4\n% scan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- login and CSRF ------------------------------------------------------------------------


def test_staff_pages_redirect_anonymous_users_to_login(client):
    for path in ["/quay", "/xu-ly", "/quan-tri/bieu-mau", "/quan-tri/quy-trinh"]:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/dang-nhap?next="), path


def test_counter_post_without_csrf_is_refused_and_creates_nothing(client, db, staff, org):
    login(client, "tn.quay")
    before = db.scalar(select(Dossier.id).limit(1).order_by(Dossier.created_at.desc()))

    response = client.post("/quay", data={"procedure_code": PROCEDURE, "full_name": "Nguyễn Văn A"})

    assert response.status_code == 403
    assert "CSRF" in response.text
    assert db.scalar(select(Dossier.id).limit(1).order_by(Dossier.created_at.desc())) == before


# --- counter -------------------------------------------------------------------------------


def test_counter_search_then_receive_then_print(client, db, staff, org):
    login(client, "tn.quay")
    search = client.get("/quay", params={"q": "trich luc ho tich"})
    assert search.status_code == 200
    assert f"/quay?ma_tt={PROCEDURE}" in search.text

    page = client.get("/quay", params={"ma_tt": PROCEDURE})
    assert page.status_code == 200
    assert "Sở Tư pháp" in page.text  # the implementing agency is offered
    token = csrf_from(page.text)
    response = client.post(
        "/quay",
        data={
            "csrf_token": token, "procedure_code": PROCEDURE, "receiving_unit_id": str(org.centre.id),
            "agency_id": str(org.justice.id), "channel": "counter", "applicant_kind": "person",
            "full_name": "Hà Thị Lan", "id_number": "020190009999", "phone": "0987654321",
            "address": "Xã Mai Pha, tỉnh Lạng Sơn", "extra-0-name": "Tờ khai", "extra-0-kind": "original",
            "extra-0-count": "1", "fees": "8.000", "outcome": "accepted",
            "time_limit_days": "3", "time_limit_basis": ENTERED_BASIS,
        },
        files={"scans": ("ban-quet.pdf", PDF_BYTES, "application/pdf")},
        follow_redirects=False,
    )

    assert response.status_code == 303, response.text[:800]
    dossier_id = response.headers["location"].rsplit("/", 1)[1]
    dossier = db.get(Dossier, __import__("uuid").UUID(dossier_id))
    assert dossier.applicant_name == "Hà Thị Lan"
    assert dossier.fees_amount == 8000
    assert dossier.status == "awaiting_assignment"
    scans = list(db.scalars(select(DossierAttachment).where(DossierAttachment.dossier_id == dossier.id)))
    assert [(s.purpose, s.content_type, s.size) for s in scans] == [("scan", "application/pdf", len(PDF_BYTES))]

    detail = client.get(response.headers["location"])
    assert detail.status_code == 200
    assert f"Đã tiếp nhận hồ sơ {dossier.code}." in detail.text
    assert f'href="/ho-so/{dossier.id}/bieu-mau/01?pdf=1"' in detail.text
    pdf = client.get(f"/ho-so/{dossier.id}/bieu-mau/01?pdf=1")
    assert pdf.headers["content-type"] == "application/pdf"
    html = client.get(f"/ho-so/{dossier.id}/bieu-mau/01")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html.text and dossier.code in html.text
    # No limit in the catalogue: the slip prints the officer's limit with its basis, as entered.
    assert (dossier.time_limit_days, dossier.time_limit_entered, dossier.time_limit_basis) == (3, True, ENTERED_BASIS)
    assert f"3. Thời gian giải quyết hồ sơ: 3 ngày làm việc, do công chức tiếp nhận ghi theo {ENTERED_BASIS}" in html.text
    assert not re.search(r"theo quy định[^<]{0,40}\d", html.text)


def test_counter_error_rerenders_the_form_with_the_message(client, staff, org):
    login(client, "tn.quay")
    token = csrf_from(client.get("/quay", params={"ma_tt": PROCEDURE}).text)

    response = client.post(
        "/quay",
        data={
            "csrf_token": token, "procedure_code": PROCEDURE, "receiving_unit_id": str(org.centre.id),
            "agency_id": str(org.justice.id), "full_name": "Hà Thị Lan", "outcome": "incomplete",
        },
    )

    assert response.status_code == 422
    assert "cần liệt kê đầy đủ, một lần các giấy tờ còn thiếu" in response.text
    assert 'value="Hà Thị Lan"' in response.text


def test_counter_page_is_only_for_counter_officers(client, staff):
    login(client, "tn.chuyenvien")
    response = client.get("/quay")
    assert response.status_code == 403
    assert "Chỉ công chức Bộ phận Một cửa" in response.text


# --- inbox and dossier page -------------------------------------------------------------------


def tab_counts(html: str) -> dict[str, int]:
    """The number on each inbox tab, by box (the "all" tab has none)."""
    return {box: int(n) for box, n in re.findall(
        r'href="/xu-ly\?hop=(\w+)"[^>]*>\s*[^<]*<span class="badge[^"]*">(\d+)</span>', html)}


def test_inbox_tabs_with_counts(client, db, receive, staff):
    monday = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
    with frozen(monday):
        first, second, paused = receive(), receive(), receive()
    headers = factories.bearer(db, staff.head)
    with frozen(monday):
        answer = client.post(f"/api/v1/dossiers/{paused.id}/actions/request_supplement",
                             json={"missing_items": ["Bản sao giấy khai sinh"]}, headers=headers)
        assert answer.status_code == 200, answer.text
        login(client, "tn.lanhdao")
        response = client.get("/xu-ly")

    assert response.status_code == 200
    for label in ["Cần xử lý", "Sắp đến hạn", "Quá hạn", "Đang chờ"]:
        assert label in response.text
    # Two dossiers wait at the head's assignment step; the third waits for the applicant.
    assert tab_counts(response.text) == {"todo": 2, "due_soon": 0, "overdue": 0, "waiting": 1}
    assert first.code in response.text and second.code in response.text and paused.code not in response.text
    assert "*******678" in response.text  # phone masked in lists
    assert "0912345678" not in response.text

    # The day after the appointment both running dossiers are overdue; the paused one is not.
    with frozen(first.due_at + timedelta(days=1)):
        overdue = client.get("/xu-ly", params={"hop": "overdue"})
    assert tab_counts(overdue.text) == {"todo": 2, "due_soon": 0, "overdue": 2, "waiting": 1}
    assert first.code in overdue.text and second.code in overdue.text and paused.code not in overdue.text
    with frozen(monday):
        waiting = client.get("/xu-ly", params={"hop": "waiting"})
    assert paused.code in waiting.text and first.code not in waiting.text


def test_dossier_page_buttons_walk_the_dossier_to_returned(client, db, receive, staff):
    dossier = receive()
    steps = [
        ("tn.lanhdao", "forward", {}),
        ("tn.chuyenvien", "forward", {"note": "Hồ sơ hợp lệ"}),
        ("tn.lanhdao", "approve", {}),
        ("tn.vanthu", "issue_result", {"result_number": "15/STP"}),
        ("tn.quay", "return_result", {"method": "counter"}),
    ]
    for username, action, fields in steps:
        client.cookies.clear()
        login(client, username)
        page = client.get(f"/ho-so/{dossier.id}")
        assert page.status_code == 200
        assert f'action="/ho-so/{dossier.id}/thao-tac/{action}"' in page.text, (username, action)
        response = client.post(
            f"/ho-so/{dossier.id}/thao-tac/{action}",
            data={"csrf_token": csrf_from(page.text), **fields},
            follow_redirects=False,
        )
        assert response.status_code == 303
        db.refresh(dossier)
    assert dossier.status == "returned"
    assert dossier.return_method == "counter"

    final = client.get(f"/ho-so/{dossier.id}")
    assert "Đã trả kết quả" in final.text
    assert "Mẫu 06" in final.text
    timeline = final.text.split('id="timeline"')[1]
    assert timeline.count("<li>") == 6  # receipt + five actions


def test_action_refused_shows_the_message_and_changes_nothing(client, db, receive, staff):
    dossier = receive()
    login(client, "tn.chuyenvien")  # the dossier waits for the head's assignment
    token = csrf_from(client.get(f"/ho-so/{dossier.id}").text)

    response = client.post(f"/ho-so/{dossier.id}/thao-tac/approve", data={"csrf_token": token})

    assert response.status_code == 409  # the dossier page again, with the reason on top
    assert 'id="dossier-code"' in response.text
    assert '<div class="flash flash-error" role="alert">Không thể phê duyệt' in response.text
    db.refresh(dossier)
    assert dossier.status == "awaiting_assignment"


def test_dossier_page_out_of_scope_is_forbidden(client, receive, staff):
    dossier = receive()
    login(client, "tn.ngoai")
    response = client.get(f"/ho-so/{dossier.id}")
    assert response.status_code == 403


# --- public lookup ----------------------------------------------------------------------------


def test_public_lookup_shows_status_without_personal_data(client, receive):
    dossier = receive()

    response = client.get("/tra-cuu", params={"ma": dossier.code, "khoa": dossier.lookup_key})

    assert response.status_code == 200
    assert "Được tiếp nhận" in response.text
    assert "Cấp bản sao trích lục hộ tịch" in response.text
    for private in ["Nguyễn Thị Hoà", "020190001234", "0912345678", "Đông Kinh"]:
        assert private not in response.text
    assert "Ngày hẹn trả kết quả" in response.text
    missing = client.get("/tra-cuu", params={"ma": "000.00.02.H37-990101-0001", "khoa": dossier.lookup_key})
    assert missing.status_code == 404
    assert "Không tìm thấy hồ sơ" in missing.text


def test_public_lookup_of_a_withdrawn_dossier_shows_no_appointment(client, db, receive, staff):
    dossier = receive()
    perform_action(db, dossier, user=staff.counter, action="withdraw", params=ActionParams(note="Không còn nhu cầu"))

    response = client.get("/tra-cuu", params={"ma": dossier.code, "khoa": dossier.lookup_key})

    assert response.status_code == 200
    assert "Công dân yêu cầu rút hồ sơ" in response.text
    assert "Ngày hẹn trả kết quả" not in response.text


# --- form definitions ---------------------------------------------------------------------------


# --- process templates ---------------------------------------------------------------------------


def test_inbox_query_count_does_not_grow_with_the_number_of_dossiers(client, db, engine, receive, staff):
    from sqlalchemy import event

    login(client, "tn.lanhdao")
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    receive()
    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get("/xu-ly")
        with_one = len(statements)
        for _ in range(4):
            receive()
        statements.clear()
        page = client.get("/xu-ly")
        with_five = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert page.text.count('href="/ho-so/') == 5
    assert 0 < with_five == with_one


def test_control_characters_never_reach_the_database(client, db, receive, staff, org):
    """PostgreSQL refuses NUL in text: every request with one is refused (422) on both
    backends, before anything is stored (motcua/web/input_guard.py)."""
    dossier = receive()
    login(client, "tn.quantri")
    token = csrf_from(client.get("/quan-tri/bieu-mau").text)
    nul = "\u0000"
    gets = [
        ("/tra-cuu", {"ma": nul}), ("/xu-ly", {"q": nul}), ("/quay", {"q": nul}), ("/quay", {"ma_tt": nul}),
        ("/quan-tri/quy-trinh", {"q": nul}), (f"/ho-so/{dossier.id}/bieu-mau/%00", {}),
        ("/api/v1/reports/tracking-book", {"unit": nul, "from": "2026-11-01", "to": "2026-11-02"}),
        (f"/api/v1/dossiers/{dossier.id}/forms/%00", {}),
    ]
    for path, params in gets:
        assert client.get(path, params=params).status_code < 500, path
    posts = [
        ("/quan-tri/bieu-mau/%00", {"number": "01", "title": "Giấy", "paper_size": "A5"}),
        ("/quan-tri/bieu-mau/receipt", {"number": "01", "title": f"GIẤY{nul} TIẾP NHẬN", "paper_size": "A5", "active": "1"}),
        ("/quan-tri/quy-trinh/mo", {"procedure_code": nul, "agency_code": nul}),
        ("/quay", {"procedure_code": PROCEDURE, "receiving_unit_id": str(org.centre.id), "agency_id": str(org.justice.id),
                   "full_name": f"Hà{nul} Lan", "extra-0-name": f"Tờ{nul} khai", "outcome": "accepted"}),
        (f"/ho-so/{dossier.id}/thao-tac/forward", {"note": f"ghi{nul}chú"}),
    ]
    before = db.scalar(select(FormDefinition.title).where(FormDefinition.key == "receipt"))
    for path, data in posts:
        response = client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)
        assert response.status_code == 422, path
        assert "ký tự điều khiển" in response.text, path
    assert db.scalar(select(FormDefinition.title).where(FormDefinition.key == "receipt")) == before
    assert db.scalar(select(Dossier).where(Dossier.applicant_name.like("Hà%Lan"))) is None
