"""One rule for a catalogue time limit, wherever it is read (issue 9).

A limit of "2 ngày 4 giờ" received Tue 02/03/2027 09:00 was due 02/03 14:30 on the receipt
slip (the days were dropped) and 04/03 14:30 on /tinh-han (the days became 16 office hours).
The rule (Civil Code 2015 Arts 147–148): the 2 working days end at 17:00 Thu 04/03, and the
4 working hours run on from there: 11:30 Fri 05/03.
"""

from __future__ import annotations

from datetime import datetime, time

import pytest

from motcua.auth.service import issue_token
from motcua.calendar.deadlines import due_for, limit_args
from motcua.calendar.engine import due_date, due_for_limit
from motcua.calendar.parsing import parse_moment
from motcua.catalog.limits import TimeLimit, procedure_time_limit
from motcua.core.clock import frozen
from tests.calendar.conftest import seeded_calendar
from tests.dossiers.world import build_world, local, receive

RECEIVED = local(2027, 3, 2, 9, 0)  # Tuesday
DUE = local(2027, 3, 5, 11, 30)  # Friday


@pytest.fixture
def world(db):
    w = build_world(db)
    w.p_dept.time_limit_days, w.p_dept.time_limit_hours = 2, 4
    db.flush()
    return w


def test_days_plus_hours_give_one_due_time_on_the_counter_the_apis_and_the_public_page(
    client, db, world
):
    assert procedure_time_limit(world.p_dept) == TimeLimit(days=2, hours=4)
    with frozen(RECEIVED):
        # the counter: the service the counter page posts to
        counter = receive(db, world)
        assert counter.due_at == DUE
        assert (counter.time_limit_days, counter.time_limit_hours) == (2, 4)
        # the dossier JSON API
        token = issue_token(db, world.counter, "test")
        db.flush()
        body = {
            "procedure_code": world.p_dept.code, "agency_code": world.dept.code,
            "receiving_unit_code": world.centre.code, "channel": "counter",
            "applicant": {"kind": "person", "full_name": "Nguyễn Văn An"},
            "components": [{"name": "Tờ khai", "kind": "original", "count": 1}],
        }
        api = client.post("/api/v1/dossiers", json=body, headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 201, api.text
        assert api.json()["due_at"] == "2027-03-05T11:30:00+07:00"
    # the public page /tinh-han
    page = client.get(
        "/tinh-han",
        params={"procedure": world.p_dept.code, "received_date": "02/03/2027", "received_time": "09:00"},
    )
    assert page.status_code == 200
    assert "Ngày hẹn trả kết quả: <strong>Thứ sáu, 05/03/2027 lúc 11:30</strong>" in page.text
    assert "2 ngày làm việc 4 giờ làm việc" in page.text
    # the calendar API, from the procedure's catalogue limit
    calendar_api = client.get(
        "/api/v1/calendar/due-date",
        params={"procedure": world.p_dept.code, "received_at": "2027-03-02T09:00"},
    )
    assert calendar_api.status_code == 200, calendar_api.text
    assert calendar_api.json()["due_at"] == "2027-03-05T11:30:00+07:00"


def test_the_hours_of_a_limit_run_on_from_the_end_of_its_days(cal):
    received = local(2027, 3, 2, 9, 0)
    by_days = due_date(cal, received, working_days=2)
    assert by_days.due_at == local(2027, 3, 4, 17, 0)
    result = due_for(cal, received, TimeLimit(days=2, hours=4), trace=True)
    assert result.due_at == DUE
    assert [s.text for s in result.trace if s.kind in ("start", "due")] == [
        "Thời hạn 2 ngày làm việc bắt đầu tính từ ngày làm việc tiếp theo: Thứ Tư, 03/03/2027 "
        "(Bộ luật Dân sự 2015, Điều 147).",
        "Ngày làm việc thứ 2 là Thứ Năm, 04/03/2027: hẹn trả lúc 17:00 Thứ Năm, 04/03/2027 "
        "(hết giờ làm việc, Điều 148).",
        "Cộng thêm 4 giờ làm việc của thời hạn, tính từ 17:00 Thứ Năm, 04/03/2027, "
        "không tính giờ nghỉ trưa, ban đêm và ngày nghỉ.",
        "Hẹn trả lúc 11:30 Thứ Sáu, 05/03/2027.",
    ]


@pytest.mark.parametrize(
    ("limit", "args"),
    [
        (TimeLimit(days=15), {"working_days": 15}),
        (TimeLimit(days=0), {"working_days": 0}),
        (TimeLimit(hours=4), {"working_hours": 4}),
        (TimeLimit(days=0, hours=4), {"working_hours": 4}),  # "0 ngày 4 giờ" reads as 4 hours
        (TimeLimit(days=3, hours=0), {"working_days": 3}),
        (TimeLimit(days=2, hours=4), {"working_days": 2, "working_hours": 4}),
    ],
)
def test_limit_args(limit, args):
    assert limit_args(limit) == args


def test_an_unknown_limit_has_no_due_time(cal):
    with pytest.raises(ValueError, match="chưa có thời hạn"):
        due_for(cal, RECEIVED, TimeLimit())
    with pytest.raises(ValueError):
        due_for_limit(cal, RECEIVED)


def test_the_online_limit_applies_only_when_recorded(world):
    p = world.p_dept
    p.online_time_limit_hours, p.time_limit_note = 8, "Kể từ khi nhận đủ hồ sơ hợp lệ"
    assert procedure_time_limit(p, "online") == TimeLimit(
        days=None, hours=8, note="Kể từ khi nhận đủ hồ sơ hợp lệ"
    )
    assert procedure_time_limit(p, "post") == TimeLimit(
        days=2, hours=4, note="Kể từ khi nhận đủ hồ sơ hợp lệ"
    )
    assert procedure_time_limit(p, "post").text == "2 ngày làm việc 4 giờ làm việc"


def test_a_procedure_cutoff_and_a_typed_limit_are_not_mixed(client, db, world):
    world.p_dept.receipt_cutoff = time(16, 0)
    db.flush()
    both = client.get(
        "/api/v1/calendar/due-date",
        params={"procedure": world.p_dept.code, "received_at": "2027-03-02T15:30", "working_days": 1},
    )
    assert both.status_code == 422
    assert both.json()["title"] == (
        "Nhập mã thủ tục hoặc thời hạn (số ngày, số giờ làm việc), không nhập cả hai."
    )
    # 15:30 is before the procedure's 16:00 cut-off: counted from Tuesday itself
    ok = client.get(
        "/api/v1/calendar/due-date",
        params={"procedure": world.p_dept.code, "received_at": "2027-03-02T15:30"},
    )
    assert ok.json()["due_at"] == "2027-03-05T11:30:00+07:00"  # 15:00 would give Mon 08/03


def test_typed_moments_are_local_and_naive_datetimes_are_refused():
    # what a person types without an offset is Vietnamese local time
    assert parse_moment("2027-03-02T09:00") == RECEIVED
    assert parse_moment("2027-03-02T02:00+00:00") == RECEIVED
    # a datetime handed over by code must already be aware
    with pytest.raises(TypeError, match="naive datetime 2027-03-02T09:00:00 refused"):
        parse_moment(datetime(2027, 3, 2, 9, 0))
    with pytest.raises(TypeError, match="naive datetime"):
        due_for(seeded_calendar(), datetime(2027, 3, 2, 9, 0), TimeLimit(days=2))
