"""Demo-only staff accounts (password `demo12345`). Never load them in production.

Agencies are found by name (their codes below the province are provisional and editable).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from motcua.auth import service
from motcua.auth.roles import Role
from motcua.core.errors import NotFound
from motcua.org import service as org_service

DEMO_PASSWORD = "demo12345"

PROVINCE_COMMITTEE = "000.00.00.H37"
SERVICE_CENTRE = "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn"
JUSTICE_DEPARTMENT = "Sở Tư pháp"
COMMUNE = "__first_current_commune__"
SECOND_COMMUNE = "UBND xã Chi Lăng"  # a rural commune (since 01/07/2025), beside the first (a ward)

# username, full name, roles, agency (code, name, or COMMUNE)
DEMO_USERS: list[tuple[str, str, tuple[Role, ...], str]] = [
    ("admin", "Quản trị hệ thống", (Role.province_admin,), PROVINCE_COMMITTEE),
    ("motcua", "Nguyễn Thị Một Cửa", (Role.counter_officer,), SERVICE_CENTRE),
    ("quantri.stp", "Hoàng Văn Quản Trị", (Role.agency_admin,), JUSTICE_DEPARTMENT),
    ("chuyenvien", "Trần Văn Chuyên", (Role.specialist,), JUSTICE_DEPARTMENT),
    ("lanhdao", "Lê Thị Lãnh Đạo", (Role.head,), JUSTICE_DEPARTMENT),
    ("vanthu", "Phạm Văn Thư", (Role.clerk,), JUSTICE_DEPARTMENT),
    ("motcua.xa", "Vi Thị Xã", (Role.counter_officer, Role.specialist, Role.head, Role.clerk), COMMUNE),
    ("motcua.chilang", "Hoàng Văn Lăng", (Role.counter_officer, Role.specialist, Role.head, Role.clerk),
     SECOND_COMMUNE),
]


def _demo_agency(session: Session, ref: str):
    if ref == COMMUNE:
        communes = org_service.list_commune_committees(session, include_historical=False)
        return communes[0] if communes else None
    if ref[:1].isdigit():
        try:
            return org_service.get_agency_by_code(session, ref)
        except NotFound:
            return None
    return org_service.find_agency_by_name(session, ref)


def seed_demo_users(session: Session) -> list[str]:
    """Create the demo accounts that do not exist yet; returns the usernames created."""
    created = []
    for username, full_name, roles, ref in DEMO_USERS:
        if service.find_user(session, username) is not None:
            continue
        agency = _demo_agency(session, ref)
        if agency is None:  # organisation not seeded: nothing to attach the account to
            continue
        service.create_user(
            session,
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            agency=agency,
            roles=roles,
        )
        created.append(username)
    return created


def seed_demo(session: Session) -> None:
    """Demo staff accounts (registry convention: motcua.domains)."""
    seed_demo_users(session)
