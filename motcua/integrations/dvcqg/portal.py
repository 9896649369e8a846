"""The one interface callers use to talk to the National Public Service Portal.

The wire format stays behind it (shared/reference/dvcqg.md, "Design rule"): `legacy.py`
speaks the adapter/LGSP transport of §1; a newer schema (TT 04/2025/TT-VPCP) would be a
second implementation of the same Protocol, with no change to its callers. Issue 11 adds
the dossier methods (`lookup_dossier`, `push_dossier`, `push_progress`) here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from motcua.core.errors import DomainError


class PortalError(DomainError):
    """The portal could not be reached or refused the call. Nothing was changed locally."""

    status_code = 502
    code = "national_portal_error"


class UnknownNationalProcedure(PortalError):
    """`LayThuTuc` answered that the national database has no such procedure."""

    status_code = 404
    code = "national_procedure_unknown"


@dataclass(frozen=True)
class NationalProcedureItem:
    """One line of `LayDanhSachTTHC`."""

    code: str  # MATTHC, e.g. 1.001193
    name: str  # TENTTHC


@dataclass(frozen=True)
class NationalTimeLimit:
    """One `THOIGIAN` entry of a channel: the legal processing time as the portal states it."""

    value: float | None  # THOIGIANGIAIQUYET
    unit: str  # DONVITINH as written ("Ngày làm việc", "Giờ làm việc", "Ngày" …)
    description: str = ""  # MOTA


@dataclass(frozen=True)
class NationalChannel:
    """One `CACHTHUCTHUCHIEN` entry: KENH 1 counter, 2 online, 3 public postal service."""

    channel: str
    time_limits: tuple[NationalTimeLimit, ...] = ()


@dataclass(frozen=True)
class NationalProcedure:
    """`LayThuTuc`: one national procedure as the national database publishes it."""

    code: str
    name: str
    field_code: str | None
    field_name: str | None
    channels: tuple[NationalChannel, ...] = ()
    levels: tuple[str, ...] = ()  # CAPTHUCHIEN names, as written
    agencies: tuple[str, ...] = ()  # COQUANTHUCHIEN names
    raw: dict = field(default_factory=dict, compare=False)  # the reply record, for the record


@dataclass(frozen=True)
class NationalAgency:
    """`LayDanhMucCoQuan`."""

    code: str  # MADONVI
    name: str  # TENDONVI
    level: str  # CAPDONVI


@dataclass(frozen=True)
class NationalField:
    """`LayDanhMucLinhVuc`."""

    code: str  # MALINHVUC, e.g. G03-GD09
    name: str  # TENLINHVUC
    sector: str  # MANGANH


class NationalPortal(Protocol):
    """What motcua asks of the national portal. Every method raises `PortalError` (with a
    Vietnamese message) when the portal cannot answer, never a transport exception."""

    def get_procedure(self, code: str) -> NationalProcedure:
        """Raises `UnknownNationalProcedure` for a code the national database does not hold."""
        ...

    def list_procedures(self) -> list[NationalProcedureItem]: ...

    def list_agencies(self) -> list[NationalAgency]: ...

    def list_fields(self) -> list[NationalField]: ...
