"""Inputs of an action and the context its handler works in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.calendar import engine as cal_engine
from motcua.dossiers.models import Dossier, StepExecution
from motcua.dossiers.policies import Actor
from motcua.dossiers.service.common import index_of
from motcua.dossiers.transitions import Transition
from motcua.org.models import Agency


@dataclass
class ActionParams:
    """Optional inputs of an action (the API's JSON body, resolved to objects)."""

    note: str | None = None
    assignee: User | None = None  # assign
    missing_items: list[str] | None = None  # request_supplement
    amount: int | None = None  # request_payment (đồng)
    consult_agency: Agency | None = None  # consult
    working_days: int | None = None  # consult: the consulted agency's own deadline
    result_number: str | None = None  # issue_result
    result_summary: str | None = None
    file_content: bytes | None = None  # issue_result: the result document
    file_name: str | None = None
    method: str | None = None  # return_result: counter / post / online
    new_due_at: datetime | None = None  # apologize_reschedule
    extra_working_days: int | None = None  # apologize_reschedule, alternative to new_due_at
    storage_root: Path | None = None  # where files go (default: settings.storage_dir)


@dataclass
class Context:
    session: Session
    dossier: Dossier
    user: User | None  # None: a system action (actions.perform_system_action)
    actor: Actor
    transition: Transition
    params: ActionParams
    note: str | None
    at: datetime
    cal: cal_engine.WorkingCalendar
    steps: list
    opened: list[StepExecution]
    outcome: str | None = None
    data: dict | None = None


def current_template_step(steps, dossier: Dossier):
    """The template step the dossier is at (None outside the process)."""
    i = index_of(steps, dossier.current_step_position)
    return steps[i] if i is not None else None


def after_group(steps, i: int) -> int:
    """Index of the first step after the parallel group (if any) that starts at `i`."""
    group = steps[i].parallel_group
    j = i + 1
    while group and j < len(steps) and steps[j].parallel_group == group:
        j += 1
    return j
