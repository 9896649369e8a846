"""Pages: /tinh-han (public) and /quan-tri/lich (province administrators)."""

from datetime import date, time

from sqlalchemy import select

from motcua.auth.roles import Role
from motcua.calendar import admin, store
from motcua.catalog.models import Procedure
from tests.auth.conftest import csrf_from, login


def test_due_page_form(client):
    page = client.get("/tinh-han")
    assert page.status_code == 200
    assert "Tính ngày hẹn trả kết quả" in page.text
    assert 'name="received_date"' in page.text
    # QA: the example was a national-portal code ("1.001234") that finds nothing here
    assert 'placeholder="ví dụ BTP-LSN-276597"' in page.text


def test_due_page_with_a_number_of_working_days(client):
    page = client.get(
        "/tinh-han",
        params={"working_days": "3", "received_date": "2025-01-24", "received_time": "15:30"},
    )
    assert page.status_code == 200
    assert "Ngày hẹn trả kết quả: <strong>Thứ năm, 06/02/2025 lúc 17:00</strong>" in page.text
    assert "Bỏ qua Thứ Hai, 27/01/2025: 29 Tết." in page.text
    assert "Tiếp nhận sau 15:00 (giờ chốt tiếp nhận)" in page.text


def test_due_page_uses_the_procedure_limit_and_cutoff(client, db):
    procedure = db.scalars(select(Procedure).order_by(Procedure.code).limit(1)).one()
    procedure.time_limit_days, procedure.time_limit_hours, procedure.receipt_cutoff = (
        3,
        None,
        time(16, 0),
    )
    db.flush()
    found = client.get(
        "/tinh-han",
        params={"q": procedure.code, "received_date": "2025-01-24", "received_time": "15:30"},
    )
    assert f"?procedure={procedure.code}&amp;received_date=24/01/2025" in found.text
    page = client.get(
        "/tinh-han",
        params={
            "procedure": procedure.code,
            "received_date": "2025-01-24",
            "received_time": "15:30",
        },
    )
    assert page.status_code == 200
    # cut-off 16:00: received at 15:30 counts the same day, so Mon 3, Tue 4, Wed 5 February
    assert "Thứ tư, 05/02/2025 lúc 17:00" in page.text
    assert "<dt>Giờ chốt tiếp nhận</dt><dd>16:00</dd>" in page.text
    assert "3 ngày làm việc" in page.text


def test_due_page_errors_are_shown_on_the_page(client, db):
    page = client.get(
        "/tinh-han",
        params={"working_days": "-2", "received_date": "2025-01-24", "received_time": "15:30"},
    )
    assert page.status_code == 422 and "Số ngày làm việc không được âm." in page.text
    page = client.get(
        "/tinh-han",
        params={"working_days": "2", "received_date": "2025-02-30", "received_time": "15:30"},
    )
    assert page.status_code == 422
    assert "Ngày nộp không hợp lệ: “2025-02-30” (nhập dạng dd/mm/yyyy, ví dụ 01/07/2025)." in page.text
    page = client.get(
        "/tinh-han",
        params={
            "procedure": "KHONG-CO-MA",
            "received_date": "2025-01-24",
            "received_time": "09:00",
        },
    )
    assert page.status_code == 404 and "Không tìm thấy thủ tục hành chính có mã" in page.text
    procedure = db.scalars(
        select(Procedure)
        .where(Procedure.time_limit_days.is_(None), Procedure.time_limit_hours.is_(None))
        .limit(1)
    ).first()
    if procedure is not None:
        page = client.get(
            "/tinh-han",
            params={
                "procedure": procedure.code,
                "received_date": "2025-01-24",
                "received_time": "09:00",
            },
        )
        assert page.status_code == 422 and "chưa có thời hạn giải quyết" in page.text


def test_due_page_accepts_a_vietnamese_date(client):
    """QA: a date typed dd/mm/yyyy was refused with a message about "YYYY-MM-DDTHH:MM"."""
    page = client.get(
        "/tinh-han",
        params={"working_days": "3", "received_date": "24/01/2025", "received_time": "15:30"},
    )
    assert page.status_code == 200
    assert "Ngày hẹn trả kết quả: <strong>Thứ năm, 06/02/2025 lúc 17:00</strong>" in page.text
    # the form shows dd/mm/yyyy (a native date input shows the browser's locale, e.g. mm/dd/yyyy)
    assert 'name="received_date" value="24/01/2025"' in page.text
    assert 'type="date"' not in page.text and 'type="time"' not in page.text
    iso = client.get(
        "/tinh-han",
        params={"working_days": "3", "received_date": "2025-01-24", "received_time": "15:30"},
    )
    assert 'name="received_date" value="24/01/2025"' in iso.text
    page = client.get(
        "/tinh-han",
        params={"working_days": "3", "received_date": "31/02/2025", "received_time": "15:30"},
    )
    assert page.status_code == 422
    assert "Ngày nộp không hợp lệ: “31/02/2025”" in page.text
    assert "YYYY-MM-DDTHH:MM" not in page.text


def test_due_page_uses_typed_days_when_the_procedure_has_no_limit(client, db):
    """QA: the page said "hãy nhập số ngày làm việc" even when the number had been typed."""
    procedure = db.scalars(select(Procedure).order_by(Procedure.code).limit(1)).one()
    procedure.time_limit_days = procedure.time_limit_hours = None
    procedure.online_time_limit_days = procedure.online_time_limit_hours = None
    procedure.receipt_cutoff = time(16, 0)
    db.flush()
    page = client.get(
        "/tinh-han",
        params={
            "procedure": procedure.code,
            "working_days": "3",
            "received_date": "2025-01-24",
            "received_time": "15:30",
        },
    )
    assert page.status_code == 200
    assert "Thứ tư, 05/02/2025 lúc 17:00" in page.text
    assert "<dt>Thời hạn giải quyết</dt><dd>3 ngày làm việc</dd>" in page.text
    assert "<dt>Giờ chốt tiếp nhận</dt><dd>16:00</dd>" in page.text


def test_admin_page_access(client, make_user):
    assert client.get("/quan-tri/lich", follow_redirects=False).status_code == 303
    make_user("lich.cv", Role.specialist)
    login(client, "lich.cv")
    assert client.get("/quan-tri/lich").status_code == 403
    # an agency administrator only sees the office hours of agencies (tests/calendar/test_office_hours.py)
    make_user("lich.cb", Role.agency_admin)
    login(client, "lich.cb")
    page = client.get("/quan-tri/lich")
    assert page.status_code == 200 and 'id="calendar-days"' not in page.text


def test_admin_adds_confirms_and_removes_days(client, db, make_user):
    make_user("lich.qt", Role.province_admin)
    login(client, "lich.qt")
    page = client.get("/quan-tri/lich", params={"year": 2026})
    assert page.status_code == 200
    assert "Ngày Văn hóa Việt Nam" in page.text and "Chờ xác nhận" in page.text
    assert "Công văn 12729/VPCP-KGVX ngày 25/12/2025" in page.text
    token = csrf_from(page.text)

    response = client.post(
        "/quan-tri/lich/them",
        data={
            "csrf_token": token,
            "day": "2027-10-11",
            "kind": "day_off",
            "name": "Nghỉ hoán đổi",
            "source": "CV 5/VPCP",
            "confirmed": "1",
        },
        follow_redirects=False,
    )
    assert (
        response.status_code == 303 and response.headers["location"] == "/quan-tri/lich?year=2027"
    )
    assert admin.get_day(db, date(2027, 10, 11)).name == "Nghỉ hoán đổi"

    response = client.post(
        "/quan-tri/lich/2026-11-24/xac-nhan", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    db.expire_all()
    assert admin.get_day(db, date(2026, 11, 24)).confirmed is True

    bad = client.post(
        "/quan-tri/lich/them",
        data={
            "csrf_token": token,
            "day": "2027-10-12",
            "kind": "makeup_workday",
            "name": "Làm bù",
            "source": "CV 5",
        },
    )
    assert "Ngày làm việc bù phải là thứ Bảy hoặc Chủ nhật" in bad.text
    assert admin.find_day(db, date(2027, 10, 12)) is None

    edit = client.get("/quan-tri/lich/2027-10-11/sua")
    assert edit.status_code == 200 and 'value="Nghỉ hoán đổi"' in edit.text
    client.post(
        "/quan-tri/lich/2027-10-11/sua",
        data={
            "csrf_token": token,
            "kind": "day_off",
            "name": "Nghỉ bù",
            "source": "CV 6/VPCP",
            "confirmed": "1",
        },
    )
    db.expire_all()
    assert admin.get_day(db, date(2027, 10, 11)).source == "CV 6/VPCP"

    assert (
        client.post("/quan-tri/lich/2027-10-11/xoa", data={}, follow_redirects=False).status_code
        == 403
    )  # no CSRF
    client.post("/quan-tri/lich/2027-10-11/xoa", data={"csrf_token": token})
    db.expire_all()
    assert admin.find_day(db, date(2027, 10, 11)) is None
    log = client.get("/quan-tri/lich", params={"year": 2027}).text
    assert "Xoá ngày 11/10/2027: Nghỉ bù" in log

    hours = client.post(
        "/quan-tri/lich/gio-lam-viec",
        data={
            "csrf_token": token,
            "morning_start": "07:00",
            "morning_end": "11:00",
            "afternoon_start": "13:30",
            "afternoon_end": "17:00",
        },
        follow_redirects=False,
    )
    assert hours.status_code == 303
    assert store.office_hours_for(db) == ((time(7), time(11)), (time(13, 30), time(17)))


def test_add_day_error_keeps_what_was_typed(client, db, make_user):
    """QA: a refused "Thêm ngày" redirected to an empty form (and to the current year)."""
    make_user("lich.qt2", Role.province_admin)
    login(client, "lich.qt2")
    token = csrf_from(client.get("/quan-tri/lich").text)
    bad = client.post(
        "/quan-tri/lich/them",
        data={
            "csrf_token": token,
            "day": "2027-10-12",
            "kind": "makeup_workday",
            "name": "Làm bù thử",
            "source": "Công văn 77/VPCP",
        },
        follow_redirects=False,
    )
    assert bad.status_code == 422
    assert "Ngày làm việc bù phải là thứ Bảy hoặc Chủ nhật" in bad.text
    assert 'value="2027-10-12"' in bad.text
    assert 'value="Làm bù thử"' in bad.text and 'value="Công văn 77/VPCP"' in bad.text
    assert '<option value="makeup_workday" selected>' in bad.text
    assert "Lịch ngày nghỉ, ngày làm việc bù năm 2027" in bad.text
    assert admin.find_day(db, date(2027, 10, 12)) is None


def test_edit_day_error_keeps_what_was_typed(client, db, make_user):
    """QA: a refused edit redirected to the form filled with the stored values again."""
    make_user("lich.qt3", Role.province_admin)
    login(client, "lich.qt3")
    form = client.get("/quan-tri/lich/2026-01-02/sua")
    bad = client.post(
        "/quan-tri/lich/2026-01-02/sua",
        data={
            "csrf_token": csrf_from(form.text),
            "kind": "makeup_workday",
            "name": "Tên mới gõ vào",
            "source": "Công văn 88/VPCP",
            "confirmed": "1",
        },
        follow_redirects=False,
    )
    assert bad.status_code == 422
    assert "Ngày làm việc bù phải là thứ Bảy hoặc Chủ nhật" in bad.text
    assert 'value="Tên mới gõ vào"' in bad.text and 'value="Công văn 88/VPCP"' in bad.text
    assert '<option value="makeup_workday" selected>' in bad.text
    assert admin.get_day(db, date(2026, 1, 2)).kind == "day_off"


def test_admin_page_shows_the_law_for_statutory_holidays(client, make_user):
    import holidays

    make_user("lich.luat", Role.province_admin)
    login(client, "lich.luat")
    html = client.get("/quan-tri/lich", params={"year": 2026}).text
    row_start = html.index("Tết Dương lịch")
    row = html[row_start : html.index("</tr>", row_start)]
    assert "<td>Bộ luật Lao động 2019, Điều 112<br>" in row
    assert f'<small class="muted">Dữ liệu: thư viện holidays {holidays.__version__}</small>' in row
    assert f"<td>holidays {holidays.__version__}</td>" not in html
    # a source typed by an administrator is shown as it is
    assert "<td>Công văn 12729/VPCP-KGVX ngày 25/12/2025</td>" in html
