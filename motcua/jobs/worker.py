"""The `motcua worker` loop: periodic jobs, each opening its own units of work.

A job gets the sessionmaker, not a session: it reads in a read unit of work and writes in
short write ones (see dossiers.service.alerts.run_overdue_alerts), so on SQLite it holds
the single write lock only while it writes, never while it looks for work to do. A job
that fails is logged and retried at its next turn; it never stops the others. Jobs are
idempotent (an alert is sent once per dossier), so running two workers by mistake sends
nothing twice.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from motcua.core import throttle
from motcua.core.clock import now
from motcua.core.config import get_settings
from motcua.core.db import session_scope
from motcua.core.jobs import Job
from motcua.documents.book import run_book_files
from motcua.dossiers.service import run_overdue_alerts
from motcua.notify.jobs import JOBS as NOTIFY_JOBS

log = logging.getLogger("motcua.worker")


def _overdue_alerts(factory: sessionmaker[Session]) -> str:
    alerted = run_overdue_alerts(factory)
    return f"cảnh báo {len(alerted)} hồ sơ sắp đến hạn/quá hạn"


def _book_files(factory: sessionmaker[Session]) -> str:
    # run_book_files commits after each claim and each part read, so no transaction stays
    # open while a part is laid out.
    with session_scope(factory) as session:
        printed = run_book_files(session, settings=get_settings())
    return f"in {len(printed)} tệp sổ theo dõi hồ sơ"


# Counters older than this are past any window or block the settings give (minutes to hours).
COUNTER_RETENTION = timedelta(days=1)


def _purge_counters(factory: sessionmaker[Session]) -> str:
    # One row per client address and login pair would otherwise pile up for ever.
    with session_scope(factory) as session:
        purged = throttle.purge(session, before=now() - COUNTER_RETENTION)
    return f"xoá {purged} bộ đếm đăng nhập, tra cứu đã hết hạn"


# Book files run at every tick (the clerk waits for the link); alerts every 15 minutes;
# expired login and lookup counters hourly.
JOBS = [Job("alert-overdue", 15 * 60, _overdue_alerts), Job("book-files", 1, _book_files),
        Job("purge-counters", 60 * 60, _purge_counters)]
JOBS += NOTIFY_JOBS  # notify: until the domain registry finds motcua/notify/jobs.py (issue 9)


def run_due_jobs(factory: sessionmaker[Session], *, elapsed: int, jobs: list[Job] = JOBS) -> dict[str, str]:
    """Run every job whose period divides `elapsed` seconds; returns job name → outcome."""
    outcomes = {}
    for job in jobs:
        if elapsed % job.every_seconds:
            continue
        try:
            outcomes[job.name] = job.run(factory)
        except Exception as exc:  # keep the worker alive; the job runs again next turn
            log.exception("job %s failed", job.name)
            outcomes[job.name] = f"lỗi: {exc}"
    return outcomes


def run_forever(factory: sessionmaker[Session], *, tick_seconds: int = 60, on_result=print) -> None:
    """Tick every `tick_seconds` until SIGINT/SIGTERM; every job runs at start-up too."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    elapsed = 0
    while not stop.is_set():
        for name, outcome in run_due_jobs(factory, elapsed=elapsed).items():
            on_result(f"[{name}] {outcome}")
        stop.wait(tick_seconds)
        elapsed += tick_seconds
