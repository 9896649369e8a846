"""Signing in: password check with lock-out, and the session cookie's stamp."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import func, update
from sqlalchemy.orm import Session, sessionmaker

from motcua.auth.models import User
from motcua.auth.passwords import PASSWORD_MAX, burn_hash_time, verify_and_update
from motcua.auth.queries import find_user, get_user_by_id, get_user_for_display, normalize_username
from motcua.core import throttle
from motcua.core.clock import now, to_local
from motcua.core.config import Settings, get_settings
from motcua.core.db import session_scope

MSG_BAD_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."
MSG_INACTIVE = "Tài khoản đã ngừng hoạt động. Vui lòng liên hệ quản trị đơn vị."

T = TypeVar("T")


def session_stamp(user: User) -> str:
    """Stored in the session cookie: changing the password ends every other session."""
    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:20]


def load_session_user(
    session: Session, user_id: str | None, stamp: str | None, *, for_display: bool = False
) -> User | None:
    """The signed-in user of a session cookie, if still valid (active, same password).

    `for_display`: only what the layout shows (see `get_user_for_display`)."""
    if not user_id or not stamp:
        return None
    try:
        uid = uuid.UUID(str(user_id))
    except ValueError:
        return None
    user = get_user_for_display(session, uid) if for_display else get_user_by_id(session, uid)
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


def _normalise(username: str | None, password: str | None, address: str | None) -> tuple[str, str, str]:
    password = password if isinstance(password, str) else ""
    if len(password) > PASSWORD_MAX:
        password = password[:PASSWORD_MAX]
    return normalize_username(username)[:64], password, (address or "unknown")[:64]


def _gate(
    session: Session, *, username: str | None, name: str, address: str, moment: datetime
) -> tuple[LoginResult | None, User | None]:
    """Reads only: the refusal of an attempt that is blocked (address, pair or account), or
    the user of `username` (None when unknown) whose password is to be checked."""
    address_until = throttle.blocked_until(session, _address_key(address), at=moment)
    if address_until is not None:
        return LoginResult(error=address_lock_message(address_until), locked_until=address_until), None
    pair_until = throttle.blocked_until(session, _pair_key(name, address), at=moment)
    if pair_until is not None:
        return LoginResult(error=lock_message(pair_until), locked_until=pair_until), None
    user = find_user(session, username)
    if user is not None and user.is_locked(moment):
        return LoginResult(error=lock_message(user.locked_until), locked_until=user.locked_until), user
    return None, user


def _check_password(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """argon2 (tens to hundreds of ms): the same work whether or not the user exists."""
    if password_hash is None:
        burn_hash_time(password)
        return False, None
    return verify_and_update(password, password_hash)


def _settle(
    session: Session, *, user: User | None, verdict: tuple[bool, str | None], name: str, address: str,
    moment: datetime, settings: Settings,
) -> LoginResult:
    """Writes: count a failure, or record a success (and a rehash of an outdated hash)."""
    valid, new_hash = verdict
    if user is None or not valid:
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


def authenticate(
    session: Session,
    *,
    username: str | None,
    password: str | None,
    address: str | None = None,
    settings: Settings | None = None,
) -> LoginResult:
    """Check a username and password, throttling failures (docs/auth.md "Lock-out"), in one
    unit of work — which holds its write lock (SQLite) or row locks (PostgreSQL) while
    argon2 runs if it already wrote. The sign-in routes use `authenticate_then_record`.

    Three counters: per (username, client address) — `login_max_failures` failures within
    `login_lock_seconds` block that pair for `login_lock_seconds`; per address over all
    usernames — `login_max_failures_per_address` in the same window block the address; per
    account from anywhere — `login_account_max_failures` consecutive failures give a short
    back-off (`login_account_backoff_seconds`, kept in `users.locked_until`). So an
    anonymous client cannot lock an officer out: the officer's own address is another
    pair. Unknown usernames cost the same argon2 work and get the same messages.
    """
    settings = settings or get_settings()
    name, password, address = _normalise(username, password, address)
    moment = now()
    refusal, user = _gate(session, username=username, name=name, address=address, moment=moment)
    if refusal is not None:
        burn_hash_time(password)
        return refusal
    verdict = _check_password(password, user.password_hash if user else None)
    return _settle(session, user=user, verdict=verdict, name=name, address=address, moment=moment,
                   settings=settings)


def authenticate_then_record(
    factory: sessionmaker[Session],
    *,
    username: str | None,
    password: str | None,
    address: str | None = None,
    settings: Settings | None = None,
    then: Callable[[Session, User], T] | None = None,
) -> tuple[LoginResult, T | None]:
    """`authenticate` for a sign-in request, in two units of work so that no lock is held
    while argon2 runs: a read (the blocks and the user; on SQLite it never takes the write
    lock), then the hash check with no transaction open, then a short write that counts the
    failure or records the success — and runs `then(session, user)` on a success (issue an
    API token), so the business change and its bookkeeping stay one transaction.

    The write re-reads the blocks and the user first, so the outcome is the one the
    sequential `authenticate` would give: an attempt that a concurrent failure has blocked
    meanwhile is refused and not counted, and a password changed meanwhile is checked again
    (under the lock; that race is rare). Returns the result and what `then` returned.
    """
    settings = settings or get_settings()
    name, password, address = _normalise(username, password, address)
    moment = now()
    with session_scope(factory, write=False) as session:
        refusal, user = _gate(session, username=username, name=name, address=address, moment=moment)
        checked_hash = user.password_hash if user else None
    if refusal is not None:
        burn_hash_time(password)
        return refusal, None
    verdict = _check_password(password, checked_hash)
    with session_scope(factory) as session:
        refusal, user = _gate(session, username=username, name=name, address=address, moment=moment)
        if refusal is not None:
            return refusal, None
        current_hash = user.password_hash if user else None
        if current_hash != checked_hash:
            verdict = _check_password(password, current_hash)
        result = _settle(session, user=user, verdict=verdict, name=name, address=address, moment=moment,
                         settings=settings)
        value = then(session, result.user) if result.ok and then is not None else None
    return result, value


def _failed(
    session: Session, *, user: User | None, name: str, address: str, moment: datetime, settings: Settings
) -> LoginResult:
    """Count one failure on the three counters; the first limit reached decides the answer."""
    window = settings.login_lock_seconds
    locked: datetime | None = None
    error = MSG_BAD_LOGIN
    if user is not None:
        # One atomic increment: two failures of the same account from two addresses at
        # once (PostgreSQL, read committed) both count.
        failures = session.execute(
            update(User).where(User.id == user.id)
            .values(failed_login_count=func.coalesce(User.failed_login_count, 0) + 1)
            .returning(User.failed_login_count),
            execution_options={"synchronize_session": "fetch"},
        ).scalar_one()
        if failures >= settings.login_account_max_failures:
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
