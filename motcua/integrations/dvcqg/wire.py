"""The legacy wire format (schema v1, shared/reference/dvcqg.md §1–§2): reading replies and
writing values. Pure functions, shared by the adapter and the simulator so both sides read a
value the same way.

Replies are read loosely: almost every value is a string ("0"/"1", "True"/"False", numbers),
a missing date is "", and the success code comes as 0, "0" or "00" depending on the side.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from motcua.integrations.dvcqg.portal import (
    NationalAgency,
    NationalChannel,
    NationalField,
    NationalProcedure,
    NationalProcedureItem,
    NationalTimeLimit,
)

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"
SUCCESS_CODES = {"0", "00"}
# Not in the public code ([U]); the simulator answers a missing or expired session with it
# (and HTTP 401), and the adapter logs in again once when it sees it.
SESSION_EXPIRED_CODE = "401"


def text(value: Any) -> str:
    """Any reply value as trimmed text ("" for null)."""
    if value is None:
        return ""
    return str(value).strip()


def is_success(error_code: Any) -> bool:
    return text(error_code) in SUCCESS_CODES


def format_date(value: datetime | None) -> str:
    """`yyyyMMddHHmmss` in Vietnam's local time, no zone suffix; "" for an unknown date."""
    if value is None:
        return ""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(LOCAL_TZ).strftime(DATE_FORMAT)


def parse_date(value: Any) -> datetime | None:
    """The reverse of `format_date`; "" → None; anything else malformed raises ValueError."""
    raw = text(value)
    if not raw:
        return None
    if len(raw) != 14 or not raw.isdigit():
        raise ValueError(f"not a yyyyMMddHHmmss date: {raw!r}")
    return datetime.strptime(raw, DATE_FORMAT).replace(tzinfo=LOCAL_TZ)


def number(value: Any) -> float | None:
    """A number written as text, with "," or "." as decimal mark; None when it is not one."""
    raw = text(value).replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        return None


def records(reply: dict[str, Any]) -> list[dict[str, Any]]:
    result = reply.get("result")
    if result is None:
        return []
    if not isinstance(result, list):
        result = [result]
    return [r for r in result if isinstance(r, dict)]


def _upper_keys(record: dict[str, Any]) -> dict[str, Any]:
    # Replies of different portals spell keys in upper or camel case (MATTHC / MaTTHC).
    return {str(k).upper(): v for k, v in record.items()}


def procedure_item(record: dict[str, Any]) -> NationalProcedureItem:
    r = _upper_keys(record)
    return NationalProcedureItem(code=text(r.get("MATTHC")), name=text(r.get("TENTTHC")))


def agency(record: dict[str, Any]) -> NationalAgency:
    r = _upper_keys(record)
    return NationalAgency(code=text(r.get("MADONVI")), name=text(r.get("TENDONVI")),
                          level=text(r.get("CAPDONVI")))


def field(record: dict[str, Any]) -> NationalField:
    r = _upper_keys(record)
    return NationalField(code=text(r.get("MALINHVUC")), name=text(r.get("TENLINHVUC")),
                         sector=text(r.get("MANGANH")))


def _list(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        value = [value]
    return [_upper_keys(v) for v in value or [] if isinstance(v, dict)]


def procedure(record: dict[str, Any], code: str) -> NationalProcedure:
    """`LayThuTuc`'s `result[0]`. Beyond TENTTHC, LINHVUCTHUCHIEN and CACHTHUCTHUCHIEN[KENH]
    the keys (THOIGIAN, CAPTHUCHIEN, COQUANTHUCHIEN) follow the national database's export
    and are read when present ([U])."""
    r = _upper_keys(record)
    fields = _list(r.get("LINHVUCTHUCHIEN"))
    channels = tuple(
        NationalChannel(
            channel=text(c.get("KENH")),
            time_limits=tuple(
                NationalTimeLimit(value=number(t.get("THOIGIANGIAIQUYET")),
                                  unit=text(t.get("DONVITINH")), description=text(t.get("MOTA")))
                for t in _list(c.get("THOIGIAN"))
            ),
        )
        for c in _list(r.get("CACHTHUCTHUCHIEN"))
    )
    return NationalProcedure(
        code=text(r.get("MATTHC")) or code,
        name=text(r.get("TENTTHC")),
        field_code=text(fields[0].get("MALINHVUC")) or None if fields else None,
        field_name=text(fields[0].get("TENLINHVUC")) or None if fields else None,
        channels=channels,
        levels=tuple(text(c.get("TENCAP")) for c in _list(r.get("CAPTHUCHIEN")) if text(c.get("TENCAP"))),
        agencies=tuple(text(a.get("TENDONVI")) for a in _list(r.get("COQUANTHUCHIEN")) if text(a.get("TENDONVI"))),
        raw=dict(record),
    )
