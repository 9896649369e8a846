"""Staff accounts, their roles per agency, and personal API tokens (reference tables)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from motcua.auth.roles import ROLE_LABELS, Role
from motcua.core.clock import now
from motcua.core.db import REFERENCE, Base, IdMixin
from motcua.org.models import Agency


class User(IdMixin, Base):
    """A staff member (cán bộ, công chức). Citizens have their own accounts in `citizens`."""

    __tablename__ = "users"
    __table_args__ = {"info": REFERENCE}

    username: Mapped[str] = mapped_column(String(64), unique=True)  # always lower-case
    full_name: Mapped[str] = mapped_column(String(200))
    # folded "username full name email" for accent-insensitive search in the admin list
    search_text: Mapped[str] = mapped_column(String(600), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    failed_login_count: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="raise",
        order_by="UserRole.role",
    )

    def is_locked(self, at: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (at or now())

    def role_names(self) -> set[str]:
        return {r.role for r in self.roles}

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserRole(IdMixin, Base):
    """One role held at one agency."""

    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role", "agency_id"), {"info": REFERENCE})

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))  # motcua.auth.roles.Role
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)

    user: Mapped[User] = relationship(back_populates="roles", lazy="raise")
    agency: Mapped[Agency] = relationship(lazy="raise")

    @property
    def role_label(self) -> str:
        try:
            return ROLE_LABELS[Role(self.role)]
        except ValueError:
            return self.role


class ApiToken(IdMixin, Base):
    """A personal bearer token; only its SHA-256 is stored, the plaintext is shown once."""

    __tablename__ = "api_tokens"
    __table_args__ = {"info": REFERENCE}

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="raise")

    def is_usable(self, at: datetime | None = None) -> bool:
        at = at or now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at)
