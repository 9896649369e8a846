"""Seed the working-day calendar (holidays package + official announcements).

Idempotent: a day already in the table is left exactly as it is (an administrator may have
edited, confirmed or re-sourced it); only missing days are added, plus the province's
default office hours when there are none. A day an administrator removed is not re-added
(the change log remembers the removal).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.calendar.engine import DEFAULT_OFFICE_HOURS
from motcua.calendar.models import CalendarChange, CalendarDay, OfficeHours
from motcua.calendar.sources import seed_days


def seed_calendar(session: Session) -> None:
    """Load 2015–2030 from the `holidays` package plus known corrections (see sources.py)."""
    existing = set(session.scalars(select(CalendarDay.day)))
    removed = set(
        session.scalars(select(CalendarChange.day).where(CalendarChange.action == "remove"))
    )
    for item in seed_days():
        if item.day in existing or item.day in removed:
            continue
        session.add(
            CalendarDay(
                day=item.day,
                kind=item.kind,
                name=item.name,
                source=item.source,
                confirmed=item.confirmed,
            )
        )
    has_default = session.scalar(
        select(OfficeHours.id).where(OfficeHours.agency_id.is_(None)).limit(1)
    )
    if has_default is None:
        session.add(
            OfficeHours(
                agency_id=None,
                periods=[
                    [s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in DEFAULT_OFFICE_HOURS
                ],
            )
        )
    session.flush()


def seed_reference(session: Session) -> None:
    """The working-day calendar and office hours (registry convention: motcua.domains)."""
    seed_calendar(session)
