"""Dossiers and everything scoped to one dossier (distributed by dossier id on Citus).

Every dossier-scoped table carries `dossier_id` first in its primary key and in every
unique constraint, so all rows of a dossier live on one shard. The dossier code is unique
through `dossier_codes` (distributed by `code`), whose `dossier_ref_id` deliberately is
not called `dossier_id`: it is a lookup, not a dossier-scoped row.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from motcua.core.clock import now
from motcua.core.db import REFERENCE, Base, IdMixin, distributed
from motcua.core.ids import new_id
from motcua.dossiers.enums import ALERT_EXCLUDED_FILTER, OPEN_STATUSES_FILTER
from motcua.dossiers.lookup_keys import new_lookup_key


def _not_in(values: tuple[str, ...]) -> str:
    return "status NOT IN (" + ", ".join(f"'{v}'" for v in values) + ")"


# Predicates of the partial indexes; the queries repeat them word for word (queries._open,
# service.alerts) so that PostgreSQL and SQLite can prove the index applies.
OPEN_PREDICATE = _not_in(OPEN_STATUSES_FILTER)
ALERT_PREDICATE = "overdue_alerted_at IS NULL AND " + _not_in(ALERT_EXCLUDED_FILTER)


def _partial(name: str, *columns: str, where: str) -> Index:
    return Index(name, *columns, postgresql_where=text(where), sqlite_where=text(where))


class Dossier(Base):
    __tablename__ = "dossiers"
    __table_args__ = (
        Index("ix_dossiers_agency_status", "agency_id", "status"),
        Index("ix_dossiers_receiving_unit_received_at", "receiving_unit_id", "received_at"),
        # Lists are read newest first, one index scan per visibility column (queries.visible_page).
        Index("ix_dossiers_agency_received_at", "agency_id", "received_at"),
        Index("ix_dossiers_return_unit_received_at", "return_unit_id", "received_at"),
        Index("ix_dossiers_received_at", "received_at"),
        # Statistics of a period read the dossiers finished since its start or still open
        # (reports.counting.Counting.candidates), not the whole history.
        Index("ix_dossiers_finished_at", "finished_at"),
        # Boxes and their counts only read open dossiers: the work in progress, not the history.
        _partial("ix_dossiers_open_agency", "agency_id", "received_at", where=OPEN_PREDICATE),
        _partial("ix_dossiers_open_receiving_unit", "receiving_unit_id", "received_at", where=OPEN_PREDICATE),
        _partial("ix_dossiers_open_return_unit", "return_unit_id", "received_at", where=OPEN_PREDICATE),
        _partial("ix_dossiers_open_received_at", "received_at", where=OPEN_PREDICATE),
        # Candidates of the overdue job (service.alerts).
        _partial("ix_dossiers_alert_due", "due_at", where=ALERT_PREDICATE),
        {"info": distributed("id")},
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    code: Mapped[str | None] = mapped_column(String(40), index=True)
    # The second factor of the public lookup, printed on every slip next to the code
    # (dossiers.lookup_keys): made when the row is made, whatever the channel.
    lookup_key: Mapped[str] = mapped_column(String(8), default=new_lookup_key)
    # Procedure (catalog) and the process template version the dossier started with.
    procedure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("procedures.id"))
    procedure_code: Mapped[str] = mapped_column(String(64))
    procedure_name: Mapped[str] = mapped_column(Text)
    template_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("process_templates.id"))
    template_version: Mapped[int | None]
    # Three separate facts (receipt regardless of administrative boundary, DOMAIN.md §3).
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))  # competent agency
    receiving_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    return_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    channel: Mapped[str] = mapped_column(String(16))  # enums.Channel
    status: Mapped[str] = mapped_column(String(32), index=True)  # enums.DossierStatus
    external_status: Mapped[int] = mapped_column(Integer)  # enums.ExternalStatus 1–10
    # Applicant.
    applicant_kind: Mapped[str] = mapped_column(String(16))
    applicant_name: Mapped[str] = mapped_column(String(255))
    applicant_name_folded: Mapped[str] = mapped_column(String(255), index=True)
    applicant_id_number: Mapped[str | None] = mapped_column(String(32), index=True)
    applicant_phone: Mapped[str | None] = mapped_column(String(32))
    applicant_email: Mapped[str | None] = mapped_column(String(255))
    applicant_address: Mapped[str | None] = mapped_column(Text)
    applicant_admin_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("administrative_units.id"))
    # Receipt.
    received_by_id: Mapped[uuid.UUID | None]
    received_at: Mapped[datetime]
    effective_receipt_at: Mapped[datetime | None]
    time_limit_days: Mapped[int | None]
    time_limit_hours: Mapped[int | None]
    # Where the limit comes from: the catalogue's basis, or what the officer entered with it
    # for a procedure the catalogue has no limit for (then `time_limit_entered`): the slip
    # prints an entered limit as entered, never as "theo quy định".
    time_limit_basis: Mapped[str | None] = mapped_column(Text)
    time_limit_entered: Mapped[bool] = mapped_column(default=False)
    # Legal appointment (ND 61/118: restarts after a supplement), its first value, and the
    # 766 progress view (supplement intervals subtracted, i.e. the due date moves later).
    due_at: Mapped[datetime | None]
    original_due_at: Mapped[datetime | None]
    progress_due_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    return_method: Mapped[str | None] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16))  # early / on_time / late (legal view)
    progress_outcome: Mapped[str | None] = mapped_column(String(16))  # 766 view
    reappointed: Mapped[bool] = mapped_column(default=False)
    reappointment_reason: Mapped[str | None] = mapped_column(Text)
    supplement_count: Mapped[int] = mapped_column(default=0)
    overdue_alerted_at: Mapped[datetime | None]
    # Where the dossier is in its process.
    current_step_position: Mapped[int | None]
    current_step_name: Mapped[str | None] = mapped_column(String(255))
    current_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id"))
    current_role: Mapped[str | None] = mapped_column(String(32))
    current_assignee_id: Mapped[uuid.UUID | None]
    # Fees (đồng) and receipt notes.
    fees_amount: Mapped[int] = mapped_column(default=0)
    fees_paid: Mapped[bool] = mapped_column(default=False)
    missing_items: Mapped[list[str] | None] = mapped_column(JSON)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    lock_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}


class DossierScoped:
    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)


class DossierComponent(DossierScoped, Base):
    """A component ticked at receipt against the procedure's list (original/copy, count)."""

    __tablename__ = "dossier_components"
    __table_args__ = {"info": distributed("dossier_id")}

    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # enums.ComponentKind
    count: Mapped[int] = mapped_column(default=1)
    spec_id: Mapped[uuid.UUID | None]  # catalog component spec, when known
    supplemented: Mapped[bool] = mapped_column(default=False)  # received with a supplement


class DossierAttachment(DossierScoped, Base):
    """A file (scan, result document, step attachment) stored by content hash."""

    __tablename__ = "dossier_attachments"
    __table_args__ = {"info": distributed("dossier_id")}

    purpose: Mapped[str] = mapped_column(String(16))  # scan / step / result
    component_id: Mapped[uuid.UUID | None]
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=now)


class StepExecution(DossierScoped, Base):
    """One pass of the dossier through a process step (or an inter-agency step)."""

    __tablename__ = "dossier_steps"
    __table_args__ = (
        # The consulted agencies of inter-agency steps (the fourth branch of visibility).
        _partial("ix_dossier_steps_consulted", "unit_id", "dossier_id", where="parallel_group IS NOT NULL"),
        # The same steps by start, so a list page reads only those of its own period.
        _partial("ix_dossier_steps_consulted_started", "unit_id", "started_at", where="parallel_group IS NOT NULL"),
        {"info": distributed("dossier_id")},
    )

    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    parallel_group: Mapped[str | None] = mapped_column(String(32))
    assignee_id: Mapped[uuid.UUID | None]
    allotment_hours: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    state: Mapped[str] = mapped_column(String(16))  # enums.StepState
    started_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(16))
    finished_by_id: Mapped[uuid.UUID | None]
    note: Mapped[str | None] = mapped_column(Text)


class DossierPause(DossierScoped, Base):
    """A supplement or payment request: the clock stops from `started_at` to `ended_at`."""

    __tablename__ = "dossier_pauses"
    __table_args__ = {"info": distributed("dossier_id")}

    kind: Mapped[str] = mapped_column(String(16))  # enums.PauseKind
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)
    missing_items: Mapped[list[str] | None] = mapped_column(JSON)
    amount: Mapped[int | None]  # đồng, for payment requests
    resume_status: Mapped[str] = mapped_column(String(32))
    requested_by_id: Mapped[uuid.UUID | None]
    ended_by_id: Mapped[uuid.UUID | None]


class DossierResult(DossierScoped, Base):
    """The result (or the refusal after appraisal): number, date, document."""

    __tablename__ = "dossier_results"
    __table_args__ = {"info": distributed("dossier_id")}

    kind: Mapped[str] = mapped_column(String(16))  # result / refusal
    number: Mapped[str | None] = mapped_column(String(64))
    issued_at: Mapped[datetime]
    summary: Mapped[str | None] = mapped_column(Text)
    attachment_id: Mapped[uuid.UUID | None]
    issued_by_id: Mapped[uuid.UUID | None]


class DossierEvent(DossierScoped, Base):
    """Append-only, hash-chained audit row: one per transition (see dossiers.audit)."""

    __tablename__ = "dossier_events"
    __table_args__ = (
        UniqueConstraint("dossier_id", "seq"),
        Index("ix_dossier_events_at", "at"),  # incremental `audit verify`: what was written since
        {"info": distributed("dossier_id")},
    )

    seq: Mapped[int]
    at: Mapped[datetime]
    actor_id: Mapped[uuid.UUID | None]
    actor_name: Mapped[str | None] = mapped_column(String(255))
    actor_role: Mapped[str | None] = mapped_column(String(32))
    actor_unit_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    from_step: Mapped[str | None] = mapped_column(String(255))
    to_step: Mapped[str | None] = mapped_column(String(255))
    from_unit_id: Mapped[uuid.UUID | None]
    to_unit_id: Mapped[uuid.UUID | None]
    outcome: Mapped[str | None] = mapped_column(String(16))  # of the step handed over
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Notification(DossierScoped, Base):
    """An alert for a person (overdue alerts …), kept with the dossier. Its e-mail is a
    message of the notify outbox (key "notification:<id>"), written in the same unit of
    work; `sent_at` is when it was handed to the outbox (docs/notify.md)."""

    __tablename__ = "dossier_notifications"
    __table_args__ = (
        _partial("ix_dossier_notifications_unsent", "created_at", where="sent_at IS NULL"),
        {"info": distributed("dossier_id")},
    )

    recipient_id: Mapped[uuid.UUID | None]
    recipient_unit_id: Mapped[uuid.UUID | None]
    kind: Mapped[str] = mapped_column(String(32))  # overdue_alert …
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]


class DossierCode(Base):
    """Unique dossier codes (lookup by code); distributed by code."""

    __tablename__ = "dossier_codes"
    __table_args__ = {"info": distributed("code")}

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    dossier_ref_id: Mapped[uuid.UUID]
    created_at: Mapped[datetime] = mapped_column(default=now)


class DossierCodeCounter(Base):
    """Last daily sequence per code scope (`<receiving unit code>-<YYMMDD>`)."""

    __tablename__ = "dossier_code_counters"
    __table_args__ = {"info": distributed("scope")}

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, autoincrement=False)


class IdempotencyRecord(Base):
    """A creating request's key (scoped by user) and the resource it created."""

    __tablename__ = "idempotency_keys"
    __table_args__ = {"info": distributed("key")}

    key: Mapped[str] = mapped_column(String(300), primary_key=True)  # "<user id>:<Idempotency-Key>"
    request_hash: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str] = mapped_column(String(32))
    resource_id: Mapped[uuid.UUID]
    created_at: Mapped[datetime] = mapped_column(default=now)


class AuditCheckpoint(IdMixin, Base):
    """One run of `motcua audit verify`. The next incremental run checks the dossiers with audit
    rows written since the last run's `started_at` (see dossiers.audit.verify_incremental)."""

    __tablename__ = "audit_checkpoints"
    __table_args__ = (Index("ix_audit_checkpoints_started_at", "started_at"), {"info": REFERENCE})

    mode: Mapped[str] = mapped_column(String(16))  # full / incremental
    started_at: Mapped[datetime]  # rows written from here on are checked by the next run
    since: Mapped[datetime | None]  # incremental: rows written from this instant were checked
    finished_at: Mapped[datetime]
    checked: Mapped[int]
    problems: Mapped[int]
