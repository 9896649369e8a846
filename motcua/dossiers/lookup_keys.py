"""Pure: the lookup key printed on every slip, and how a typed code or key is read back.

The public lookup (`/tra-cuu`) asks for the dossier code plus a second factor: this key (or
the applicant's ID number). Codes are sequential per unit and day, so the code alone can be
walked; the key is random, 6 characters from an alphabet without the characters people
confuse on paper (0/O, 1/I/L), so it is read aloud and typed without mistakes: 31^6 ≈ 887
million keys per code, against a lookup limited per client (web.ratelimit).
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Callable, Sequence

KEY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
KEY_LENGTH = 6
_SPACES = re.compile(r"\s+")


def new_lookup_key(choice: Callable[[Sequence[str]], str] = secrets.choice) -> str:
    """A fresh random key; `choice` is replaceable so seeded demo data stays reproducible."""
    return "".join(choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))


def normal_code(typed: str) -> str:
    """A typed dossier code without any whitespace (codes have none; people type "H37 - 0001")."""
    return _SPACES.sub("", typed or "")


def code_candidates(typed: str) -> list[str]:
    """The spellings a typed code may be stored under: as typed, upper and lower case.
    Codes are compared on the primary key of `dossier_codes`, not folded in SQL, so the
    lookup stays an index probe (and a single-shard one on Citus)."""
    code = normal_code(typed)
    return list(dict.fromkeys(c for c in (code, code.upper(), code.lower()) if c))


def normal_key(typed: str) -> str:
    """A typed key, upper case, without whitespace or the dashes people add ("abc-def")."""
    return _SPACES.sub("", typed or "").replace("-", "").upper()


def same_secret(expected: str | None, typed: str) -> bool:
    """Constant-time comparison; a missing `expected` still costs one comparison, so the time
    taken does not tell whether the dossier has such a value."""
    return hmac.compare_digest((expected or "\x00").encode(), typed.encode()) and expected is not None


def key_in_words(key: str) -> str:
    """The key as printed on a slip, in two groups of three ("ACD 479") so it is read easily."""
    return f"{key[:3]} {key[3:]}" if len(key) == KEY_LENGTH else key
