"""Text normalisation: NFC on input, and a folded copy for accent-insensitive search."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str | None) -> str | None:
    """NFC-normalise and trim, collapsing inner runs of whitespace (incl. NBSP)."""
    if value is None:
        return None
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def fold(value: str | None) -> str:
    """Strip diacritics, map đ→d, casefold: "Đăng ký khai sinh" → "dang ky khai sinh"."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def fold_words(value: str | None) -> list[str]:
    """Folded words without punctuation, for search terms."""
    return [w for w in re.split(r"[^0-9a-z]+", fold(value)) if w]


# The one rule for control characters in typed text (forms, JSON bodies, query strings):
# C0 controls and DEL are refused, except tab, line feed and carriage return, which belong
# in multi-line fields. PostgreSQL refuses NUL in text while SQLite stores it, so without a
# rule at the boundary the two backends would disagree.
#
# Requests are checked once, at the boundary (web/input_guard.py refuses them with 422), so
# routes and services do not strip what came through a request. Stripping is for text that
# reached the application another way: uploaded files, imports, seeds, the command line.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control(value: str) -> bool:
    return CONTROL_CHARS.search(value) is not None


def strip_control(value: str) -> str:
    """`value` without the characters `CONTROL_CHARS` refuses (for data read from files)."""
    return CONTROL_CHARS.sub("", value)


def clean_text(value: str | None, *, max_length: int | None = None) -> str | None:
    """A text field read from a file, an import or the command line: control characters
    removed, NFC, trimmed (`nfc`), cut to `max_length`; None for blank."""
    if value is None:
        return None
    value = nfc(strip_control(value)) or None
    if value and max_length:
        value = value[:max_length]
    return value
