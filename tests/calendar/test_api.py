"""API: /api/v1/calendar/due-date, /api/v1/calendar/days."""

from datetime import date

import pytest
from sqlalchemy import func, select

from motcua.auth import service as auth_service
from motcua.auth.roles import Role
from motcua.calendar.models import CalendarChange, CalendarDay


def _bearer(db, user) -> dict[str, str]:
    return {"Authorization": f"Bearer {auth_service.issue_token(db, user, 'kiểm thử lịch')}"}


def test_due_date_for_the_issue_example(client):
    response = client.get(
        "/api/v1/calendar/due-date", params={"received_at": "2025-01-24T15:30", "working_days": 3}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["effective_receipt_at"] == "2025-02-03T07:30:00+07:00"
    assert body["due_at"] == "2025-02-06T17:00:00+07:00"
    assert body["trace"][0] == {
        "kind": "receipt",
        "text": "Tiếp nhận hồ sơ lúc 15:30 Thứ Sáu, 24/01/2025.",
        "day": "2025-01-24",
        "at": "2025-01-24T15:30:00+07:00",
    }
    assert {
        "kind": "skip",
        "text": "Bỏ qua Thứ Hai, 27/01/2025: 29 Tết.",
        "day": "2025-01-27",
        "at": None,
    } in body["trace"]


def test_due_date_in_hours_with_cutoff_and_agency(client, agencies):
    response = client.get(
        "/api/v1/calendar/due-date",
        params={
            "received_at": "2025-04-25T15:30",
            "working_hours": 4,
            "cutoff": "16:00",
            "agency": agencies.justice.code,
        },
    )
    assert response.status_code == 200
    # cut-off 16:00: counts from 15:30; 1 h 30 on Friday, 2 h 30 on the make-up Saturday
    assert response.json()["due_at"] == "2025-04-26T10:00:00+07:00"


@pytest.mark.parametrize(
    ("params", "status", "title"),
    [
        (
            {"received_at": "2025-01-24T15:30", "working_days": -1},
            422,
            "Số ngày làm việc không được âm.",
        ),
        (
            {"received_at": "2025-01-24T15:30"},
            422,
            "Cần nhập đúng một trong hai: số ngày làm việc hoặc số giờ làm việc.",
        ),
        (
            {"received_at": "2025-01-24T15:30", "working_days": 1, "working_hours": 2},
            422,
            "Cần nhập đúng một trong hai: số ngày làm việc hoặc số giờ làm việc.",
        ),
        (
            {"received_at": "2025-01-24T15:30", "working_days": 1, "cutoff": "25:00"},
            422,
            "Giờ chốt tiếp nhận không hợp lệ: “25:00” (định dạng HH:MM, ví dụ 15:00).",
        ),
        (
            {"received_at": "24/01/2025", "working_days": 1},
            422,
            "Thời điểm tiếp nhận không hợp lệ: “24/01/2025” (định dạng YYYY-MM-DDTHH:MM, ví dụ 2025-01-24T15:30).",
        ),
        (
            {"received_at": "2025-01-24T15:30", "working_days": 1, "agency": "000.00.99.Z99"},
            404,
            "Không tìm thấy cơ quan có mã “000.00.99.Z99”.",
        ),
        (
            {"received_at": "2025-01-24T15:30", "working_hours": "nan"},
            422,
            "Số giờ làm việc không hợp lệ.",
        ),
        (
            {"received_at": "9999-12-31T15:30", "working_days": 1},
            422,
            "Thời điểm tiếp nhận phải nằm trong các năm 2000–2100.",
        ),
    ],
)
def test_due_date_bad_input_is_problem_json(client, params, status, title):
    response = client.get("/api/v1/calendar/due-date", params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["title"] == title


def test_days_of_a_year(client):
    response = client.get("/api/v1/calendar/days", params={"year": 2026})
    assert response.status_code == 200
    days = {d["day"]: d for d in response.json()}
    assert days["2026-01-02"] == {
        "day": "2026-01-02",
        "kind": "day_off",
        "name": "Ngày nghỉ (hoán đổi với thứ Bảy 10/01/2026) — Tết Dương lịch 2026",
        "source": "Công văn 12729/VPCP-KGVX ngày 25/12/2025",
        "confirmed": True,
    }
    assert days["2026-11-24"]["confirmed"] is False
    assert client.get("/api/v1/calendar/days", params={"year": "abc"}).status_code == 422


def test_add_day_needs_a_province_admin(client, db, make_user):
    body = {
        "day": "2027-10-11",
        "kind": "day_off",
        "name": "Ngày nghỉ hoán đổi",
        "source": "Công văn 99/VPCP-KGVX",
    }
    assert client.post("/api/v1/calendar/days", json=body).status_code == 401
    officer = make_user("lich.api.cb", Role.counter_officer)
    response = client.post("/api/v1/calendar/days", json=body, headers=_bearer(db, officer))
    assert response.status_code == 403
    assert (
        db.scalar(
            select(func.count())
            .select_from(CalendarDay)
            .where(CalendarDay.day == date(2027, 10, 11))
        )
        == 0
    )

    admin = make_user("lich.api.qt", Role.province_admin)
    headers = _bearer(db, admin)
    response = client.post("/api/v1/calendar/days", json=body, headers=headers)
    assert response.status_code == 201
    assert response.json() == {**body, "confirmed": True}
    assert client.post("/api/v1/calendar/days", json=body, headers=headers).status_code == 409
    bad = client.post(
        "/api/v1/calendar/days",
        json={**body, "day": "2027-10-16", "kind": "makeup_workday", "name": "x"},
        headers=headers,
    )
    assert bad.status_code == 201  # a Saturday may be a make-up day
    bad = client.post(
        "/api/v1/calendar/days",
        json={**body, "day": "2027-10-12", "kind": "makeup_workday"},
        headers=headers,
    )
    assert bad.status_code == 422 and bad.json()["title"].startswith(
        "Ngày làm việc bù phải là thứ Bảy hoặc Chủ nhật"
    )
    log = db.scalar(select(CalendarChange).where(CalendarChange.day == date(2027, 10, 11)))
    assert (log.actor, log.action) == ("lich.api.qt", "add")

    confirm = client.post("/api/v1/calendar/days/2026-11-24/confirm", headers=headers)
    assert confirm.status_code == 200 and confirm.json()["confirmed"] is True
    due = client.get(
        "/api/v1/calendar/due-date", params={"received_at": "2026-11-23T10:00", "working_days": 1}
    )
    assert due.json()["due_at"] == "2026-11-25T17:00:00+07:00"
    assert client.delete("/api/v1/calendar/days/2027-10-11", headers=headers).status_code == 204
    assert client.delete("/api/v1/calendar/days/2027-10-11", headers=headers).status_code == 404
