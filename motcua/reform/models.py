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


# ===================================================================================
# Reform index (PAR INDEX) scoring and satisfaction surveys — branch i15score.
# Everything below belongs to reform/scoring.py and reform/surveys.py.
#
# Citus placement: all REFERENCE. A province scores a few hundred units on a sheet of
# about a hundred items a year, and a SIPAS-style survey collects a sample (hundreds to a
# few thousand answers per year): small tables, read together with agencies and fields.
# ===================================================================================

POINTS = Numeric(6, 2)  # points with two decimals (0.25 steps exist in provincial sheets)


class ScoreSheet(Base):
    """A yearly scoring sheet of the reform index (fields → criteria → sub-criteria)."""

    __tablename__ = "reform_score_sheets"
    __table_args__ = (UniqueConstraint("year", "name"), {"info": REFERENCE})

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    basis: Mapped[str] = mapped_column(Text)  # the decision it follows, or what is missing
    status: Mapped[str] = mapped_column(String(16), default="draft")  # scoring.SheetStatus
    # The council attaches a file (minutes, letter) to every appraised score (score_evidence).
    appraisal_evidence: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)


class ScoreItem(Base):
    """A field (level 1), criterion (2) or sub-criterion (3) of a sheet. Units are scored on the
    items that have no children; a parent's maximum is the sum of its children's when they
    have points, or its own (`max_points`, possibly NULL: not sourced yet)."""

    __tablename__ = "reform_score_items"
    __table_args__ = (UniqueConstraint("sheet_id", "code"), {"info": REFERENCE})

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    sheet_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_score_sheets.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reform_score_items.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))  # "1", "1.2", "1.2.3"
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    max_points: Mapped[Decimal | None] = mapped_column(POINTS)
    evidence_required: Mapped[bool] = mapped_column(Boolean, default=False)
    # Points computed from the satisfaction surveys of the year, not typed (scoring.computed_points).
    from_survey: Mapped[bool] = mapped_column(Boolean, default=False)
    # Points computed from what the system measures (indicators.Source: on-time share, online
    # share, 766 score) for the unit over the sheet's year, not typed (scoring.computed_points).
    source: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)


class UnitScore(Base):
    """A unit's self-assessed points on one item, with evidence, and the appraisal council's points."""

    __tablename__ = "reform_unit_scores"
    __table_args__ = (UniqueConstraint("item_id", "agency_id"),
                      Index("ix_reform_unit_scores_sheet_agency", "sheet_id", "agency_id"),
                      {"info": REFERENCE})

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    sheet_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_score_sheets.id", ondelete="CASCADE"))
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_score_items.id", ondelete="CASCADE"))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    self_points: Mapped[Decimal | None] = mapped_column(POINTS)
    evidence: Mapped[str | None] = mapped_column(Text)  # document numbers, links
    self_note: Mapped[str | None] = mapped_column(Text)
    self_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    self_at: Mapped[datetime | None]
    appraised_points: Mapped[Decimal | None] = mapped_column(POINTS)
    appraisal_note: Mapped[str | None] = mapped_column(Text)
    appraised_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    appraised_at: Mapped[datetime | None]


class SurveyForm(Base):
    """A satisfaction survey form (SIPAS-style): questions on the five service elements, a
    scale, a public slug (/khao-sat/{slug}) and the period it is open."""

    __tablename__ = "reform_survey_forms"
    __table_args__ = {"info": REFERENCE}

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    year: Mapped[int] = mapped_column(Integer)
    intro: Mapped[str | None] = mapped_column(Text)
    scale_max: Mapped[int] = mapped_column(Integer, default=5)  # answers 1..scale_max
    satisfied_from: Mapped[int] = mapped_column(Integer, default=4)  # an answer ≥ this counts as satisfied
    target_percent: Mapped[int] = mapped_column(Integer, default=90)
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)


class SurveyQuestion(Base):
    __tablename__ = "reform_survey_questions"
    __table_args__ = (UniqueConstraint("form_id", "position"), {"info": REFERENCE})

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    form_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_survey_forms.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    element: Mapped[str] = mapped_column(String(16))  # surveys.Element
    text: Mapped[str] = mapped_column(Text)


class SurveyResponse(Base):
    """One person's answers, about one unit (and the field of their procedure, when known)."""

    __tablename__ = "reform_survey_responses"
    __table_args__ = (Index("ix_reform_survey_responses_form_agency", "form_id", "agency_id"), {"info": REFERENCE})

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    form_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_survey_forms.id", ondelete="CASCADE"))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    field_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("fields.id"))
    channel: Mapped[str] = mapped_column(String(8))  # surveys.Channel: online / paper
    entered_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=now)


class SurveyAnswer(Base):
    __tablename__ = "reform_survey_answers"
    __table_args__ = {"info": REFERENCE}

    response_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_survey_responses.id", ondelete="CASCADE"),
                                                   primary_key=True)
    question_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_survey_questions.id", ondelete="CASCADE"),
                                                   primary_key=True)
    value: Mapped[int] = mapped_column(Integer)

class ScoreEvidence(Base):
    """An evidence file on a unit's score of one item, stored by content hash (dossiers.storage):
    the unit's own (`stage` self) or the council's on its appraisal (`stage` appraisal). Tied to
    the item and the unit, not to the score row, so a file may come before the points and stays
    when they change; never edited or removed (what was submitted stays what the council saw)."""

    __tablename__ = "reform_score_evidence"
    __table_args__ = (Index("ix_reform_score_evidence_sheet_agency", "sheet_id", "agency_id"), {"info": REFERENCE})

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    sheet_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_score_sheets.id", ondelete="CASCADE"))
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_score_items.id", ondelete="CASCADE"))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    stage: Mapped[str] = mapped_column(String(16))  # score_files.Stage: self / appraisal
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    uploaded_by_name: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(default=now)


class ScoreSubmission(Base):
    """A unit's self-assessment sent to the council for appraisal: from then on its own points and
    files on the sheet are frozen (score_evidence.submit)."""

    __tablename__ = "reform_score_submissions"
    __table_args__ = {"info": REFERENCE}

    sheet_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reform_score_sheets.id", ondelete="CASCADE"),
                                                primary_key=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    submitted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    submitted_by_name: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[datetime] = mapped_column(default=now)

# ===================================================================================
# End of the i15score block.
# ===================================================================================
