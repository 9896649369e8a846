"""Which procedures the province offers online itself.

ND 224/2026: the provincial system offers online only the services the National Public
Service Portal does not provide (DOMAIN.md §2.1). The catalogue says whether a procedure is
an online public service (`online_level` full or partial) but not whether the national portal
provides it: no catalogue column, no field of the national record we import, says so. That
is therefore a list kept by administrators (`online_services`), each entry with the decision
that put it there; a procedure is offered here when it is on the list, is marked online in
the catalogue and is in force. Taking it off the list (e.g. once the national portal
provides it) stops new drafts and submissions; dossiers already submitted go on.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import is_province_admin
from motcua.catalog.enums import ONLINE_LEVEL_LABELS, OnlineLevel, ProcedureStatus
from motcua.catalog.models import NationalCode, Procedure
from motcua.catalog.service import get_procedure_by_code
from motcua.core.clock import now
from motcua.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.core.text import nfc
from motcua.eservice.models import OnlineService

ONLINE_LEVELS = (OnlineLevel.full.value, OnlineLevel.partial.value)
BASIS_MAX = 500


@dataclass(frozen=True)
class Offer:
    procedure: Procedure
    entry: OnlineService
    national_code: str | None  # a confirmed national code: worth checking the portal does not offer it

    @property
    def available(self) -> bool:
        return not unavailable_reason(self.procedure)


def unavailable_reason(procedure: Procedure) -> str | None:
    """Why a listed procedure takes no online submission now, or None."""
    if procedure.status != ProcedureStatus.in_force.value:
        return f"Thủ tục “{procedure.code}” đã bị bãi bỏ, không nhận hồ sơ mới."
    if procedure.online_level not in ONLINE_LEVELS:
        level = ONLINE_LEVEL_LABELS.get(procedure.online_level, procedure.online_level)
        return f"Danh mục thủ tục ghi thủ tục “{procedure.code}” là “{level}”, không phải dịch vụ công trực tuyến."
    return None


def offered_procedures(session: Session) -> list[Procedure]:
    """The procedures a citizen may submit online here now, by name."""
    stmt = (select(Procedure).join(OnlineService, OnlineService.procedure_id == Procedure.id)
            .where(Procedure.status == ProcedureStatus.in_force.value, Procedure.online_level.in_(ONLINE_LEVELS))
            .order_by(Procedure.name_folded, Procedure.code))
    return list(session.scalars(stmt))


def is_offered(session: Session, procedure: Procedure) -> bool:
    listed = session.scalar(select(OnlineService.id).where(OnlineService.procedure_id == procedure.id))
    return listed is not None and unavailable_reason(procedure) is None


def offered_procedure(session: Session, code: str) -> Procedure:
    """The procedure (components and fees loaded) when offered online here; otherwise a
    Vietnamese refusal saying why (404 unknown or not listed, 409 listed but not available)."""
    procedure = get_procedure_by_code(session, code, full=True)
    if session.scalar(select(OnlineService.id).where(OnlineService.procedure_id == procedure.id)) is None:
        raise NotFound(f"Thủ tục “{procedure.code}” không được nộp trực tuyến trên Cổng dịch vụ công của tỉnh: "
                       "hãy nộp trên Cổng Dịch vụ công quốc gia, tại Bộ phận Một cửa hoặc qua bưu chính.")
    reason = unavailable_reason(procedure)
    if reason:
        raise Conflict(reason)
    return procedure


# --- administration ------------------------------------------------------------------------


def ensure_admin(user: User | None) -> None:
    if not is_province_admin(user):
        raise Forbidden("Chỉ quản trị tỉnh được sửa danh mục thủ tục nộp trực tuyến trên Cổng dịch vụ công của tỉnh.")


def offers(session: Session, user: User) -> list[Offer]:
    """Every listed procedure, with its national code when one is confirmed."""
    ensure_admin(user)
    rows = session.execute(
        select(Procedure, OnlineService, NationalCode.national_code)
        .join(OnlineService, OnlineService.procedure_id == Procedure.id)
        .outerjoin(NationalCode, NationalCode.procedure_id == Procedure.id)
        .order_by(Procedure.name_folded, Procedure.code)).all()
    return [Offer(p, entry, national) for p, entry, national in rows]


def add_offer(session: Session, user: User, *, code: str, basis: str) -> OnlineService:
    ensure_admin(user)
    basis = nfc(basis) or ""
    if not basis:
        raise InvalidInput("Hãy ghi văn bản công bố danh mục (số, ngày quyết định) làm căn cứ.",
                           details=[{"name": "basis", "label": "Căn cứ", "message": "Chưa ghi căn cứ."}])
    if len(basis) > BASIS_MAX:
        raise InvalidInput(f"Căn cứ dài quá {BASIS_MAX} ký tự.",
                           details=[{"name": "basis", "label": "Căn cứ", "message": f"Tối đa {BASIS_MAX} ký tự."}])
    try:
        procedure = get_procedure_by_code(session, code)
    except NotFound as exc:
        raise InvalidInput(exc.message, details=[{"name": "code", "label": "Mã thủ tục", "message": exc.message}]) from None
    reason = unavailable_reason(procedure)
    if reason:
        raise InvalidInput(reason, details=[{"name": "code", "label": "Mã thủ tục", "message": reason}])
    if session.scalar(select(OnlineService.id).where(OnlineService.procedure_id == procedure.id)) is not None:
        raise Conflict(f"Thủ tục “{procedure.code}” đã có trong danh mục nộp trực tuyến của tỉnh.")
    entry = OnlineService(procedure_id=procedure.id, basis=basis, added_by=user.username, added_at=now())
    session.add(entry)
    session.flush()
    return entry


def remove_offer(session: Session, user: User, *, code: str) -> Procedure:
    ensure_admin(user)
    procedure = get_procedure_by_code(session, code)
    entry = session.scalar(select(OnlineService).where(OnlineService.procedure_id == procedure.id))
    if entry is None:
        raise NotFound(f"Thủ tục “{procedure.code}” không có trong danh mục nộp trực tuyến của tỉnh.")
    session.delete(entry)
    session.flush()
    return procedure
