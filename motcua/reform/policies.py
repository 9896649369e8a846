"""Who may see and do what in administrative reform (CCHC).

- The Department of Home Affairs (Sở Nội vụ, the standing agency of reform: seed key below)
  sees everything: any staff role held there (or in its sub-departments) and province
  administrators. Its reform officers (and province administrators) manage the plans —
  create, import — and may enter a unit's report on its behalf (units that still report on
  paper; the entry records who typed it).
- Other staff see the tasks their agencies take part in (`auth.policies.agency_scope`: the
  agencies where they hold a role and those below). Reform officers and heads of the lead
  agency report progress; those of a co-operating agency add their part.

Services call these; templates only mirror them.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import agency_scope, in_scope, is_province_admin
from motcua.auth.roles import Role
from motcua.core.errors import Forbidden
from motcua.org.models import Agency
from motcua.org.queries import agencies_under

# The standing agency of administrative reform (org seed: provincial_agencies.json).
HOME_AFFAIRS_KEY = "so-noi-vu"
# The roles that report for a unit (the unit's reform officer, or its head).
REPORTING_ROLES = (Role.reform_officer, Role.head)


def home_affairs(session: Session) -> Agency | None:
    return session.scalar(select(Agency).where(Agency.seed_key == HOME_AFFAIRS_KEY))


def _home_affairs_ids(session: Session) -> set[uuid.UUID]:
    unit = home_affairs(session)
    return set() if unit is None else agencies_under(session, {unit.id})


def sees_all(session: Session, user: User | None) -> bool:
    """Province administrators and any staff of the Department of Home Affairs."""
    if user is None or not user.is_active:
        return False
    if is_province_admin(user):
        return True
    ids = _home_affairs_ids(session)
    return any(r.agency_id in ids for r in user.roles)


def manages_plans(session: Session, user: User | None) -> bool:
    """Province administrators and the reform officers of the Department of Home Affairs."""
    if user is None or not user.is_active:
        return False
    if is_province_admin(user):
        return True
    ids = _home_affairs_ids(session)
    return any(r.role == Role.reform_officer and r.agency_id in ids for r in user.roles)


def reform_scope(session: Session, user: User | None) -> set[uuid.UUID] | None:
    """The agencies whose reform work `user` sees: None = all."""
    if sees_all(session, user):
        return None
    return agency_scope(session, user)


def ensure_staff(session: Session, user: User | None) -> set[uuid.UUID] | None:
    scope = reform_scope(session, user)
    if scope is not None and not scope:
        raise Forbidden("Chỉ cán bộ của cơ quan nhà nước mới xem được kế hoạch cải cách hành chính.")
    return scope


def ensure_manages_plans(session: Session, user: User | None) -> None:
    if not manages_plans(session, user):
        raise Forbidden("Chỉ cán bộ cải cách hành chính của Sở Nội vụ (hoặc quản trị tỉnh) được tạo, nhập "
                        "kế hoạch cải cách hành chính.")


def acts_for(session: Session, user: User | None, agency_id: uuid.UUID | None) -> bool:
    """May `user` report for `agency_id` (None: a unit not in this installation)? Its reform
    officers and heads (and those of the agencies above it), or the plan managers."""
    if manages_plans(session, user):
        return True
    if agency_id is None:
        return False
    return in_scope(agency_scope(session, user, *REPORTING_ROLES), agency_id)


def ensure_acts_for(session: Session, user: User | None, agency_id: uuid.UUID | None, *, what: str) -> None:
    if not acts_for(session, user, agency_id):
        raise Forbidden(f"Bạn không có quyền {what} (cần vai trò Cán bộ cải cách hành chính hoặc Lãnh đạo "
                        "của đơn vị, hoặc cán bộ cải cách hành chính của Sở Nội vụ).")
