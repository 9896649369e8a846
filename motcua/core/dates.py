"""Dates typed by people: dd/mm/yyyy (how officials and citizens write them) or ISO."""

from __future__ import annotations

import re
from datetime import date

from motcua.core.errors import InvalidInput

_VN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_date(value: str | None, *, label: str) -> date:
    """`24/11/2026` or `2026-11-24` → date; a Vietnamese InvalidInput otherwise."""
    text = (value or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _VN_DATE.fullmatch(text)
    if match:
        try:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            pass
    shown = f": “{text[:40]}”" if text else ""
    raise InvalidInput(f"{label} không hợp lệ{shown} (nhập dạng dd/mm/yyyy, ví dụ 01/07/2025).")
