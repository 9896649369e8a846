"""Security headers on every response, and templates that need no inline script."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from motcua.app import create_app
from motcua.web.security import CONTENT_SECURITY_POLICY

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "motcua").glob("**/templates/**/*.html"))
EXPECTED = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def test_policy_forbids_inline_script_and_framing():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path, status", [
    ("/", 200), ("/thu-tuc", 200), ("/tra-cuu", 200), ("/dang-nhap", 200), ("/khong-co-trang-nay", 404),
    ("/static/motcua.css", 200), ("/static/motcua.js", 200), ("/api/v1/procedures?page_size=1", 200),
    ("/api/v1/me", 401), ("/quan-tri", 200),  # 200 after the redirect to the login page
])
def test_every_kind_of_response_carries_the_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (path, name)
    assert "strict-transport-security" not in response.headers  # plain HTTP install


def test_hsts_only_when_the_site_is_served_over_https(settings, engine, session_factory):
    settings.session_https_only = True
    app = create_app(settings, engine=engine)
    app.state.sessionmaker = session_factory
    with TestClient(app, base_url="https://testserver") as client:
        response = client.get("/dang-nhap")
    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert response.headers["x-frame-options"] == "DENY"


def test_an_unexpected_error_page_carries_the_headers_too(settings, engine, session_factory):
    app = create_app(settings, engine=engine)
    app.state.sessionmaker = session_factory

    @app.get("/_boom")
    def boom():
        raise RuntimeError("boom")

    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        response = client.get("/_boom")
    assert response.status_code == 500
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_templates_have_no_inline_script(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline <script> (CSP script-src 'self')"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler attribute"
    assert "javascript:" not in text
    assert "hx-on" not in text
