"""Engine, sessions and the declarative Base shared by every domain.

One request, one transaction: `get_session` (declared once, as `DbSession`) commits when
the route returns — before the response is sent, so an acknowledged request is durable —
and rolls back on any error. Services never commit; CLI commands and jobs use
`session_scope`.

SQLite (WAL) and the write lock: a unit of work that may write begins `IMMEDIATE` (takes
the single write lock up front, so writers are serialised from their first statement and
never hit SQLITE_BUSY_SNAPSHOT half-way); a unit of work that only reads begins
`DEFERRED` and never takes it, so readers neither wait for writers nor block them. The
request's unit of work is a read for GET/HEAD/OPTIONS and a write otherwise. A write
that still cannot get the lock within `SQLITE_BUSY_TIMEOUT_MS` raises OperationalError
("database is locked"), answered 503 with Retry-After by web.errors.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

from motcua.core.ids import new_id

log = logging.getLogger("motcua.db")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# How long a SQLite writer waits for the write lock before giving up (503, Retry-After).
# Write units of work here last milliseconds to a few tens of milliseconds (a receipt,
# with its code, audit row and first step, is ~10–30 ms on a slow machine), so even a
# queue of a hundred writers clears in a few seconds; 10 s absorbs such bursts and a
# CLI command's short transaction, while a person still gets an answer ("try again")
# long before a reverse proxy's timeout (nginx: 60 s) or their patience runs out. It is
# not 30 s any more: readers no longer take the lock, so the waits are writers only.
SQLITE_BUSY_TIMEOUT_MS = 10_000
_BEGIN_OPTION = "motcua_sqlite_begin"
_WRITER_LOCK = "_motcua_writer_lock"
_READ_UNIT = "motcua_read_unit"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on the way in and out, on SQLite (no tz support) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use motcua.core.clock")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # FULL: the WAL is synced at every commit, so an acknowledged write survives a power
    # cut or an OS crash too (NORMAL only survives a crash of the process: its last
    # commits may roll back after a power loss). Costs ~0.3 ms a commit on this machine's
    # disk — nothing beside a receipt's 10–30 ms.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def make_engine(url: str, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        # We issue BEGIN ourselves (pysqlite's own is deferred and implicit): IMMEDIATE by
        # default, which serialises writers up front so two counters allocating a dossier
        # number never interleave (see dossiers.codes); DEFERRED on the engine's read
        # variant (`_read_engine`), which never takes the write lock.
        @event.listens_for(engine, "connect")
        def _no_pysqlite_begin(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:
            mode = conn.get_execution_options().get(_BEGIN_OPTION, "IMMEDIATE")
            conn.exec_driver_sql(f"BEGIN {mode}")

        engine.__dict__[_WRITER_LOCK] = threading.Lock()
        return engine
    # No pre-ping (a round trip per request); recycle connections instead so a restarted
    # server's dead connections are not reused for long.
    # JIT off: every statement here is OLTP-sized; the planner's row estimates for the list
    # queries crossed the JIT cost and compiling took half of the inbox's time (issue 8).
    return create_engine(url, echo=echo, pool_recycle=1800, pool_size=10, max_overflow=20,
                         connect_args={"options": "-c jit=off"})


def make_sessionmaker(engine_or_connection) -> sessionmaker[Session]:
    return sessionmaker(bind=engine_or_connection, expire_on_commit=False)


def _read_engine(engine: Engine) -> Engine:
    """The SQLite engine's variant whose transactions begin DEFERRED (same pool), made once.

    Kept on the engine itself, like `_autocommit_engine`.
    """
    found = engine.__dict__.get("_motcua_read")
    if found is None:
        found = engine.execution_options(**{_BEGIN_OPTION: "DEFERRED"})
        engine.__dict__["_motcua_read"] = found
    return found


def _new_session(factory: sessionmaker[Session], *, write: bool) -> Session:
    """A session of `factory`; for a read on a SQLite engine, one whose BEGIN is deferred.

    A factory bound to a Connection (the tests' rolled-back transaction) is used as is:
    its transaction has already begun.
    """
    bind = factory.kw.get("bind")
    if not write and isinstance(bind, Engine) and bind.dialect.name == "sqlite":
        session = factory(bind=_read_engine(bind))
    else:
        session = factory()
    if not write:
        session.info[_READ_UNIT] = True
    return session


@event.listens_for(Session, "before_flush")
def _warn_write_in_read(session: Session, _context, _instances) -> None:
    """A read unit of work that writes works while nobody else writes, but on SQLite it
    fails with SQLITE_BUSY_SNAPSHOT (503) once another writer committed after its first
    read: such code should run in a write unit of work (a POST, or `write=True`)."""
    if session.info.get(_READ_UNIT) and (session.new or session.dirty or session.deleted):
        log.warning("a read-only (deferred) unit of work writes; on SQLite it may fail under load")


@contextmanager
def _writer_turn(factory: sessionmaker[Session], write: bool) -> Iterator[None]:
    """On a SQLite engine, a write unit of work waits for its turn on a lock of this
    process before it asks SQLite for the write lock.

    SQLite's own wait is a polling sleep (1, 2, 5 … up to 100 ms between tries) and not
    first come, first served: with a dozen threads writing, the lock sits free while the
    waiters sleep, and an unlucky one keeps losing. A thread lock hands the turn over at
    once, in order; SQLite's busy timeout still arbitrates between processes (a CLI
    command, the worker, other server workers). Gives up like SQLite does, after
    `SQLITE_BUSY_TIMEOUT_MS`, with OperationalError "database is locked" (answered 503).
    """
    bind = factory.kw.get("bind")
    lock = bind.__dict__.get(_WRITER_LOCK) if write and isinstance(bind, Engine) else None
    if lock is None:
        yield
        return
    if not lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
        busy = sqlite3.OperationalError("database is locked")
        busy.sqlite_errorcode, busy.sqlite_errorname = sqlite3.SQLITE_BUSY, "SQLITE_BUSY"
        raise OperationalError("BEGIN IMMEDIATE", None, busy)
    try:
        yield
    finally:
        lock.release()


@contextmanager
def session_scope(factory: sessionmaker[Session], *, write: bool = True) -> Iterator[Session]:
    """A unit of work for CLI commands and jobs: commit on success, roll back on error.

    `write=False` for one that only reads (reports, `audit verify`): on SQLite it does not
    take the write lock, so it neither waits for the server's writers nor blocks them.
    """
    with _writer_turn(factory, write), _committing(_new_session(factory, write=write)) as session:
        yield session


@contextmanager
def _committing(session: Session) -> Iterator[Session]:
    """Commit on success, roll back on any error, close in every case."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _autocommit_engine(engine: Engine) -> Engine:
    """The engine's AUTOCOMMIT variant (same pool, same connections), made once per engine.

    Kept on the engine itself: a cache keyed by engine would keep every engine alive, the
    variant referring to its parent.
    """
    found = engine.__dict__.get("_motcua_autocommit")
    if found is None:
        found = engine.execution_options(isolation_level="AUTOCOMMIT")
        engine.__dict__["_motcua_autocommit"] = found
    return found


class _ReadOnlySession(Session):
    """A session that refuses to flush (see `read_only_scope`)."""


@event.listens_for(_ReadOnlySession, "before_flush")
def _refuse_flush(session: Session, _context, _instances) -> None:
    raise RuntimeError("read_only_scope: this unit of work cannot write")


@contextmanager
def read_only_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work for a request that only reads (a few SELECTs), never writes.

    The session refuses to flush (RuntimeError): add, change or delete nothing through it,
    and send no raw writes either. On PostgreSQL it runs on an AUTOCOMMIT connection: each
    SELECT is its own implicit transaction and sees everything committed before it starts,
    and the explicit BEGIN and COMMIT round trips of `session_scope` are skipped — so use it
    only for reads that need no consistent snapshot across statements. Anywhere else
    (SQLite, or a factory bound to a Connection such as the tests' rolled-back transaction)
    it is a transaction like `session_scope(write=False)`'s: deferred on SQLite.
    """
    bind = factory.kw.get("bind")
    connection = None
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        connection = _autocommit_engine(bind).connect()
        session = _ReadOnlySession(**{**factory.kw, "bind": connection})
    elif isinstance(bind, Engine) and bind.dialect.name == "sqlite":
        session = _ReadOnlySession(**{**factory.kw, "bind": _read_engine(bind)})
    else:
        session = _ReadOnlySession(**factory.kw)
    try:
        with _committing(session):
            yield session
    finally:
        if connection is not None:
            connection.close()


_SESSION_OPEN = "motcua.session_open"


def get_session(request: Request) -> Iterator[Session]:
    """FastAPI dependency: the request's unit of work. Declare it only as `DbSession`.

    A read (deferred on SQLite) for GET/HEAD/OPTIONS, a write otherwise. `DbSession`
    gives it the "function" scope: it commits when the route function (and the
    serialisation of its return value) is done and *before* the response is sent, so a
    2xx means committed, and a failed commit is answered as an error (FastAPI's default
    "request" scope would commit after the response has left). A second
    `Depends(get_session)` with another scope would be a second unit of work in the
    same request (and, on SQLite, wait for its own write lock): refused here.
    """
    if request.scope.get(_SESSION_OPEN):
        raise RuntimeError("a second unit of work in one request: declare the session as core.db.DbSession")
    request.scope[_SESSION_OPEN] = True
    try:
        with session_scope(request.app.state.sessionmaker, write=request.method not in SAFE_METHODS) as session:
            yield session
    finally:
        request.scope[_SESSION_OPEN] = False


DbSession = Annotated[Session, Depends(get_session, scope="function")]


# Citus placement of each table (DESIGN.md "Scale"); tests/core/test_citus_rules.py
# checks every table declares one and obeys its rules. Use as
#   __table_args__ = {"info": REFERENCE}
#   __table_args__ = (UniqueConstraint(...), {"info": distributed()})
REFERENCE = {"citus": "reference"}


def distributed(column: str = "dossier_id") -> dict[str, str]:
    """Distributed by `column`; dossier tables use dossier_id so they are co-located."""
    return {"citus": "distributed", "distribution_column": column}
