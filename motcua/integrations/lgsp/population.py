"""What motcua asks of the National Population Database, reached through the provincial
integration platform (LGSP): look up one citizen by personal identification number.

The population service's record schema is not public. `CitizenRecord` holds what a lookup
of the database plausibly returns and what a counter needs (the names of the wire fields
are in the comments and in wire.py; docs/population.md explains the choice). A real
schema is a new `wire.py`/adapter behind the same Protocol, with no change to callers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from motcua.core.errors import DomainError, InvalidInput

SERVICE = "Cơ sở dữ liệu quốc gia về dân cư"
ID_NUMBER = re.compile(r"\d{12}")


class PopulationError(DomainError):
    """The population service could not answer (platform down, timeout, refused login)."""

    status_code = 502
    code = "population_unavailable"


class CitizenNotFound(PopulationError):
    status_code = 404
    code = "citizen_not_found"


class LookupNotPermitted(PopulationError):
    """The platform refused this caller or this purpose (its own authorisation)."""

    status_code = 403
    code = "population_lookup_not_permitted"


class Sex(StrEnum):
    """GioiTinh as the identification data codes it."""

    unknown = "0"
    male = "1"
    female = "2"

    @property
    def label(self) -> str:
        return SEX_LABELS[self]


SEX_LABELS = {Sex.unknown: "Chưa có thông tin", Sex.male: "Nam", Sex.female: "Nữ"}


@dataclass(frozen=True)
class BirthDate:
    """NgayThangNamSinh: the database holds incomplete dates (year only, month and year)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def text(self) -> str:
        """dd/mm/yyyy, mm/yyyy or yyyy — as much as is known."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.month:02d}/{self.year:04d}"
        return f"{self.day:02d}/{self.month:02d}/{self.year:04d}"

    @property
    def date(self) -> date | None:
        if self.month is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)


@dataclass(frozen=True)
class Address:
    """A residence address after 1 July 2025: no district level any more."""

    detail: str  # ChiTiet: house number, street, hamlet (thôn, khối)
    commune_code: str  # MaXa: GSO code of the commune/ward (2025 list)
    commune_name: str  # TenXa
    province_code: str  # MaTinh: GSO code, e.g. "20" Lạng Sơn
    province_name: str  # TenTinh

    @property
    def text(self) -> str:
        return ", ".join(p for p in (self.detail, self.commune_name, self.province_name) if p)


@dataclass(frozen=True)
class CitizenRecord:
    """One citizen as the population database returns it."""

    id_number: str  # SoDinhDanh: the 12-digit personal identification number
    full_name: str  # HoVaTen
    birth: BirthDate | None  # NgayThangNamSinh
    sex: Sex  # GioiTinh
    ethnicity: str  # DanToc (name)
    nationality: str  # QuocTich (name)
    permanent_address: Address | None  # NoiThuongTru
    current_address: Address | None = None  # NoiOHienTai, when it differs
    old_id_number: str = ""  # SoCMND: the 9-digit identity card number, if one was issued


@dataclass(frozen=True)
class LookupRequest:
    """Who asks, why and for which dossier: the platform keeps its own log of every lookup."""

    id_number: str
    purpose: str  # MucDich, in words
    officer: str  # NguoiTraCuu: the officer's user name
    unit_code: str  # MaDonVi: the officer's unit (QCVN 102)
    dossier_code: str = ""  # MaHoSo, when the dossier exists


def normalize_id_number(value: str | None) -> str:
    """The 12 digits of a personal identification number (spaces and dots typed are
    dropped), or InvalidInput in Vietnamese."""
    digits = re.sub(r"[\s.\-]", "", value or "")
    if not ID_NUMBER.fullmatch(digits):
        raise InvalidInput("Số định danh cá nhân phải gồm đúng 12 chữ số (số căn cước, căn cước công dân).")
    return digits


class PopulationRegistry(Protocol):
    """Every method raises `PopulationError` (or a subclass) with a Vietnamese message when
    the database cannot answer, never a transport exception."""

    def lookup_citizen(self, request: LookupRequest) -> CitizenRecord:
        """Raises `CitizenNotFound`, `LookupNotPermitted` or `PopulationError`."""
        ...

    def close(self) -> None: ...
