"""Shared machinery of the dossier services: calendar, steps, status changes, audit."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.calendar import engine as cal_engine
from motcua.calendar.deadlines import limit_args as deadline_args
from motcua.calendar.store import load_calendar as _load
from motcua.catalog.limits import TimeLimit
from motcua.core.errors import NotFound
from motcua.dossiers.audit import append_event
from motcua.dossiers.enums import EXTERNAL_STATUS, DossierStatus, StepState
from motcua.dossiers.models import Dossier, DossierPause, StepExecution
from motcua.dossiers.policies import Actor
from motcua.dossiers.transitions import STATUS_FOR_STEP_KIND
from motcua.org.models import Agency
from motcua.workflow.models import ProcessStep, ProcessTemplate

DEFAULT_CUTOFF = time(15, 0)


def load_calendar(session: Session, agency_id: uuid.UUID | None = None) -> cal_engine.WorkingCalendar:
    """The working calendar (days off, make-up days, office hours) for an agency."""
    agency = session.get(Agency, agency_id) if agency_id else None
    return _load(session, agency=agency)


def limit_args(days: int | None, hours: int | None) -> dict:
    """Keyword arguments for calendar.engine.due_for_limit from a dossier's stored limit (the
    catalogue's, or the one the officer entered); ValueError when it has none."""
    return deadline_args(TimeLimit(days=days, hours=hours))


def set_status(dossier: Dossier, status: DossierStatus | str) -> None:
    status = DossierStatus(status)
    dossier.status = status.value
    dossier.external_status = int(EXTERNAL_STATUS[status])


def template_steps(session: Session, dossier: Dossier) -> list[ProcessStep]:
    if dossier.template_id is None:
        return []
    template = session.get(ProcessTemplate, dossier.template_id)
    return list(template.steps) if template else []


def open_steps(session: Session, dossier: Dossier) -> list[StepExecution]:
    return list(session.scalars(
        select(StepExecution).where(
            StepExecution.dossier_id == dossier.id, StepExecution.state == StepState.open
        ).order_by(StepExecution.started_at, StepExecution.position)
    ))


def open_pause(session: Session, dossier: Dossier) -> DossierPause | None:
    return session.scalars(
        select(DossierPause).where(DossierPause.dossier_id == dossier.id, DossierPause.ended_at.is_(None))
    ).first()


def step_unit(dossier: Dossier, step: ProcessStep) -> uuid.UUID:
    if step.unit_id is not None:
        return step.unit_id
    if step.kind == "receive":
        return dossier.receiving_unit_id
    if step.kind == "return":
        return dossier.return_unit_id
    return dossier.agency_id


def step_due(cal, start: datetime, hours: Decimal) -> datetime:
    if not hours or hours <= 0:
        return start
    return cal.add_working_time(start, timedelta(hours=float(hours)))


def step_deadline(cal, kind: str, hours: Decimal, start: datetime, appointment: datetime | None) -> datetime:
    """When a step of `kind` entered at `start` is due: its allotment of working `hours` from
    `start`; the return step ("Trả kết quả") at the citizen's `appointment` (the dossier's
    `due_at`), since the applicant collects the result on the day given on the receipt, not
    within hours of its issue (issue 16: every result collected on the appointment day was a
    late step). A result that reaches the counter after the appointment, or too late in it to
    be handed over, still gets the step's allotment from its arrival: the counter cannot be
    late for what it did not have."""
    due = step_due(cal, start, hours)
    if kind == "return" and appointment is not None:
        return max(appointment, due)
    return due


def previous_assignee(session: Session, dossier: Dossier, position: int) -> uuid.UUID | None:
    return session.scalars(
        select(StepExecution.assignee_id).where(
            StepExecution.dossier_id == dossier.id, StepExecution.position == position
        ).order_by(StepExecution.started_at.desc())
    ).first()


def enter_step(
    session: Session, dossier: Dossier, steps: list[ProcessStep], index: int, *, at: datetime, cal,
    start: datetime | None = None, status: DossierStatus | None = None, restore_assignee: bool = True,
) -> list[StepExecution]:
    """Open the step at `index` of the template (all of its parallel group) and point the dossier at it."""
    step = steps[index]
    group = [step]
    if step.parallel_group:
        group = [s for s in steps if s.parallel_group == step.parallel_group]
    begin = start or at
    opened = []
    for s in group:
        unit = step_unit(dossier, s)
        execution = StepExecution(
            dossier_id=dossier.id, position=s.position, kind=s.kind, name=s.name, role=s.role, unit_id=unit,
            parallel_group=s.parallel_group, allotment_hours=s.allotment_hours, state=StepState.open,
            started_at=at, due_at=step_deadline(cal, s.kind, s.allotment_hours, begin, dossier.due_at),
            assignee_id=previous_assignee(session, dossier, s.position) if restore_assignee else None,
        )
        session.add(execution)
        opened.append(execution)
    dossier.current_step_position = step.position
    dossier.current_step_name = step.name if len(group) == 1 else "; ".join(s.name for s in group)
    parallel = bool(step.parallel_group)
    dossier.current_role = None if parallel else step.role
    dossier.current_unit_id = dossier.agency_id if parallel else opened[0].unit_id
    dossier.current_assignee_id = None if parallel else opened[0].assignee_id
    set_status(dossier, status or (DossierStatus.awaiting_consultation if parallel else STATUS_FOR_STEP_KIND[step.kind]))
    return opened


def close_steps(
    executions: list[StepExecution], *, at: datetime, cal, user_id: uuid.UUID | None,
    state: StepState = StepState.done, note: str | None = None,
) -> str | None:
    """Close `executions`; returns the outcome of the last one closed (early/on_time/late)."""
    result = None
    for execution in executions:
        execution.state = state
        execution.finished_at = at
        execution.finished_by_id = user_id
        if note:
            execution.note = note
        if execution.due_at is not None:
            execution.outcome = cal_engine.outcome(cal, at, execution.due_at)
        result = execution.outcome
    return result


def index_of(steps: list[ProcessStep], position: int | None) -> int | None:
    for i, s in enumerate(steps):
        if s.position == position:
            return i
    return None


def record(
    session: Session, dossier: Dossier, *, actor: Actor, action: str, at: datetime, from_status: str | None,
    from_step: str | None = None, from_unit_id: uuid.UUID | None = None, outcome: str | None = None,
    note: str | None = None, data: dict | None = None, first: bool = False,
):
    """Write the audit row of a transition (same transaction as the change)."""
    return append_event(
        session, dossier, first=first, at=at, actor_id=actor.user_id, actor_name=actor.name, actor_role=actor.role,
        actor_unit_id=actor.unit_id, action=action, from_status=from_status, to_status=dossier.status,
        from_step=from_step, to_step=dossier.current_step_name, from_unit_id=from_unit_id,
        to_unit_id=dossier.current_unit_id, outcome=outcome, note=note, data=data,
    )


def get_dossier_row(session: Session, dossier_id: uuid.UUID) -> Dossier:
    dossier = session.get(Dossier, dossier_id)
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    return dossier
