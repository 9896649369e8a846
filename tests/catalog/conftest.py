"""Catalogue test builders: administrators with API tokens or a signed-in page session; the
`motcua` command on the seeded test database."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from motcua.auth.roles import Role
from motcua.cli import app as cli_app
from motcua.core.config import get_settings
from motcua.org import service as org_service
from tests import factories
from tests.html_forms import csrf_from, signed_in  # noqa: F401  (csrf_from: imported by the tests)


@pytest.fixture
def make_user(db):
    """Users at the provincial People's Committee unless `agency` is given."""

    def _make(username: str, *roles: Role, agency=None):
        return factories.account(db, username, *roles,
                                 agency=agency or org_service.get_agency_by_code(db, "000.00.00.H37"))

    return _make


@pytest.fixture
def bearer(db):
    return lambda user: factories.bearer(db, user, "kiem-thu")


@pytest.fixture
def login(client):
    def _login(username: str) -> None:
        signed_in(client, username)

    return _login


@pytest.fixture
def cli_db(engine, monkeypatch):
    """`motcua` commands run on the seeded test database of the backend."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()


def run_cli(*args: str):
    return CliRunner().invoke(cli_app, list(args))
