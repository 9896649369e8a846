"""Periodic jobs of the feedback domain (run by `motcua worker`)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from motcua.core.jobs import Job
from motcua.feedback.alerts import run_overdue_alerts


def feedback_overdue_alerts(factory: sessionmaker[Session]) -> str:
    return f"cảnh báo {len(run_overdue_alerts(factory))} phản ánh, kiến nghị quá hạn"


# Every 15 minutes, like the dossiers' alert: deadlines fall at the end of office hours.
JOBS = [Job("feedback-overdue", 15 * 60, feedback_overdue_alerts)]
