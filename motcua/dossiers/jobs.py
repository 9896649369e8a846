"""Periodic jobs of the dossiers domain (run by `motcua worker`)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from motcua.core.jobs import Job
from motcua.dossiers.service import run_overdue_alerts


def overdue_alerts(factory: sessionmaker[Session]) -> str:
    alerted = run_overdue_alerts(factory)
    return f"cảnh báo {len(alerted)} hồ sơ sắp đến hạn/quá hạn"


# Due-soon and overdue alerts every 15 minutes (deadlines fall on the hour or half hour).
JOBS = [Job("alert-overdue", 15 * 60, overdue_alerts)]
