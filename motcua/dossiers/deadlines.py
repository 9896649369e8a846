"""Pure: when a dossier is "due soon" (DOMAIN.md §2.5; ND 61/2018, ND 118/2025).

One rule for the inbox's "Sắp đến hạn" box, its count, the API's `box=due_soon` and the
overdue alert job: a running dossier is due soon from the moment its overdue alert falls
due, i.e. ALERT_WORKING_DAYS working days before its due time, until that due time. So
whoever is alerted finds the dossier in the box, and the box never shows a dossier the
alert has not reached yet.
"""

from __future__ import annotations

from datetime import datetime, time

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
