"""The one interface callers use to sign citizens in with the national identity (VNeID
through the national login of the National Public Service Portal, shared/reference/dvcqg.md §8).

OpenID Connect authorization code: the browser goes to `authorize_url`, comes back to the
application's callback with `code` and `state`; the application exchanges the code
(`exchange_code`, with its client secret) and reads the identity (`userinfo`). The wire
format (attribute names such as `SoDinhDanh`, `TechID`) stays behind this module: callers
see `NationalIdentity`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from motcua.core.errors import DomainError


class NationalLoginError(DomainError):
    """The national login could not be reached or refused the exchange. Nothing was signed in."""

    status_code = 502
    code = "national_login_error"


class NationalLoginRefused(NationalLoginError):
    """The national login answered, but refused (a bad or reused code, a wrong client
    secret, an expired token) or sent an answer that fails the checks (nonce, audience)."""

    code = "national_login_refused"


class AccountKind(StrEnum):
    """`LoaiTaiKhoan`: whose national account it is."""

    citizen = "citizen"  # 1: công dân
    business = "business"  # 2: tổ chức, doanh nghiệp


@dataclass(frozen=True)
class Tokens:
    """The token endpoint's answer."""

    access_token: str
    id_token: str | None = None
    subject: str | None = None  # the id_token's `sub`: userinfo must be about the same account


@dataclass(frozen=True)
class NationalIdentity:
    """The userinfo attributes, as the national login states them (empty text → None)."""

    sub: str | None
    tech_id: str | None  # TechID: the stable national account id
    kind: AccountKind | None  # None: LoaiTaiKhoan missing or unknown
    id_number: str | None = None  # SoDinhDanh: 12-digit personal identification number
    old_id_number: str | None = None  # SoCMND: the former 9/12-digit identity card
    passport: str | None = None  # HoChieu
    full_name: str | None = None  # HoVaTen
    gender: str | None = None  # GioiTinh, as written
    address: str | None = None  # DiaChi
    phone: str | None = None  # SoDienThoai
    email: str | None = None  # ThuDienTu
    tax_code: str | None = None  # MaSoThue
    business_code: str | None = None  # MaSoDoanhNghiep
    business_name: str | None = None  # TenDoanhNghiep
    raw: dict = field(default_factory=dict, compare=False)  # the userinfo reply, for the record


class NationalLogin(Protocol):
    """What motcua asks of the national login. Every method raises `NationalLoginError` (a
    Vietnamese message) when the login cannot answer, never a transport exception."""

    def authorize_url(self, *, state: str, nonce: str) -> str:
        """Where to send the browser; `state` and `nonce` are random and kept by the caller."""
        ...

    def exchange_code(self, code: str, *, nonce: str) -> Tokens:
        """Raises `NationalLoginRefused` when the code is unknown, used or expired, the client
        is refused, or the id_token is not for this client and this `nonce`."""
        ...

    def userinfo(self, tokens: Tokens) -> NationalIdentity: ...
