"""Hand-checked cases for every rule, around Tết 2025/2026, 30/4–1/5, 2/9 and the swaps.

Calendar: the seed data (holidays 0.109 + letter 12729/VPCP-KGVX), office hours
07:30–11:30 and 13:00–17:00, cut-off 15:00, unless a test says otherwise.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from motcua.calendar.engine import (
    Pause,
    WorkingCalendar,
    check_reappointment,
    due_date,
    effective_receipt,
    legal_due_after_resume,
    outcome,
    progress_due_with_pauses,
    working_days_before,
)
from motcua.core.clock import LOCAL_TZ
from tests.calendar.conftest import seeded_calendar


def vn(y, m, d, hh=0, mm=0, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=LOCAL_TZ)


# --------------------------------------------------------------------------- calendar data


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 27), False),  # 29 Tết
        (date(2025, 1, 31), False),  # Mùng ba
        (date(2025, 2, 3), True),
        (date(2025, 4, 26), True),  # make-up Saturday for 2 May 2025
        (date(2025, 5, 2), False),  # swapped day off
        (date(2025, 9, 1), False),
        (date(2025, 9, 2), False),
        (date(2026, 1, 2), False),  # letter 12729/VPCP-KGVX
        (date(2026, 1, 10), True),  # make-up Saturday
        (date(2026, 2, 20), False),  # Mùng bốn Tết 2026
        (date(2026, 8, 22), True),  # make-up Saturday for 31 Aug 2026
        (date(2026, 8, 31), False),
        (date(2026, 11, 24), True),  # Vietnam Culture Day: not confirmed, still worked
        (date(2026, 11, 28), False),  # ordinary Saturday
    ],
)
def test_working_days_of_the_seeded_calendar(cal, day, working):
    assert cal.is_working_day(day) is working


def test_day_off_reasons(cal):
    assert cal.day_off_reason(date(2025, 1, 29)) == "Tết Nguyên Đán"
    assert cal.day_off_reason(date(2025, 2, 1)) == "Thứ Bảy (Mùng bốn Tết Nguyên Đán)"
    assert cal.day_off_reason(date(2025, 2, 2)) == "Chủ nhật"
    assert cal.day_off_reason(date(2025, 2, 3)) is None


# --------------------------------------------------------------------------- rule 1


@pytest.mark.parametrize(
    ("received", "cutoff", "expected"),
    [
        (vn(2025, 1, 22, 10, 0), time(15), vn(2025, 1, 22, 10, 0)),  # inside office hours
        (vn(2025, 1, 22, 7, 0), time(15), vn(2025, 1, 22, 7, 30)),  # before opening
        (vn(2025, 1, 22, 12, 0), time(15), vn(2025, 1, 22, 13, 0)),  # midday break
        (vn(2025, 1, 22, 11, 30), time(15), vn(2025, 1, 22, 13, 0)),  # end of the morning
        (vn(2025, 1, 22, 15, 0), time(15), vn(2025, 1, 22, 15, 0)),  # at the cut-off: same day
        (vn(2025, 1, 22, 15, 0, 1), time(15), vn(2025, 1, 23, 7, 30)),  # after the cut-off
        (vn(2025, 1, 22, 15, 30), time(16), vn(2025, 1, 22, 15, 30)),  # procedure cut-off 16:00
        (vn(2025, 1, 22, 17, 30), time(18), vn(2025, 1, 23, 7, 30)),  # after closing
        (vn(2025, 1, 24, 15, 30), time(15), vn(2025, 2, 3, 7, 30)),  # Friday before Tết 2025
        (vn(2025, 1, 25, 9, 0), time(15), vn(2025, 2, 3, 7, 30)),  # Saturday in Tết
        (vn(2025, 1, 29, 9, 0), time(15), vn(2025, 2, 3, 7, 30)),  # Tết day
        (vn(2025, 4, 26, 9, 0), time(15), vn(2025, 4, 26, 9, 0)),  # make-up Saturday is worked
        (
            vn(2025, 4, 25, 16, 0),
            time(15),
            vn(2025, 4, 26, 7, 30),
        ),  # … and receives Friday's late files
        (vn(2025, 4, 29, 15, 30), time(15), vn(2025, 5, 5, 7, 30)),  # 30/4, 1/5, 2/5, weekend
        (vn(2025, 8, 29, 15, 1), time(15), vn(2025, 9, 3, 7, 30)),  # 2/9 2025
        (vn(2025, 12, 31, 16, 0), time(15), vn(2026, 1, 5, 7, 30)),  # 1/1 and swapped 2/1/2026
        (vn(2026, 2, 13, 15, 30), time(15), vn(2026, 2, 23, 7, 30)),  # Tết 2026
        (vn(2026, 8, 21, 16, 0), time(15), vn(2026, 8, 22, 7, 30)),  # make-up Saturday 22/8/2026
    ],
)
def test_effective_receipt(cal, received, cutoff, expected):
    moment, _ = effective_receipt(cal, received, cutoff)
    assert moment == expected
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(hours=7)


def test_effective_receipt_accepts_any_time_zone_and_refuses_naive(cal):
    utc = datetime(2025, 1, 24, 8, 30, tzinfo=UTC)  # 15:30 in Hà Nội
    assert effective_receipt(cal, utc)[0] == vn(2025, 2, 3, 7, 30)
    # A naive value meant local time here and UTC in core.clock: it is refused everywhere.
    naive = datetime(2025, 1, 24, 15, 30)
    for call in (
        lambda: effective_receipt(cal, naive),
        lambda: due_date(cal, naive, working_days=1),
        lambda: outcome(cal, naive, vn(2025, 2, 3, 17)),
        lambda: working_days_before(cal, naive),
        lambda: cal.add_working_time(naive, timedelta(hours=1)),
    ):
        with pytest.raises(TypeError, match="naive datetime 2025-01-24T15:30:00 refused"):
            call()


def test_effective_receipt_trace_explains_the_move(cal):
    _, trace = effective_receipt(cal, vn(2025, 1, 24, 15, 30))
    texts = [s.text for s in trace]
    assert texts[0] == "Tiếp nhận hồ sơ lúc 15:30 Thứ Sáu, 24/01/2025."
    assert texts[1].startswith("Tiếp nhận sau 15:00 (giờ chốt tiếp nhận)")
    assert "Bỏ qua Thứ Hai, 27/01/2025: 29 Tết." in texts
    assert "Bỏ qua Thứ Tư, 29/01/2025: Tết Nguyên Đán." in texts
    assert "Bỏ qua Chủ nhật, 02/02/2025: Chủ nhật." in texts
    assert texts[-1] == "Thời điểm tính hạn: 07:30 Thứ Hai, 03/02/2025."
    _, trace = effective_receipt(cal, vn(2025, 1, 22, 12, 0))
    assert trace[1].text == "Tiếp nhận trong giờ nghỉ trưa: hồ sơ được tính từ 13:00 cùng ngày."
    _, trace = effective_receipt(cal, vn(2025, 1, 1, 9, 0))
    assert "không phải ngày làm việc (Tết Dương lịch)" in trace[1].text


# --------------------------------------------------------------------------- rules 2 and 3


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        (vn(2025, 1, 24, 15, 30), 3, vn(2025, 2, 6, 17)),  # the example
        (vn(2025, 1, 24, 10, 0), 3, vn(2025, 2, 5, 17)),  # same day before cut-off
        (vn(2025, 1, 22, 9, 0), 1, vn(2025, 1, 23, 17)),
        (vn(2025, 1, 23, 9, 0), 1, vn(2025, 1, 24, 17)),
        (vn(2025, 1, 23, 9, 0), 2, vn(2025, 2, 3, 17)),
        (vn(2026, 2, 13, 14, 0), 1, vn(2026, 2, 23, 17)),  # Tết 2026
        (vn(2026, 2, 12, 14, 0), 5, vn(2026, 2, 26, 17)),  # Fri 13, then Mon 23–Thu 26
        (vn(2025, 4, 29, 9, 0), 2, vn(2025, 5, 6, 17)),  # 30/4–1/5 and the swapped 2/5/2025
        (vn(2025, 4, 25, 9, 0), 1, vn(2025, 4, 26, 17)),  # make-up Saturday 26/4/2025 counted
        (vn(2025, 4, 24, 9, 0), 2, vn(2025, 4, 26, 17)),
        (vn(2025, 4, 24, 9, 0), 3, vn(2025, 4, 28, 17)),
        (vn(2025, 4, 25, 16, 0), 1, vn(2025, 4, 28, 17)),  # effective Sat 26/4, counting from Mon
        (vn(2025, 8, 29, 10, 0), 1, vn(2025, 9, 3, 17)),  # 2/9 2025
        (vn(2025, 12, 31, 10, 0), 1, vn(2026, 1, 5, 17)),  # 1/1 and 2/1/2026 off
        (vn(2025, 12, 31, 16, 0), 5, vn(2026, 1, 10, 17)),  # make-up Saturday 10/1/2026 is day 5
        (vn(2026, 8, 21, 10, 0), 1, vn(2026, 8, 22, 17)),  # make-up Saturday 22/8/2026
        (vn(2026, 8, 21, 10, 0), 2, vn(2026, 8, 24, 17)),
        (vn(2026, 8, 28, 10, 0), 1, vn(2026, 9, 3, 17)),  # 31/8 swapped, 1–2/9 National Day
        (vn(2026, 11, 23, 10, 0), 1, vn(2026, 11, 24, 17)),  # 24/11 unconfirmed: still worked
        (vn(2025, 1, 2, 9, 0), 300, vn(2026, 3, 20, 17)),
    ],
)
def test_due_in_working_days(cal, received, days, due):
    assert due_date(cal, received, working_days=days).due_at == due


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (vn(2025, 1, 22, 10, 0), vn(2025, 1, 22, 17)),
        (vn(2025, 1, 24, 15, 30), vn(2025, 2, 3, 17)),
        (vn(2025, 4, 26, 8, 0), vn(2025, 4, 26, 17)),
        (vn(2026, 1, 1, 8, 0), vn(2026, 1, 5, 17)),
    ],
)
def test_due_within_the_day(cal, received, due):
    assert due_date(cal, received, working_days=0).due_at == due


def test_confirmed_culture_day_moves_the_due_day():
    base = seeded_calendar()
    off = {d: base.day_off_reason(d) for d in [date(2026, 11, 24)]}
    confirmed = WorkingCalendar({**base._off_names, **off}, base._makeup_names)
    assert due_date(confirmed, vn(2026, 11, 23, 10), working_days=1).due_at == vn(2026, 11, 25, 17)


def test_due_trace_lists_skipped_days_and_makeup_saturdays(cal):
    result = due_date(cal, vn(2025, 12, 31, 16, 0), working_days=5, trace=True)
    texts = [s.text for s in result.trace]
    assert "Bỏ qua Thứ Năm, 01/01/2026: Tết Dương lịch." in texts
    assert any(t.startswith("Bỏ qua Thứ Sáu, 02/01/2026: Ngày nghỉ") for t in texts)
    assert texts[-1] == (
        "Ngày làm việc thứ 5 là Thứ Bảy, 10/01/2026 (ngày làm việc bù: Làm việc bù cho ngày nghỉ 02/01/2026): "
        "hẹn trả lúc 17:00 Thứ Bảy, 10/01/2026 (hết giờ làm việc, Điều 148)."
    )
    result = due_date(cal, vn(2025, 4, 24, 9, 0), working_days=3, trace=True)
    assert "Tính Thứ Bảy, 26/04/2025: ngày làm việc bù (Làm việc bù cho ngày nghỉ 02/05/2025)." in [
        s.text for s in result.trace
    ]
    assert due_date(cal, vn(2025, 4, 24, 9, 0), working_days=3).trace == []


def test_long_trace_summarises_weekends(cal):
    result = due_date(cal, vn(2025, 1, 2, 9, 0), working_days=300, trace=True)
    texts = [s.text for s in result.trace]
    assert "Bỏ qua 124 ngày thứ Bảy, Chủ nhật." in texts
    assert "Bỏ qua Thứ Ba, 17/02/2026: Tết Nguyên Đán." in texts


# --------------------------------------------------------------------------- rule 4


@pytest.mark.parametrize(
    ("received", "hours", "due"),
    [
        (vn(2025, 1, 23, 14, 0), 8, vn(2025, 1, 24, 14, 0)),
        (vn(2025, 1, 24, 14, 0), 4, vn(2025, 2, 3, 8, 30)),  # across Tết 2025
        (vn(2025, 1, 22, 7, 30), 8, vn(2025, 1, 22, 17, 0)),  # a full day ends the same evening
        (vn(2025, 1, 22, 10, 0), 1.5, vn(2025, 1, 22, 11, 30)),
        (vn(2025, 1, 22, 10, 0), 2, vn(2025, 1, 22, 13, 30)),  # skips the midday break
        (vn(2025, 1, 22, 12, 15), 0.5, vn(2025, 1, 22, 13, 30)),  # starts after the break
        (vn(2025, 4, 25, 15, 30), 4, vn(2025, 4, 26, 11, 30)),  # make-up Saturday
        (vn(2025, 4, 29, 16, 0), 16, vn(2025, 5, 6, 17, 0)),
        (vn(2026, 8, 28, 14, 0), 4, vn(2026, 9, 3, 8, 30)),
    ],
)
def test_due_in_working_hours(cal, received, hours, due):
    assert due_date(cal, received, working_hours=hours).due_at == due


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"working_days": 1, "working_hours": 2},
        {"working_days": -1},
        {"working_hours": 0},
        {"working_hours": -2},
    ],
)
def test_bad_limits_are_refused(cal, kwargs):
    with pytest.raises(ValueError):
        due_date(cal, vn(2025, 1, 22, 9), **kwargs)


def test_custom_office_hours():
    cal = WorkingCalendar(office_hours=[(time(7, 0), time(11, 0)), (time(13, 30), time(17, 0))])
    assert cal.day_length == timedelta(hours=7, minutes=30)
    result = due_date(cal, vn(2025, 1, 22, 12, 0), working_days=1)
    assert result.effective_receipt_at == vn(2025, 1, 22, 13, 30)
    assert result.due_at == vn(2025, 1, 23, 17, 0)
    with pytest.raises(ValueError):
        WorkingCalendar(office_hours=[(time(13), time(17)), (time(7), time(11))])


# --------------------------------------------------------------------------- rule 5


def test_legal_due_restarts_from_the_resume_instant(cal):
    result = legal_due_after_resume(cal, vn(2025, 1, 24, 15, 30), working_days=3, trace=True)
    assert result.effective_receipt_at == vn(2025, 2, 3, 7, 30)
    assert result.due_at == vn(2025, 2, 6, 17)
    assert result.trace[0].kind == "resume"
    assert "Nghị định 61/2018/NĐ-CP, Điều 19" in result.trace[0].text


def test_progress_view_excludes_the_working_time_paused(cal):
    due = vn(2025, 2, 6, 17)
    pause = Pause(vn(2025, 2, 3, 13, 0), vn(2025, 2, 4, 9, 30), "Yêu cầu bổ sung hồ sơ")
    trace = []
    assert progress_due_with_pauses(cal, due, [pause], trace_out=trace) == vn(
        2025, 2, 7, 15, 0
    )  # 6 h later
    assert trace[0].text == (
        "Yêu cầu bổ sung hồ sơ từ 13:00 Thứ Hai, 03/02/2025 đến 09:30 Thứ Ba, 04/02/2025: "
        "6 giờ làm việc không tính."
    )
    # overlapping pauses count once: Mon 13:00 – Tue 10:30 = 7 h
    overlapping = [
        (vn(2025, 2, 3, 13), vn(2025, 2, 4, 9, 30)),
        (vn(2025, 2, 4, 8), vn(2025, 2, 4, 10, 30)),
    ]
    assert progress_due_with_pauses(cal, due, overlapping) == vn(2025, 2, 7, 16, 0)
    # a pause over Tết counts only its office time: Fri 16:00–17:00 + Mon 07:30–08:00
    assert cal.working_time_between(vn(2025, 1, 24, 16), vn(2025, 2, 3, 8)) == timedelta(
        hours=1, minutes=30
    )
    assert progress_due_with_pauses(cal, due, []) == due


def test_working_time_between(cal):
    assert cal.working_time_between(vn(2025, 1, 24, 10), vn(2025, 2, 3, 10)) == timedelta(hours=8)
    assert cal.working_time_between(vn(2025, 2, 3, 10), vn(2025, 1, 24, 10)) == timedelta(hours=-8)
    assert cal.working_time_between(vn(2025, 1, 22, 11), vn(2025, 1, 22, 14)) == timedelta(
        hours=1, minutes=30
    )
    assert cal.working_time_between(vn(2025, 1, 25, 9), vn(2025, 1, 26, 9)) == timedelta(
        0
    )  # weekend
    assert cal.working_time_between(vn(2025, 4, 26, 9), vn(2025, 4, 26, 10)) == timedelta(
        hours=1
    )  # make-up Sat


# --------------------------------------------------------------------------- rule 6


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (vn(2025, 2, 5, 16, 0), "early"),
        (vn(2025, 2, 6, 8, 0), "on_time"),
        (vn(2025, 2, 6, 17, 0), "on_time"),
        (vn(2025, 2, 6, 17, 1), "late"),
        (vn(2025, 2, 7, 8, 0), "late"),
        (datetime(2025, 2, 6, 9, 0, tzinfo=UTC), "on_time"),  # 16:00 in Hà Nội
        (datetime(2025, 2, 5, 18, 0, tzinfo=UTC), "on_time"),  # 01:00 on the due day in Hà Nội
    ],
)
def test_outcome(cal, finished, expected):
    assert outcome(cal, finished, vn(2025, 2, 6, 17)) == expected


# --------------------------------------------------------------------------- alerts and rule 7


@pytest.mark.parametrize(
    ("due", "n", "expected"),
    [
        (vn(2025, 2, 6, 17), 1, vn(2025, 2, 5, 17)),
        (vn(2025, 2, 3, 17), 1, vn(2025, 1, 24, 17)),  # back over Tết
        (vn(2025, 2, 3, 17), 2, vn(2025, 1, 23, 17)),
        (vn(2025, 4, 28, 17), 1, vn(2025, 4, 26, 17)),  # make-up Saturday
        (vn(2026, 1, 5, 17), 1, vn(2025, 12, 31, 17)),
        (vn(2026, 1, 12, 17), 1, vn(2026, 1, 10, 17)),
        (vn(2026, 9, 3, 11, 30), 1, vn(2026, 8, 28, 11, 30)),
        (vn(2025, 2, 6, 17), 0, vn(2025, 2, 6, 17)),
    ],
)
def test_working_days_before(cal, due, n, expected):
    assert working_days_before(cal, due, n) == expected


def test_reappointment_allowed_once_and_at_least_one_working_day_before(cal):
    old, new = vn(2025, 2, 6, 17), vn(2025, 2, 10, 17)
    ok = check_reappointment(cal, old_due_at=old, new_due_at=new, requested_at=vn(2025, 2, 5, 10))
    assert ok.allowed and ok.errors == () and ok.latest_request_at == vn(2025, 2, 5, 17)
    ok.raise_if_refused()

    assert not ok.late
    # Past the last working day before the old due time (even past the due time itself) the
    # apology is still allowed, and marked late.
    for requested_at in (vn(2025, 2, 6, 9), vn(2025, 2, 7, 9)):
        late = check_reappointment(cal, old_due_at=old, new_due_at=new, requested_at=requested_at)
        assert late.allowed and late.errors == () and late.late
    past = check_reappointment(cal, old_due_at=old, new_due_at=new, requested_at=vn(2025, 2, 11, 9))
    assert past.errors == ("Ngày hẹn mới phải sau thời điểm hẹn lại.",)
    twice = check_reappointment(
        cal,
        old_due_at=old,
        new_due_at=new,
        requested_at=vn(2025, 2, 5, 10),
        previous_reappointments=1,
    )
    assert twice.errors == (
        "Hồ sơ đã được hẹn lại ngày trả kết quả một lần; không được hẹn lại lần nữa.",
    )
    earlier = check_reappointment(
        cal, old_due_at=old, new_due_at=old, requested_at=vn(2025, 2, 5, 10)
    )
    assert earlier.errors == ("Ngày hẹn mới phải sau ngày hẹn cũ.",)
    from motcua.core.errors import Conflict

    with pytest.raises(Conflict):
        twice.raise_if_refused()


# --------------------------------------------------------------------------- day arithmetic


def test_add_and_subtract_working_days(cal):
    assert cal.add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)
    assert cal.add_working_days(date(2025, 1, 25), 0) == date(2025, 2, 3)
    assert cal.subtract_working_days(date(2025, 2, 3), 1) == date(2025, 1, 24)
    assert cal.working_days_between(date(2025, 1, 24), date(2025, 2, 6)) == 4
    assert (
        cal.working_days_between(date(2025, 4, 25), date(2025, 4, 28)) == 2
    )  # Sat 26/4 + Mon 28/4
