"""Property tests: the engine agrees with a naive day-by-day count over the `holidays` package."""

from datetime import date, datetime, time, timedelta

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.calendar.engine import WorkingCalendar, due_date, effective_receipt, working_days_before
from motcua.calendar.sources import package_makeup_days
from motcua.core.clock import LOCAL_TZ

YEARS = range(2015, 2031)
PACKAGE = holidays.country_holidays("VN", years=YEARS)
MAKEUP = set(package_makeup_days(YEARS))
CAL = WorkingCalendar(dict(PACKAGE), dict.fromkeys(MAKEUP, "Làm bù"))


def oracle_working(day: date) -> bool:
    if day in MAKEUP:
        return True
    return day.weekday() < 5 and day not in PACKAGE


def oracle_count(after: date, up_to: date) -> int:
    """Working days d with after < d ≤ up_to, one day at a time."""
    count, day = 0, after + timedelta(days=1)
    while day <= up_to:
        count += oracle_working(day)
        day += timedelta(days=1)
    return count


moments = st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2028, 12, 31)).map(
    lambda d: d.replace(tzinfo=LOCAL_TZ)
)
cutoffs = st.sampled_from([time(15, 0), time(11, 0), time(16, 30), time(17, 0)])


@settings(max_examples=400, deadline=None)
@given(received=moments, n=st.integers(min_value=0, max_value=300), cutoff=cutoffs)
def test_due_day_is_the_nth_working_day_after_the_effective_receipt_day(received, n, cutoff):
    result = due_date(CAL, received, working_days=n, cutoff=cutoff)
    eff_day, due_day = result.effective_receipt_at.date(), result.due_at.date()
    assert oracle_working(eff_day)
    assert oracle_working(due_day)
    assert oracle_count(eff_day, due_day) == n
    assert result.due_at.time() == time(17, 0)
    # the effective receipt is the receipt day itself, or the first working day after it
    day = received.date()
    same_day = oracle_working(day) and received.time() <= cutoff and received.time() < time(17, 0)
    if same_day:
        assert eff_day == day
        assert result.effective_receipt_at >= received
    else:
        assert eff_day > day and oracle_count(day, eff_day) == 1
        assert result.effective_receipt_at.time() == time(7, 30)


@settings(max_examples=300, deadline=None)
@given(received=moments, hours=st.integers(min_value=1, max_value=400))
def test_due_in_hours_is_that_much_office_time_later(received, hours):
    result = due_date(CAL, received, working_hours=hours)
    assert CAL.working_time_between(result.effective_receipt_at, result.due_at) == timedelta(
        hours=hours
    )
    assert CAL.is_working_day(result.due_at.date())
    assert oracle_working(result.due_at.date())


@settings(max_examples=300, deadline=None)
@given(a=moments, b=moments, c=moments)
def test_working_time_is_additive(a, b, c):
    assert CAL.working_time_between(a, b) + CAL.working_time_between(
        b, c
    ) == CAL.working_time_between(a, c)


@settings(max_examples=300, deadline=None)
@given(received=moments, n=st.integers(min_value=1, max_value=200))
def test_working_days_before_inverts_the_count(received, n):
    eff, _ = effective_receipt(CAL, received)
    due = CAL.add_working_days(eff.date(), n)
    assert CAL.subtract_working_days(due, n) == eff.date()
    warning = working_days_before(CAL, datetime.combine(due, time(17), tzinfo=LOCAL_TZ), 1)
    assert oracle_working(warning.date()) and oracle_count(warning.date(), due) == 1


# A synthetic calendar dense with days off and make-up weekend days stresses the bisect logic.
dense_days = st.sets(
    st.dates(min_value=date(2030, 1, 1), max_value=date(2030, 12, 31)), max_size=120
)


@settings(max_examples=200, deadline=None)
@given(
    off=dense_days,
    makeup=dense_days,
    start=st.dates(min_value=date(2029, 12, 1), max_value=date(2030, 12, 31)),
    n=st.integers(min_value=1, max_value=120),
)
def test_add_working_days_on_a_dense_synthetic_calendar(off, makeup, start, n):
    makeup = {d for d in makeup if d.weekday() >= 5}
    off = {d for d in off if d not in makeup}
    cal = WorkingCalendar(off, makeup)

    def working(d: date) -> bool:
        return d in makeup if d.weekday() >= 5 else d not in off

    result = cal.add_working_days(start, n)
    assert working(result)
    count, day = 0, start
    while day < result:
        day += timedelta(days=1)
        count += working(day)
    assert count == n
    if working(start):
        assert cal.subtract_working_days(result, n) == start
