"""Loading staff accounts (roles and their agencies eagerly, relationships are lazy="raise")."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from motcua.auth.models import User, UserRole
from motcua.core.errors import NotFound
from motcua.core.text import clean_text, nfc

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$")


def normalize_username(value: str | None) -> str:
    return (nfc(value) or "").lower()


def user_query():
    return select(User).options(selectinload(User.roles).selectinload(UserRole.agency))


def find_user(session: Session, username: str | None) -> User | None:
    """The user with `username` (roles and their agencies loaded), or None."""
    value = normalize_username(username)
    if not USERNAME_RE.match(value):
        return None
    return session.scalars(user_query().where(User.username == value)).one_or_none()


def get_user(session: Session, username: str | None) -> User:
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"Không tìm thấy tài khoản “{clean_text(username, max_length=64) or ''}”.")
    return user


def get_user_by_id(session: Session, user_id: uuid.UUID) -> User | None:
    return session.scalars(user_query().where(User.id == user_id)).one_or_none()


def get_user_for_display(session: Session, user_id: uuid.UUID) -> User | None:
    """The user with its role rows, in ONE query and without their agencies: what the
    layout shows (name, role names) on every staff page. Not for acting on: routes load
    the user again with `get_user_by_id`. (The three queries of `user_query` cost a
    signed-in officer's home page twice a citizen's, issue 8.)"""
    stmt = select(User).options(joinedload(User.roles)).where(User.id == user_id)
    return session.scalars(stmt).unique().one_or_none()
