"""Office hours per agency: service, API /api/v1/calendar/office-hours and the admin page."""

from datetime import time

import pytest
from sqlalchemy import select

from motcua.auth import service as auth_service
from motcua.auth.roles import Role
from motcua.calendar import admin as calendar_admin
from motcua.calendar import parsing, store
from motcua.calendar.models import CalendarChange, OfficeHours
from motcua.core.errors import Forbidden, InvalidInput
from tests.auth.conftest import csrf_from, login

DEFAULT = ((time(7, 30), time(11, 30)), (time(13), time(17)))


def _bearer(db, user) -> dict[str, str]:
    return {"Authorization": f"Bearer {auth_service.issue_token(db, user, 'kiểm thử giờ làm')}"}


def _due(client, code: str) -> str:
    # Wed 22/01/2025 13:00 (midday break) + 2 working hours
    response = client.get(
        "/api/v1/calendar/due-date",
        params={"received_at": "2025-01-22T13:00", "working_hours": 2, "agency": code},
    )
    assert response.status_code == 200, response.text
    return response.json()["due_at"]


def _hours_log(db) -> list[CalendarChange]:
    return list(
        db.scalars(
            select(CalendarChange)
            .where(CalendarChange.action == "office_hours")
            .order_by(CalendarChange.at, CalendarChange.id)
        )
    )


def test_parse_periods():
    assert parsing.parse_periods("07:30-11:30, 13:30-17:00") == [
        (time(7, 30), time(11, 30)),
        (time(13, 30), time(17)),
    ]
    assert parsing.parse_periods(" 7h30 – 11h30 ; 13:00-16:30 ") == [
        (time(7, 30), time(11, 30)),
        (time(13), time(16, 30)),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Cần ít nhất một khoảng giờ làm việc (ví dụ: 07:30-11:30, 13:30-17:00)."),
        (" , ", "Cần ít nhất một khoảng giờ làm việc (ví dụ: 07:30-11:30, 13:30-17:00)."),
        (
            "07:30 11:30",
            "Khoảng giờ không hợp lệ: “07:30 11:30” (định dạng HH:MM-HH:MM, ví dụ 07:30-11:30).",
        ),
        ("25:00-26:00", "Giờ bắt đầu không hợp lệ: “25:00” (định dạng HH:MM, ví dụ 15:00)."),
        ("07:30-11:61", "Giờ kết thúc không hợp lệ: “11:61” (định dạng HH:MM, ví dụ 15:00)."),
        ("11:30-07:30", "Giờ bắt đầu 11:30 phải trước giờ kết thúc 07:30."),
        ("08:00-08:00", "Giờ bắt đầu 08:00 phải trước giờ kết thúc 08:00."),
        (
            "13:30-17:00, 07:30-11:30",
            "Các khoảng giờ làm việc phải theo thứ tự và không chồng lên nhau.",
        ),
        (
            "07:30-12:00, 11:30-17:00",
            "Các khoảng giờ làm việc phải theo thứ tự và không chồng lên nhau.",
        ),
    ],
)
def test_bad_periods_are_refused_in_vietnamese(text, message):
    with pytest.raises(InvalidInput) as info:
        parsing.parse_periods(text)
    assert info.value.message == message


def test_agency_hours_change_the_due_date_and_removal_restores_the_default(
    client, db, agencies, make_user
):
    code = agencies.justice.code
    assert _due(client, code) == "2025-01-22T15:00:00+07:00"  # province: 13:00 + 2 h
    admin = make_user("gio.qt", Role.province_admin)
    headers = _bearer(db, admin)

    response = client.put(
        f"/api/v1/calendar/office-hours/{code}",
        json={"periods": "07:30-11:30, 13:30-15:30"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["agency_code"] == code and body["agency_name"] == agencies.justice.name
    assert body["periods"] == [
        {"start": "07:30", "end": "11:30"},
        {"start": "13:30", "end": "15:30"},
    ]
    assert body["text"] == "07:30–11:30, 13:30–15:30" and body["changed_by"] == "gio.qt"
    # the agency opens at 13:30 and closes at 15:30: the 2 hours end at its closing time
    assert _due(client, code) == "2025-01-22T15:30:00+07:00"
    assert _due(client, agencies.finance.code) == "2025-01-22T15:00:00+07:00"

    listing = client.get("/api/v1/calendar/office-hours").json()  # public, no token
    assert listing["province_text"] == "07:30–11:30, 13:00–17:00"
    assert [a["agency_code"] for a in listing["agencies"]] == [code]

    assert client.delete(f"/api/v1/calendar/office-hours/{code}", headers=headers).status_code == 204
    assert _due(client, code) == "2025-01-22T15:00:00+07:00"
    assert client.get("/api/v1/calendar/office-hours").json()["agencies"] == []
    again = client.delete(f"/api/v1/calendar/office-hours/{code}", headers=headers)
    assert again.status_code == 404
    assert again.headers["content-type"].startswith("application/problem+json")
    assert "không có giờ làm việc riêng" in again.json()["title"]

    log = _hours_log(db)
    assert [(c.actor, c.before, c.after) for c in log] == [
        ("gio.qt", None, {"agency": code, "periods": [["07:30", "11:30"], ["13:30", "15:30"]]}),
        (
            "gio.qt",
            {"agency": code, "periods": [["07:30", "11:30"], ["13:30", "15:30"]]},
            {"agency": code, "periods": None},
        ),
    ]


def test_agency_admin_sets_hours_only_within_its_scope(client, db, agencies, make_user):
    boss = make_user("gio.ab", Role.agency_admin, agency=agencies.justice)
    headers = _bearer(db, boss)
    # its own agency and a subordinate one
    for agency in (agencies.justice, agencies.justice_unit):
        response = client.put(
            f"/api/v1/calendar/office-hours/{agency.code}",
            json={"periods": "08:00-12:00"},
            headers=headers,
        )
        assert response.status_code == 200, response.text
    assert store.office_hours_for(db, agencies.justice_unit) == ((time(8), time(12)),)

    refused = client.put(
        f"/api/v1/calendar/office-hours/{agencies.finance.code}",
        json={"periods": "08:00-12:00"},
        headers=headers,
    )
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["title"].startswith(
        f"Bạn không có quyền thay đổi giờ làm việc của cơ quan {agencies.finance.code}"
    )
    assert store.office_hours_for(db, agencies.finance) == DEFAULT
    assert db.scalars(
        select(OfficeHours).where(OfficeHours.agency_id == agencies.finance.id)
    ).first() is None
    assert len(_hours_log(db)) == 2

    # the province default stays with province administrators
    with pytest.raises(Forbidden):
        calendar_admin.set_office_hours(db, actor=boss, periods="08:00-12:00")
    specialist = make_user("gio.cv", Role.specialist, agency=agencies.justice)
    with pytest.raises(Forbidden):
        calendar_admin.remove_office_hours(db, actor=specialist, agency=agencies.justice)
    denied = client.delete(
        f"/api/v1/calendar/office-hours/{agencies.justice.code}", headers=_bearer(db, specialist)
    )
    assert denied.status_code == 403
    assert store.office_hours_for(db, agencies.justice) == ((time(8), time(12)),)


def test_office_hours_api_errors(client, db, agencies, make_user):
    headers = _bearer(db, make_user("gio.qt2", Role.province_admin))
    code = agencies.justice.code
    assert (
        client.put(f"/api/v1/calendar/office-hours/{code}", json={"periods": "08:00-12:00"})
    ).status_code == 401
    bad = client.put(
        f"/api/v1/calendar/office-hours/{code}",
        json={"periods": "13:30-17:00, 07:30-11:30"},
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.json()["title"] == "Các khoảng giờ làm việc phải theo thứ tự và không chồng lên nhau."
    unknown = client.put(
        "/api/v1/calendar/office-hours/999.99.99.X00",
        json={"periods": "08:00-12:00"},
        headers=headers,
    )
    assert unknown.status_code == 404
    assert unknown.json()["title"] == "Không tìm thấy cơ quan có mã “999.99.99.X00”."
    for body in ({}, {"periods": 5}, {"periods": "08:00-12:00", "x": 1}, {"periods": ""}):
        response = client.put(f"/api/v1/calendar/office-hours/{code}", json=body, headers=headers)
        assert response.status_code == 422
    assert store.office_hours_for(db, agencies.justice) == DEFAULT
    assert _hours_log(db) == []


def test_admin_page_sets_and_removes_agency_hours(client, db, agencies, make_user):
    make_user("gio.trang", Role.province_admin)
    login(client, "gio.trang")
    page = client.get("/quan-tri/lich")
    assert "Giờ làm việc theo cơ quan" in page.text
    assert "Chưa có cơ quan nào có giờ làm việc riêng." in page.text
    token = csrf_from(page.text)
    code = agencies.justice.code
    saved = client.post(
        "/quan-tri/lich/gio-lam-viec-co-quan",
        data={"csrf_token": token, "agency_code": code, "periods": "07:30-11:30, 13:30-15:30"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = client.get("/quan-tri/lich").text
    row_start = page.index(f"<td>{agencies.justice.name}</td>")
    row = page[row_start : page.index("</tr>", row_start)]
    assert f"<td>{code}</td>" in row and "<td>07:30–11:30, 13:30–15:30</td>" in row
    assert "gio.trang, " in row
    assert f"Giờ làm việc ({code} – {agencies.justice.name}): 07:30–11:30, 13:30–15:30" in page
    assert _due(client, code) == "2025-01-22T15:30:00+07:00"

    removed = client.post(
        f"/quan-tri/lich/gio-lam-viec-co-quan/{code}/xoa",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    assert store.office_hours_for(db, agencies.justice) == DEFAULT
    page = client.get("/quan-tri/lich").text
    assert f"Bỏ giờ làm việc riêng ({code} – {agencies.justice.name})" in page
    assert _due(client, code) == "2025-01-22T15:00:00+07:00"


def test_agency_hours_form_error_keeps_what_was_typed(client, db, agencies, make_user):
    make_user("gio.trang2", Role.province_admin)
    login(client, "gio.trang2")
    token = csrf_from(client.get("/quan-tri/lich").text)
    code = agencies.justice.code
    bad = client.post(
        "/quan-tri/lich/gio-lam-viec-co-quan",
        data={"csrf_token": token, "agency_code": code, "periods": "07:30-12:00, 11:30-17:00"},
        follow_redirects=False,
    )
    assert bad.status_code == 422
    assert "Các khoảng giờ làm việc phải theo thứ tự và không chồng lên nhau." in bad.text
    assert f'name="agency_code" maxlength="40" value="{code}"' in bad.text
    assert 'name="periods" maxlength="200" value="07:30-12:00, 11:30-17:00"' in bad.text
    unknown = client.post(
        "/quan-tri/lich/gio-lam-viec-co-quan",
        data={"csrf_token": token, "agency_code": "999.99.99.X00", "periods": "08:00-12:00"},
    )
    assert unknown.status_code == 404
    assert "Không tìm thấy cơ quan có mã “999.99.99.X00”." in unknown.text
    assert 'value="999.99.99.X00"' in unknown.text and 'value="08:00-12:00"' in unknown.text
    assert store.office_hours_for(db, agencies.justice) == DEFAULT
    assert _hours_log(db) == []


def test_agency_admin_page_shows_only_agency_hours(client, db, agencies, make_user):
    make_user("gio.ab2", Role.agency_admin, agency=agencies.justice)
    login(client, "gio.ab2")
    page = client.get("/quan-tri/lich")
    assert page.status_code == 200
    assert "Giờ làm việc theo cơ quan" in page.text
    assert 'id="calendar-days"' not in page.text and 'id="add-day"' not in page.text
    assert 'id="office-hours"' not in page.text
    token = csrf_from(page.text)
    refused = client.post(
        "/quan-tri/lich/gio-lam-viec-co-quan",
        data={"csrf_token": token, "agency_code": agencies.finance.code, "periods": "08:00-12:00"},
    )
    assert refused.status_code == 403
    assert "Bạn không có quyền thay đổi giờ làm việc của cơ quan" in refused.text
    assert 'value="08:00-12:00"' in refused.text
    assert store.office_hours_for(db, agencies.finance) == DEFAULT
    ok = client.post(
        "/quan-tri/lich/gio-lam-viec-co-quan",
        data={"csrf_token": token, "agency_code": agencies.justice.code, "periods": "08:00-12:00"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert store.office_hours_for(db, agencies.justice) == ((time(8), time(12)),)
    # the days of the calendar stay with province administrators
    province_hours = client.post(
        "/quan-tri/lich/gio-lam-viec",
        data={"csrf_token": token, "morning_start": "08:00", "morning_end": "12:00"},
        follow_redirects=False,
    )
    assert province_hours.status_code == 403  # refused on the page itself, nothing changed
    assert 'id="action-error"' in province_hours.text and 'id="office-hours"' not in province_hours.text
    assert store.office_hours_for(db) == DEFAULT
