"""Progress of reform tasks: entries with evidence, a task's state on a day, overdue flags,
the period reports (quarters, six and nine months, the year) and the indicators the system
measures itself.

One rule for a task's state: `state_at(entries, day)` — the last lead entry reported on or
before `day` gives the status and percent; a task is done from the first day of its last run
of "done" entries. The stored `ReformTask.status/percent/completed_on` are that state with
no day limit (what the lists show); the reports ask for the state at the period's end.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.core.clock import now, to_local
from motcua.core.errors import Forbidden, InvalidInput, NotFound
from motcua.core.text import clean_text
from motcua.dossiers import storage
from motcua.org.models import Agency
from motcua.reform import indicators, plans, policies
from motcua.reform.models import (
    ReformEvidence,
    ReformPlan,
    ReformProgress,
    ReformTask,
    ReformTaskUnit,
)
from motcua.reform.plans import (
    ContentGroup,
    Indicator,
    ReminderKind,
    TaskStatus,
    UnitRole,
    get_task,
    plan_tasks,
    unit_task_ids,
)

MAX_EVIDENCE_FILES = 5


class ProgressIn(BaseModel):
    """A progress entry (page form and API). `role` lead: the lead unit's report with status
    and percent; cooperate: a co-operating unit's part (content and evidence only)."""

    role: UnitRole = UnitRole.lead
    reported_on: date | None = Field(default=None, description="Ngày báo cáo (mặc định: hôm nay)")
    status: TaskStatus | None = None
    percent: int | None = Field(default=None, ge=0, le=100)
    content: str = Field(min_length=1, max_length=5000)
    unit_name: str | None = Field(default=None, max_length=255,
                                  description="Đơn vị phối hợp (khi Sở Nội vụ nhập thay đơn vị)")
    agency_code: str | None = Field(default=None, max_length=20, description="Mã cơ quan phối hợp")


@dataclass(frozen=True)
class Upload:
    filename: str | None
    content: bytes


@dataclass(frozen=True)
class State:
    status: TaskStatus
    percent: int
    completed_on: date | None


NOT_STARTED = State(TaskStatus.not_started, 0, None)


def state_at(entries: Iterable[ReformProgress], day: date | None = None) -> State:
    """The task's state from its lead entries reported on or before `day` (None: all)."""
    lead = sorted((e for e in entries if e.role == UnitRole.lead and e.status and (day is None or e.reported_on <= day)),
                  key=lambda e: (e.reported_on, e.created_at))
    if not lead:
        return NOT_STARTED
    last = lead[-1]
    completed_on = None
    if last.status == TaskStatus.done:
        completed_on = last.reported_on
        for e in reversed(lead):
            if e.status != TaskStatus.done:
                break
            completed_on = e.reported_on
    return State(TaskStatus(last.status), last.percent or 0, completed_on)


def is_overdue(task: ReformTask, state: State, on: date) -> bool:
    """Not done by its deadline, judged on `on`: the deadline has passed and the task is not
    done, or was done after it."""
    if task.deadline is None or task.deadline >= on:
        return False
    return state.completed_on is None or state.completed_on > task.deadline


def done_late(task: ReformTask, state: State) -> bool:
    return state.completed_on is not None and task.deadline is not None and state.completed_on > task.deadline


# A reminder goes this many days before a deadline (a week: one weekly meeting of the unit).
REMIND_DAYS_BEFORE = 7


def reminder_due(task: ReformTask, state: State, on: date) -> ReminderKind | None:
    """The reminder a task not done calls for on `on`: overdue after its deadline, before it
    within REMIND_DAYS_BEFORE days; None otherwise (done, no deadline, far off)."""
    if task.deadline is None or state.completed_on is not None:
        return None
    if task.deadline < on:
        return ReminderKind.overdue
    if (task.deadline - on).days <= REMIND_DAYS_BEFORE:
        return ReminderKind.before_deadline
    return None


def today() -> date:
    return to_local(now()).date()


# --- entries -----------------------------------------------------------------------------------

def entries_of(session: Session, task_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[ReformProgress]]:
    ids = list(task_ids)
    found: dict[uuid.UUID, list[ReformProgress]] = {i: [] for i in ids}
    if ids:
        for e in session.scalars(select(ReformProgress).where(ReformProgress.task_id.in_(ids))
                                 .order_by(ReformProgress.reported_on, ReformProgress.created_at)):
            found[e.task_id].append(e)
    return found


def evidence_of(session: Session, entry_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[ReformEvidence]]:
    ids = list(entry_ids)
    found: dict[uuid.UUID, list[ReformEvidence]] = {i: [] for i in ids}
    if ids:
        for ev in session.scalars(select(ReformEvidence).where(ReformEvidence.progress_id.in_(ids))
                                  .order_by(ReformEvidence.name)):
            found[ev.progress_id].append(ev)
    return found


def task_agencies(session: Session, task: ReformTask) -> dict[UnitRole, list[uuid.UUID]]:
    rows = session.execute(select(ReformTaskUnit.agency_id, ReformTaskUnit.role)
                           .where(ReformTaskUnit.task_id == task.id)).all()
    found: dict[UnitRole, list[uuid.UUID]] = {UnitRole.lead: [], UnitRole.cooperate: []}
    for agency_id, role in rows:
        found[UnitRole(role)].append(agency_id)
    return found


def may_see_task(session: Session, user: User | None, task: ReformTask) -> bool:
    scope = policies.reform_scope(session, user)
    if scope is None:
        return True
    units = task_agencies(session, task)
    return any(a in scope for a in units[UnitRole.lead] + units[UnitRole.cooperate])


def visible_tasks(session: Session, user: User | None) -> set[uuid.UUID] | None:
    """The tasks `user` sees (None: all); Forbidden for someone who is not staff."""
    return unit_task_ids(session, policies.ensure_staff(session, user))


def seen_task(session: Session, user: User | None, task_id: uuid.UUID) -> ReformTask:
    policies.ensure_staff(session, user)
    task = get_task(session, task_id)
    if not may_see_task(session, user, task):
        raise Forbidden("Nhiệm vụ này không thuộc đơn vị của bạn.")
    return task


def _cooperating_unit(session: Session, user: User, task: ReformTask, data: ProgressIn) -> tuple[uuid.UUID | None, str]:
    """(agency, name) a co-operating entry is made for, checked against the user's roles."""
    coop = task_agencies(session, task)[UnitRole.cooperate]
    if data.agency_code:
        agency = session.scalar(select(Agency).where(Agency.code == data.agency_code.strip()))
        if agency is None or agency.id not in coop:
            raise InvalidInput(f"Cơ quan “{data.agency_code.strip()}” không phải đơn vị phối hợp của nhiệm vụ này.")
        policies.ensure_acts_for(session, user, agency.id, what="báo cáo phần phối hợp của đơn vị này")
        return agency.id, agency.name
    for agency_id in coop:
        if policies.acts_for(session, user, agency_id) and not policies.manages_plans(session, user):
            return agency_id, session.get(Agency, agency_id).name
    if policies.manages_plans(session, user):
        name = clean_text(data.unit_name, max_length=255)
        if not name:
            raise InvalidInput("Ghi tên đơn vị phối hợp mà Sở Nội vụ nhập báo cáo thay.")
        return None, name
    raise Forbidden("Bạn không thuộc đơn vị phối hợp của nhiệm vụ này.")


def _check_lead(data: ProgressIn) -> tuple[TaskStatus, int]:
    if data.status is None:
        raise InvalidInput("Báo cáo của đơn vị chủ trì phải chọn tình trạng nhiệm vụ.")
    percent = data.percent
    if data.status is TaskStatus.done:
        if percent not in (None, 100):
            raise InvalidInput("Nhiệm vụ đã hoàn thành thì tiến độ là 100 %.")
        return data.status, 100
    if data.status is TaskStatus.not_started:
        if percent not in (None, 0):
            raise InvalidInput("Nhiệm vụ chưa triển khai thì tiến độ là 0 %.")
        return data.status, 0
    if percent is None or not 1 <= percent <= 99:
        raise InvalidInput("Nhiệm vụ đang thực hiện phải có tiến độ từ 1 đến 99 %.")
    return data.status, percent


def report_progress(session: Session, user: User, task: ReformTask, data: ProgressIn,
                    files: list[Upload] = (), *, on: date | None = None, root: Path | None = None,
                    max_bytes: int | None = None) -> ReformProgress:
    """Record an entry. The lead unit (its reform officer or head; the Department of Home
    Affairs on its behalf) reports status and percent; marking a task done needs at least one
    evidence file (the product). A co-operating unit adds its part. Files are checked by
    content (dossiers.storage) before anything is written."""
    current = on or today()
    reported_on = data.reported_on or current
    plan = session.get(ReformPlan, task.plan_id)
    if reported_on > current:
        raise InvalidInput("Ngày báo cáo không được sau hôm nay.")
    if reported_on.year < plan.year - 1:
        raise InvalidInput(f"Ngày báo cáo phải từ năm {plan.year - 1} trở đi (kế hoạch năm {plan.year}).")
    content = clean_text(data.content, max_length=5000)
    if not content:
        raise InvalidInput("Nội dung báo cáo không được để trống.")
    uploads = [f for f in files if f.content]
    if len(uploads) > MAX_EVIDENCE_FILES:
        raise InvalidInput(f"Mỗi báo cáo đính kèm tối đa {MAX_EVIDENCE_FILES} tệp minh chứng.")
    status = percent = None
    if data.role is UnitRole.lead:
        units = task_agencies(session, task)[UnitRole.lead]
        policies.ensure_acts_for(session, user, units[0] if units else None, what="báo cáo tiến độ của đơn vị chủ trì")
        status, percent = _check_lead(data)
        if status is TaskStatus.done and not uploads:
            raise InvalidInput("Báo cáo hoàn thành nhiệm vụ phải đính kèm ít nhất một tệp minh chứng (sản phẩm).")
        agency_id, unit_name = (units[0] if units else None), task.lead_unit
    else:
        agency_id, unit_name = _cooperating_unit(session, user, task, data)
    for f in uploads:  # every file checked before any is stored: a bad one leaves nothing behind
        storage.check_bytes(f.content, max_bytes=max_bytes)
    stored = [(name_of(f, kind), kind, size, digest) for f in uploads
              for digest, kind, size in [storage.store_bytes(f.content, root=root, max_bytes=max_bytes)]]
    entry = ReformProgress(task_id=task.id, role=data.role.value, agency_id=agency_id, unit_name=unit_name,
                           reported_on=reported_on, status=status.value if status else None, percent=percent,
                           content=content, author_id=user.id, author_name=user.full_name)
    session.add(entry)
    session.flush()
    for name, kind, size, digest in stored:
        session.add(ReformEvidence(progress_id=entry.id, name=name, content_type=kind, size=size, sha256=digest))
    if data.role is UnitRole.lead:
        state = state_at(entries_of(session, [task.id])[task.id])
        task.status, task.percent, task.completed_on = state.status.value, state.percent, state.completed_on
        task.updated_at = now()
    session.flush()
    return entry


def name_of(upload: Upload, kind: str) -> str:
    return storage.name_for(upload.filename, kind, default="minh-chung")


def get_evidence(session: Session, user: User | None, evidence_id: uuid.UUID) -> ReformEvidence:
    ev = session.get(ReformEvidence, evidence_id)
    entry = session.get(ReformProgress, ev.progress_id) if ev else None
    task = session.get(ReformTask, entry.task_id) if entry else None
    if task is None or not may_see_task(session, user, task):
        raise NotFound("Không tìm thấy tệp minh chứng.")
    return ev


# --- periods and reports -------------------------------------------------------------------------

class ReportPeriod(StrEnum):
    q1 = "q1"
    q2 = "q2"
    q3 = "q3"
    q4 = "q4"
    h1 = "h1"
    m9 = "m9"
    year = "year"


PERIOD_LABELS: dict[ReportPeriod, str] = {
    ReportPeriod.q1: "Quý I", ReportPeriod.q2: "Quý II", ReportPeriod.q3: "Quý III", ReportPeriod.q4: "Quý IV",
    ReportPeriod.h1: "6 tháng đầu năm", ReportPeriod.m9: "9 tháng", ReportPeriod.year: "Cả năm",
}


def period_name(kind: ReportPeriod, year: int) -> str:
    """The period with its year as a report names it: "Quý I năm 2021", "6 tháng đầu năm 2021",
    "năm 2021" (not "6 tháng đầu năm năm 2021", "Cả năm năm 2021")."""
    if kind is ReportPeriod.year:
        return f"năm {year}"
    label = PERIOD_LABELS[kind]
    return f"{label} {year}" if label.endswith(" năm") else f"{label} năm {year}"


_PERIOD_MONTHS = {ReportPeriod.q1: (1, 3), ReportPeriod.q2: (4, 6), ReportPeriod.q3: (7, 9), ReportPeriod.q4: (10, 12),
                  ReportPeriod.h1: (1, 6), ReportPeriod.m9: (1, 9), ReportPeriod.year: (1, 12)}


def period_dates(kind: ReportPeriod, year: int) -> tuple[date, date]:
    first, last = _PERIOD_MONTHS[kind]
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date(year, first, 1), end - timedelta(days=1)


@dataclass
class Totals:
    tasks: int = 0
    done_on_time: int = 0
    done_late: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0  # not done, deadline passed (a subset of in_progress + not_started)
    entries: int = 0  # progress entries reported in the period

    def add(self, other: Totals) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


TOTAL_LABELS = {
    "tasks": "Số nhiệm vụ", "done_on_time": "Hoàn thành đúng hạn", "done_late": "Hoàn thành quá hạn",
    "in_progress": "Đang thực hiện", "not_started": "Chưa triển khai", "overdue": "Quá hạn chưa hoàn thành",
    "entries": "Lượt báo cáo trong kỳ",
}


@dataclass
class ReportRow:
    task: ReformTask
    state: State
    overdue: bool
    late: bool
    entries: list[ReformProgress]  # the entries reported in the period


@dataclass
class Report:
    plan: ReformPlan
    kind: ReportPeriod
    start: date
    end: date
    at: date  # the day the states are judged at: the period's end, or today while it runs
    unit: str | None
    rows: list[ReportRow]
    groups: dict[ContentGroup, Totals] = field(default_factory=dict)
    total: Totals = field(default_factory=Totals)


def _row_totals(row: ReportRow) -> Totals:
    t = Totals(tasks=1, entries=len(row.entries), overdue=int(row.overdue and row.state.completed_on is None))
    if row.state.completed_on is not None:
        t.done_late, t.done_on_time = (1, 0) if row.late else (0, 1)
    elif row.state.status is TaskStatus.in_progress:
        t.in_progress = 1
    else:
        t.not_started = 1
    return t


def unit_filter(session: Session, plan: ReformPlan, unit: str | None) -> tuple[str | None, set[uuid.UUID] | None]:
    """A report's unit: an agency code of this installation (the tasks it leads or co-operates
    on), or a lead unit as the plan writes it (the tasks it leads). (label, task ids)."""
    unit = (unit or "").strip()
    if not unit:
        return None, None
    agency = session.scalar(select(Agency).where(Agency.code == unit))
    if agency is not None:
        return agency.name, unit_task_ids(session, {agency.id})
    ids = set(session.scalars(select(ReformTask.id).where(ReformTask.plan_id == plan.id, ReformTask.lead_unit == unit)))
    if not ids:
        raise InvalidInput(f"Không có đơn vị “{unit[:80]}” trong kế hoạch (nhập mã cơ quan hoặc tên đơn vị chủ trì).")
    return unit, ids


def assemble(session: Session, plan: ReformPlan, kind: ReportPeriod, *, visible: set[uuid.UUID] | None = None,
             unit: str | None = None, on: date | None = None) -> Report:
    """The report of a period, for the province (all tasks `visible`) or a unit: every task with
    its state at the period's end, its overdue flag and the entries of the period; totals per
    content group and for the whole, each the sum of its rows."""
    start, end = period_dates(kind, plan.year)
    current = on or today()
    if start > current:
        raise InvalidInput(f"Kỳ báo cáo {period_name(kind, plan.year)} chưa bắt đầu.")
    at = min(end, current)
    label, unit_ids = unit_filter(session, plan, unit)
    if unit_ids is not None:
        visible = unit_ids if visible is None else visible & unit_ids
    tasks = plan_tasks(session, plan, visible=visible)
    entries = entries_of(session, [t.id for t in tasks])
    report = Report(plan, kind, start, end, at, label, [], {g: Totals() for g in ContentGroup})
    for task in tasks:
        mine = entries[task.id]
        state = state_at(mine, at)
        row = ReportRow(task, state, is_overdue(task, state, at), done_late(task, state),
                        [e for e in mine if start <= e.reported_on <= end])
        report.rows.append(row)
        t = _row_totals(row)
        report.groups[ContentGroup(task.content_group)].add(t)
        report.total.add(t)
    return report


def followed_up():
    """The tasks reminders and overdue alerts are about: those of real plans. A sample plan (a
    transcription of another province's past plan, `ReformPlan.is_sample`) is there to be read
    and tried, not followed up: nobody is reminded of it, it raises no overdue alert."""
    return ReformTask.plan_id.in_(select(ReformPlan.id).where(ReformPlan.is_sample.is_(False)))


def overdue_tasks(session: Session, *, on: date | None = None, visible: set[uuid.UUID] | None = None) -> list[ReformTask]:
    """Tasks of real plans past their deadline and not done, judged on `on` (from the stored state)."""
    day = on or today()
    stmt = (select(ReformTask).where(ReformTask.deadline < day, ReformTask.status != TaskStatus.done.value,
                                     followed_up())
            .order_by(ReformTask.deadline, ReformTask.position))
    if visible is not None:
        stmt = stmt.where(ReformTask.id.in_(visible))
    return list(session.scalars(stmt))


def entry_count(session: Session, task_id: uuid.UUID) -> int:
    return session.scalar(select(func.count()).select_from(ReformProgress).where(ReformProgress.task_id == task_id)) or 0


# --- indicators measured by the system -----------------------------------------------------------

@dataclass(frozen=True)
class Measured:
    indicator: Indicator
    value: float | None  # percent to one decimal; None: nothing counted yet
    numerator: int
    denominator: int
    start: date
    end: date
    meets_target: bool | None


def measure(session: Session, task: ReformTask, *, on: date | None = None) -> Measured | None:
    """The value of a task's indicator over its plan's year up to `on` (reform.indicators: the
    statistics' own counting): the lead agency's dossiers when the lead is an agency of this
    installation, the whole province otherwise."""
    if not task.indicator:
        return None
    indicator = Indicator(task.indicator)
    plan = session.get(ReformPlan, task.plan_id)
    current = on or today()
    start, end = date(plan.year, 1, 1), min(date(plan.year, 12, 31), current)
    if start > current:
        return Measured(indicator, None, 0, 0, start, end, None)
    units = task_agencies(session, task)[UnitRole.lead]
    figure = indicators.measure(session, indicators.Source(indicator.value), units or None, start, end)
    target = float(task.target_percent) if task.target_percent is not None else None
    meets = None if figure.value is None or target is None else figure.value >= target
    return Measured(indicator, figure.value, int(figure.numerator), int(figure.denominator), start, end, meets)


# --- a unit's plan ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitTask:
    task: ReformTask
    role: UnitRole  # the unit's part: it leads the task or co-operates on it
    overdue: bool
    entries: int  # progress entries on the task (every unit's)
    own_entries: int  # those the unit made


@dataclass(frozen=True)
class UnitPlan:
    """A unit's plan for the year, derived from the province's (plans.unit_plan): the tasks it leads
    or co-operates on, each with its progress as the task page shows it."""

    plan: ReformPlan
    agency: Agency
    rows: list[UnitTask]

    def count(self, **match) -> int:
        return sum(1 for r in self.rows if all(getattr(r, k) == v for k, v in match.items()))


def unit_plan(session: Session, user: User | None, plan: ReformPlan, agency_code: str, *,
              on: date | None = None) -> UnitPlan:
    """The plan of one agency, to those who see its reform work (its staff, the Department)."""
    scope = policies.ensure_staff(session, user)
    agency = session.scalar(select(Agency).where(Agency.code == agency_code.strip()))
    if agency is None:
        raise NotFound(f"Không tìm thấy cơ quan có mã “{agency_code.strip()[:20]}”.")
    if scope is not None and agency.id not in scope:
        raise Forbidden("Bạn chỉ xem được kế hoạch cải cách hành chính của cơ quan, đơn vị mình.")
    tasks = plans.unit_plan(session, plan, agency.id)
    roles = dict(session.execute(select(ReformTaskUnit.task_id, ReformTaskUnit.role).where(
        ReformTaskUnit.agency_id == agency.id, ReformTaskUnit.task_id.in_([t.id for t in tasks]))).tuples().all())
    entries = entries_of(session, [t.id for t in tasks])
    day = on or today()
    rows = [UnitTask(t, UnitRole(roles[t.id]),
                     is_overdue(t, State(TaskStatus(t.status), t.percent, t.completed_on), day),
                     len(entries[t.id]), sum(1 for e in entries[t.id] if e.agency_id == agency.id)) for t in tasks]
    return UnitPlan(plan, agency, rows)
