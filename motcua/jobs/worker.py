"""The `motcua worker` loop: the periodic jobs every domain declares in its `jobs.py`
(`motcua.domains`), each opening its own units of work.

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

from sqlalchemy.orm import Session, sessionmaker

from motcua.core.jobs import Job
from motcua.domains import registry

log = logging.getLogger("motcua.worker")


def run_due_jobs(
    factory: sessionmaker[Session], *, elapsed: int, jobs: list[Job] | None = None
) -> dict[str, str]:
    """Run every job (by default every domain's `JOBS`) whose period divides `elapsed`
    seconds; returns job name → outcome."""
    outcomes = {}
    for job in registry.jobs() if jobs is None else jobs:
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
