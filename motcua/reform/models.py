"""Tables of the reform domain (administrative reform, CCHC; DOMAIN.md §8).

Top part (branch i15plans): yearly plans, their tasks, the units of each task, progress
entries with evidence files and the reminders sent. The reform index and the surveys
(branch i15score) append their tables at the END of this module.

Citus placement: all REFERENCE. A province's plan has about a hundred tasks a year and
each task a few progress entries a quarter: small tables, read together with agencies,
procedures and users (reference tables themselves).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from motcua.core.clock import now
from motcua.core.db import REFERENCE, Base
from motcua.core.ids import new_id


class ReformPlan(Base):
    """A province's yearly reform plan, issued by a decision. The plan of one unit is derived
    from it (plans.unit_plan: the tasks the unit leads or co-operates on), never stored."""

    __tablename__ = "reform_plans"
    __table_args__ = (UniqueConstraint("year", "province", "decision"), {"info": REFERENCE})

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    year: Mapped[int] = mapped_column(Integer)
    province: Mapped[str] = mapped_column(String(100))  # "Quảng Ninh" (as the decision names it)
    decision: Mapped[str] = mapped_column(String(255))  # number and date as read; "…" marks what is unreadable
    decision_date: Mapped[date | None] = mapped_column(Date)  # NULL when the date could not be read
    title: Mapped[str] = mapped_column(Text)
    signer: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(Text)  # where the rows come from (seed file, XLSX name)
    # What of the source could not be read (an OCR'd scan): said, never guessed.
    unreadable: Mapped[str | None] = mapped_column(Text)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)


class ReformTask(Base):
    """One task of a plan's appendix: content group, lead and co-operating units (as written,
    and linked to agencies of this installation when they are known), product, deadline."""

    __tablename__ = "reform_tasks"
    __table_args__ = (
        UniqueConstraint("plan_id", "position"),
        Index("ix_reform_tasks_plan_group", "plan_id", "content_group"),
        Index("ix_reform_tasks_status_deadline", "status", "deadline"),
        {"info": REFERENCE},
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_plans.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # order in the plan (1, 2, …)
    content_group: Mapped[str] = mapped_column(String(32))  # plans.ContentGroup
    number: Mapped[str | None] = mapped_column(String(16))  # the STT in the appendix's group
    title: Mapped[str] = mapped_column(Text)
    lead_unit: Mapped[str] = mapped_column(String(255))  # as written in the plan
    lead_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id"))
    cooperating_units: Mapped[str | None] = mapped_column(Text)  # as written
    product: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column(Date)  # NULL: recurring or "when …" (deadline_text says)
    deadline_text: Mapped[str | None] = mapped_column(String(255))  # as written ("Quý II/2021", "Thường xuyên")
    status: Mapped[str] = mapped_column(String(16), default="not_started")  # plans.TaskStatus
    percent: Mapped[int] = mapped_column(Integer, default=0)  # the lead unit's last reported progress
    completed_on: Mapped[date | None] = mapped_column(Date)
    # Links: a task about a procedure points at the catalogue; a task measured by the system
    # has an indicator (plans.Indicator) filled in from the statistics, never typed.
    procedure_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("procedures.id"))
    indicator: Mapped[str | None] = mapped_column(String(32))
    target_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    note: Mapped[str | None] = mapped_column(Text)  # e.g. which cell of the scan was unreadable
    updated_at: Mapped[datetime] = mapped_column(default=now)


class ReformTaskUnit(Base):
    """An agency of this installation taking part in a task (lead or co-operating): what the
    role checks and the per-unit plans read."""

    __tablename__ = "reform_task_units"
    __table_args__ = (Index("ix_reform_task_units_agency", "agency_id"), {"info": REFERENCE})

    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_tasks.id", ondelete="CASCADE"), primary_key=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # plans.UnitRole


class ReformProgress(Base):
    """A progress entry: the lead unit's report (status and percent) or a co-operating unit's
    part (text and evidence only). Entries are never edited: a correction is a new entry."""

    __tablename__ = "reform_progress"
    __table_args__ = (Index("ix_reform_progress_task_reported", "task_id", "reported_on"), {"info": REFERENCE})

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_tasks.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))  # plans.UnitRole
    agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id"))
    unit_name: Mapped[str] = mapped_column(String(255))
    reported_on: Mapped[date] = mapped_column(Date)  # the day the progress is reported for
    status: Mapped[str | None] = mapped_column(String(16))  # lead only: plans.TaskStatus
    percent: Mapped[int | None] = mapped_column(Integer)  # lead only: 0–100
    content: Mapped[str] = mapped_column(Text)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=now)


class ReformEvidence(Base):
    """An evidence file of a progress entry, stored by content hash (dossiers.storage)."""

    __tablename__ = "reform_evidence"
    __table_args__ = {"info": REFERENCE}

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    progress_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_progress.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))


class ReformReminder(Base):
    """A reminder sent for a task (before its deadline, or when it became overdue): one per
    task and kind, so the job never repeats itself."""

    __tablename__ = "reform_reminders"
    __table_args__ = {"info": REFERENCE}

    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_tasks.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # plans.ReminderKind
    sent_at: Mapped[datetime] = mapped_column(default=now)
    recipients: Mapped[int] = mapped_column(Integer, default=0)


# ===================================================================================
# (branch i15score appends the reform index and survey tables below this line)
# ===================================================================================
