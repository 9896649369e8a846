"""Citizen accounts and the links waiting for the citizen's confirmation (reference tables).

A citizen account has no password: it is signed in only through the national login and is
identified by the national account id (`tech_id`, `TechID`). An account without one (made at
a counter or imported before the national login existed) is linked the first time its owner
signs in, after they confirm it (shared/reference/dvcqg.md §8 "Linking a local account").
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from motcua.citizens.enums import AccountType
from motcua.core.clock import now
from motcua.core.db import REFERENCE, Base, IdMixin


class Citizen(IdMixin, Base):
    """A citizen's or a business's own account (never a staff user: see motcua.auth)."""

    __tablename__ = "citizens"
    __table_args__ = {"info": REFERENCE}

    # TechID; NULL until the owner signs in with the national identity and confirms the link.
    tech_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    account_type: Mapped[str] = mapped_column(String(16))  # citizens.enums.AccountType
    full_name: Mapped[str] = mapped_column(String(200))
    id_number: Mapped[str | None] = mapped_column(String(20), index=True)  # SoDinhDanh (12 digits)
    old_id_number: Mapped[str | None] = mapped_column(String(20), index=True)  # SoCMND
    passport: Mapped[str | None] = mapped_column(String(20))  # HoChieu
    gender: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    tax_code: Mapped[str | None] = mapped_column(String(20), index=True)  # MaSoThue
    business_code: Mapped[str | None] = mapped_column(String(20), index=True)  # MaSoDoanhNghiep
    business_name: Mapped[str | None] = mapped_column(String(300))  # TenDoanhNghiep
    created_at: Mapped[datetime] = mapped_column(default=now)
    linked_at: Mapped[datetime | None]  # when tech_id was stored
    last_login_at: Mapped[datetime | None]

    @property
    def type(self) -> AccountType:
        return AccountType(self.account_type)

    @property
    def display_name(self) -> str:
        return self.business_name or self.full_name

    def __repr__(self) -> str:
        return f"<Citizen {self.id} {self.account_type}>"


class CitizenLinkRequest(IdMixin, Base):
    """A national identity that matched a local account by its identifier, waiting for the
    owner to confirm the link. Kept here, not in the (signed, readable) session cookie: the
    cookie holds only this row's id, and the identity's attributes stay on the server."""

    __tablename__ = "citizen_link_requests"
    __table_args__ = {"info": REFERENCE}

    citizen_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"), index=True)
    tech_id: Mapped[str] = mapped_column(String(100))
    matched_by: Mapped[str] = mapped_column(String(32))  # the attribute that matched, e.g. SoDinhDanh
    # The account's attributes as the national login stated them (Citizen column → value).
    attributes: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]  # confirmed or cancelled: a request is used once

    citizen: Mapped[Citizen] = relationship(lazy="raise")
