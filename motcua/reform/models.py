"""Tables of the reform domain."""

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
    # Points computed from the satisfaction surveys of the year, not typed (scoring.survey_points).
    from_survey: Mapped[bool] = mapped_column(Boolean, default=False)
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

# ===================================================================================
# End of the i15score block.
# ===================================================================================
