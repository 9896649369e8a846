"""Writers hold their locks only while they must: a receipt bumps its unit's daily counter
last (the row lock PostgreSQL keeps until the commit), and the overdue job reads its
candidates without the SQLite write lock and alerts in short write batches, once per
dossier even when two workers run at once."""

from __future__ import annotations

import os
import sqlite3
import threading

import pytest
from sqlalchemy import event, func, select

from motcua.core.clock import frozen
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.dossiers.models import Dossier, DossierEvent, Notification
from motcua.dossiers.service import run_overdue_alerts
from tests.databases import fresh_url
from tests.dossiers.world import build_world, local, receive


def _statements(connection):
    seen: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()).upper())

    event.listen(connection, "before_cursor_execute", before)
    return seen, lambda: event.remove(connection, "before_cursor_execute", before)


def _first(seen: list[str], prefix: str) -> int:
    return next(i for i, s in enumerate(seen) if s.startswith(prefix))


@pytest.mark.parametrize("outcome", ["accepted", "refused"])
def test_a_receipt_bumps_the_code_counter_after_everything_else(db, connection, outcome):
    world = build_world(db)
    seen, stop = _statements(connection)
    try:
        with frozen(local(2027, 3, 2, 9, 0)):
            extra = {"refusal_reason": "Không thuộc thẩm quyền."} if outcome == "refused" else {}
            dossier = receive(db, world, outcome=outcome, **extra)
    finally:
        stop()
    bump = _first(seen, "INSERT INTO DOSSIER_CODE_COUNTERS")
    # Every read and every insert of the receipt comes before the counter is bumped …
    for table in ("DOSSIERS ", "DOSSIER_COMPONENTS", "DOSSIER_EVENTS"):
        assert _first(seen, f"INSERT INTO {table}") < bump, table
    if outcome == "accepted":
        assert _first(seen, "INSERT INTO DOSSIER_STEPS") < bump
    # … and after it only the code's own two writes.
    assert [s.split(" SET ")[0].split(" (")[0] for s in seen[bump + 1:]] == [
        "INSERT INTO DOSSIER_CODES", "UPDATE DOSSIERS"]
    assert dossier.code.startswith("T00.00.01.H99-270302-")


def _due_world(session, count: int):
    world = build_world(session)
    with frozen(local(2027, 3, 2, 9, 0)):
        for _ in range(count):
            receive(session, world)  # due 09/03/2027 17:00: alerted from 05/03 17:00
    return world


@pytest.fixture
def sqlite_file(tmp_path):
    url = fresh_url("sqlite", "migrated", tmp_path, "job")
    engine = make_engine(url)
    yield engine, url.removeprefix("sqlite:///")
    engine.dispose()


def test_the_overdue_job_reads_its_candidates_without_the_sqlite_write_lock(sqlite_file):
    engine, path = sqlite_file
    factory = make_sessionmaker(engine)
    with session_scope(factory) as session:
        _due_world(session, 3)
    free_while_reading: list[bool] = []
    begins: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        if statement.startswith("BEGIN"):
            begins.append(statement)
        if statement.lstrip().upper().startswith("SELECT") and "overdue_alerted_at IS NULL" in statement \
                and "dossiers.procedure_name" not in statement:  # the candidates' read
            other = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")  # another writer gets the lock at once
                other.execute("ROLLBACK")
                free_while_reading.append(True)
            except sqlite3.OperationalError:
                free_while_reading.append(False)
            finally:
                other.close()

    event.listen(engine, "before_cursor_execute", before)
    try:
        with frozen(local(2027, 3, 8, 9, 0)):
            codes = run_overdue_alerts(factory, batch=2)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert free_while_reading == [True]
    # One read, then the three alerts in two short writes (batches of two).
    assert begins == ["BEGIN DEFERRED", "BEGIN IMMEDIATE", "BEGIN IMMEDIATE"]
    assert len(codes) == 3
    with session_scope(factory, write=False) as session:
        assert session.scalar(select(func.count()).select_from(Dossier)
                              .where(Dossier.overdue_alerted_at.is_not(None))) == 3


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_two_workers_at_once_alert_each_dossier_once(backend, tmp_path):
    if backend not in os.environ.get("MOTCUA_TEST_BACKENDS", "sqlite,postgresql"):
        pytest.skip(f"{backend} not in MOTCUA_TEST_BACKENDS")
    engine = make_engine(fresh_url(backend, "migrated", tmp_path, "alerts"))
    factory = make_sessionmaker(engine)
    with session_scope(factory) as session:
        _due_world(session, 6)
    # Both workers read their candidates before either writes (the barrier sits at the end
    # of each one's first unit of work, the read): each then holds all six, and only the
    # write batches' re-check can keep an alert from going out twice.
    barrier = threading.Barrier(2)
    state = threading.local()

    def after_commit(_session):
        if not getattr(state, "read", False):
            state.read = True
            barrier.wait(30)

    event.listen(factory, "after_commit", after_commit)
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with frozen(local(2027, 3, 8, 9, 0)):
                results.append(run_overdue_alerts(factory, batch=2))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    event.remove(factory, "after_commit", after_commit)
    try:
        assert errors == []
        assert sorted(len(r) for r in results) in ([0, 6], [1, 5], [2, 4], [3, 3])
        assert sorted(results[0] + results[1]) == sorted(set(results[0] + results[1]))
        with session_scope(factory, write=False) as session:
            alerts = session.execute(select(DossierEvent.dossier_id, func.count()).where(
                DossierEvent.action == "overdue_alert").group_by(DossierEvent.dossier_id)).all()
            notes = session.scalar(select(func.count()).select_from(Notification)
                                   .where(Notification.kind == "overdue_alert"))
        assert len(alerts) == 6 and {n for _, n in alerts} == {1}
        assert notes == 6  # one per dossier: the head (no handler assigned yet)
    finally:
        engine.dispose()
