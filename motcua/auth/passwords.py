"""Password hashing: argon2id through pwdlib."""

from __future__ import annotations

import secrets
from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from motcua.core.errors import InvalidInput
from motcua.core.text import has_control

PASSWORD_MIN = 8
PASSWORD_MAX = 256

_hasher = PasswordHash((Argon2Hasher(),))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password, password_hash)
    except Exception:  # an unreadable stored hash never logs anyone in
        return False


def verify_and_update(password: str, password_hash: str) -> tuple[bool, str | None]:
    """Check, and give a new hash when the stored one uses outdated parameters."""
    try:
        return _hasher.verify_and_update(password, password_hash)
    except Exception:
        return False, None


@lru_cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def burn_hash_time(password: str) -> None:
    """Same argon2 work as a real check, so unknown usernames cannot be told apart by timing."""
    verify_password(password, _dummy_hash())


def validate_password(password: str | None) -> str:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise InvalidInput(f"Mật khẩu phải có ít nhất {PASSWORD_MIN} ký tự.")
    if len(password) > PASSWORD_MAX:
        raise InvalidInput(f"Mật khẩu không được dài quá {PASSWORD_MAX} ký tự.")
    if has_control(password):
        raise InvalidInput("Mật khẩu chứa ký tự điều khiển không hợp lệ.")
    return password
