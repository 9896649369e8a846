"""Who may see and handle feedback items.

Staff see the items of their agencies (`auth.policies.agency_scope`: the agencies where they
hold any role and those below, as for dossiers). The province's PAKN unit — the staff of the
Văn phòng UBND tỉnh (its seed key below) — and province administrators see every item and
are the only ones who re-route an item to another agency."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import agency_scope, in_scope, is_province_admin
from motcua.core.errors import Forbidden, NotFound
from motcua.org.models import Agency

# The unit that receives unrouted feedback and re-routes (Văn phòng UBND tỉnh, org seed).
PAKN_UNIT_KEY = "van-phong-ubnd-tinh"


def pakn_unit(session: Session) -> Agency:
    unit = session.scalar(select(Agency).where(Agency.seed_key == PAKN_UNIT_KEY))
    if unit is None:  # only an installation without the organisation seed
        raise NotFound("Chưa có đơn vị đầu mối tiếp nhận phản ánh, kiến nghị (Văn phòng UBND tỉnh).")
    return unit


def is_pakn_staff(session: Session, user: User | None) -> bool:
    if user is None or not user.is_active:
        return False
    if is_province_admin(user):
        return True
    unit_id = session.scalar(select(Agency.id).where(Agency.seed_key == PAKN_UNIT_KEY))
    return any(r.agency_id == unit_id for r in user.roles)


def staff_scope(session: Session, user: User | None) -> set[uuid.UUID] | None:
    """The agencies whose items `user` sees: None = all (PAKN unit, province admin)."""
    if is_pakn_staff(session, user):
        return None
    return agency_scope(session, user)


def ensure_staff(session: Session, user: User | None) -> set[uuid.UUID] | None:
    scope = staff_scope(session, user)
    if scope is not None and not scope:
        raise Forbidden("Chỉ cán bộ của cơ quan nhà nước mới xem được phản ánh, kiến nghị.")
    return scope


def ensure_may_handle(session: Session, user: User | None, agency_id: uuid.UUID) -> None:
    if not in_scope(staff_scope(session, user), agency_id):
        raise Forbidden("Phản ánh, kiến nghị này không thuộc cơ quan của bạn.")


def ensure_may_route(session: Session, user: User | None) -> None:
    if not is_pakn_staff(session, user):
        raise Forbidden("Chỉ đơn vị đầu mối tiếp nhận phản ánh, kiến nghị (Văn phòng UBND tỉnh) được chuyển "
                        "phản ánh, kiến nghị sang cơ quan khác.")
