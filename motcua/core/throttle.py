"""Fixed-window counters in the database, shared by every server process.

Used for failed logins (motcua.auth.login) and the public lookup (motcua.web.ratelimit).
One row per key ("login:pair:<username>|<address>", "lookup:<address>", ...): the start of
its current window, the hits in it, and an optional block. `hit` is one atomic upsert, so
concurrent requests in several processes count correctly on PostgreSQL and SQLite.

Why the database and not process memory: `motcua serve --workers N` runs N processes, and
an in-process counter would let a client through N times the limit (and forget a lock-out
on restart). Why not pyrate-limiter: its SQL buckets open their own connections outside the
request's unit of work and keep one row per hit; a counter row per key is all we need.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from motcua.core.models import KEY_MAX, ThrottleCounter


@dataclass(frozen=True)
class Count:
    hits: int
    window_start: datetime
    blocked_until: datetime | None

    def blocked(self, at: datetime) -> bool:
        return self.blocked_until is not None and self.blocked_until > at


def _key(key: str) -> str:
    return key[:KEY_MAX]


def _insert(session: Session):
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(ThrottleCounter)


def hit(session: Session, key: str, *, at: datetime, window_seconds: int) -> Count:
    """Count one hit on `key` in the window of `window_seconds` that is current at `at`."""
    table = ThrottleCounter.__table__
    expired = table.c.window_start <= at - timedelta(seconds=window_seconds)
    stmt = _insert(session).values(key=_key(key), window_start=at, hits=1, blocked_until=None)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "hits": case((expired, 1), else_=table.c.hits + 1),
            "window_start": case((expired, literal(at, table.c.window_start.type)), else_=table.c.window_start),
        },
    ).returning(table.c.hits, table.c.window_start, table.c.blocked_until)
    row = session.execute(stmt).one()
    return Count(row.hits, row.window_start, row.blocked_until)


class MemoryCounters:
    """`hit` with the same fixed windows, kept in this process's memory (thread-safe).

    For a counter that must not write to SQLite: its single write lock would make a read
    (the public lookup, a GET) queue behind every receipt. A SQLite installation runs one
    server process (docs/operations.md), so a window kept in memory is exact there; it
    forgets its counts on restart, which only lets a guesser start a fresh window.
    """

    MAX_KEYS = 10_000  # expired windows are dropped past this many addresses

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, tuple[datetime, int]] = {}

    def hit(self, key: str, *, at: datetime, window_seconds: int) -> Count:
        window = timedelta(seconds=window_seconds)
        with self._lock:
            start, hits = self._rows.get(key, (at, 0))
            if start <= at - window:
                start, hits = at, 0
            self._rows[key] = (start, hits + 1)
            if len(self._rows) > self.MAX_KEYS:
                self._rows = {k: v for k, v in self._rows.items() if v[0] > at - window}
            return Count(hits + 1, start, None)


def peek(session: Session, key: str) -> Count | None:
    row = session.get(ThrottleCounter, _key(key), populate_existing=True)
    return None if row is None else Count(row.hits, row.window_start, row.blocked_until)


def block(session: Session, key: str, *, at: datetime, seconds: int) -> datetime:
    """Block `key` until `at + seconds` and start a fresh window (the next hits count anew)."""
    until = at + timedelta(seconds=seconds)
    session.execute(update(ThrottleCounter).where(ThrottleCounter.key == _key(key))
                    .values(blocked_until=until, hits=0, window_start=at))
    return until


def blocked_until(session: Session, key: str, *, at: datetime) -> datetime | None:
    until = session.scalar(select(ThrottleCounter.blocked_until).where(ThrottleCounter.key == _key(key)))
    return until if until is not None and until > at else None


def clear(session: Session, key: str) -> None:
    session.execute(delete(ThrottleCounter).where(ThrottleCounter.key == _key(key)))


def clear_prefix(session: Session, prefix: str) -> None:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    session.execute(delete(ThrottleCounter).where(ThrottleCounter.key.like(escaped + "%", escape="\\")))


def purge(session: Session, *, before: datetime) -> int:
    """Delete counters whose window started and block ended before `before` (housekeeping)."""
    result = session.execute(delete(ThrottleCounter).where(
        ThrottleCounter.window_start < before,
        (ThrottleCounter.blocked_until.is_(None)) | (ThrottleCounter.blocked_until < before),
    ))
    return result.rowcount or 0
