"""A refused calendar form comes back with what was typed, its message beside it and the
refusal's status, and writes nothing (the add-day and edit-day forms: test_routes.py; the
agency hours form: test_office_hours.py)."""

from datetime import date

from sqlalchemy import select

from motcua.auth.roles import Role
from motcua.calendar import admin, store
from motcua.calendar.models import CalendarChange
from tests.auth.conftest import csrf_from, login
from tests.html_forms import form_fields

HOURS = "/quan-tri/lich/gio-lam-viec"


def test_refused_province_office_hours_keep_the_typed_times(client, db, make_user):
    make_user("lich.gio", Role.province_admin)
    login(client, "lich.gio")
    page = client.get("/quan-tri/lich")
    before = store.office_hours_for(db)
    typed = {"morning_start": "11:30", "morning_end": "07:45", "afternoon_start": "13:15", "afternoon_end": "17:05"}
    response = client.post(HOURS, data={"csrf_token": csrf_from(page.text), **typed}, follow_redirects=False)
    assert response.status_code == 422
    assert 'id="office-hours-error">Giờ bắt đầu 11:30 phải trước giờ kết thúc 07:45.</div>' in response.text
    fields = form_fields(response.text, HOURS)
    assert {k: fields[k] for k in typed} == typed
    assert csrf_from(response.text)
    assert store.office_hours_for(db) == before
    assert db.scalars(select(CalendarChange).where(CalendarChange.action == "office_hours")).first() is None


def test_refused_button_shows_the_page_with_the_status(client, db, make_user):
    make_user("lich.nut", Role.province_admin)
    login(client, "lich.nut")
    token = csrf_from(client.get("/quan-tri/lich").text)
    response = client.post("/quan-tri/lich/2027-03-03/xac-nhan", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 404
    assert 'id="action-error">Ngày 03/03/2027 không có trong lịch ngày nghỉ, ngày làm bù.</div>' in response.text
    assert 'id="calendar-days"' in response.text
    assert admin.find_day(db, date(2027, 3, 3)) is None
