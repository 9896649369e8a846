"""Periodic jobs of the catalogue (run by `motcua worker`)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from motcua.catalog.changes import apply_due_decisions
from motcua.core.jobs import Job


def due_decisions(factory: sessionmaker[Session]) -> str:
    done = apply_due_decisions(factory)
    applied = [number for number, ok in done if ok]
    failed = [number for number, ok in done if not ok]
    text = f"áp dụng {len(applied)} quyết định công bố thủ tục đến ngày hiệu lực"
    return text + (f"; không áp dụng được: {', '.join(failed)}" if failed else "")


# Decisions whose effective date has come, every 10 minutes: a changed time limit applies
# to dossiers received from the first minutes of its effective date.
JOBS = [Job("catalog-decisions", 10 * 60, due_decisions)]
