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
    """Lĩnh vực: the subject area a procedure belongs to."""

    __tablename__ = "fields"
    __table_args__ = {"info": REFERENCE}

    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    name_folded: Mapped[str] = mapped_column(String(255), index=True)

    def __repr__(self) -> str:
        return f"<Field {self.code}>"


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
