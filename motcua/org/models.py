"""Administrative units and agencies (reference data, replicated to every Citus node).

Units and agencies are never deleted: a unit abolished by the 2025 reorganisation keeps its
row with `valid_to`, a dissolved or merged agency keeps its row with `dissolved_on` and
`successor_id`, so anything attached to it stays findable.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from motcua.core.db import REFERENCE, Base, IdMixin
from motcua.org.enums import AgencyKind, AgencyLevel, UnitKind  # noqa: F401  (re-exported)


class AdministrativeUnit(IdMixin, Base):
    """A province, district or commune/ward (GSO code), current or historical."""

    __tablename__ = "administrative_units"
    __table_args__ = (UniqueConstraint("code", "valid_from"), {"info": REFERENCE})

    code: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(255))
    name_folded: Mapped[str] = mapped_column(String(255), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # UnitKind
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("administrative_units.id"), index=True
    )
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(100))

    parent: Mapped[AdministrativeUnit | None] = relationship(
        remote_side="AdministrativeUnit.id", lazy="raise"
    )

    def __repr__(self) -> str:
        return f"<AdministrativeUnit {self.code} {self.name}>"


class Agency(IdMixin, Base):
    """A state agency; `code` follows QCVN 102:2016/BTTTT (e.g. 000.00.00.H37)."""

    __tablename__ = "agencies"
    __table_args__ = {"info": REFERENCE}

    code: Mapped[str] = mapped_column(String(20), unique=True)
    code_provisional: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(String(255))
    name_folded: Mapped[str] = mapped_column(String(255), index=True)
    short_name: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))  # AgencyKind
    level: Mapped[str] = mapped_column(String(16))  # AgencyLevel
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    admin_unit_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("administrative_units.id"), index=True
    )
    is_one_stop: Mapped[bool] = mapped_column(default=False)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    successor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id"))
    dissolved_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    # Stable key of an agency created by the seed (survives admin edits of code and name).
    seed_key: Mapped[str | None] = mapped_column(String(100), unique=True)

    parent: Mapped[Agency | None] = relationship(
        foreign_keys=[parent_id], remote_side="Agency.id", lazy="raise"
    )
    successor: Mapped[Agency | None] = relationship(
        foreign_keys=[successor_id], remote_side="Agency.id", lazy="raise"
    )
    admin_unit: Mapped[AdministrativeUnit | None] = relationship(lazy="raise")

    @property
    def is_historical(self) -> bool:
        return self.dissolved_on is not None or self.valid_to is not None

    def __repr__(self) -> str:
        return f"<Agency {self.code} {self.name}>"


class AgencyAlias(IdMixin, Base):
    """Another name an agency goes by in the seeds ("Sở LĐTBXH", "Sở Thanh Tra")."""

    __tablename__ = "agency_aliases"
    __table_args__ = {"info": REFERENCE}

    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    alias: Mapped[str] = mapped_column(String(255))
    alias_folded: Mapped[str] = mapped_column(String(255), unique=True)


class QmsRolloutUnit(IdMixin, Base):
    """A unit of seed 000 appendix II: applies ISO 9001 (TCVN ISO 9001:2015) by group and year."""

    __tablename__ = "qms_rollout_units"
    __table_args__ = {"info": REFERENCE}

    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    group_name: Mapped[str] = mapped_column(String(255))
    year: Mapped[int] = mapped_column(Integer)
    source_row: Mapped[str] = mapped_column(String(20), unique=True)
    source_name: Mapped[str] = mapped_column(String(255))
