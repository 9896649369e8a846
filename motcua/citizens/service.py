"""Signing citizens in with the national identity, and linking their local accounts
(shared/reference/dvcqg.md §8 "Linking a local account", as OpenCPS does it):

1. an account holding the identity's `TechID` → signed in;
2. else an account of the same type with the same identifier (`SoDinhDanh`/`SoCMND` for a
   citizen, `MaSoThue`/`MaSoDoanhNghiep` for a business) and no `TechID` yet → the owner is
   asked to confirm the link (OpenCPS's "mapping" state), then `TechID` is stored;
3. else a new account.

A login whose identity has no `TechID`, no account type or no identifier for its type is
refused: an account that cannot be told apart from another must not be signed in.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.citizens.enums import AccountType
from motcua.citizens.models import Citizen, CitizenLinkRequest
from motcua.core.clock import now
from motcua.core.errors import Conflict, InvalidInput
from motcua.integrations.vneid.login import NationalIdentity

# Long enough to read the confirmation page, short enough that a forgotten one cannot be used later.
LINK_TTL = timedelta(minutes=10)
CONTACT = "Vui lòng liên hệ Bộ phận Tiếp nhận và Trả kết quả để được hỗ trợ."
# Identifiers that link a national identity to a local account, by account type, in the
# order they are tried: (Citizen column, national attribute, its name for people).
IDENTIFIERS: dict[AccountType, tuple[tuple[str, str, str], ...]] = {
    AccountType.citizen: (("id_number", "SoDinhDanh", "Số định danh cá nhân"),
                          ("old_id_number", "SoCMND", "Số chứng minh nhân dân")),
    AccountType.business: (("tax_code", "MaSoThue", "Mã số thuế"),
                           ("business_code", "MaSoDoanhNghiep", "Mã số doanh nghiệp")),
}
IDENTIFIER_NAMES = {attribute: name for rules in IDENTIFIERS.values() for _, attribute, name in rules}
IDENTIFIER_COLUMNS = {attribute: column for rules in IDENTIFIERS.values() for column, attribute, _ in rules}
# Citizen columns filled from the national identity (same names on both sides).
ATTRIBUTE_COLUMNS = ("full_name", "id_number", "old_id_number", "passport", "gender", "address", "phone", "email",
                     "tax_code", "business_code", "business_name")


class NationalIdentityIncomplete(InvalidInput):
    code = "national_identity_incomplete"


class LinkRefused(Conflict):
    code = "citizen_link_refused"


class LinkExpired(InvalidInput):
    code = "citizen_link_expired"


@dataclass(frozen=True)
class LoginOutcome:
    """Either an account to sign in (`citizen`; `created` when new) or a link to confirm."""

    citizen: Citizen | None = None
    link_request: CitizenLinkRequest | None = None
    created: bool = False


def account_type_of(identity: NationalIdentity) -> AccountType:
    if identity.kind is None:
        raise NationalIdentityIncomplete(
            "Tài khoản định danh điện tử không cho biết là tài khoản công dân hay tổ chức (LoaiTaiKhoan): "
            f"không thể đăng nhập. {CONTACT}")
    return AccountType(identity.kind.value)


def account_attributes(identity: NationalIdentity) -> dict[str, Any]:
    """The account's columns as the identity states them; absent attributes are left out, so
    an update never erases what the account already holds."""
    return {column: value for column in ATTRIBUTE_COLUMNS if (value := getattr(identity, column)) is not None}


def _identifiers(identity: NationalIdentity, account_type: AccountType) -> list[tuple[str, str, str]]:
    """(column, attribute, value) of the identifiers the identity carries for its type."""
    found = [(column, attribute, value) for column, attribute, _ in IDENTIFIERS[account_type]
             if (value := getattr(identity, column))]
    if not found:
        names = " hoặc ".join(name for _, _, name in IDENTIFIERS[account_type])
        raise NationalIdentityIncomplete(
            f"Tài khoản định danh điện tử không có {names}: không thể đăng nhập. {CONTACT}")
    return found


def _update(citizen: Citizen, attributes: dict[str, Any]) -> None:
    for column, value in attributes.items():
        setattr(citizen, column, value)


def sign_in_with_national_identity(session: Session, identity: NationalIdentity) -> LoginOutcome:
    """The account `identity` signs in to, or the link its owner must confirm first.

    The national identity is the authority on the attributes it states: a signed-in account
    takes them (name, address … after a change recorded nationally)."""
    if not identity.tech_id:
        raise NationalIdentityIncomplete(
            "Tài khoản định danh điện tử không có mã định danh tài khoản (TechID): không thể đăng nhập. "
            f"{CONTACT}")
    account_type = account_type_of(identity)
    identifiers = _identifiers(identity, account_type)
    attributes = account_attributes(identity)
    at = now()
    citizen = session.scalars(select(Citizen).where(Citizen.tech_id == identity.tech_id)).one_or_none()
    if citizen is not None:
        if citizen.account_type != account_type:
            raise LinkRefused(f"Tài khoản định danh điện tử này đã liên kết với một tài khoản khác loại. {CONTACT}")
        _update(citizen, attributes)
        citizen.last_login_at = at
        return LoginOutcome(citizen=citizen)
    for column, attribute, value in identifiers:
        matches = session.scalars(select(Citizen).where(
            Citizen.account_type == account_type, getattr(Citizen, column) == value)).all()
        if not matches:
            continue
        if len(matches) > 1 or matches[0].tech_id is not None:
            # Someone else's national account already holds it, or several local accounts
            # share it: linking any of them could hand one person another's account.
            raise LinkRefused(
                f"{IDENTIFIER_NAMES[attribute]} của bạn đã gắn với một tài khoản khác trên hệ thống, "
                f"không thể tự động liên kết. {CONTACT}")
        request = CitizenLinkRequest(citizen_id=matches[0].id, tech_id=identity.tech_id, matched_by=attribute,
                                     attributes=attributes, created_at=at, expires_at=at + LINK_TTL)
        session.add(request)
        session.flush()
        return LoginOutcome(link_request=request)
    citizen = Citizen(tech_id=identity.tech_id, account_type=account_type, created_at=at, linked_at=at,
                      last_login_at=at, **({"full_name": ""} | attributes))
    session.add(citizen)
    session.flush()
    return LoginOutcome(citizen=citizen, created=True)


def get_link_request(session: Session, request_id: str | None) -> tuple[CitizenLinkRequest, Citizen]:
    """The undecided, unexpired link request `request_id`, with its account."""
    expired = LinkExpired("Yêu cầu liên kết tài khoản không còn hiệu lực. Vui lòng đăng nhập lại.")
    try:
        key = uuid.UUID(str(request_id))
    except ValueError:
        raise expired from None
    request = session.get(CitizenLinkRequest, key)
    if request is None or request.decided_at is not None or request.expires_at <= now():
        raise expired
    citizen = session.get(Citizen, request.citizen_id)
    if citizen is None:
        raise expired
    return request, citizen


def confirm_link(session: Session, request_id: str | None) -> Citizen:
    """The owner confirmed: the account takes the national identity's `TechID` and attributes."""
    request, citizen = get_link_request(session, request_id)
    at = now()
    request.decided_at = at
    holder = session.scalars(select(Citizen).where(Citizen.tech_id == request.tech_id)).one_or_none()
    if citizen.tech_id is not None or holder is not None:  # linked meanwhile, e.g. in another tab
        raise LinkRefused(f"Tài khoản đã được liên kết trong lúc chờ xác nhận. {CONTACT}")
    citizen.tech_id = request.tech_id
    citizen.linked_at = at
    citizen.last_login_at = at
    _update(citizen, request.attributes)
    return citizen


def cancel_link(session: Session, request_id: str | None) -> None:
    """The owner declined: nothing is linked and the request cannot be confirmed later."""
    request, _ = get_link_request(session, request_id)
    request.decided_at = now()


def session_stamp(citizen: Citizen) -> str:
    """Stored in the session cookie: a session lasts while the account keeps its national link."""
    return hashlib.sha256(f"citizen:{citizen.id}:{citizen.tech_id}".encode()).hexdigest()[:20]


def load_session_citizen(session: Session, citizen_id: str | None, stamp: str | None) -> Citizen | None:
    if not citizen_id or not stamp:
        return None
    try:
        key = uuid.UUID(str(citizen_id))
    except ValueError:
        return None
    citizen = session.get(Citizen, key)
    if citizen is None or citizen.tech_id is None or not secrets.compare_digest(session_stamp(citizen), str(stamp)):
        return None
    return citizen


def mask_identifier(value: str | None) -> str:
    """An ID number as shown on screen: its first and last three characters
    (020******123), so that a screen seen over the shoulder does not give it away."""
    if not value:
        return ""
    visible = 3 if len(value) >= 9 else 1
    if len(value) <= 2 * visible:
        return "*" * len(value)
    return value[:visible] + "*" * (len(value) - 2 * visible) + value[-visible:]


def matched_identifier(request: CitizenLinkRequest) -> tuple[str, str]:
    """The identifier that matched a link request (its name, its value masked)."""
    value = request.attributes.get(IDENTIFIER_COLUMNS[request.matched_by])
    return IDENTIFIER_NAMES[request.matched_by], mask_identifier(value)


def identifier_of(citizen: Citizen) -> tuple[str, str]:
    """The identifier an account is known by (its name, its value masked)."""
    for column, _attribute, name in IDENTIFIERS[citizen.type]:
        if value := getattr(citizen, column):
            return name, mask_identifier(value)
    return "Số định danh", ""
