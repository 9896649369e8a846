"""The request's unit of work: committed before the response leaves, a failed commit is an
error, SQLite reads never wait for the write lock, a lock that stays taken is a 503.

These run the app in-process (TestClient) on an engine-bound sessionmaker — real commits
on the harness's databases, not the rolled-back test transaction — with a scratch table
created and dropped by each test.
"""

from __future__ import annotations

import sqlite3

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, select, text

from motcua.app import create_app
from motcua.auth.models import ApiToken
from motcua.auth.service import issue_token
from motcua.auth.tokens import TOKEN_TOUCH_SECONDS
from motcua.core.clock import now
from motcua.core.db import DbSession, get_session, make_engine, make_sessionmaker, session_scope
from tests.databases import fresh_url
from tests.dossiers.world import build_world
from tests.live_server import CSRF_RE


def _api_routes(routes):
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # an included router (FastAPI ≥ 0.160)
            yield from _api_routes(route.original_router.routes)


def _dependants(dependant):
    for sub in dependant.dependencies:
        yield sub
        yield from _dependants(sub)


def test_every_route_commits_before_its_response(settings, engine):
    """Every use of `get_session` has the "function" scope (exit before the response is
    sent); one declared with the default "request" scope would commit after it."""
    app = create_app(settings, engine=engine)
    using = 0
    for route in _api_routes(app.routes):
        scopes = {d.scope for d in _dependants(route.dependant) if d.call is get_session}
        assert scopes <= {"function"}, route.path
        using += bool(scopes)
    assert using > 50


@pytest.fixture
def probe(engine, settings):
    """The app on a real (committing) sessionmaker, with POST /api/v1/_probe writing a row
    into a scratch table, and a wrapper that reads that table from another connection the
    moment the response starts."""
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS tx_probe_child")
        conn.exec_driver_sql("DROP TABLE IF EXISTS tx_probe")
        conn.exec_driver_sql("CREATE TABLE tx_probe (v INTEGER NOT NULL, "
                             "CONSTRAINT uq_tx_probe UNIQUE (v) DEFERRABLE INITIALLY DEFERRED)"
                             if engine.dialect.name == "postgresql" else
                             "CREATE TABLE tx_probe (v INTEGER NOT NULL PRIMARY KEY)")
        conn.exec_driver_sql("CREATE TABLE tx_probe_child (v INTEGER NOT NULL"
                             + (")" if engine.dialect.name == "postgresql" else " REFERENCES tx_probe (v))"))
    app = create_app(settings, engine=engine)

    def write(session: DbSession, v: int, fail_at_commit: bool = False) -> dict:
        if fail_at_commit and engine.dialect.name == "sqlite":
            # Checked at COMMIT only: a child row without its parent.
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            session.execute(text("INSERT INTO tx_probe_child (v) VALUES (:v)"), {"v": v})
        elif fail_at_commit:
            # The deferred unique constraint is checked at COMMIT only.
            session.execute(text("INSERT INTO tx_probe (v) VALUES (:v), (:v)"), {"v": v})
        else:
            session.execute(text("INSERT INTO tx_probe (v) VALUES (:v)"), {"v": v})
        return {"v": v}

    app.add_api_route("/api/v1/_probe", write, methods=["POST"], status_code=201)
    seen_at_start: list[list[int]] = []

    def rows() -> list[int]:  # a read from another connection (deferred on SQLite)
        with session_scope(make_sessionmaker(engine), write=False) as other:
            return list(other.scalars(text("SELECT v FROM tx_probe ORDER BY v")))

    async def wrapped(scope, receive, send):
        async def watch(message):
            if message["type"] == "http.response.start":
                seen_at_start.append(rows())
            await send(message)

        await app(scope, receive, watch)

    with TestClient(wrapped, raise_server_exceptions=False) as client:
        yield client, seen_at_start, rows
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE tx_probe_child")
        conn.exec_driver_sql("DROP TABLE tx_probe")


def test_the_write_is_committed_when_the_response_starts(probe):
    client, seen_at_start, _rows = probe
    for v in (1, 2, 3):
        assert client.post("/api/v1/_probe", params={"v": v}).status_code == 201
    # Read from another connection at the first byte of each response: already there.
    assert seen_at_start == [[1], [1, 2], [1, 2, 3]]


def test_a_failed_commit_is_an_error_response_and_stores_nothing(probe):
    client, _seen, rows = probe
    response = client.post("/api/v1/_probe", params={"v": 7, "fail_at_commit": True})
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["title"].startswith("Hệ thống gặp lỗi ngoài dự kiến")
    assert rows() == []
    assert client.post("/api/v1/_probe", params={"v": 8}).status_code == 201
    assert rows() == [8]


@pytest.fixture
def sqlite_app(tmp_path, settings, request):
    """An app on its own migrated SQLite file whose busy timeout is 0.3 s (instead of 10 s)."""
    url = fresh_url("sqlite", "migrated", tmp_path, "busy")
    engine = make_engine(url)
    event.listen(engine, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA busy_timeout = 300"))
    with session_scope(make_sessionmaker(engine)) as session:
        world = build_world(session)
        token = issue_token(session, world.counter, "thử")
    app = create_app(settings, engine=engine)
    yield app, url, token
    engine.dispose()


def test_sqlite_reads_go_on_while_another_process_writes_and_a_stuck_write_gets_503(sqlite_app):
    app, url, token = sqlite_app
    holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    with TestClient(app, raise_server_exceptions=False) as client:
        login_page = client.get("/dang-nhap")
        csrf = CSRF_RE.search(login_page.text).group(1)
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            # Reads never wait for it: pages, the search, the API.
            assert client.get("/dang-nhap").status_code == 200
            assert client.get("/api/v1/procedures", params={"q": "khai sinh"}).status_code == 200
            assert client.get("/api/v1/dossiers", headers={"Authorization": f"Bearer {token}"}).status_code == 200
            assert client.get("/readyz").status_code == 200
            # A write waits for the busy timeout, then: 503, Retry-After, in Vietnamese.
            api = client.post("/api/v1/dossiers", json={}, headers={"Authorization": f"Bearer {token}"})
            page = client.post("/dang-nhap", data={"csrf_token": csrf, "username": "t_motcua", "password": "x"},
                               headers={"accept": "text/html"})
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert api.status_code == 503
        assert api.headers["retry-after"] == "2"
        assert api.headers["content-type"].startswith("application/problem+json")
        assert api.json()["title"].startswith("Hệ thống đang bận")
        assert page.status_code == 503
        assert page.headers["retry-after"] == "2"
        assert page.headers["content-type"].startswith("text/html")
        assert "Hệ thống đang bận" in page.text
        # The lock released, the same write goes through.
        again = client.post("/dang-nhap", data={"csrf_token": csrf, "username": "t_motcua", "password": "x"})
        assert again.status_code == 400


def test_a_token_used_by_reads_only_still_records_its_use(sqlite_app):
    """A GET's unit of work is a read: the token's "last used" stamp is written beside it."""
    app, _url, token = sqlite_app
    factory = app.state.sessionmaker
    with TestClient(app) as client:
        assert client.get("/api/v1/dossiers", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with session_scope(factory, write=False) as session:
        stamp = session.scalars(select(ApiToken.last_used_at)).one()
    assert stamp is not None
    assert (now() - stamp).total_seconds() < TOKEN_TOUCH_SECONDS


def test_readiness_needs_a_migrated_database(client, settings, tmp_path):
    assert client.get("/readyz").status_code == 200
    assert client.get("/readyz").json()["status"] == "ok"
    empty = create_app(settings, engine=make_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    with TestClient(empty) as other:
        response = other.get("/readyz")
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert "motcua db upgrade" in response.json()["detail"]
        assert other.get("/healthz").status_code == 200  # alive all the same


def test_no_free_pooled_connection_is_503_not_500(settings, tmp_path):
    """Every pooled connection busy past the pool timeout: 503 with Retry-After."""
    url = fresh_url("sqlite", "migrated", tmp_path, "pool")
    engine = create_engine(url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    app = create_app(settings, engine=engine)
    with engine.connect(), TestClient(app, raise_server_exceptions=False) as client:  # the only connection
        response = client.get("/api/v1/procedures", params={"q": "khai sinh"})
    engine.dispose()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert response.json()["title"].startswith("Hệ thống đang bận")
