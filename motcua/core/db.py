"""Engine, sessions and the declarative Base shared by every domain.

One request, one transaction: `get_session` commits when the route returns and rolls
back on any error. Services never commit; CLI commands and jobs use `session_scope`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from fastapi import Request
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

from motcua.core.ids import new_id

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
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        # SQLite's own BEGIN is deferred; BEGIN IMMEDIATE serialises writers up front, so
        # two counters allocating a dossier number never interleave (see dossiers.codes).
        @event.listens_for(engine, "connect")
        def _no_pysqlite_begin(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin_immediate(conn) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # No pre-ping (a round trip per request); recycle connections instead so a restarted
    # server's dead connections are not reused for long.
    # JIT off: every statement here is OLTP-sized; the planner's row estimates for the list
    # queries crossed the JIT cost and compiling took half of the inbox's time (issue 8).
    return create_engine(url, echo=echo, pool_recycle=1800, pool_size=10, max_overflow=20,
                         connect_args={"options": "-c jit=off"})


def make_sessionmaker(engine_or_connection) -> sessionmaker[Session]:
    return sessionmaker(bind=engine_or_connection, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work for CLI commands and jobs: commit on success, roll back on error."""
    session = factory()
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
    it is a transaction exactly like `session_scope`'s.
    """
    bind = factory.kw.get("bind")
    connection = None
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        connection = _autocommit_engine(bind).connect()
        session = _ReadOnlySession(**{**factory.kw, "bind": connection})
    else:
        session = _ReadOnlySession(**factory.kw)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        if connection is not None:
            connection.close()


def get_session(request: Request) -> Iterator[Session]:
    """FastAPI dependency: the request's unit of work."""
    with session_scope(request.app.state.sessionmaker) as session:
        yield session


# Citus placement of each table (DESIGN.md "Scale"); tests/core/test_citus_rules.py
# checks every table declares one and obeys its rules. Use as
#   __table_args__ = {"info": REFERENCE}
#   __table_args__ = (UniqueConstraint(...), {"info": distributed()})
REFERENCE = {"citus": "reference"}


def distributed(column: str = "dossier_id") -> dict[str, str]:
    """Distributed by `column`; dossier tables use dossier_id so they are co-located."""
    return {"citus": "distributed", "distribution_column": column}
