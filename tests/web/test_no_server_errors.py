"""Bad input on every page and endpoint gets a clear answer, never a 500.

Walks every registered route: GET with junk query parameters and unknown path values,
and POST/PATCH/DELETE with empty or junk bodies, both anonymously and as a province
administrator.
"""

import re

import pytest
from fastapi.routing import APIRoute

from motcua.auth import service as auth_service
from motcua.auth.roles import Role
from motcua.org import service as org_service

JUNK_QUERY = {
    "q": "\u0000%' OR 1=1 --",
    "page": "-1",
    "page_size": "100000",
    "level": "không-có",
    "agency": "000.00.00.XXX",
    "field": "???",
    "online_level": "x",
    "year": "năm",
    "from": "32/13/2025",
    "to": "abc",
    "received_at": "hôm qua",
    "working_days": "-3",
    "code": "../../etc/passwd",
    "ma": "<script>",
    "box": "nope",
    "next": "https://evil.example",
}
PATH_VALUES = ["khong-ton-tai", "00000000-0000-0000-0000-000000000000", "%00", "1" * 300]
ADMIN_PASSWORD = "quan-tri-kiem-thu-1"


def _flatten(routes):
    """Every route, looking inside included routers (FastAPI wraps them since 0.16x)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _flatten(inner.routes)
        else:
            yield route


def _routes(app):
    for route in _flatten(app.routes):
        if isinstance(route, APIRoute) or getattr(route, "methods", None):
            path = getattr(route, "path", "")
            # logging out mid-walk would turn the administrator's walk into an anonymous one
            if path.startswith(("/static", "/assets")) or path in {"/openapi.json", "/api/docs", "/dang-xuat"}:
                continue
            for method in sorted(route.methods or []):
                if method in {"HEAD", "OPTIONS"}:
                    continue
                yield method, path


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def _csrf(client) -> str:
    html = client.get("/dang-nhap").text
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return match.group(1) if match else ""


def _walk(client, app, csrf: str) -> list[str]:
    failures = []
    for method, path in _routes(app):
        for value in PATH_VALUES if "{" in path else [""]:
            url = _fill(path, value)
            if method == "GET":
                response = client.get(url, params=JUNK_QUERY, follow_redirects=False)
            else:
                response = client.request(
                    method, url, data={"csrf_token": csrf, "x": "\u0000"},
                    headers={"X-CSRF-Token": csrf}, follow_redirects=False,
                )
                if response.status_code < 500:
                    response = client.request(
                        method, url, content=b"{not json", headers={"content-type": "application/json", "X-CSRF-Token": csrf},
                        follow_redirects=False,
                    )
            if response.status_code >= 500:
                failures.append(f"{method} {url} → {response.status_code}")
    return failures


def test_anonymous_walk_never_gets_a_server_error(client, app):
    failures = _walk(client, app, _csrf(client))
    assert failures == []


@pytest.fixture
def admin_client(client, db):
    province = org_service.get_agency_by_code(db, "000.00.00.H37")
    auth_service.create_user(
        db, username="kiemthu.quantri", password=ADMIN_PASSWORD, full_name="Quản trị kiểm thử",
        agency=province, roles=(Role.province_admin,),
    )
    db.commit()
    token = _csrf(client)
    response = client.post(
        "/dang-nhap",
        data={"username": "kiemthu.quantri", "password": ADMIN_PASSWORD, "next": "", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code in (302, 303)
    return client


def test_admin_walk_never_gets_a_server_error(admin_client, app):
    failures = _walk(admin_client, app, _csrf(admin_client))
    assert failures == []
