"""Who may do what. Every domain's services call these; templates only mirror them.

Roles are held per agency. `province_admin` counts everywhere. An agency-level role
reaches the agency where it is held and every agency below it (its scope), so a
Sở's administrator manages the Sở's sub-departments too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.orm import Session, object_session

from motcua.auth.models import User
from motcua.auth.roles import ROLE_LABELS, Role
from motcua.core.errors import Forbidden
from motcua.org.models import Agency
from motcua.org.queries import agencies_under


def _role_values(roles: Iterable[Role | str]) -> set[str]:
    return {str(r) for r in roles}


def _label(role: Role | str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return str(role)


def is_province_admin(user: User | None) -> bool:
    return bool(user and user.is_active and any(r.role == Role.province_admin for r in user.roles))


def has_role(user: User | None, *roles: Role | str, agency_id: uuid.UUID | None = None) -> bool:
    """Does `user` hold one of `roles` (at `agency_id`, when given)?

    `province_admin` counts as every role everywhere. The agency check is exact (no
    hierarchy, no database); use `agency_scope` when subordinate agencies count.
    With no roles given, any role at all is enough.
    """
    if user is None or not user.is_active:
        return False
    if is_province_admin(user):
        return True
    wanted = _role_values(roles)
    return any(
        (not wanted or r.role in wanted) and (agency_id is None or r.agency_id == agency_id)
        for r in user.roles
    )


def ensure_role(user: User | None, *roles: Role | str, agency_id: uuid.UUID | None = None) -> None:
    """Raise Forbidden (403, Vietnamese) unless `has_role(user, *roles, agency_id=...)`."""
    if has_role(user, *roles, agency_id=agency_id):
        return
    if roles:
        labels = ", ".join(_label(r) for r in roles)
        raise Forbidden(f"Bạn không có quyền thực hiện thao tác này (cần vai trò: {labels}).")
    raise Forbidden("Bạn không có quyền thực hiện thao tác này.")


def _session_of(user: User, session: Session | None) -> Session:
    session = session or object_session(user)
    if session is None:
        raise RuntimeError("agency_scope needs a session (the user is detached)")
    return session


def agency_scope(
    session: Session | None, user: User | None, *roles: Role | str
) -> set[uuid.UUID] | None:
    """Agencies `user` may act on: None means every agency (province_admin).

    Otherwise the agencies where the user holds a role (one of `roles`, when given)
    plus all their subordinate agencies. An inactive or anonymous user gets an empty set.
    Cheap to call several times per request: the agency tree is read once per unit of
    work (`org.queries.agencies_under`).
    """
    if user is None or not user.is_active:
        return set()
    if is_province_admin(user):
        return None
    wanted = _role_values(roles)
    roots = {r.agency_id for r in user.roles if not wanted or r.role in wanted}
    if not roots:
        return set()
    return agencies_under(_session_of(user, session), roots)


def in_scope(scope: set[uuid.UUID] | None, agency_id: uuid.UUID | None) -> bool:
    return scope is None or (agency_id is not None and agency_id in scope)


def can_grant(
    actor: User | None, role: Role | str, agency_id: uuid.UUID, *, session: Session | None = None
) -> bool:
    """May `actor` give someone `role` at `agency_id`? Only a province admin grants province_admin."""
    if is_province_admin(actor):
        return True
    if actor is None or str(role) == Role.province_admin:
        return False
    return in_scope(agency_scope(session, actor, Role.agency_admin), agency_id)


def can_manage_user(actor: User | None, target: User, *, session: Session | None = None) -> bool:
    """May `actor` edit `target`'s account (details, roles, password, activation)?

    A province admin manages everyone. An agency admin manages a user whose every
    role lies within the admin's scope and who is not a province admin; a user with
    no role at all belongs to nobody's scope, so only a province admin sees them.
    """
    if actor is None or not actor.is_active:
        return False
    if is_province_admin(actor):
        return True
    if not any(r.role == Role.agency_admin for r in actor.roles):
        return False
    if not target.roles or any(r.role == Role.province_admin for r in target.roles):
        return False
    scope = agency_scope(session, actor, Role.agency_admin)
    return all(in_scope(scope, r.agency_id) for r in target.roles)


def ensure_can_manage_user(actor: User | None, target: User, *, session: Session | None = None) -> None:
    if not can_manage_user(actor, target, session=session):
        raise Forbidden(f"Bạn không có quyền quản lý tài khoản “{target.username}”.")


def ensure_user_admin(actor: User | None) -> None:
    """Only province and agency administrators reach the user administration at all."""
    if not has_role(actor, Role.province_admin, Role.agency_admin):
        raise Forbidden("Chỉ quản trị tỉnh hoặc quản trị đơn vị được quản lý người dùng.")


def ensure_may_edit_agency(actor: User | None, agency: Agency, name_only: bool = True) -> None:
    """A province administrator may edit any agency; an agency administrator only the name
    (and short name) of its own. `None` is the system itself. Handed to org.service's edits
    as `authorize=partial(ensure_may_edit_agency, actor)`."""
    if actor is None or is_province_admin(actor):
        return
    if name_only and has_role(actor, Role.agency_admin, agency_id=agency.id):
        return
    if name_only:
        raise Forbidden("Chỉ Quản trị tỉnh hoặc Quản trị đơn vị của chính cơ quan này được sửa tên cơ quan.")
    raise Forbidden("Chỉ Quản trị tỉnh được sửa mã cơ quan hoặc giải thể, sáp nhập cơ quan.")


def may_edit_agency(actor: User | None, agency: Agency, *, name_only: bool = True) -> bool:
    try:
        ensure_may_edit_agency(actor, agency, name_only)
    except Forbidden:
        return False
    return True
