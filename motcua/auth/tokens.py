"""Personal API tokens: only the SHA-256 is stored; the plaintext is shown once."""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from motcua.auth import policies
from motcua.auth.models import ApiToken, User
from motcua.auth.queries import clean_text, get_user_by_id
from motcua.core.clock import now
from motcua.core.db import session_scope
from motcua.core.errors import Conflict, InvalidInput, NotFound

log = logging.getLogger("motcua.auth")

TOKEN_PREFIX = "mct_"
TOKEN_SHOWN_CHARS = 12  # "mct_" + 8 characters, shown in lists to tell tokens apart
TOKEN_TOUCH_SECONDS = 60  # do not write last_used_at on every API call


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _validate_token_name(name: str | None) -> str:
    value = clean_text(name)
    if not value:
        raise InvalidInput("Cần đặt tên cho mã truy cập (ví dụ: “Máy tính quầy 1”).")
    if len(value) > 100:
        raise InvalidInput("Tên mã truy cập không được dài quá 100 ký tự.")
    return value


def issue_token(
    session: Session, user: User, name: str, *, expires_at: datetime | None = None
) -> str:
    """Create a personal API token and return its plaintext — the only time it exists."""
    name = _validate_token_name(name)
    if not user.is_active:
        raise Conflict("Tài khoản đã ngừng hoạt động; không thể cấp mã truy cập.")
    if expires_at is not None and expires_at <= now():
        raise InvalidInput("Thời hạn của mã truy cập phải ở sau thời điểm hiện tại.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id,
            name=name,
            token_hash=_hash_token(token),
            prefix=token[:TOKEN_SHOWN_CHARS],
            created_at=now(),
            expires_at=expires_at,
        )
    )
    session.flush()
    return token


def resolve_token(
    session: Session, token: str | None, *, touch: Callable[[uuid.UUID, datetime], None] | None = None
) -> User | None:
    """The active user a bearer token belongs to, or None (unknown, revoked, expired).

    The use is recorded in `last_used_at` at most once a minute: in `session`, or through
    `touch(token_id, moment)` when given (a read request's unit of work must not write,
    see core.db; the dependency passes `touch_token`).
    """
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200 or not token.isascii():
        return None
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == _hash_token(token))).one_or_none()
    moment = now()
    if row is None or not row.is_usable(moment):
        return None
    user = get_user_by_id(session, row.user_id)
    if user is None or not user.is_active:
        return None
    if row.last_used_at is None or (moment - row.last_used_at).total_seconds() > TOKEN_TOUCH_SECONDS:
        if touch is None:
            row.last_used_at = moment
            session.flush()
        else:
            touch(row.id, moment)
    return user


def touch_token(factory: sessionmaker[Session], token_id: uuid.UUID, moment: datetime) -> None:
    """Record a use of a token in its own short write unit of work (best effort: a busy
    database only delays the "last used" stamp, it never fails the caller's request)."""
    try:
        with session_scope(factory) as session:
            session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=moment))
    except OperationalError:
        log.warning("could not record the use of API token %s (database busy)", token_id)


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
        )
    )


def get_token(session: Session, user: User, token_id: uuid.UUID) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound("Không tìm thấy mã truy cập.")
    return row


def revoke_token(session: Session, *, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token: its owner or an admin who manages the owner may do it."""
    if actor is not None and actor.id != token.user_id:
        owner = get_user_by_id(session, token.user_id)
        if owner is None:
            raise NotFound("Không tìm thấy mã truy cập.")
        policies.ensure_can_manage_user(actor, owner, session=session)
    if token.revoked_at is None:
        token.revoked_at = now()
        session.flush()
    return token


def revoke_all_tokens(session: Session, *, actor: User | None, target: User) -> int:
    count = 0
    for row in list_tokens(session, target):
        if row.revoked_at is None:
            revoke_token(session, actor=actor, token=row)
            count += 1
    return count
