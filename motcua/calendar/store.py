"""The working calendar read from the database, cached per unit of work.

Other domains call `load_calendar(session, agency=None)` and then `motcua.calendar.deadlines`
or the pure functions of `motcua.calendar.engine`.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.calendar.engine import DEFAULT_OFFICE_HOURS, WorkingCalendar
from motcua.calendar.models import CalendarDay, OfficeHours
from motcua.calendar.parsing import parse_time
from motcua.calendar.sources import MAKEUP_WORKDAY
from motcua.core.errors import NotFound
from motcua.core.text import nfc
from motcua.org.models import Agency
from motcua.org.service import get_agency_by_code

_CACHE_KEY = "motcua.calendar.cache"


def load_calendar(session: Session, agency: Agency | None = None) -> WorkingCalendar:
    """The working calendar (confirmed days only) with the office hours of `agency`.

    Cached for the current transaction of `session` (one request, one unit of work): a new
    transaction, or any change made through `motcua.calendar.admin`, reads the tables again.
    """
    key = agency.id if agency is not None else None
    holder = session.info.get(_CACHE_KEY)
    transaction = session.get_transaction()
    if (
        holder is not None
        and transaction is not None
        and holder[0] is transaction
        and key in holder[1]
    ):
        return holder[1][key]
    days_off: dict[date, str] = {}
    makeup: dict[date, str] = {}
    rows = session.execute(
        select(CalendarDay.day, CalendarDay.kind, CalendarDay.name).where(
            CalendarDay.confirmed.is_(True)
        )
    )
    for day, kind, name in rows:
        (makeup if kind == MAKEUP_WORKDAY else days_off)[day] = name
    calendar = WorkingCalendar(days_off, makeup, office_hours_for(session, agency))
    transaction = session.get_transaction()
    if holder is None or holder[0] is not transaction:
        holder = (transaction, {})
        session.info[_CACHE_KEY] = holder
    holder[1][key] = calendar
    return calendar


def invalidate(session: Session) -> None:
    """Forget the cached calendars of `session` after a change to days or office hours."""
    session.info.pop(_CACHE_KEY, None)


def office_hours_for(
    session: Session, agency: Agency | None = None
) -> tuple[tuple[time, time], ...]:
    """The agency's own office hours, else the province's, else 07:30–11:30, 13:00–17:00."""
    rows = {
        row.agency_id: row
        for row in session.scalars(
            select(OfficeHours).where(
                OfficeHours.agency_id.is_(None)
                if agency is None
                else (OfficeHours.agency_id.is_(None) | (OfficeHours.agency_id == agency.id))
            )
        )
    }
    row = rows.get(agency.id if agency is not None else None) or rows.get(None)
    if row is None:
        return DEFAULT_OFFICE_HOURS
    return tuple((parse_time(s), parse_time(e)) for s, e in row.periods)


def find_agency(session: Session, code: str | None) -> Agency | None:
    """The agency with this code; None for an empty code; NotFound for an unknown one."""
    code = (nfc(code) or "").strip()
    if not code:
        return None
    if len(code) > 40 or any(ord(ch) < 32 for ch in code):
        raise NotFound(f"Không tìm thấy cơ quan có mã “{code[:40]}”.", code="agency_not_found")
    return get_agency_by_code(session, code)
