"""Who may change the working calendar: "may this user do X?" for the calendar domain.

Province administrators keep the whole calendar (days off, make-up days, the province's
office hours); agency administrators set the office hours of the agencies in their scope.
A string actor is a trusted operator (the CLI) and is returned as the name to log.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import agency_scope, in_scope, is_province_admin
from motcua.auth.roles import Role
from motcua.core.errors import Forbidden
from motcua.org.models import Agency


def may_edit_calendar(user: User | None) -> bool:
    """Days off, make-up days and the province's office hours: province administrators."""
    return is_province_admin(user)


def calendar_editor(actor: User | str) -> str:
    """Only a province administrator edits the calendar; a string is a trusted operator (CLI)."""
    if isinstance(actor, str):
        return actor
    if not may_edit_calendar(actor):
        raise Forbidden("Chỉ quản trị tỉnh được thay đổi lịch ngày nghỉ, ngày làm việc bù.")
    return actor.username


def office_hours_editor(session: Session, actor: User | str, agency: Agency | None) -> str:
    """The actor's name if it may change these office hours; Forbidden otherwise.

    The province default: province administrators only. An agency's own hours: province
    administrators for any agency, agency administrators for the agencies in their scope
    (their agency and its subordinates). A string is a trusted operator (CLI).
    """
    if isinstance(actor, str) or agency is None:
        return calendar_editor(actor)
    if not in_scope(agency_scope(session, actor, Role.agency_admin), agency.id):
        raise Forbidden(
            f"Bạn không có quyền thay đổi giờ làm việc của cơ quan {agency.code}: "
            "chỉ quản trị tỉnh hoặc quản trị của cơ quan đó (hay cơ quan cấp trên) được thay đổi."
        )
    return actor.username


def can_manage_agency_hours(session: Session, user: User | None) -> bool:
    """Does `user` administer the office hours of at least one agency?"""
    return agency_scope(session, user, Role.agency_admin) != set()


def ensure_calendar_admin(user: User | None) -> None:
    """The calendar administration pages are for province administrators only."""
    if not may_edit_calendar(user):
        raise Forbidden("Chỉ quản trị tỉnh được quản lý lịch ngày nghỉ, ngày làm việc bù.")


def ensure_admin_page_access(session: Session, user: User | None) -> None:
    """/quan-tri/lich: province administrators see everything; agency administrators only
    their agencies' office hours; anyone else is refused."""
    if not can_manage_agency_hours(session, user):
        ensure_calendar_admin(user)
