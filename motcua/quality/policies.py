"""Who may do what in the quality domain (issue 14, item 7). Services call these.

- A quality secretary (Thư ký ISO) acts for the unit where the role is held: that agency
  exactly, not the agencies below it (each of those runs its own system).
- The unit's head (Lãnh đạo) approves its controlled documents and confirms stage changes
  a secretary may also record; a head may do everything its secretary may.
- The Department of Science and Technology (Sở KH&CN, the standing body of the provincial
  ISO steering committee) sees and reports on every unit and keeps the plans' roadmap;
  any of its secretaries, heads, specialists or administrators counts.
- A province administrator may do everything.
- A unit dissolved or merged in 2025 is history: its successor's people may read it, and
  nobody edits it any more (its system now lives in the successor's).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import has_role, is_province_admin
from motcua.auth.roles import Role
from motcua.core.errors import Forbidden
from motcua.org.models import Agency
from motcua.quality.models import QualityUnit

DEPARTMENT_SEED_KEY = "so-khcn"  # Sở Khoa học và Công nghệ (org seed)
DEPARTMENT_ROLES = (Role.quality_secretary, Role.head, Role.specialist, Role.agency_admin)
UNIT_ACTORS = (Role.quality_secretary, Role.head)


def department_id(session: Session) -> uuid.UUID | None:
    return session.scalar(select(Agency.id).where(Agency.seed_key == DEPARTMENT_SEED_KEY))


def sees_all(session: Session, user: User | None) -> bool:
    """Province administrator, or staff of the Department of Science and Technology."""
    if is_province_admin(user):
        return True
    department = department_id(session)
    return department is not None and any(
        has_role(user, role, agency_id=department) for role in DEPARTMENT_ROLES
    )


def acting_agency_ids(user: User | None) -> set[uuid.UUID]:
    """Agencies whose system `user` acts for (secretary or head there)."""
    if user is None or not user.is_active:
        return set()
    return {r.agency_id for r in user.roles if r.role in {str(x) for x in UNIT_ACTORS}}


def visible_agency_ids(session: Session, user: User | None) -> set[uuid.UUID] | None:
    """None: every unit. Otherwise the user's own units and the units they took over."""
    if sees_all(session, user):
        return None
    own = acting_agency_ids(user)
    if not own:
        return set()
    # Follow the hand-overs back step by step: after A merged into B and B into C, C's people
    # read A's history too (each step is one small query; chains are a few mergers long).
    seen, frontier = set(own), set(own)
    while frontier:
        heirs = select(QualityUnit.id).where(QualityUnit.agency_id.in_(frontier))
        frontier = set(session.scalars(
            select(QualityUnit.agency_id).where(QualityUnit.handed_over_to_id.in_(heirs))
        )) - seen
        seen |= frontier
    return seen


def can_view_unit(session: Session, user: User | None, unit: QualityUnit) -> bool:
    scope = visible_agency_ids(session, user)
    return scope is None or unit.agency_id in scope


def ensure_can_view_unit(session: Session, user: User | None, unit: QualityUnit) -> None:
    if not can_view_unit(session, user, unit):
        raise Forbidden(
            "Bạn chỉ xem được hệ thống quản lý chất lượng của đơn vị mình "
            "(Sở Khoa học và Công nghệ xem được tất cả các đơn vị)."
        )


def _ensure_current(unit: QualityUnit) -> None:
    if unit.handed_over_to_id is not None:
        raise Forbidden(
            "Hệ thống của đơn vị này đã bàn giao cho đơn vị kế thừa; hồ sơ chỉ còn để tra cứu."
        )


def can_act(user: User | None, unit: QualityUnit) -> bool:
    """Record the unit's system (details, stage, scope, document drafts)."""
    return unit.handed_over_to_id is None and (
        is_province_admin(user) or unit.agency_id in acting_agency_ids(user)
    )


def ensure_can_act(user: User | None, unit: QualityUnit) -> None:
    _ensure_current(unit)
    if not can_act(user, unit):
        raise Forbidden("Chỉ thư ký ISO hoặc lãnh đạo của đơn vị được cập nhật hệ thống quản lý chất lượng của đơn vị.")


def is_secretary_of(user: User | None, unit: QualityUnit) -> bool:
    return user is not None and user.is_active and any(
        r.role == Role.quality_secretary and r.agency_id == unit.agency_id for r in user.roles
    )


def can_approve(user: User | None, unit: QualityUnit) -> bool:
    """Approve (ban hành) a controlled document: the unit's head."""
    return unit.handed_over_to_id is None and has_role(user, Role.head, agency_id=unit.agency_id)


def ensure_can_approve(user: User | None, unit: QualityUnit) -> None:
    _ensure_current(unit)
    if not can_approve(user, unit):
        raise Forbidden("Chỉ lãnh đạo của đơn vị được phê duyệt, ban hành tài liệu của hệ thống quản lý chất lượng.")


def ensure_sees_all(session: Session, user: User | None) -> None:
    """Province-wide views, reports and the plans' roadmap: the Department (or a province admin)."""
    if not sees_all(session, user):
        raise Forbidden("Chỉ Sở Khoa học và Công nghệ được xem và báo cáo toàn tỉnh về hệ thống quản lý chất lượng.")
