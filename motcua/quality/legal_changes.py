"""Legal-change tracking (QĐ 19/2014/QĐ-TTg; DOMAIN.md §7): when a procedure's published
version changes its legal basis, time limit or components (or the procedure is newly published
or abolished), every unit implementing it must update its internal process and documents
within three months of the change taking effect.

The catalogue records each change as a `ProcedureVersion` (catalog/changes.py, service.py)
with a full snapshot. `scan` judges each version once (`ProcedureVersionScan`) against the
version before it: the first version of a procedure with no decision is its initial load, not
a change. For a change it opens one `LegalChangeTask` per unit whose agency implements the
procedure on the effective date, due three calendar months after it. `flag_overdue` flags an
open task past its due date once, to the unit's quality secretaries and to the Department of
Science and Technology, through the notify outbox.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import insert, literal, select
from sqlalchemy.orm import Session, sessionmaker

from motcua.auth.models import User, UserRole
from motcua.auth.roles import Role
from motcua.catalog.applications import application_current_clause
from motcua.catalog.models import CatalogDecision, Procedure, ProcedureAgency, ProcedureVersion
from motcua.core.clock import now, to_local
from motcua.core.db import UTCDateTime, session_scope
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.notify import service as outbox
from motcua.org.models import Agency
from motcua.quality import audit_access
from motcua.quality.audit_enums import LEGAL_CHANGE_LABELS, LegalChange, TaskStatus
from motcua.quality.models import LegalChangeTask, ProcedureVersionScan, QualityUnit

UPDATE_MONTHS = 3
SCAN_BATCH = 50
TRACKED: dict[LegalChange, tuple[str, ...]] = {
    LegalChange.legal_basis: ("legal_basis",),
    LegalChange.time_limit: (
        "time_limit_days", "time_limit_hours", "online_time_limit_days", "online_time_limit_hours",
        "time_limit_basis", "online_time_limit_basis",
    ),
    LegalChange.components: ("components", "components_basis"),
}


def due_after(effective_on: date) -> date:
    """Three calendar months after the change took effect (31 Jan → 30 Apr)."""
    return effective_on + relativedelta(months=UPDATE_MONTHS)


def changes_between(before: dict | None, after: dict) -> list[LegalChange]:
    """What a version changes, against the version before it, that a unit's internal process
    must follow."""
    if after.get("status") == "abolished":
        return [LegalChange.abolished] if (before or {}).get("status") != "abolished" else []
    if before is None:
        return []
    return [kind for kind, keys in TRACKED.items() if any(before.get(k) != after.get(k) for k in keys)]


def changes_of_entry(entry: dict) -> list[LegalChange]:
    """What a decision's entry (catalog/changes.py `Changeset.entries`) changes, for a
    procedure whose earlier state has no version to compare with (loaded before versions)."""
    kind, given = entry.get("kind"), entry.get("record") or {}
    if kind in (LegalChange.added.value, LegalChange.abolished.value):
        return [LegalChange(kind)]
    return [k for k, keys in TRACKED.items() if any(key in given for key in keys)]


def _changes(session: Session, version: ProcedureVersion, code: str) -> list[LegalChange]:
    previous = session.scalar(
        select(ProcedureVersion.snapshot).where(
            ProcedureVersion.procedure_id == version.procedure_id, ProcedureVersion.number < version.number
        ).order_by(ProcedureVersion.number.desc()).limit(1)
    )
    if previous is not None or version.decision_id is None:
        # A first version without a decision is the procedure's initial load: no change.
        return changes_between(previous, version.snapshot)
    decision = session.get(CatalogDecision, version.decision_id)
    entry = next((e for e in (decision.entries if decision else [])
                  if (e.get("record") or {}).get("code") == code), None)
    return changes_of_entry(entry) if entry else []


def _local_day(moment: datetime) -> date:
    return to_local(moment).date()


def _scan_version(session: Session, version: ProcedureVersion) -> int:
    changes = _changes(session, version, version.snapshot.get("code", ""))
    created = 0
    if changes:
        effective = version.effective_date or _local_day(version.created_at)
        # Units of the agencies implementing it on the day it takes effect (an abolition ends
        # the applications after that day, so they still count).
        units = session.scalars(
            select(QualityUnit).join(ProcedureAgency, ProcedureAgency.agency_id == QualityUnit.agency_id)
            .join(Agency, Agency.id == ProcedureAgency.agency_id)
            .where(ProcedureAgency.procedure_id == version.procedure_id, QualityUnit.handed_over_to_id.is_(None),
                   application_current_clause(effective))
            .order_by(QualityUnit.id)
        ).unique().all()
        for unit in units:
            session.add(LegalChangeTask(
                unit_id=unit.id, procedure_id=version.procedure_id, procedure_version_id=version.id,
                changes=[c.value for c in changes], decision_number=version.decision_number,
                effective_on=effective, due_on=due_after(effective), status=TaskStatus.open.value,
                created_at=now(),
            ))
            created += 1
    session.add(ProcedureVersionScan(procedure_version_id=version.id, tasks=created, scanned_at=now()))
    session.flush()
    return created


def baseline(session: Session) -> int:
    """Mark every version not judged yet as judged, with no task: the catalogue as loaded
    when tracking starts (the seed, the legal-content load, an existing installation's
    history) is the starting point, not a change units must follow. Done by the migration for
    an existing catalogue and by the job's first run on a new installation (after the seed)."""
    pending = (select(ProcedureVersion.id, literal(0), literal(now(), UTCDateTime(timezone=True)))
               .outerjoin(ProcedureVersionScan, ProcedureVersionScan.procedure_version_id == ProcedureVersion.id)
               .where(ProcedureVersionScan.procedure_version_id.is_(None)))
    result = session.execute(insert(ProcedureVersionScan).from_select(
        ["procedure_version_id", "tasks", "scanned_at"], pending))
    session.flush()
    return result.rowcount or 0


def unscanned(session: Session, *, limit: int | None = None) -> list[uuid.UUID]:
    """Reads only: versions not judged yet, oldest first."""
    stmt = (select(ProcedureVersion.id)
            .outerjoin(ProcedureVersionScan, ProcedureVersionScan.procedure_version_id == ProcedureVersion.id)
            .where(ProcedureVersionScan.procedure_version_id.is_(None))
            .order_by(ProcedureVersion.created_at, ProcedureVersion.number))
    return list(session.scalars(stmt.limit(limit) if limit else stmt))


def scan(session: Session, version_ids: list[uuid.UUID]) -> int:
    """Writes: judge these versions (those another worker judged meanwhile are skipped);
    returns the tasks opened."""
    done = set(session.scalars(select(ProcedureVersionScan.procedure_version_id)
                               .where(ProcedureVersionScan.procedure_version_id.in_(version_ids))))
    versions = session.scalars(select(ProcedureVersion).where(ProcedureVersion.id.in_(version_ids))
                               .order_by(ProcedureVersion.created_at, ProcedureVersion.number)).all()
    return sum(_scan_version(session, v) for v in versions if v.id not in done)


# --- overdue flags ------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskView:
    task: LegalChangeTask
    unit_name: str
    agency_code: str
    procedure_code: str
    procedure_name: str

    @property
    def change_labels(self) -> list[str]:
        return [LEGAL_CHANGE_LABELS[LegalChange(c)] for c in self.task.changes]

    def overdue(self, today: date) -> bool:
        return self.task.status == TaskStatus.open.value and self.task.due_on < today


def _views(session: Session, stmt) -> list[TaskView]:
    rows = session.execute(
        stmt.add_columns(Agency.name, Agency.code, Procedure.code, Procedure.name)
        .join(QualityUnit, QualityUnit.id == LegalChangeTask.unit_id)
        .join(Agency, Agency.id == QualityUnit.agency_id)
        .join(Procedure, Procedure.id == LegalChangeTask.procedure_id)
    ).all()
    return [TaskView(*row) for row in rows]


def overdue_candidates(session: Session, today: date) -> list[uuid.UUID]:
    return list(session.scalars(select(LegalChangeTask.id).where(
        LegalChangeTask.status == TaskStatus.open.value, LegalChangeTask.due_on < today,
        LegalChangeTask.flagged_at.is_(None)).order_by(LegalChangeTask.due_on, LegalChangeTask.id)))


def quality_recipients(session: Session, agency_ids: set[uuid.UUID]) -> dict[uuid.UUID, list[User]]:
    """Active quality secretaries with an e-mail address, by agency."""
    rows = session.execute(
        select(UserRole.agency_id, User).join(User, User.id == UserRole.user_id).where(
            UserRole.role == Role.quality_secretary.value, UserRole.agency_id.in_(agency_ids),
            User.is_active.is_(True), User.email.is_not(None), User.email != "",
        ).order_by(User.username)
    ).all()
    out: dict[uuid.UUID, list[User]] = {}
    for agency_id, user in rows:
        out.setdefault(agency_id, []).append(user)
    return out


def flag_overdue(session: Session, task_ids: list[uuid.UUID], *, at: datetime) -> list[LegalChangeTask]:
    """Writes: flag these tasks if still open, past due and unflagged (re-checked under lock),
    each with an e-mail to the unit's quality secretaries and the Department's."""
    today = _local_day(at)
    stmt = select(LegalChangeTask).where(
        LegalChangeTask.id.in_(task_ids), LegalChangeTask.status == TaskStatus.open.value,
        LegalChangeTask.due_on < today, LegalChangeTask.flagged_at.is_(None),
    ).order_by(LegalChangeTask.due_on, LegalChangeTask.id).with_for_update()
    views = _views(session, stmt)
    if not views:
        return []
    dept = audit_access.department_id(session)
    agency_of = dict(session.execute(select(QualityUnit.id, QualityUnit.agency_id)
                                     .where(QualityUnit.id.in_({v.task.unit_id for v in views}))).tuples().all())
    people = quality_recipients(session, set(agency_of.values()) | ({dept} if dept else set()))
    for v in views:
        t = v.task
        t.flagged_at = at
        message = (f"{v.unit_name} chưa cập nhật quy trình nội bộ và tài liệu của thủ tục {v.procedure_code} "
                   f"({v.procedure_name[:120]}) theo thay đổi ({', '.join(v.change_labels).lower()}"
                   + (f", Quyết định số {t.decision_number}" if t.decision_number else "")
                   + f") có hiệu lực từ ngày {t.effective_on:%d/%m/%Y}; hạn cập nhật {t.due_on:%d/%m/%Y} đã qua.")
        recipients = {u.id: u for u in people.get(agency_of[t.unit_id], []) + (people.get(dept, []) if dept else [])}
        for user in recipients.values():
            outbox.enqueue(session, key=f"quality-legal-task:{t.id}:{user.id}", kind="quality_legal_overdue",
                           recipient=user.email or "", recipient_name=user.full_name,
                           subject=f"Quá hạn cập nhật quy trình ISO: thủ tục {v.procedure_code}",
                           body=f"Kính gửi {user.full_name},\n\n{message}\n\n"
                                "Thư gửi tự động từ hệ thống một cửa; xin không trả lời thư này.\n", at=at)
    session.flush()
    return [v.task for v in views]


def run(factory: sessionmaker[Session]) -> str:
    """The worker job: judge new versions, then flag overdue tasks, in short write units."""
    opened = flagged = 0
    with session_scope(factory, write=False) as session:
        started = session.scalar(select(ProcedureVersionScan.procedure_version_id).limit(1)) is not None
    if not started:  # the first run on a new installation: the seeded catalogue is the start
        with session_scope(factory) as session:
            baseline(session)
    while True:
        with session_scope(factory, write=False) as session:
            batch = unscanned(session, limit=SCAN_BATCH)
        if not batch:
            break
        with session_scope(factory) as session:
            opened += scan(session, batch)
    at = now()
    with session_scope(factory, write=False) as session:
        due = overdue_candidates(session, _local_day(at))
    for start in range(0, len(due), SCAN_BATCH):
        with session_scope(factory) as session:
            flagged += len(flag_overdue(session, due[start:start + SCAN_BATCH], at=at))
    return f"mở {opened} việc cập nhật quy trình theo thay đổi pháp lý, báo {flagged} việc quá hạn"


# --- the unit's tasks ---------------------------------------------------------------------


def list_tasks(session: Session, user: User | None, *, unit_id: uuid.UUID | None = None,
               open_only: bool = False) -> list[TaskView]:
    stmt = audit_access.scoped(session, user, select(LegalChangeTask).order_by(
        LegalChangeTask.due_on, LegalChangeTask.id), LegalChangeTask.unit_id, unit_id)
    if open_only:
        stmt = stmt.where(LegalChangeTask.status == TaskStatus.open.value)
    return _views(session, stmt)


def complete_task(session: Session, user: User, task_id: uuid.UUID, *, done_on: date, note: str) -> LegalChangeTask:
    """The unit updated its internal process and documents (the note says which versions)."""
    task = session.get(LegalChangeTask, task_id)
    if task is None:
        raise NotFound("Không có việc cập nhật này.")
    audit_access.ensure_unit(session, user, task.unit_id)
    if task.status != TaskStatus.open.value:
        raise Conflict("Việc cập nhật này đã được ghi nhận hoàn thành.")
    if done_on > _local_day(now()):
        raise InvalidInput("Ngày hoàn thành không được sau hôm nay.")
    if done_on < task.effective_on:
        raise InvalidInput("Ngày hoàn thành không được trước ngày thay đổi có hiệu lực.")
    task.status, task.done_on, task.done_by, task.done_note = TaskStatus.done.value, done_on, user.username, note
    session.flush()
    return task
