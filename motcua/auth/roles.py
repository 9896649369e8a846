"""Staff roles. Roles are held per agency; a user may hold several.

The identifiers are part of the CLI and the API (issue 3, item 5) — never rename them.
"""

from __future__ import annotations

from enum import StrEnum

from motcua.core.errors import InvalidInput


class Role(StrEnum):
    province_admin = "province_admin"  # Quản trị tỉnh: everything, everywhere
    agency_admin = "agency_admin"  # Quản trị đơn vị: users, processes of its agency and below
    counter_officer = "counter_officer"  # Công chức Bộ phận Một cửa: receives and returns dossiers
    specialist = "specialist"  # Chuyên viên: appraises, drafts results
    head = "head"  # Lãnh đạo: assigns, approves, signs
    clerk = "clerk"  # Văn thư: numbers and stamps results
    quality_secretary = "quality_secretary"  # Thư ký ISO: QMS records
    reform_officer = "reform_officer"  # Cán bộ cải cách hành chính: reform plans

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.province_admin: "Quản trị tỉnh",
    Role.agency_admin: "Quản trị đơn vị",
    Role.counter_officer: "Công chức Bộ phận Một cửa",
    Role.specialist: "Chuyên viên",
    Role.head: "Lãnh đạo",
    Role.clerk: "Văn thư",
    Role.quality_secretary: "Thư ký ISO",
    Role.reform_officer: "Cán bộ cải cách hành chính",
}

ADMIN_ROLES = (Role.province_admin, Role.agency_admin)


def valid_roles_text() -> str:
    """"province_admin (Quản trị tỉnh), agency_admin (...)" for error messages."""
    return ", ".join(f"{r.value} ({r.label})" for r in Role)


def parse_role(value: str | Role) -> Role:
    """A Role from its identifier, or InvalidInput listing the valid ones."""
    if isinstance(value, Role):
        return value
    try:
        return Role((value or "").strip())
    except ValueError:
        raise InvalidInput(
            f"Vai trò không hợp lệ: “{value}”. Các vai trò hợp lệ: {valid_roles_text()}."
        ) from None
