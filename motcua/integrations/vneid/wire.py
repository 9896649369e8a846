"""The wire format of the national login (shared/reference/dvcqg.md §8): userinfo attribute
names, `LoaiTaiKhoan` codes, and the claims of the id_token. A newer national schema is a
new module beside this one, with no change to the callers of `login.NationalLogin`."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from motcua.integrations.vneid.login import AccountKind, NationalIdentity

ACCOUNT_KINDS = {"1": AccountKind.citizen, "2": AccountKind.business}
# NationalIdentity field ← userinfo attribute
ATTRIBUTES = {
    "tech_id": "TechID",
    "id_number": "SoDinhDanh",
    "old_id_number": "SoCMND",
    "passport": "HoChieu",
    "full_name": "HoVaTen",
    "gender": "GioiTinh",
    "address": "DiaChi",
    "phone": "SoDienThoai",
    "email": "ThuDienTu",
    "tax_code": "MaSoThue",
    "business_code": "MaSoDoanhNghiep",
    "business_name": "TenDoanhNghiep",
}


def text(value: Any) -> str | None:
    """An attribute as text; missing, null or blank → None (numbers sent as numbers too)."""
    if value is None or isinstance(value, dict | list | bool):
        return None
    value = str(value).strip()
    return value or None


def identity(reply: dict[str, Any]) -> NationalIdentity:
    kind = ACCOUNT_KINDS.get(text(reply.get("LoaiTaiKhoan")) or "")
    return NationalIdentity(
        sub=text(reply.get("sub")), kind=kind, raw=reply,
        **{name: text(reply.get(attribute)) for name, attribute in ATTRIBUTES.items()},
    )


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def id_token_claims(id_token: str) -> dict[str, Any] | None:
    """The claims of a compact JWT, unverified; None when it is not one.

    The signature is not checked: the token came straight from the token endpoint over the
    back channel, where OpenID Connect Core 1.0 §3.1.3.7 (6) lets TLS server validation stand
    in for it. Audience, expiry and nonce are still checked by the caller."""
    parts = id_token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(_b64decode(parts[1]))
    except (ValueError, binascii.Error):
        return None
    return claims if isinstance(claims, dict) else None
