"""Pure: when a dossier is "due soon" (DOMAIN.md §2.5; ND 61/2018, ND 118/2025).

One rule for the inbox's "Sắp đến hạn" box, its count, the API's `box=due_soon` and the
overdue alert job: a running dossier is due soon from the moment its overdue alert falls
due, i.e. ALERT_WORKING_DAYS working days before its due time, until that due time. So
whoever is alerted finds the dossier in the box, and the box never shows a dossier the
alert has not reached yet.

Also the inboxes' urgency label (`urgency`): overdue by how many working days, due today
with the hours left, due soon with the working days left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from motcua.calendar.engine import WorkingCalendar, as_local

# The law asks for the alert at least one working day before the due time; two leave the
# head a full working day to issue the apology (form 04), which itself must be issued at
# least one working day before the due time (calendar.engine.check_reappointment).
ALERT_WORKING_DAYS = 2


def due_soon_until(cal: WorkingCalendar, at: datetime, working_days: int = ALERT_WORKING_DAYS) -> datetime:
    """The latest due time that is "due soon" at `at`: the same clock time `working_days`
    working days later (at 10:00 on Friday, with 2: 10:00 on Tuesday). On a day off, every
    working day before it has fully passed, so the whole `working_days`-th working day after
    the last one counts (Saturday → end of Tuesday).

    A due time up to this instant has its early warning (`calendar.engine.working_days_before`)
    at or before `at`. Only working days matter, not office hours, so every agency's calendar
    gives the same answer.
    """
    local = as_local(at)
    day = local.date()
    if cal.is_working_day(day):
        return datetime.combine(cal.add_working_days(day, working_days), local.time(), tzinfo=local.tzinfo)
    last_worked = cal.subtract_working_days(day, 1)
    return datetime.combine(cal.add_working_days(last_worked, working_days), time.max, tzinfo=local.tzinfo)


@dataclass(frozen=True)
class Urgency:
    """How pressing a dossier's due time is, as the inboxes show it (issue 16).

    kind: "overdue" | "today" | "soon" | "later" | "paused"; text: the Vietnamese label
    ("" for "later": the due date alone says it)."""

    kind: str
    text: str


def urgency(cal: WorkingCalendar, due_at: datetime, at: datetime, *, paused: bool = False) -> Urgency:
    """Pure: the label of a running dossier due at `due_at`, seen at `at`.

    - Past the due time: "Quá hạn N ngày", N = the working days after the due day up to today
      (at least 1 once the due day is over: due Friday, seen on Saturday → 1); still on the
      due day: "Quá hạn N giờ" (clock hours, rounded up).
    - Due later today: "Hạn hôm nay, còn N giờ" ("còn N phút" in the last hour).
    - Due soon (within `due_soon_until`, the box's rule): "Còn N ngày làm việc".
    - Paused (waiting for the applicant): the clock is stopped, so no overdue label.
    """
    if paused:
        return Urgency("paused", "Tạm dừng tính hạn")
    due, now_local = as_local(due_at), as_local(at)
    if due < now_local:
        if due.date() == now_local.date():
            return Urgency("overdue", f"Quá hạn {_ceil_hours(now_local - due)} giờ")
        days = max(1, cal.working_days_between(due.date(), now_local.date()))
        return Urgency("overdue", f"Quá hạn {days} ngày")
    if due.date() == now_local.date():
        left = due - now_local
        if left < timedelta(hours=1):
            return Urgency("today", f"Hạn hôm nay, còn {max(1, -(-int(left.total_seconds()) // 60))} phút")
        return Urgency("today", f"Hạn hôm nay, còn {_ceil_hours(left)} giờ")
    if due <= due_soon_until(cal, at):
        days = max(1, cal.working_days_between(now_local.date(), due.date()))
        return Urgency("soon", f"Còn {days} ngày làm việc")
    return Urgency("later", "")


def _ceil_hours(span: timedelta) -> int:
    return max(1, -(-int(span.total_seconds()) // 3600))
