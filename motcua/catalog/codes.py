"""Procedure codes as people type them."""

from __future__ import annotations

import re

from motcua.core.text import nfc

MAX_CODE_LENGTH = 64
_CODE_CHARS = re.compile(r"^[A-Za-zĐđ0-9.\-]+$")


def normalize_code(code: str | None) -> str | None:
    """A code as typed by a person: stray spaces (also NBSP) removed, upper-cased.

    Returns None when the text cannot be a procedure code at all (so callers answer 404,
    never pass odd bytes to the database).
    """
    value = nfc(code or "") or ""
    value = re.sub(r"\s+", "", value).upper()
    if not value or len(value) > MAX_CODE_LENGTH or not _CODE_CHARS.fullmatch(value):
        return None
    return value
