"""Test harness: every database test runs on SQLite and on a real PostgreSQL server.

The schema is built by running the Alembic migrations and the reference data (organisation,
catalogue, calendar) is seeded once per run and backend (tests/databases.py: templates
shared by the xdist workers, one PostgreSQL server for the run); each worker works on its
own copy, and each test inside a transaction that is rolled back, so tests never see each
other's writes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session, sessionmaker

from motcua.core.config import Settings
from motcua.core.db import make_engine
from tests import databases, factories

BACKENDS = [b.strip() for b in os.environ.get("MOTCUA_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]


def pytest_collection_modifyitems(config, items):
    """A test marked `one_backend` (a rule with no SQL of its own, e.g. the transition table
    driven through the API: 150 parametrised cases) runs on the first backend only; the
    scenarios and API tests drive the same actions on both."""
    keep = []
    for item in items:
        params = getattr(item, "callspec", None)
        backend = params.params.get("engine") if params else None
        if item.get_closest_marker("one_backend") and backend not in (None, BACKENDS[0]):
            config.hook.pytest_deselected(items=[item])
            continue
        keep.append(item)
    items[:] = keep


def pytest_configure(config):
    databases.configure(config)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """xdist: each worker is told the folder of the run's shared templates and server."""
    databases.configure_node(node)


def pytest_unconfigure(config):
    databases.unconfigure(config)


@pytest.fixture(scope="session", params=BACKENDS)
def engine(request, tmp_path_factory) -> Iterator[Engine]:
    """A migrated, seeded database of each backend (this worker's copy of the template)."""
    engine = make_engine(databases.fresh_url(request.param, "reference", tmp_path_factory.mktemp("db"), "test"))
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    conn = engine.connect()
    outer = conn.begin()
    try:
        yield conn
    finally:
        if outer.is_active:
            outer.rollback()
        conn.close()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    """Sessions that commit into a savepoint of the test's rolled-back transaction."""
    return sessionmaker(bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")


@pytest.fixture
def db(session_factory) -> Iterator[Session]:
    session = session_factory()
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        database_url="sqlite://",
        secret_key="test-secret-key-test-secret-key-0123456789",
        storage_dir=tmp_path / "files",
    )


@pytest.fixture
def app(settings, engine, session_factory):
    from motcua.app import create_app

    application = create_app(settings, engine=engine)
    application.state.sessionmaker = session_factory
    return application


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def agencies(db):
    """The seeded agencies tests use by name (factories.seeded_agencies)."""
    return factories.seeded_agencies(db)


@pytest.fixture
def make_user(db, agencies):
    """make_user(username, *roles, agency=Sở Tư pháp, full_name=…, password=PASSWORD): a staff
    account that can sign in (a specialist when no role is given)."""

    def _make(username: str, *roles, agency=None, password: str = factories.PASSWORD, full_name=None):
        return factories.account(db, username, *(roles or ("specialist",)), agency=agency or agencies.justice,
                                 full_name=full_name, password=password)

    return _make


@pytest.fixture
def statements(engine) -> Iterator[list[str]]:
    """Every SQL statement sent to the database while the test runs (clear it first)."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)
