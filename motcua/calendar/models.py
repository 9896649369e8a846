"""Calendar tables (Citus reference tables, replicated to every node).

`calendar_days` lists only the days that differ from the normal week: public holidays and
days off (weekdays given off), and make-up working days (a Saturday or Sunday worked).
`office_hours` holds the working periods of the province (agency_id NULL) or of an agency.
`calendar_changes` is the append-only log of who changed which day and how.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from motcua.core.clock import now
from motcua.core.db import REFERENCE, Base, IdMixin


class CalendarDay(IdMixin, Base):
    """A day that differs from the normal week (see motcua.calendar.sources.KINDS)."""

    __tablename__ = "calendar_days"
    __table_args__ = {"info": REFERENCE}

    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # holiday | day_off | makeup_workday
    name: Mapped[str] = mapped_column(String(255))
    # The decision or data set the day comes from, e.g. "Công văn 12729/VPCP-KGVX ngày 25/12/2025".
    source: Mapped[str] = mapped_column(String(500))
    # Only confirmed days change deadlines (e.g. 24/11 Vietnam Culture Day awaits confirmation).
    confirmed: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    def __repr__(self) -> str:
        return f"<CalendarDay {self.day} {self.kind}>"


class OfficeHours(IdMixin, Base):
    """Working periods, e.g. [["07:30", "11:30"], ["13:00", "17:00"]]; agency_id NULL = province."""

    __tablename__ = "office_hours"
    __table_args__ = {"info": REFERENCE}

    agency_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), unique=True
    )
    periods: Mapped[list] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class CalendarChange(IdMixin, Base):
    """Append-only log of calendar edits: who, when, which day, before and after."""

    __tablename__ = "calendar_changes"
    __table_args__ = {"info": REFERENCE}

    at: Mapped[datetime] = mapped_column(default=now, index=True)
    actor: Mapped[str] = mapped_column(String(150))  # username, "cli" or "seed"
    action: Mapped[str] = mapped_column(
        String(20)
    )  # add | update | confirm | remove | office_hours
    day: Mapped[date | None] = mapped_column(Date, index=True)
    summary: Mapped[str] = mapped_column(Text)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
