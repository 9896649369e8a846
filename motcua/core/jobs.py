"""A periodic job of `motcua worker`, declared by a domain in its `jobs.py` as `JOBS`
(found through `motcua.domains`); core's own job purges the throttle counters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from motcua.core import throttle
from motcua.core.clock import now
from motcua.core.db import session_scope


@dataclass(frozen=True)
class Job:
    """`run` gets the sessionmaker, not a session: it reads in a read unit of work and writes
    in short write ones, so on SQLite it holds the write lock only while it writes."""

    name: str
    every_seconds: int
    run: Callable[[sessionmaker[Session]], str]


# Counters older than this are past any window or block the settings give (minutes to hours).
COUNTER_RETENTION = timedelta(days=1)


def purge_counters(factory: sessionmaker[Session]) -> str:
    # One row per client address and login pair would otherwise pile up for ever.
    with session_scope(factory) as session:
        purged = throttle.purge(session, before=now() - COUNTER_RETENTION)
    return f"xoá {purged} bộ đếm đăng nhập, tra cứu đã hết hạn"


# Expired login and lookup counters, hourly.
JOBS = [Job("purge-counters", 60 * 60, purge_counters)]
