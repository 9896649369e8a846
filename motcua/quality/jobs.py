"""Periodic jobs of the quality domain (`motcua worker`)."""

from __future__ import annotations

from motcua.core.jobs import Job
from motcua.quality import audits, legal_changes

# New procedure versions become update tasks, overdue tasks are flagged: hourly (a change
# has three months; an hour's delay costs nothing). Reminders of audits, reviews and
# corrective-action deadlines a week ahead: hourly too, each sent once.
JOBS = [
    Job("quality-legal-changes", 60 * 60, legal_changes.run),
    Job("quality-reminders", 60 * 60, audits.run_reminders),
]
