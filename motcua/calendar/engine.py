"""The deadline engine: pure, fast functions over a `WorkingCalendar` value.

No database, no clock, no day-by-day loops. Working days are counted with arithmetic over
ordinals (weeks × 5 + remainder) corrected by `bisect` over the sorted lists of weekday
days off and weekend make-up working days, so a 300-working-day limit costs about the
same as a 3-day one (see bench/bench_deadline.py).

Legal basis of the rules implemented here:
- Civil Code 2015 (Bộ luật Dân sự 91/2015/QH13) Art. 147: a period in days starts on the
  day after the event; Art. 148: it ends at the end of its last day, and when that day is
  a day off, at the end of the next working day.
- ND 61/2018/NĐ-CP Art. 19 (amended by ND 107/2021 and ND 118/2025/NĐ-CP): the receipt
  slip (form 01) gives the appointment; dossiers received after the cut-off (15:00 by
  default, DOMAIN.md §5) are handled from the next working day; after a request to
  supplement, the time limit restarts from the receipt of the complete dossier.
- QĐ 766/QĐ-TTg (2022): the progress view of the service index, where the working time
  spent in pauses is excluded from the processing time.
- TT 01/2018/TT-VPCP Art. 11 and TT 03/2025/TT-VPCP, form 04 (Phiếu xin lỗi và hẹn lại
  ngày trả kết quả): a late dossier may be re-appointed once, at least one working day
  before the old due time.

Times: inputs may be in any time zone but must be aware; a naive datetime is refused
(TypeError), since it would silently mean UTC to one caller and local time to another.
All computation happens in local time; results are aware datetimes in Asia/Ho_Chi_Minh.

The Vietnamese explanation of a result (the trace) is written by `motcua.calendar.explain`;
this module only computes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal

from motcua.calendar import explain
from motcua.calendar.explain import TraceStep
from motcua.core.clock import LOCAL_TZ, to_local
from motcua.core.errors import Conflict

DEFAULT_CUTOFF = time(15, 0)
DEFAULT_OFFICE_HOURS: tuple[tuple[time, time], ...] = (
    (time(7, 30), time(11, 30)),
    (time(13, 0), time(17, 0)),
)

_US_PER_DAY = 86_400_000_000

Outcome = Literal["early", "on_time", "late"]


# --------------------------------------------------------------------------- helpers


as_local = to_local  # aware → Asia/Ho_Chi_Minh; a naive datetime is refused (TypeError)


def _aware(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LOCAL_TZ)


def _us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _time_of(us: int) -> time:
    if us >= _US_PER_DAY:  # 24:00 cannot be represented; office hours never end there
        raise ValueError("office period cannot end at 24:00")
    seconds, micro = divmod(us, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return time(hour, minute, second, micro)


def _weekdays_before(ordinal: int) -> int:
    """Number of Mondays–Fridays among ordinals [1, ordinal); ordinal 1 (0001-01-01) is a Monday."""
    weeks, rest = divmod(ordinal - 1, 7)
    return weeks * 5 + min(rest, 5)


def _weekday_with_index(index: int) -> int:
    """Ordinal of the Monday–Friday day that has `index` weekdays before it."""
    weeks, rest = divmod(index, 5)
    return 1 + weeks * 7 + rest


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class DueResult:
    effective_receipt_at: datetime
    due_at: datetime
    trace: list[TraceStep] = field(default_factory=list)


@dataclass(frozen=True)
class ReappointmentCheck:
    """Result of the form-04 checks; `errors` holds the Vietnamese reasons of a refusal.
    `late`: issued after `latest_request_at` — allowed, but recorded as late (see below)."""

    allowed: bool
    errors: tuple[str, ...]
    latest_request_at: datetime
    late: bool = False

    def raise_if_refused(self) -> None:
        if not self.allowed:
            raise Conflict(" ".join(self.errors), code="reappointment_not_allowed")


@dataclass(frozen=True)
class SkippedDays:
    """What `WorkingCalendar.exceptions_between` found (for the explanation)."""

    days_off: tuple[date, ...]
    makeup: tuple[date, ...]
    weekend_days: int


@dataclass(frozen=True)
class Pause:
    """A pause of the processing clock (supplement, payment, consultation)."""

    start: datetime
    end: datetime
    reason: str = "Tạm dừng"


# --------------------------------------------------------------------------- calendar


class WorkingCalendar:
    """Which days are worked and during which hours.

    Saturdays and Sundays are off unless listed as make-up working days; weekdays are
    worked unless listed as days off. `days_off` may contain weekend holidays too (their
    names are used in explanations; they change no count).
    """

    __slots__ = (
        "_day_us",
        "_exc",
        "_exc_after",
        "_exc_makeup",
        "_exc_prefix",
        "_makeup",
        "_makeup_names",
        "_off",
        "_off_names",
        "_periods_us",
        "office_hours",
    )

    def __init__(
        self,
        days_off: Mapping[date, str] | Iterable[date] = (),
        makeup_days: Mapping[date, str] | Iterable[date] = (),
        office_hours: Sequence[tuple[time, time]] = DEFAULT_OFFICE_HOURS,
    ) -> None:
        off = (
            dict(days_off)
            if isinstance(days_off, Mapping)
            else dict.fromkeys(days_off, "Ngày nghỉ")
        )
        makeup = (
            dict(makeup_days)
            if isinstance(makeup_days, Mapping)
            else dict.fromkeys(makeup_days, "Ngày làm bù")
        )
        self._off_names: dict[date, str] = off
        self._makeup_names: dict[date, str] = {d: n for d, n in makeup.items() if d.weekday() >= 5}
        self._off = sorted(d.toordinal() for d in off if d.weekday() < 5)
        self._makeup = sorted(d.toordinal() for d in self._makeup_names)
        # All exceptions merged: ordinal, whether it is a make-up day, the adjustment to the
        # plain weekday count accumulated before it (_exc_prefix[j]) and the working-day index
        # just after it (_exc_after[j]). Both lookups below are one bisect each.
        merged = sorted([(o, False) for o in self._off] + [(o, True) for o in self._makeup])
        self._exc = [o for o, _ in merged]
        self._exc_makeup = [m for _, m in merged]
        self._exc_prefix = [0]
        self._exc_after = []
        for o, makeup_day in merged:
            self._exc_prefix.append(self._exc_prefix[-1] + (1 if makeup_day else -1))
            self._exc_after.append(_weekdays_before(o + 1) + self._exc_prefix[-1])
        self.office_hours = validate_office_hours(office_hours)
        self._periods_us = tuple((_us(s), _us(e)) for s, e in self.office_hours)
        self._day_us = sum(e - s for s, e in self._periods_us)

    # ---- days

    def is_working_day(self, day: date) -> bool:
        if day.weekday() >= 5:
            return day in self._makeup_names
        return day not in self._off_names

    def day_off_reason(self, day: date) -> str | None:
        """Why `day` is not worked (holiday name, Saturday, Sunday), or None on a working day."""
        return explain.day_off_reason(self, day)

    def day_off_name(self, day: date) -> str | None:
        """The recorded name of a day off (a weekend holiday too), or None."""
        return self._off_names.get(day)

    def makeup_name(self, day: date) -> str | None:
        return self._makeup_names.get(day)

    def exceptions_between(self, start: date, end: date) -> SkippedDays:
        """The days strictly between `start` and `end` that the weekly rule gets wrong: weekday
        days off and weekend make-up days (by bisect), and the count of weekend days not worked."""
        a, b = start.toordinal() + 1, end.toordinal()
        if b <= a:
            return SkippedDays((), (), 0)
        offs = self._off[bisect_left(self._off, a) : bisect_left(self._off, b)]
        makeups = self._makeup[bisect_left(self._makeup, a) : bisect_left(self._makeup, b)]
        weekend_days = (b - a) - (_weekdays_before(b) - _weekdays_before(a)) - len(makeups)
        return SkippedDays(
            tuple(date.fromordinal(o) for o in offs),
            tuple(date.fromordinal(o) for o in makeups),
            weekend_days,
        )

    def _index(self, ordinal: int) -> int:
        """Working days among ordinals before `ordinal` (counted from 0001-01-01)."""
        return _weekdays_before(ordinal) + self._exc_prefix[bisect_left(self._exc, ordinal)]

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d ≤ end (0 when end ≤ start)."""
        if end <= start:
            return 0
        return self._index(end.toordinal() + 1) - self._index(start.toordinal() + 1)

    def _nth_working_ordinal(self, target: int) -> int:
        """Ordinal of the working day x with _index(x) == target, without any loop.

        The exceptions before x are exactly those whose following index is ≤ target
        (one bisect); between exceptions, working days are plain weekdays, so x follows
        from weeks × 5 + remainder — unless x is the next exception, a make-up day.
        """
        j = bisect_right(self._exc_after, target)
        if j < len(self._exc) and self._exc_makeup[j] and self._exc_after[j] == target + 1:
            return self._exc[j]
        return _weekday_with_index(target - self._exc_prefix[j])

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (n ≥ 1); `start` itself for n = 0 if worked."""
        if n < 0:
            raise ValueError("n must be ≥ 0")
        if n == 0:
            return start if self.is_working_day(start) else self.next_working_day(start)
        target = self._index(start.toordinal() + 1) + n - 1
        return date.fromordinal(self._nth_working_ordinal(target))

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def subtract_working_days(self, end: date, n: int) -> date:
        """The n-th working day before `end` (n ≥ 1)."""
        if n < 1:
            raise ValueError("n must be ≥ 1")
        return date.fromordinal(self._nth_working_ordinal(self._index(end.toordinal()) - n))

    # ---- hours

    @property
    def day_length(self) -> timedelta:
        return timedelta(microseconds=self._day_us)

    @property
    def opening(self) -> time:
        return self.office_hours[0][0]

    @property
    def closing(self) -> time:
        return self.office_hours[-1][1]

    def _elapsed_in_day(self, us: int) -> int:
        # A plain loop (periods are sorted): called for every deadline, millions of times by
        # `motcua demo`.
        total = 0
        for s, e in self._periods_us:
            if us <= s:
                break
            total += (us if us < e else e) - s
        return total

    def _moment_in_day(self, day: date, offset: int) -> datetime:
        """The instant of `day` after `offset` µs of office time (0 < offset ≤ day length)."""
        for s, e in self._periods_us:
            if offset <= e - s:
                return _aware(day, _time_of(s + offset))
            offset -= e - s
        return _aware(day, self.closing)

    def _position(self, moment: datetime) -> int:
        """Office time (µs) from the calendar origin up to `moment`."""
        local = as_local(moment)
        day = local.date()
        base = self._index(day.toordinal()) * self._day_us
        if not self.is_working_day(day):
            return base
        return base + self._elapsed_in_day(_us(local.time()))

    def _moment_at(self, position: int) -> datetime:
        """Inverse of _position; a position on a day boundary is the END of the earlier day."""
        index, offset = divmod(position, self._day_us)
        if offset == 0:
            index, offset = index - 1, self._day_us
        day = date.fromordinal(self._nth_working_ordinal(index))
        return self._moment_in_day(day, offset)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Office time between two instants (negative when end is before start)."""
        return timedelta(microseconds=self._position(end) - self._position(start))

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The instant reached after `amount` of office time from `start` (amount > 0)."""
        us = amount // timedelta(microseconds=1)
        if us <= 0:
            return as_local(start)
        return self._moment_at(self._position(start) + us)

    def is_office_time(self, moment: datetime) -> bool:
        local = as_local(moment)
        if not self.is_working_day(local.date()):
            return False
        us = _us(local.time())
        return any(s <= us < e for s, e in self._periods_us)


def validate_office_hours(periods: Sequence[tuple[time, time]]) -> tuple[tuple[time, time], ...]:
    """Sorted, non-empty, non-overlapping periods within one day; ValueError otherwise."""
    result = tuple((s, e) for s, e in periods)
    if not result:
        raise ValueError("Cần ít nhất một khoảng giờ làm việc.")
    previous_end: time | None = None
    for s, e in result:
        if not s < e:
            raise ValueError(f"Giờ bắt đầu {s:%H:%M} phải trước giờ kết thúc {e:%H:%M}.")
        if previous_end is not None and s < previous_end:
            raise ValueError("Các khoảng giờ làm việc phải theo thứ tự và không chồng lên nhau.")
        previous_end = e
    return result


# --------------------------------------------------------------------------- rule 1


def _effective(cal: WorkingCalendar, local: datetime, cutoff: time) -> tuple[datetime, str]:
    """The effective receipt instant and why (a reason code); no text, so it stays cheap."""
    day = local.date()
    if not cal.is_working_day(day):
        return _aware(cal.next_working_day(day), cal.opening), "not_working"
    if local.time() > cutoff:
        return _aware(cal.next_working_day(day), cal.opening), "after_cutoff"
    us = _us(local.time())
    for index, (s, e) in enumerate(cal._periods_us):
        if us < s:
            return _aware(day, _time_of(s)), "before_opening" if index == 0 else "break"
        if us < e:
            return local, "inside"
    return _aware(cal.next_working_day(day), cal.opening), "after_closing"


def effective_receipt(
    cal: WorkingCalendar,
    received_at: datetime,
    cutoff: time | None = DEFAULT_CUTOFF,
    *,
    trace: bool = True,
) -> tuple[datetime, list[TraceStep]]:
    """Rule 1: the instant from which a dossier counts.

    On a working day, at or before the cut-off: the receipt instant itself when inside office
    hours, else the next start of office hours that day (before opening, midday break).
    After the cut-off, after closing, or on a day that is not worked: the opening of the next
    working day (ND 61/2018 Art. 19; cut-off 15:00 per procedure, DOMAIN.md §5).
    """
    cutoff = cutoff or DEFAULT_CUTOFF
    local = as_local(received_at)
    moment, reason = _effective(cal, local, cutoff)
    if not trace:
        return moment, []
    return moment, explain.receipt_steps(cal, local, moment, reason, cutoff)


# --------------------------------------------------------------------------- rules 2–4


def _hours_to_us(hours: float | Decimal | timedelta) -> int:
    if isinstance(hours, timedelta):
        return hours // timedelta(microseconds=1)
    return round(Decimal(str(hours)) * 3_600_000_000)


def due_date(
    cal: WorkingCalendar,
    received_at: datetime,
    *,
    working_days: int | None = None,
    working_hours: float | Decimal | timedelta | None = None,
    cutoff: time | None = DEFAULT_CUTOFF,
    trace: bool = False,
) -> DueResult:
    """Rules 1–4: the appointment for a dossier received at `received_at`.

    - n ≥ 1 working days (Civil Code 2015 Art. 147–148): counting starts the working day after
      the effective receipt day; due at the end of office hours of the n-th working day.
    - 0 days ("trong ngày"): due at the end of office hours of the effective receipt day.
    - working hours: that much office time from the effective receipt instant, skipping
      breaks, nights and days off.
    Give exactly one of working_days / working_hours; ValueError (Vietnamese) otherwise.
    """
    if (working_days is None) == (working_hours is None):
        raise ValueError("Cần nhập đúng một trong hai: số ngày làm việc hoặc số giờ làm việc.")
    return due_for_limit(
        cal,
        received_at,
        working_days=working_days,
        working_hours=working_hours,
        cutoff=cutoff,
        trace=trace,
    )


def due_for_limit(
    cal: WorkingCalendar,
    received_at: datetime,
    *,
    working_days: int | None = None,
    working_hours: float | Decimal | timedelta | None = None,
    cutoff: time | None = DEFAULT_CUTOFF,
    trace: bool = False,
) -> DueResult:
    """`due_date` for a limit of working days, working hours, or both ("2 ngày 4 giờ").

    Both: the days count as in rules 2–3 (Civil Code 2015 Art. 148: the period in days ends at
    the end of office hours of its last working day), and the hours then run on in office time
    from that instant (Art. 147(1): a period in hours starts at the moment determined). So a
    limit of N days plus H hours is never due before a limit of N days.
    """
    if working_days is None and working_hours is None:
        raise ValueError("Cần nhập số ngày làm việc hoặc số giờ làm việc.")
    if working_days is not None and working_days < 0:
        raise ValueError("Số ngày làm việc không được âm.")
    hours_us = _hours_to_us(working_hours) if working_hours is not None else 0
    if working_hours is not None and hours_us <= 0:
        raise ValueError("Số giờ làm việc phải lớn hơn 0.")

    effective, steps = effective_receipt(cal, received_at, cutoff, trace=trace)
    eff_day = effective.date()
    if working_days is None:
        due = cal.add_working_time(effective, timedelta(microseconds=hours_us))
        if trace:
            steps += explain.working_hours_steps(
                cal, effective, timedelta(microseconds=hours_us), due
            )
        return DueResult(effective, due, steps)
    if working_days == 0:
        due = _aware(eff_day, cal.closing)
        if trace:
            steps += explain.within_day_steps(due)
    else:
        last = cal.add_working_days(eff_day, working_days)
        due = _aware(last, cal.closing)
        if trace:
            steps += explain.working_days_steps(cal, eff_day, working_days, last, due)
    if hours_us:
        end_of_days = due
        due = cal.add_working_time(end_of_days, timedelta(microseconds=hours_us))
        if trace:
            steps += explain.working_hours_steps(
                cal, end_of_days, timedelta(microseconds=hours_us), due, after_days=True
            )
    return DueResult(effective, due, steps)


# --------------------------------------------------------------------------- rule 5


def legal_due_after_resume(
    cal: WorkingCalendar,
    resumed_at: datetime,
    *,
    working_days: int | None = None,
    working_hours: float | Decimal | timedelta | None = None,
    cutoff: time | None = DEFAULT_CUTOFF,
    trace: bool = False,
) -> DueResult:
    """Rule 5a, the legal appointment after a supplement (ND 61/2018 Art. 19, ND 118/2025):
    the time limit restarts in full from the receipt of the complete dossier, i.e. rules 1–4
    applied to the resume instant."""
    result = due_for_limit(
        cal,
        resumed_at,
        working_days=working_days,
        working_hours=working_hours,
        cutoff=cutoff,
        trace=trace,
    )
    if trace:
        return DueResult(
            result.effective_receipt_at,
            result.due_at,
            [explain.resume_step(resumed_at), *result.trace],
        )
    return result


def _merge_pauses(
    pauses: Iterable[Pause | tuple[datetime, datetime]],
) -> list[tuple[datetime, datetime, str]]:
    items: list[tuple[datetime, datetime, str]] = []
    for p in pauses:
        start, end, reason = (
            (p.start, p.end, p.reason) if isinstance(p, Pause) else (p[0], p[1], "Tạm dừng")
        )
        start, end = as_local(start), as_local(end)
        if end < start:
            raise ValueError("Thời điểm kết thúc tạm dừng phải sau thời điểm bắt đầu.")
        items.append((start, end, reason))
    items.sort(key=lambda item: item[0])
    merged: list[tuple[datetime, datetime, str]] = []
    for start, end, reason in items:
        if merged and start <= merged[-1][1]:
            prev = merged[-1]
            merged[-1] = (prev[0], max(prev[1], end), prev[2])
        else:
            merged.append((start, end, reason))
    return merged


def progress_due_with_pauses(
    cal: WorkingCalendar,
    due_at: datetime,
    pauses: Iterable[Pause | tuple[datetime, datetime]],
    *,
    trace_out: list[TraceStep] | None = None,
) -> datetime:
    """Rule 5b, the QĐ 766/QĐ-TTg progress view: the original due time moved later by the
    office time spent inside pauses (overlapping pauses are counted once)."""
    total = timedelta(0)
    for start, end, reason in _merge_pauses(pauses):
        spent = cal.working_time_between(start, end)
        total += spent
        if trace_out is not None:
            trace_out.append(explain.pause_step(reason, start, end, spent))
    moved = cal.add_working_time(due_at, total) if total > timedelta(0) else as_local(due_at)
    if trace_out is not None:
        trace_out.append(explain.progress_due_step(moved))
    return moved


# --------------------------------------------------------------------------- rule 6


def outcome(cal: WorkingCalendar, finished_at: datetime, due_at: datetime) -> Outcome:
    """Rule 6: early before the due day; on time on the due day up to the due time; else late."""
    finished, due = as_local(finished_at), as_local(due_at)
    if finished.date() < due.date():
        return "early"
    if finished <= due:
        return "on_time"
    return "late"


# --------------------------------------------------------------------------- alerts & rule 7


def working_days_before(cal: WorkingCalendar, due_at: datetime, n: int = 1) -> datetime:
    """The same clock time n working days before `due_at` (the early-warning instant).

    A due time at the end of office hours gives the end of office hours n working days
    earlier, e.g. due 17:00 Friday → 17:00 Thursday for n = 1.
    """
    if n < 0:
        raise ValueError("Số ngày làm việc không được âm.")
    local = as_local(due_at)
    if n == 0:
        return local
    day = cal.subtract_working_days(local.date(), n)
    return datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=LOCAL_TZ)


def apology_is_late(cal: WorkingCalendar, old_due_at: datetime, at: datetime) -> bool:
    """Form 04 issued at `at` comes late: after the last instant the law allows, one working
    day before the old due time (see check_reappointment)."""
    return as_local(at) > working_days_before(cal, old_due_at, 1)


def check_reappointment(
    cal: WorkingCalendar,
    *,
    old_due_at: datetime,
    new_due_at: datetime,
    requested_at: datetime,
    previous_reappointments: int = 0,
) -> ReappointmentCheck:
    """Rule 7, form 04 (TT 01/2018/TT-VPCP Art. 11; TT 03/2025/TT-VPCP): a dossier may be
    re-appointed once, and the apology letter with the new date is due at least one working
    day before the old due time. Missing that does not excuse the agency from apologising:
    a later apology is allowed and comes back `late`, for the audit and the statistics to
    record. The new due time must be later than the old one and than the request."""
    latest = working_days_before(cal, old_due_at, 1)
    errors: list[str] = []
    if previous_reappointments >= 1:
        errors.append("Hồ sơ đã được hẹn lại ngày trả kết quả một lần; không được hẹn lại lần nữa.")
    if as_local(new_due_at) <= as_local(old_due_at):
        errors.append("Ngày hẹn mới phải sau ngày hẹn cũ.")
    elif as_local(new_due_at) <= as_local(requested_at):
        errors.append("Ngày hẹn mới phải sau thời điểm hẹn lại.")
    return ReappointmentCheck(not errors, tuple(errors), latest, late=apology_is_late(cal, old_due_at, requested_at))
