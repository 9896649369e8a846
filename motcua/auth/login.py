"""Signing in: password check with lock-out, and the session cookie's stamp."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.passwords import PASSWORD_MAX, burn_hash_time, verify_and_update
from motcua.auth.queries import find_user, get_user_by_id
from motcua.core.clock import now, to_local
from motcua.core.config import Settings, get_settings

MSG_BAD_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."
MSG_INACTIVE = "Tài khoản đã ngừng hoạt động. Vui lòng liên hệ quản trị đơn vị."


def session_stamp(user: User) -> str:
    """Stored in the session cookie: changing the password ends every other session."""
    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:20]


def load_session_user(session: Session, user_id: str | None, stamp: str | None) -> User | None:
    """The signed-in user of a session cookie, if still valid (active, same password)."""
    if not user_id or not stamp:
        return None
    try:
        uid = uuid.UUID(str(user_id))
    except ValueError:
        return None
    user = get_user_by_id(session, uid)
    if user is None or not user.is_active or not secrets.compare_digest(session_stamp(user), str(stamp)):
        return None
    return user


@dataclass
class LoginResult:
    """The outcome of a login attempt. Failures are returned, not raised, so the caller's
    unit of work commits the failure counter (a raised error would roll it back)."""

    user: User | None = None
    error: str | None = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None and self.error is None

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


def lock_message(until: datetime) -> str:
    return (
        "Tài khoản tạm khoá do đăng nhập sai nhiều lần, thử lại sau "
        f"{to_local(until).strftime('%H:%M')}"
    )


def authenticate(
    session: Session,
    *,
    username: str | None,
    password: str | None,
    settings: Settings | None = None,
) -> LoginResult:
    """Check a username and password, counting consecutive failures.

    After `settings.login_max_failures` failures in a row the account is locked for
    `settings.login_lock_seconds`; a successful login resets the counter. Unknown
    usernames cost the same argon2 work and get the same message (no enumeration).
    """
    settings = settings or get_settings()
    password = password if isinstance(password, str) else ""
    if len(password) > PASSWORD_MAX:
        password = password[:PASSWORD_MAX]
    user = find_user(session, username)
    moment = now()
    if user is None:
        burn_hash_time(password)
        return LoginResult(error=MSG_BAD_LOGIN)
    if user.is_locked(moment):
        burn_hash_time(password)
        return LoginResult(error=lock_message(user.locked_until), locked_until=user.locked_until)
    valid, new_hash = verify_and_update(password, user.password_hash)
    if not valid:
        user.failed_login_count = (user.failed_login_count or 0) + 1
        if user.failed_login_count >= settings.login_max_failures:
            user.locked_until = moment + timedelta(seconds=settings.login_lock_seconds)
            user.failed_login_count = 0
            session.flush()
            return LoginResult(error=lock_message(user.locked_until), locked_until=user.locked_until)
        session.flush()
        return LoginResult(error=MSG_BAD_LOGIN)
    if not user.is_active:
        return LoginResult(error=MSG_INACTIVE)
    if new_hash:
        user.password_hash = new_hash
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = moment
    session.flush()
    return LoginResult(user=user)
