"""Catalogue test builders: administrators with API tokens or a signed-in page session."""

from __future__ import annotations

import re

import pytest

from motcua.auth import service as auth_service
from motcua.auth.roles import Role
from motcua.org import service as org_service

PASSWORD = "matkhau-dung-1"


@pytest.fixture
def make_user(db):
    def _make(username: str, *roles: Role, agency=None):
        return auth_service.create_user(
            db,
            username=username,
            password=PASSWORD,
            full_name=f"Cán bộ {username}",
            agency=agency or org_service.get_agency_by_code(db, "000.00.00.H37"),
            roles=roles,
        )

    return _make


@pytest.fixture
def bearer(db):
    def _bearer(user) -> dict[str, str]:
        return {"Authorization": f"Bearer {auth_service.issue_token(db, user, 'kiem-thu')}"}

    return _bearer


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


@pytest.fixture
def login(client):
    def _login(username: str) -> None:
        token = csrf_from(client.get("/dang-nhap").text)
        response = client.post(
            "/dang-nhap",
            data={"username": username, "password": PASSWORD, "next": "", "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text[:500]

    return _login
