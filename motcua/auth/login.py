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
from motcua.auth.queries import find_user, get_user_by_id, normalize_username
from motcua.core import throttle
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


def address_lock_message(until: datetime) -> str:
    return (
        "Máy của bạn đã đăng nhập sai quá nhiều lần, tạm dừng đăng nhập đến "
        f"{to_local(until).strftime('%H:%M')}"
    )


def _pair_key(username: str, address: str) -> str:
    return f"login:pair:{username}|{address}"


def _address_key(address: str) -> str:
    return f"login:addr:{address}"


def clear_login_throttle(session: Session, user: User) -> None:
    """Lift every per-address lock of `user` (an administrator's "Gỡ tạm khoá đăng nhập")."""
    throttle.clear_prefix(session, f"login:pair:{user.username}|")


def authenticate(
    session: Session,
    *,
    username: str | None,
    password: str | None,
    address: str | None = None,
    settings: Settings | None = None,
) -> LoginResult:
    """Check a username and password, throttling failures (docs/auth.md "Lock-out").

    Three counters: per (username, client address) — `login_max_failures` failures within
    `login_lock_seconds` block that pair for `login_lock_seconds`; per address over all
    usernames — `login_max_failures_per_address` in the same window block the address; per
    account from anywhere — `login_account_max_failures` consecutive failures give a short
    back-off (`login_account_backoff_seconds`, kept in `users.locked_until`). So an
    anonymous client cannot lock an officer out: the officer's own address is another
    pair. Unknown usernames cost the same argon2 work and get the same messages.
    """
    settings = settings or get_settings()
    password = password if isinstance(password, str) else ""
    if len(password) > PASSWORD_MAX:
        password = password[:PASSWORD_MAX]
    address = (address or "unknown")[:64]
    name = normalize_username(username)[:64]
    moment = now()
    address_until = throttle.blocked_until(session, _address_key(address), at=moment)
    if address_until is not None:
        burn_hash_time(password)
        return LoginResult(error=address_lock_message(address_until), locked_until=address_until)
    pair_until = throttle.blocked_until(session, _pair_key(name, address), at=moment)
    if pair_until is not None:
        burn_hash_time(password)
        return LoginResult(error=lock_message(pair_until), locked_until=pair_until)
    user = find_user(session, username)
    if user is not None and user.is_locked(moment):
        burn_hash_time(password)
        return LoginResult(error=lock_message(user.locked_until), locked_until=user.locked_until)
    if user is None:
        burn_hash_time(password)
        return _failed(session, user=None, name=name, address=address, moment=moment, settings=settings)
    valid, new_hash = verify_and_update(password, user.password_hash)
    if not valid:
        return _failed(session, user=user, name=name, address=address, moment=moment, settings=settings)
    if not user.is_active:
        return LoginResult(error=MSG_INACTIVE)
    if new_hash:
        user.password_hash = new_hash
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = moment
    throttle.clear(session, _pair_key(name, address))
    session.flush()
    return LoginResult(user=user)


def _failed(
    session: Session, *, user: User | None, name: str, address: str, moment: datetime, settings: Settings
) -> LoginResult:
    """Count one failure on the three counters; the first limit reached decides the answer."""
    window = settings.login_lock_seconds
    locked: datetime | None = None
    error = MSG_BAD_LOGIN
    if user is not None:
        user.failed_login_count = (user.failed_login_count or 0) + 1
        if user.failed_login_count >= settings.login_account_max_failures:
            user.locked_until = moment + timedelta(seconds=settings.login_account_backoff_seconds)
            user.failed_login_count = 0
            locked, error = user.locked_until, lock_message(user.locked_until)
    pair = throttle.hit(session, _pair_key(name, address), at=moment, window_seconds=window)
    if pair.hits >= settings.login_max_failures:
        until = throttle.block(session, _pair_key(name, address), at=moment, seconds=window)
        if locked is None or until > locked:
            locked, error = until, lock_message(until)
    spread = throttle.hit(session, _address_key(address), at=moment, window_seconds=window)
    if spread.hits >= settings.login_max_failures_per_address:
        until = throttle.block(session, _address_key(address), at=moment, seconds=window)
        locked, error = until, address_lock_message(until)
    session.flush()
    return LoginResult(error=error, locked_until=locked)
