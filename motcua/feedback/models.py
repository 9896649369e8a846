"""Feedback items (PAKN), their history and the time limit of each stage.

Citus placement: `feedback_stages` is a small reference table. `feedback_items` is distributed
by its tracking code, its primary key (the code must be unique, and a distributed table's
unique keys must hold its distribution column); `feedback_events` is co-located with it by
`feedback_code`. An item names its dossier by code and id without a foreign key: dossiers are
distributed by their own id, in another co-location group.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from motcua.core.clock import now
from motcua.core.db import REFERENCE, Base, distributed
from motcua.core.ids import new_id


class FeedbackStage(Base):
    """A stage's time limit in working days, with the rule it comes from. `working_days` NULL:
    no figure with a source was found (docs/feedback.md); that stage then has no deadline
    until an administrator records one (`motcua feedback set-stage`) with its basis."""

    __tablename__ = "feedback_stages"
    __table_args__ = {"info": REFERENCE}

    key: Mapped[str] = mapped_column(String(32), primary_key=True)  # enums.Stage
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    working_days: Mapped[int | None] = mapped_column(Integer)
    # Counted from: "received" (the item's receipt) or "answered" (the answer).
    counted_from: Mapped[str] = mapped_column(String(16))
    basis: Mapped[str] = mapped_column(Text)  # the decree and article, or why there is none
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class FeedbackItem(Base):
    __tablename__ = "feedback_items"
    __table_args__ = (
        Index("ix_feedback_items_agency_status", "agency_id", "status"),
        Index("ix_feedback_items_status_received_at", "status", "received_at"),
        {"info": distributed("code")},
    )

    code: Mapped[str] = mapped_column(String(32), primary_key=True)  # tracking code, PAKN-YYMMDD-XXXXXX
    subject: Mapped[str] = mapped_column(String(16))  # enums.Subject
    procedure_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("procedures.id"))
    dossier_code: Mapped[str | None] = mapped_column(String(60))
    dossier_ref: Mapped[uuid.UUID | None]  # the dossier's id; no foreign key: dossiers live in another co-location group
    officer: Mapped[str | None] = mapped_column(String(200))  # name/position as the sender knows it
    # The agency responsible now (routed; re-routed by the PAKN unit).
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    search_folded: Mapped[str] = mapped_column(Text, default="")  # title, content and answer, folded
    # The sender's personal data: never shown publicly.
    sender_name: Mapped[str] = mapped_column(String(200))
    sender_phone: Mapped[str | None] = mapped_column(String(20))
    sender_email: Mapped[str | None] = mapped_column(String(254))
    citizen_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("citizens.id"))
    vote_key_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the key given at submission
    attachment_name: Mapped[str | None] = mapped_column(String(255))
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    attachment_size: Mapped[int | None] = mapped_column(Integer)
    attachment_sha256: Mapped[str | None] = mapped_column(String(64))

    status: Mapped[str] = mapped_column(String(16))  # enums.Status
    classification: Mapped[str | None] = mapped_column(String(16))  # enums.Classification
    received_at: Mapped[datetime] = mapped_column(default=now)
    # Deadlines of the stages, computed by the calendar from feedback_stages (NULL: no limit known).
    classify_due_at: Mapped[datetime | None]
    answer_due_at: Mapped[datetime | None]
    publish_due_at: Mapped[datetime | None]
    classified_at: Mapped[datetime | None]
    rejected_reason: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None]
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    voted_at: Mapped[datetime | None]
    # The stage whose overdue alert was sent (one alert per stage).
    alerted_stage: Mapped[str | None] = mapped_column(String(16))


class FeedbackEvent(Base):
    """What happened to an item: submitted, routed, accepted, rejected, answered, published,
    voted, overdue alert — who, when, from which agency to which."""

    __tablename__ = "feedback_events"
    __table_args__ = {"info": distributed("feedback_code")}

    feedback_code: Mapped[str] = mapped_column(ForeignKey("feedback_items.code"), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(default=now)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    from_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id"))
    to_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id"))
    note: Mapped[str | None] = mapped_column(Text)
