"""Periodic jobs of the reform domain: reminders before a task's deadline and when it is overdue.

Tasks of a sample plan (`ReformPlan.is_sample`) are never reminded (progress.followed_up).
Each task gets at most one reminder of each kind (`reform_reminders`): an e-mail in the notify
outbox (delivered by `motcua worker`, docs/notify.md) to the reform officers and heads of its
lead agency — or, when the lead unit is not an agency of this installation (a plan imported
with lead units written but not linked by agency code), to the reform officers of the Department of Home Affairs, who follow it up. Candidates are read
in a read unit of work; each batch is written in a short write unit that re-checks its tasks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from motcua.auth.models import User, UserRole
from motcua.auth.roles import Role
from motcua.core.clock import now, to_local
from motcua.core.db import session_scope
from motcua.core.jobs import Job
from motcua.notify import service as outbox
from motcua.reform import policies
from motcua.reform.models import ReformReminder, ReformTask
from motcua.reform.plans import ReminderKind, TaskStatus, UnitRole
from motcua.reform.progress import State, followed_up, reminder_due, task_agencies

BATCH = 50
SUBJECTS = {ReminderKind.before_deadline: "sắp đến hạn", ReminderKind.overdue: "đã quá hạn"}


def _recipients(session: Session, task: ReformTask) -> list[User]:
    agencies = task_agencies(session, task)[UnitRole.lead]
    roles = list(policies.REPORTING_ROLES)
    if not agencies:
        unit = policies.home_affairs(session)
        agencies, roles = ([unit.id] if unit else []), [Role.reform_officer]
    return list(session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.agency_id.in_(agencies), UserRole.role.in_(roles), User.is_active.is_(True))
        .order_by(User.username)).unique())


def _remind(session: Session, ids: list, on: date, at: datetime) -> int:
    sent = 0
    for task in session.scalars(select(ReformTask).where(ReformTask.id.in_(ids)).order_by(ReformTask.position)):
        kind = reminder_due(task, State(TaskStatus(task.status), task.percent, task.completed_on), on)
        if kind is None or session.get(ReformReminder, (task.id, kind.value)) is not None:
            continue
        people = [u for u in _recipients(session, task) if u.email]
        message = (f"Nhiệm vụ cải cách hành chính “{task.title[:200]}” (chủ trì: {task.lead_unit}) "
                   f"{SUBJECTS[kind]}: thời hạn {task.deadline:%d/%m/%Y}; tình trạng: {task.percent} %.")
        for person in people:
            outbox.enqueue(session, key=f"reform:{task.id}:{kind.value}:{person.id}", kind="reform_reminder",
                           recipient=person.email, recipient_name=person.full_name,
                           subject=f"Nhiệm vụ cải cách hành chính {SUBJECTS[kind]}",
                           body=f"Kính gửi {person.full_name},\n\n{message}\n\n"
                                "Thư gửi tự động từ hệ thống một cửa; xin không trả lời thư này.\n", at=at)
        session.add(ReformReminder(task_id=task.id, kind=kind.value, sent_at=at, recipients=len(people)))
        sent += 1
    session.flush()
    return sent


def run_reminders(factory: sessionmaker[Session], *, at: datetime | None = None) -> int:
    """Send every reminder due; returns how many tasks were reminded."""
    at = at or now()
    on = to_local(at).date()
    with session_scope(factory, write=False) as session:
        ids = list(session.scalars(select(ReformTask.id).where(
            ReformTask.deadline.is_not(None), ReformTask.status != TaskStatus.done.value, followed_up())))
    sent = 0
    for start in range(0, len(ids), BATCH):
        with session_scope(factory) as session:
            sent += _remind(session, ids[start:start + BATCH], on, at)
    return sent


def reform_reminders(factory: sessionmaker[Session]) -> str:
    return f"nhắc hạn {run_reminders(factory)} nhiệm vụ cải cách hành chính"


# Hourly: deadlines are days, a reminder a few hours late is no harm.
JOBS = [Job("reform-reminders", 60 * 60, reform_reminders)]
