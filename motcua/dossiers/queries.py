"""Reading dossiers. Every staff list starts from `visible_dossiers(session, user)`.

A user sees a dossier when one of its agencies is within the user's agency scope
(auth.policies.agency_scope: the agencies where the user holds a role and those below):
the competent agency, the receiving unit, the place of return, or an agency consulted in
an inter-agency step. Province administrators see everything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, exists, false, func, or_, select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import agency_scope
from motcua.core.clock import now
from motcua.core.errors import Forbidden, InvalidInput, NotFound
from motcua.dossiers.enums import (
    FINISHED_STATUSES,
    PAUSED_STATUSES,
    TERMINAL_STATUSES,
    DossierStatus,
    StepState,
)
from motcua.dossiers.models import Dossier, DossierCode, StepExecution

BOXES = ("todo", "due_soon", "overdue", "waiting")
MAX_PAGE_SIZE = 100


def _scope_filter(scope: set[uuid.UUID]):
    if not scope:
        return false()
    consulted = exists().where(
        StepExecution.dossier_id == Dossier.id,
        StepExecution.parallel_group.is_not(None),
        StepExecution.unit_id.in_(scope),
    )
    return or_(
        Dossier.agency_id.in_(scope),
        Dossier.receiving_unit_id.in_(scope),
        Dossier.return_unit_id.in_(scope),
        consulted,
    )


def visible_dossiers(session: Session, user: User | None) -> Select[tuple[Dossier]]:
    """SELECT of the dossiers `user` may see (province_admin: all; nobody: none)."""
    stmt = select(Dossier)
    if user is None:
        return stmt.where(false())
    scope = agency_scope(session, user)
    if scope is None:
        return stmt
    return stmt.where(_scope_filter(scope))


def is_visible(session: Session, dossier: Dossier, user: User | None) -> bool:
    if user is None:
        return False
    scope = agency_scope(session, user)
    if scope is None:
        return True
    stmt = select(Dossier.id).where(Dossier.id == dossier.id, _scope_filter(scope))
    return session.scalar(stmt) is not None


def ensure_visible(session: Session, dossier: Dossier, user: User | None) -> None:
    if not is_visible(session, dossier, user):
        raise Forbidden("Hồ sơ không thuộc phạm vi cơ quan, đơn vị của bạn.")


def get_dossier(session: Session, dossier_id: uuid.UUID, user: User | None) -> Dossier:
    """A dossier the user may see: 404 when it does not exist, 403 when out of scope."""
    dossier = session.get(Dossier, dossier_id)
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    ensure_visible(session, dossier, user)
    return dossier


def find_by_code(session: Session, code: str) -> Dossier | None:
    ref = session.scalar(select(DossierCode.dossier_ref_id).where(DossierCode.code == code.strip()))
    return session.get(Dossier, ref) if ref else None


@dataclass
class Page:
    total: int
    page: int
    page_size: int
    items: list[Dossier]


def _active():
    return Dossier.status.not_in([s.value for s in FINISHED_STATUSES])


def _todo_filter(session: Session, user: User):
    from motcua.auth.policies import is_province_admin

    if is_province_admin(user):
        return _active()
    pairs = [(r.role, r.agency_id) for r in user.roles]
    if not pairs:
        return false()
    at_step = or_(*[and_(Dossier.current_role == role, Dossier.current_unit_id == unit) for role, unit in pairs])
    mine = or_(Dossier.current_assignee_id.is_(None), Dossier.current_assignee_id == user.id)
    units = {unit for _, unit in pairs}
    consulted = exists().where(
        StepExecution.dossier_id == Dossier.id, StepExecution.parallel_group.is_not(None),
        StepExecution.state == StepState.open, StepExecution.unit_id.in_(units),
    )
    counter_units = [unit for role, unit in pairs if role == "counter_officer"]
    refused_to_return = and_(Dossier.status == DossierStatus.refused, Dossier.return_unit_id.in_(counter_units))
    paused_at_counter = and_(Dossier.status.in_([s.value for s in PAUSED_STATUSES]),
                             Dossier.receiving_unit_id.in_(counter_units))
    return or_(
        # result_ready stays here: the result waits at the counter's return step
        and_(Dossier.status.not_in([s.value for s in TERMINAL_STATUSES | PAUSED_STATUSES]), at_step, mine),
        and_(Dossier.status == DossierStatus.awaiting_consultation, consulted),
        refused_to_return if counter_units else false(),
        paused_at_counter if counter_units else false(),
    )


def inbox(
    session: Session, user: User, *, box: str | None = None, agency_id: uuid.UUID | None = None,
    status: str | None = None, code: str | None = None, q: str | None = None, page: int = 1, page_size: int = 20,
    at: datetime | None = None, due_soon_until: datetime | None = None,
) -> Page:
    """The user's dossiers, filtered: box todo | due_soon | overdue | waiting, agency, status, code."""
    if box is not None and box not in BOXES:
        raise InvalidInput(f"Hộp hồ sơ không hợp lệ; chọn một trong: {', '.join(BOXES)}.")
    if status is not None:
        try:
            DossierStatus(status)
        except ValueError:
            raise InvalidInput("Trạng thái hồ sơ không hợp lệ.") from None
    if page < 1 or page_size < 1 or page_size > MAX_PAGE_SIZE:
        raise InvalidInput(f"Trang phải ≥ 1 và số hồ sơ mỗi trang từ 1 đến {MAX_PAGE_SIZE}.")
    at = at or now()
    stmt = visible_dossiers(session, user)
    if box == "todo":
        stmt = stmt.where(_todo_filter(session, user))
    elif box == "due_soon":
        until = due_soon_until or at
        stmt = stmt.where(_active(), Dossier.status.not_in([s.value for s in PAUSED_STATUSES]),
                          Dossier.due_at >= at, Dossier.due_at <= until)
    elif box == "overdue":
        stmt = stmt.where(_active(), Dossier.status.not_in([s.value for s in PAUSED_STATUSES]), Dossier.due_at < at)
    elif box == "waiting":
        stmt = stmt.where(Dossier.status.in_([*(s.value for s in PAUSED_STATUSES), DossierStatus.awaiting_consultation]))
    if agency_id is not None:
        stmt = stmt.where(or_(Dossier.agency_id == agency_id, Dossier.receiving_unit_id == agency_id))
    if status is not None:
        stmt = stmt.where(Dossier.status == status)
    if code:
        stmt = stmt.where(Dossier.code == code.strip())
    if q:
        from motcua.core.text import fold

        folded = fold(q)
        if folded:
            stmt = stmt.where(or_(Dossier.applicant_name_folded.contains(folded), Dossier.code.contains(q.strip())))
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(session.scalars(
        stmt.order_by(Dossier.received_at.desc(), Dossier.id).offset((page - 1) * page_size).limit(page_size)
    ))
    return Page(total, page, page_size, items)


def mask(value: str | None, keep: int = 3) -> str | None:
    """Pure: '012345678901' → '*********901' (lists and logs never show IDs and phones in full)."""
    if not value:
        return value
    value = value.replace(" ", "")
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]
