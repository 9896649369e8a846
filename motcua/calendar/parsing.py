"""What people type about time (a time of day, a date, a receipt moment, office periods),
turned into values, with Vietnamese errors (InvalidInput → 422)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from motcua.calendar.engine import validate_office_hours
from motcua.core.clock import LOCAL_TZ, assume_local, to_local
from motcua.core.dates import parse_date
from motcua.core.errors import InvalidInput
from motcua.core.text import nfc

MIN_YEAR, MAX_YEAR = 2000, 2100

_TIME = re.compile(r"^\s*(\d{1,2})[:hH](\d{2})\s*$")
_PERIOD = re.compile(r"^\s*(\S+?)\s*[-–—]\s*(\S+?)\s*$")


def parse_time(value: str | time | None, *, field: str = "Giờ") -> time:
    """ "15:00", "7:30", "15h00" → time; InvalidInput (Vietnamese) otherwise."""
    if isinstance(value, time):
        return value
    match = _TIME.match(value or "")
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise InvalidInput(
        f"{field} không hợp lệ: “{(value or '')[:40]}” (định dạng HH:MM, ví dụ 15:00)."
    )


def parse_moment(value: str | datetime, *, field: str = "Thời điểm tiếp nhận") -> datetime:
    """ISO 8601 date-time typed by a person; without an offset it is local time
    (Asia/Ho_Chi_Minh). An aware datetime passes through; a naive one is refused (TypeError),
    since only typed text may be read as local time."""
    if isinstance(value, datetime):
        return to_local(value)
    text = (value or "").strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or len(text) < 10:
        raise InvalidInput(
            f"{field} không hợp lệ: “{text[:40]}” (định dạng YYYY-MM-DDTHH:MM, ví dụ 2025-01-24T15:30)."
        )
    if not (MIN_YEAR <= moment.year <= MAX_YEAR):
        raise InvalidInput(f"{field} phải nằm trong các năm {MIN_YEAR}–{MAX_YEAR}.")
    return assume_local(moment).astimezone(LOCAL_TZ)


def local_moment(day: date, at: time) -> datetime:
    """A date and a time typed separately on a page, as Vietnamese local time."""
    return datetime.combine(day, at, tzinfo=LOCAL_TZ)


def parse_day(value: str | date, *, field: str = "Ngày") -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    day = parse_date(value, label=field)
    if not (MIN_YEAR <= day.year <= MAX_YEAR):
        raise InvalidInput(f"{field} phải nằm trong các năm {MIN_YEAR}–{MAX_YEAR}.")
    return day


def parse_hours(value: str | float | int | Decimal | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        hours = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(f"Số giờ làm việc không hợp lệ: “{str(value)[:20]}”.") from None
    if not hours.is_finite():
        raise InvalidInput("Số giờ làm việc không hợp lệ.")
    return hours


def parse_periods(text: str | None) -> list[tuple[time, time]]:
    """ "07:30-11:30, 13:30-17:00" → [(07:30, 11:30), (13:30, 17:00)]; InvalidInput otherwise.

    Periods are separated by commas or semicolons; a period is "HH:MM-HH:MM" (an en dash works
    too). They must be in order and must not overlap; at least one is required.
    """
    text = nfc(text) or ""
    parts = [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]
    if not parts:
        raise InvalidInput(
            "Cần ít nhất một khoảng giờ làm việc (ví dụ: 07:30-11:30, 13:30-17:00)."
        )
    if len(parts) > 6:
        raise InvalidInput("Không được quá 6 khoảng giờ làm việc trong một ngày.")
    periods = []
    for part in parts:
        match = _PERIOD.match(part)
        if match is None:
            raise InvalidInput(
                f"Khoảng giờ không hợp lệ: “{part[:40]}” (định dạng HH:MM-HH:MM, ví dụ 07:30-11:30)."
            )
        periods.append(
            (
                parse_time(match.group(1), field="Giờ bắt đầu"),
                parse_time(match.group(2), field="Giờ kết thúc"),
            )
        )
    return checked_periods(periods)


def checked_periods(periods: list[tuple[time, time]]) -> list[tuple[time, time]]:
    """Periods in order and not overlapping; InvalidInput (Vietnamese) otherwise."""
    try:
        validate_office_hours(periods)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    return periods


def office_hours_text(periods: tuple[tuple[time, time], ...]) -> str:
    return ", ".join(f"{s:%H:%M}–{e:%H:%M}" for s, e in periods)
