"""Who may change the catalogue (checked in the service layer, not only in templates).

A province administrator edits every procedure and may create new ones; an agency
administrator edits the procedures implemented by an agency within their scope (their
agency and its subordinate agencies).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth import policies as auth_policies
from motcua.auth.models import User
from motcua.auth.roles import Role
from motcua.catalog.models import Procedure, ProcedureAgency
from motcua.core.errors import Forbidden


def is_catalog_admin(user: User | None) -> bool:
    """May reach the catalogue administration at all."""
    return auth_policies.has_role(user, Role.province_admin, Role.agency_admin)


def can_edit_procedure(session: Session, user: User | None, procedure: Procedure) -> bool:
    if auth_policies.is_province_admin(user):
        return True
    if not auth_policies.has_role(user, Role.agency_admin):
        return False
    scope = auth_policies.agency_scope(session, user, Role.agency_admin)
    if scope is None:
        return True
    if not scope:
        return False
    agency_ids = set(
        session.scalars(
            select(ProcedureAgency.agency_id).where(ProcedureAgency.procedure_id == procedure.id)
        )
    )
    return bool(agency_ids & scope)


def editable_procedure_ids(
    session: Session, user: User | None, procedure_ids: list
) -> set | None:
    """Which of `procedure_ids` the user may edit (same rule as `can_edit_procedure`, one query);
    None means all of them."""
    if auth_policies.is_province_admin(user):
        return None
    if not auth_policies.has_role(user, Role.agency_admin) or not procedure_ids:
        return set()
    scope = auth_policies.agency_scope(session, user, Role.agency_admin)
    if scope is None:
        return None
    if not scope:
        return set()
    return set(
        session.scalars(
            select(ProcedureAgency.procedure_id)
            .where(
                ProcedureAgency.procedure_id.in_(procedure_ids),
                ProcedureAgency.agency_id.in_(scope),
            )
            .distinct()
        )
    )


def ensure_catalog_admin(user: User | None) -> None:
    if not is_catalog_admin(user):
        raise Forbidden(
            "Chỉ quản trị tỉnh hoặc quản trị đơn vị được quản lý danh mục thủ tục hành chính."
        )


def ensure_can_edit_procedure(session: Session, user: User | None, procedure: Procedure) -> None:
    if not can_edit_procedure(session, user, procedure):
        raise Forbidden(
            f"Bạn không có quyền sửa thủ tục {procedure.code}: chỉ quản trị tỉnh hoặc quản trị đơn vị "
            "của cơ quan thực hiện thủ tục được sửa."
        )


def ensure_can_create_procedures(user: User | None) -> None:
    if not auth_policies.is_province_admin(user):
        raise Forbidden("Chỉ quản trị tỉnh được thêm thủ tục mới vào danh mục.")


def ensure_can_publish_decisions(user: User | None) -> None:
    """A publication decision changes the province's whole catalogue: province administrators."""
    if not auth_policies.is_province_admin(user):
        raise Forbidden("Chỉ quản trị tỉnh được nhập quyết định công bố thủ tục hành chính.")
