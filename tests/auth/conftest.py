"""Builders for auth tests: agencies from the seeded organisation, users with roles."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from motcua.auth import service
from motcua.auth.roles import Role
from motcua.org import service as org_service

PASSWORD = "matkhau-dung-1"


@pytest.fixture
def agencies(db):
    return SimpleNamespace(
        province=org_service.get_agency_by_code(db, "000.00.00.H37"),
        justice=org_service.find_agency_by_name(db, "Sở Tư pháp"),
        justice_unit=org_service.find_agency_by_name(db, "Trung tâm Dịch vụ pháp lý nhà nước"),
        finance=org_service.find_agency_by_name(db, "Sở Tài chính"),
        centre=org_service.find_agency_by_name(db, "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn"),
        commune=org_service.list_commune_committees(db, include_historical=False)[0],
    )


@pytest.fixture
def make_user(db, agencies):
    def _make(username: str, *roles: Role, agency=None, password: str = PASSWORD, full_name=None):
        return service.create_user(
            db,
            username=username,
            password=password,
            full_name=full_name or f"Cán bộ {username}",
            agency=agency or agencies.justice,
            roles=roles or (Role.specialist,),
        )

    return _make


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def login(client, username: str, password: str = PASSWORD, next: str = ""):
    token = csrf_from(client.get("/dang-nhap").text)
    return client.post(
        "/dang-nhap",
        data={"username": username, "password": password, "next": next, "csrf_token": token},
        follow_redirects=False,
    )
