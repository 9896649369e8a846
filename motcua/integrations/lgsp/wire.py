"""The wire shape of the population lookup through LGSP (schema chosen here, [U]: the real
one is not public — docs/population.md). Pure functions shared by the adapter and the
simulator, so both sides read and write a record the same way.

Request: `{session, madonvi, service, SoDinhDanh, MucDich, NguoiTraCuu, DonViTraCuu, MaHoSo,
ThoiGianTraCuu}`. Reply: `{error_code, message, result: [record]}`; `error_code` "0" found,
"404" no such citizen, "403" the platform refuses this caller or purpose. Values are strings;
NgayThangNamSinh is `yyyyMMdd` with `00` for an unknown day or month (`19850000`: year only).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from motcua.integrations.lgsp.population import (
    Address,
    BirthDate,
    CitizenRecord,
    LookupRequest,
    Sex,
)
from motcua.integrations.session_transport import text

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOT_FOUND_CODE = "404"
NOT_PERMITTED_CODE = "403"


def request_body(request: LookupRequest, *, madonvi: str, service: str, at: datetime) -> dict[str, str]:
    return {
        "madonvi": madonvi,
        "service": service,
        "SoDinhDanh": request.id_number,
        "MucDich": request.purpose,
        "NguoiTraCuu": request.officer,
        "DonViTraCuu": request.unit_code,
        "MaHoSo": request.dossier_code,
        "ThoiGianTraCuu": at.astimezone(LOCAL_TZ).strftime("%Y%m%d%H%M%S"),
    }


def parse_birth(value: Any) -> BirthDate | None:
    """`yyyyMMdd`, `00` for what is unknown; "" → None; anything else raises ValueError."""
    raw = text(value)
    if not raw:
        return None
    if len(raw) != 8 or not raw.isdigit():
        raise ValueError(f"not a yyyyMMdd date: {raw!r}")
    year, month, day = int(raw[:4]), int(raw[4:6]), int(raw[6:])
    birth = BirthDate(year, month or None, (day or None) if month else None)
    birth.date  # noqa: B018 (raises ValueError for 31/02)
    return birth


def format_birth(birth: BirthDate | None) -> str:
    if birth is None:
        return ""
    return f"{birth.year:04d}{birth.month or 0:02d}{birth.day or 0:02d}"


def parse_address(value: Any) -> Address | None:
    if not isinstance(value, dict):
        return None
    address = Address(
        detail=text(value.get("ChiTiet")), commune_code=text(value.get("MaXa")),
        commune_name=text(value.get("TenXa")), province_code=text(value.get("MaTinh")),
        province_name=text(value.get("TenTinh")),
    )
    return address if address.text else None


def format_address(address: Address | None) -> dict[str, str]:
    if address is None:
        return {}
    return {"ChiTiet": address.detail, "MaXa": address.commune_code, "TenXa": address.commune_name,
            "MaTinh": address.province_code, "TenTinh": address.province_name}


def parse_sex(value: Any) -> Sex:
    try:
        return Sex(text(value) or "0")
    except ValueError:
        return Sex.unknown


def citizen(record: dict[str, Any]) -> CitizenRecord:
    """A reply record; ValueError when a required value is missing or malformed."""
    id_number, full_name = text(record.get("SoDinhDanh")), text(record.get("HoVaTen"))
    if not id_number or not full_name:
        raise ValueError("record without SoDinhDanh or HoVaTen")
    return CitizenRecord(
        id_number=id_number,
        full_name=full_name,
        birth=parse_birth(record.get("NgayThangNamSinh")),
        sex=parse_sex(record.get("GioiTinh")),
        ethnicity=text(record.get("DanToc")),
        nationality=text(record.get("QuocTich")),
        permanent_address=parse_address(record.get("NoiThuongTru")),
        current_address=parse_address(record.get("NoiOHienTai")),
        old_id_number=text(record.get("SoCMND")),
    )


def record(citizen: CitizenRecord) -> dict[str, Any]:
    """The reverse of `citizen`: every value a string, as the platform sends it."""
    return {
        "SoDinhDanh": citizen.id_number,
        "SoCMND": citizen.old_id_number,
        "HoVaTen": citizen.full_name,
        "NgayThangNamSinh": format_birth(citizen.birth),
        "GioiTinh": citizen.sex.value,
        "DanToc": citizen.ethnicity,
        "QuocTich": citizen.nationality,
        "NoiThuongTru": format_address(citizen.permanent_address),
        "NoiOHienTai": format_address(citizen.current_address),
    }
