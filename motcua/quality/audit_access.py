"""The rules of quality/policies.py applied to audits, reviews, legal-change tasks, targets
and reports: read where the user may view the unit (the Department sees every unit), write
where the user acts for it (the unit's quality secretary or head)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.core.errors import Forbidden, NotFound
from motcua.org.models import Agency
from motcua.quality import policies
from motcua.quality.models import QualityUnit

department_id = policies.department_id


def unit_scope(session: Session, user: User | None) -> set[uuid.UUID] | None:
    """The ids of the units `user` may view; None: every unit."""
    agencies = policies.visible_agency_ids(session, user)
    if agencies is None:
        return None
    if not agencies:
        return set()
    return set(session.scalars(select(QualityUnit.id).where(QualityUnit.agency_id.in_(agencies))))


def scoped(session: Session, user: User | None, stmt, unit_column, unit_id: uuid.UUID | None = None):
    """`stmt` limited to the units `user` may view (and to `unit_id` when given); Forbidden for
    a user who keeps no quality records at all."""
    ensure_quality_user(session, user)
    scope = unit_scope(session, user)
    if scope is not None:
        stmt = stmt.where(unit_column.in_(scope))
    return stmt if unit_id is None else stmt.where(unit_column == unit_id)


def ensure_quality_user(session: Session, user: User | None) -> None:
    if not policies.sees_all(session, user) and not policies.acting_agency_ids(user):
        raise Forbidden("Chỉ thư ký ISO, lãnh đạo đơn vị hoặc Sở Khoa học và Công nghệ được xem "
                        "hồ sơ hệ thống quản lý chất lượng.")


def ensure_unit(session: Session, user: User | None, unit_id: uuid.UUID, *, act: bool = True) -> QualityUnit:
    """The unit, when `user` may act on it (`act`) or view it: NotFound / Forbidden otherwise."""
    unit = session.get(QualityUnit, unit_id)
    if unit is None:
        raise NotFound("Không có đơn vị áp dụng hệ thống quản lý chất lượng này.")
    if act:
        policies.ensure_can_act(user, unit)
    else:
        policies.ensure_can_view_unit(session, user, unit)
    return unit


def unit_by_agency_code(session: Session, user: User | None, agency_code: str, *, act: bool = False) -> QualityUnit:
    unit_id = session.scalar(
        select(QualityUnit.id).join(Agency, Agency.id == QualityUnit.agency_id).where(Agency.code == agency_code)
    )
    if unit_id is None:
        raise NotFound(f"Không có đơn vị mã “{agency_code[:40]}” áp dụng hệ thống quản lý chất lượng.")
    return ensure_unit(session, user, unit_id, act=act)
