"""The procedure catalogue (reference data, replicated to every Citus node).

Table and column names are a contract for the calendar and dossier domains:
`procedures.code`, `time_limit_days/hours`, `online_time_limit_days/hours`, `receipt_cutoff`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from motcua.core.clock import now
from motcua.core.db import REFERENCE, Base, IdMixin
from motcua.org.models import Agency


class Field(IdMixin, Base):
    """Lĩnh vực: the subject area a procedure belongs to (canonical list: data/fields.json)."""

    __tablename__ = "fields"
    __table_args__ = {"info": REFERENCE}

    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    name_folded: Mapped[str] = mapped_column(String(255), index=True)
    # MALINHVUC of the national procedure database ("G15-TP07"); None for a local sector.
    national_code: Mapped[str | None] = mapped_column(String(20))

    def __repr__(self) -> str:
        return f"<Field {self.code}>"


class FieldAlias(IdMixin, Base):
    """Another spelling of a field (a seed's typo, a parallel name), and the slug that
    spelling had as a field code: both still find the canonical field."""

    __tablename__ = "field_aliases"
    __table_args__ = {"info": REFERENCE}

    field_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("fields.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    name_folded: Mapped[str] = mapped_column(String(255), unique=True)
    code: Mapped[str] = mapped_column(String(80), index=True)


class Procedure(IdMixin, Base):
    """Thủ tục hành chính. `code` is the national/local code, or a provisional `LSN-TT-<row>`."""

    __tablename__ = "procedures"
    __table_args__ = {"info": REFERENCE}

    code: Mapped[str] = mapped_column(String(64), unique=True)
    code_provisional: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(Text)
    # Folded words joined by single spaces ("dang ky khai sinh"): the search column.
    name_folded: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(16), index=True)  # ProcedureLevel
    field_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("fields.id"), index=True)
    # Working days; 0 = "trong ngày". Hours when the limit is given in working hours.
    time_limit_days: Mapped[int | None] = mapped_column(Integer)
    time_limit_hours: Mapped[int | None] = mapped_column(Integer)
    # Only when the online channel has its own limit; otherwise the counter limit applies.
    online_time_limit_days: Mapped[int | None] = mapped_column(Integer)
    online_time_limit_hours: Mapped[int | None] = mapped_column(Integer)
    time_limit_note: Mapped[str | None] = mapped_column(Text)
    # Where each limit comes from (the legal text or the national database entry): a limit
    # without its basis is never loaded (catalog.legal); pages and slips print the basis.
    time_limit_basis: Mapped[str | None] = mapped_column(Text)
    online_time_limit_basis: Mapped[str | None] = mapped_column(Text)
    # The legal text the component list comes from (None = the list is not sourced).
    components_basis: Mapped[str | None] = mapped_column(Text)
    # Pages the legal content was read from: [{"url": ..., "title": ...}], newest load wins.
    content_sources: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # Dossiers received after this time count from the next working day (None = 15:00).
    receipt_cutoff: Mapped[time | None] = mapped_column(Time)
    result_description: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    online_level: Mapped[str] = mapped_column(String(16), default="none")  # OnlineLevel
    cross_boundary: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(
        String(16), default="in_force", index=True
    )  # ProcedureStatus
    simplification_resolution: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[str | None] = mapped_column(String(255))
    # The day an abolition took effect (the procedure is kept: dossiers still refer to it).
    abolished_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    field: Mapped[Field | None] = relationship(lazy="raise")
    agency_links: Mapped[list[ProcedureAgency]] = relationship(
        back_populates="procedure", lazy="raise", cascade="all, delete-orphan"
    )
    components: Mapped[list[DossierComponentSpec]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="DossierComponentSpec.position"
    )
    fees: Mapped[list[Fee]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="Fee.position"
    )
    versions: Mapped[list[ProcedureVersion]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ProcedureVersion.number"
    )

    def __repr__(self) -> str:
        return f"<Procedure {self.code}>"


class ProcedureAgency(IdMixin, Base):
    """An application of a procedure: an agency implements (receives and decides) it at a
    level, from `valid_from` to `valid_to` (inclusive; None = open), on a stated basis.

    One row per implementing agency, also for procedures every commune People's Committee
    implements (65 rows in Lạng Sơn): receipt, the agency filter, permission scopes and the
    process templates all stay one join on `agency_id`, with no "every commune" row that each
    of them would have to expand; a reorganisation of communes is recorded like any other
    (rows ended, rows started). History stays: an ended application keeps its row, so old
    dossiers keep their agency. Queries "current at a date": `catalog.applications`.
    """

    __tablename__ = "procedure_agencies"
    __table_args__ = (
        UniqueConstraint("procedure_id", "agency_id", "valid_from"),
        {"info": REFERENCE},
    )

    procedure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("procedures.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    level: Mapped[str] = mapped_column(String(16), index=True)  # ProcedureLevel
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    # What created it: the publishing decision, or the reorganisation rule and its legal text.
    source: Mapped[str | None] = mapped_column(String(255))
    # Row numbers of the seed table this application came from ("12, 1405"), if any.
    source_rows: Mapped[str | None] = mapped_column(String(255))

    procedure: Mapped[Procedure] = relationship(back_populates="agency_links", lazy="raise")
    agency: Mapped[Agency] = relationship(lazy="raise")


class DossierComponentSpec(IdMixin, Base):
    """Thành phần hồ sơ: one document the applicant submits (originals and copies counted)."""

    __tablename__ = "procedure_components"
    __table_args__ = {"info": REFERENCE}

    procedure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("procedures.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    form_template: Mapped[str | None] = mapped_column(String(255))
    original_count: Mapped[int] = mapped_column(Integer, default=0)
    copy_count: Mapped[int] = mapped_column(Integer, default=0)
    required: Mapped[bool] = mapped_column(default=True)
    # "Trường hợp …": when the document is needed (None = always, for a required one).
    condition: Mapped[str | None] = mapped_column(Text)


class Fee(IdMixin, Base):
    """Phí, lệ phí: amount in đồng (None when it depends on the case; see note)."""

    __tablename__ = "procedure_fees"
    __table_args__ = {"info": REFERENCE}

    procedure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("procedures.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(255))
    amount: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)
    # The legal text that sets this fee (a law, a Circular, a provincial council resolution).
    basis: Mapped[str | None] = mapped_column(Text)


class ProcedureVersion(IdMixin, Base):
    """A published state of a procedure: the decision that published it and a full snapshot."""

    __tablename__ = "procedure_versions"
    __table_args__ = (UniqueConstraint("procedure_id", "number"), {"info": REFERENCE})

    procedure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("procedures.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    decision_number: Mapped[str | None] = mapped_column(String(100))
    decision_date: Mapped[date | None] = mapped_column(Date)
    effective_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(100))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=now)
    # The publication decision this version applies (None: an edit or a plain import).
    decision_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("catalog_decisions.id"), index=True
    )


class CatalogDecision(IdMixin, Base):
    """A decision publishing added, amended and abolished procedures (Quyết định công bố).

    `entries` holds the validated changes as read from the decision's file (see
    catalog/changes.py): they are applied on the effective date, re-checked against the
    catalogue as it is then, all or nothing.
    """

    __tablename__ = "catalog_decisions"
    __table_args__ = (UniqueConstraint("number", "signed_on"), {"info": REFERENCE})

    number: Mapped[str] = mapped_column(String(100))
    signed_on: Mapped[date] = mapped_column(Date)
    effective_on: Mapped[date] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(255))
    source_file: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), index=True)  # DecisionStatus
    entries: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Counts by change kind as previewed/applied: {"added": 3, "amended": 2, "abolished": 1}.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    errors: Mapped[list[str] | None] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=now)
    applied_at: Mapped[datetime | None] = mapped_column()


class NationalCode(IdMixin, Base):
    """The national procedure code (MaTTHC) a local procedure corresponds to, confirmed by an
    administrator (shared/reference/dvcqg.md §11). Proposed by name similarity, never set
    without a person's confirmation: a dossier synced under a wrong code is scored against
    another procedure. Several local procedures may share one national code (the same
    national procedure published for two levels)."""

    __tablename__ = "procedure_national_codes"
    __table_args__ = {"info": REFERENCE}

    procedure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("procedures.id", ondelete="CASCADE"), unique=True
    )
    national_code: Mapped[str] = mapped_column(String(32), index=True)
    # TENTTHC as the national database wrote it when the mapping was confirmed.
    national_name: Mapped[str] = mapped_column(Text)
    confirmed_by: Mapped[str] = mapped_column(String(100))
    confirmed_at: Mapped[datetime] = mapped_column(default=now)

    procedure: Mapped[Procedure] = relationship(lazy="raise")
