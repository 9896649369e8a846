"""Population lookups and their access log.

A lookup is allowed to counter officers of the one-stop section receiving (the counter form,
before a dossier exists) and, for a dossier, to its counter officers and to the handlers
(specialist, head) of its agencies — each within their agency scope; a province
administrator counts as every role (auth.policies). Every lookup made is logged in the same
unit of work, found or not; a lookup refused here (input, permission) reaches no system and
is not a lookup.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import agency_scope, has_role, is_province_admin
from motcua.auth.roles import Role
from motcua.core.clock import assume_local, now
from motcua.core.dates import parse_date
from motcua.core.errors import Forbidden, InvalidInput, NotFound
from motcua.core.text import fold
from motcua.dossiers.models import Dossier
from motcua.dossiers.policies import can_read
from motcua.integrations.lgsp.population import (
    SERVICE,
    CitizenNotFound,
    CitizenRecord,
    LookupNotPermitted,
    LookupRequest,
    PopulationError,
    PopulationRegistry,
    normalize_id_number,
)
from motcua.org.models import Agency
from motcua.population.enums import LookupOutcome, LookupPurpose
from motcua.population.models import PopulationLookup
from motcua.population.schemas import AccessLogQuery, LookupIn

HANDLER_ROLES = (Role.counter_officer, Role.specialist, Role.head)
CITIZEN_USERNAME = "công dân"  # the log's "user name" of a citizen's own lookup
LOG_PAGE_SIZE = 50
NOT_ALLOWED = ("Chỉ công chức Bộ phận Một cửa và người giải quyết hồ sơ của cơ quan có thẩm quyền "
               f"được tra cứu {SERVICE}.")


@dataclass(frozen=True)
class LookupResult:
    entry: PopulationLookup
    outcome: LookupOutcome
    message: str
    citizen: CitizenRecord | None = None


@dataclass(frozen=True)
class _Context:
    agency: Agency
    dossier: Dossier | None


def _context(session: Session, user: User, data: LookupIn) -> _Context:
    """Where the lookup is made, once the user is allowed to make it there."""
    if data.purpose == LookupPurpose.counter_prefill:
        unit = session.get(Agency, data.unit_id)
        if unit is None:
            raise NotFound("Không tìm thấy Bộ phận Một cửa tiếp nhận đã chọn.")
        if not has_role(user, Role.counter_officer, agency_id=unit.id):
            raise Forbidden(f"Chỉ công chức Bộ phận Một cửa của {unit.name} được tra cứu {SERVICE} tại quầy này.")
        return _Context(unit, None)
    dossier = session.get(Dossier, data.dossier_id)
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    if not can_read(dossier, agency_scope(session, user, *HANDLER_ROLES)):
        raise Forbidden(NOT_ALLOWED)
    return _Context(session.get(Agency, dossier.agency_id), dossier)


def lookup_citizen(session: Session, registry: PopulationRegistry, user: User, data: LookupIn) -> LookupResult:
    """Look the citizen up and log it; the outcome says found or why not (never raised:
    the log row must be committed whatever the database answered)."""
    id_number = normalize_id_number(data.id_number)
    where = _context(session, user, data)
    dossier_code = where.dossier.code if where.dossier is not None else None
    request = LookupRequest(id_number=id_number, purpose=data.purpose.label, officer=user.username,
                            unit_code=where.agency.code or "", dossier_code=dossier_code or "")
    return _lookup_and_log(session, registry, request, PopulationLookup(
        user_id=user.id, username=user.username, user_name=user.full_name, agency_id=where.agency.id,
        id_number=id_number, dossier_ref_id=where.dossier.id if where.dossier else None,
        dossier_code=dossier_code, purpose=data.purpose.value))


def lookup_own_record(session: Session, registry: PopulationRegistry, *, citizen_id: uuid.UUID, citizen_name: str,
                      id_number: str, agency: Agency) -> LookupResult:
    """A signed-in citizen's lookup of their own number (the one their national identity
    states: the caller passes nothing else), to fill in an online form for `agency` (the
    one-stop section that will receive it); logged with the citizen as the one who asked."""
    id_number = normalize_id_number(id_number)
    request = LookupRequest(id_number=id_number, purpose=LookupPurpose.online_prefill.label,
                            officer=CITIZEN_USERNAME, unit_code=agency.code or "", dossier_code="")
    return _lookup_and_log(session, registry, request, PopulationLookup(
        citizen_id=citizen_id, username=CITIZEN_USERNAME, user_name=citizen_name, agency_id=agency.id,
        id_number=id_number, purpose=LookupPurpose.online_prefill.value))


def _lookup_and_log(session: Session, registry: PopulationRegistry, request: LookupRequest,
                    entry: PopulationLookup) -> LookupResult:
    citizen, asked_at = None, now()
    try:
        citizen = registry.lookup_citizen(request)
        outcome, message = LookupOutcome.found, f"Đã lấy thông tin công dân từ {SERVICE}."
    except CitizenNotFound as exc:
        outcome, message = LookupOutcome.not_found, exc.message
    except LookupNotPermitted as exc:
        outcome, message = LookupOutcome.not_permitted, exc.message
    except PopulationError as exc:
        outcome, message = LookupOutcome.unavailable, exc.message
    entry.at, entry.outcome, entry.message = asked_at, outcome.value, None if citizen else message
    session.add(entry)
    session.flush()
    return LookupResult(entry, outcome, message, citizen)


def dossier_check_section(_session: Session, dossier: Dossier) -> dict[str, str] | None:
    """The dossier page's "compare with the population database" button: for a citizen's
    dossier with a well-formed ID number (the API still checks who may press it)."""
    if dossier.applicant_kind != "person":
        return None
    try:
        id_number = normalize_id_number(dossier.applicant_id_number)
    except InvalidInput:
        return None
    return {"dossier_id": str(dossier.id), "id_number": id_number}


def prefill_fields(citizen: CitizenRecord) -> dict[str, str]:
    """The counter form's applicant fields from a citizen: the address is where the citizen
    lives now (current residence when recorded, else permanent residence)."""
    address = citizen.current_address or citizen.permanent_address
    return {"applicant_kind": "person", "full_name": citizen.full_name, "id_number": citizen.id_number,
            "address": address.text if address else ""}


# --- the access log ----------------------------------------------------------------------


def ensure_log_reader(user: User | None) -> None:
    if not has_role(user, Role.province_admin, Role.agency_admin):
        raise Forbidden(f"Chỉ quản trị tỉnh hoặc quản trị đơn vị được xem nhật ký tra cứu {SERVICE}.")


@dataclass(frozen=True)
class LogPage:
    total: int
    page: int
    page_size: int
    items: list[tuple[PopulationLookup, str]]  # the row and its agency's name


def _day_start(value: str, label: str) -> datetime:
    return assume_local(datetime.combine(parse_date(value, label=label), time.min))


def access_log(session: Session, user: User, query: AccessLogQuery, *, page: int = 1) -> LogPage:
    """The lookups an administrator may read (their agency scope), newest first, filtered."""
    ensure_log_reader(user)
    conditions = []
    if not is_province_admin(user):
        conditions.append(PopulationLookup.agency_id.in_(agency_scope(session, user, Role.agency_admin) or set()))
    if query.date_from.strip():
        conditions.append(PopulationLookup.at >= _day_start(query.date_from, "Từ ngày"))
    if query.date_to.strip():
        conditions.append(PopulationLookup.at < _day_start(query.date_to, "Đến ngày") + timedelta(days=1))
    if query.id_number.strip():
        digits = "".join(ch for ch in query.id_number if not ch.isspace())
        if not digits.isdigit():
            raise InvalidInput("Số định danh tìm kiếm chỉ gồm chữ số.")
        conditions.append(PopulationLookup.id_number.contains(digits, autoescape=True))
    if query.user.strip():
        wanted = fold(query.user.strip())
        matching = select(User.id).where(or_(User.username == query.user.strip().lower(),
                                             User.search_text.contains(wanted, autoescape=True)))
        conditions.append(PopulationLookup.user_id.in_(matching))
    total = session.scalar(select(func.count()).select_from(PopulationLookup).where(*conditions)) or 0
    rows = session.execute(
        select(PopulationLookup, Agency.name).join(Agency, Agency.id == PopulationLookup.agency_id)
        .where(*conditions).order_by(PopulationLookup.at.desc(), PopulationLookup.id.desc())
        .limit(LOG_PAGE_SIZE).offset((page - 1) * LOG_PAGE_SIZE)
    ).all()
    return LogPage(total, page, LOG_PAGE_SIZE, [(row, name) for row, name in rows])

