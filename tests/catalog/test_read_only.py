"""The search's read-only unit of work against a real, committed database (no test rollback).

The shared `client` fixture runs every request inside the test's transaction, so it never
exercises the AUTOCOMMIT connection `read_only_scope` uses on PostgreSQL. Here the app gets
an engine-bound sessionmaker on a database of its own (migrated, unseeded) and every write
is committed by another session, as by an administrator in another process.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, text

from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.search import clear_cache
from motcua.core.clock import now
from motcua.core.db import make_engine, make_sessionmaker, read_only_scope, session_scope
from motcua.core.text import fold_words
from tests.conftest import BACKENDS
from tests.databases import fresh_url


@pytest.fixture(scope="module", params=BACKENDS)
def committed_engine(request, tmp_path_factory):
    engine = make_engine(fresh_url(request.param, "migrated", tmp_path_factory.mktemp("ro"), "ro"))
    yield engine
    engine.dispose()
    clear_cache()


@pytest.fixture
def factory(committed_engine):
    factory = make_sessionmaker(committed_engine)
    yield factory
    with session_scope(factory) as session:
        for model in (ProcedureVersion, Procedure, Field):
            session.execute(delete(model))


class Boom(Exception):
    pass


def add_procedure(factory, code: str, name: str) -> None:
    with session_scope(factory) as session:
        field = session.scalar(select(Field).where(Field.code == "ho-tich"))
        if field is None:
            field = Field(code="ho-tich", name="Hộ tịch", name_folded="ho tich")
            session.add(field)
        procedure = Procedure(
            code=code,
            name=name,
            name_folded=" ".join(fold_words(name)),
            level="commune",
            field=field,
            time_limit_days=5,
        )
        session.add(procedure)
        session.flush()
        session.add(ProcedureVersion(procedure_id=procedure.id, number=1, snapshot={}))


def rename(factory, code: str, name: str) -> None:
    """What an administrator's edit does: new name, updated_at, one more version."""
    with session_scope(factory) as session:
        procedure = session.scalar(select(Procedure).where(Procedure.code == code))
        procedure.name = name
        procedure.name_folded = " ".join(fold_words(name))
        procedure.updated_at = now() + timedelta(seconds=1)
        count = session.scalar(
            select(func.count()).where(ProcedureVersion.procedure_id == procedure.id)
        )
        session.add(ProcedureVersion(procedure_id=procedure.id, number=count + 1, snapshot={}))


@pytest.fixture
def api(committed_engine, settings):
    from motcua.app import create_app

    app = create_app(settings, engine=committed_engine)  # engine-bound, no test transaction
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def search(api, q: str) -> dict:
    response = api.get("/api/v1/procedures", params={"q": q})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    return response.json()


def test_search_sees_every_committed_change_at_once(api, factory, committed_engine):
    add_procedure(factory, "TEST-000001", "Đăng ký khai sinh")
    assert search(api, "dang ky khai sinh") == {
        "total": 1,
        "page": 1,
        "page_size": 20,
        "items": [
            {
                "code": "TEST-000001",
                "code_provisional": False,
                "name": "Đăng ký khai sinh",
                "level": "commune",
                "levels": ["commune"],  # no agency yet: the level it was recorded with
                "field": {"code": "ho-tich", "name": "Hộ tịch"},
                "online_level": "none",
                "status": "in_force",
                "cross_boundary": False,
                "time_limit_days": 5,
                "time_limit_hours": None,
            }
        ],
        "approximate": [],
    }
    rename(factory, "TEST-000001", "Đăng ký khai sinh lưu động")
    assert [i["name"] for i in search(api, "khai sinh")["items"]] == ["Đăng ký khai sinh lưu động"]

    # another process: its own engine and pool
    other = make_engine(str(committed_engine.url.render_as_string(hide_password=False)))
    try:
        add_procedure(make_sessionmaker(other), "TEST-000002", "Đăng ký khai tử")
    finally:
        other.dispose()
    # both hold "dang ky" as their first words: the shorter name first
    assert [i["code"] for i in search(api, "dang ky")["items"]] == ["TEST-000002", "TEST-000001"]

    with session_scope(factory) as session:
        session.execute(delete(ProcedureVersion))
        session.execute(delete(Procedure).where(Procedure.code == "TEST-000002"))
    assert [i["code"] for i in search(api, "dang ky")["items"]] == ["TEST-000001"]


def test_read_only_scope_refuses_to_write(factory):
    with pytest.raises(RuntimeError, match="cannot write"):
        with read_only_scope(factory) as session:
            session.add(Field(code="dat-dai", name="Đất đai", name_folded="dat dai"))
            session.flush()
    with read_only_scope(factory) as session:
        assert session.scalar(select(func.count()).select_from(Field)) == 0


def test_read_only_scope_skips_the_transaction_only_on_postgresql(factory, committed_engine):
    postgresql = committed_engine.dialect.name == "postgresql"
    with read_only_scope(factory) as session:
        assert session.execute(text("SELECT 1")).scalar() == 1
        dbapi = session.connection().connection.dbapi_connection
        if postgresql:
            import psycopg

            assert dbapi.autocommit is True
            assert dbapi.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    # the pooled connection is transactional again afterwards: a failed unit of work
    # leaves nothing behind
    with pytest.raises(Boom):
        with session_scope(factory) as session:
            if postgresql:
                assert session.connection().connection.dbapi_connection.autocommit is False
            session.add(Field(code="dat-dai", name="Đất đai", name_folded="dat dai"))
            session.flush()
            raise Boom
    with read_only_scope(factory) as session:
        assert session.scalar(select(func.count()).select_from(Field)) == 0


def test_tests_transaction_is_still_used_by_the_shared_client(client, db):
    # the shared fixtures bind sessions to the test's connection: read_only_scope must join
    # that transaction (and see its uncommitted rows), not open a connection of its own
    add = Procedure(
        code="TEST-000003",
        name="Thủ tục chỉ có trong giao dịch kiểm thử",
        name_folded="thu tuc chi co trong giao dich kiem thu",
        level="province",
    )
    db.add(add)
    db.flush()
    found = client.get("/api/v1/procedures", params={"q": "giao dich kiem thu"}).json()
    assert found["items"][0]["code"] == "TEST-000003"
