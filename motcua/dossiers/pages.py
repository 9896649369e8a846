"""Helpers for the dossier pages (display facts). No business rules: receipt, actions and access
live in the dossier services, the forms' parsing in dossiers/inputs.py; this only shapes page data."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User, UserRole
from motcua.calendar.store import load_calendar
from motcua.dossiers.deadlines import urgency
from motcua.dossiers.detail import DossierDetail, agency_names, dossier_detail
from motcua.dossiers.enums import FINISHED_STATUSES, PAUSED_STATUSES
from motcua.dossiers.sections import load_sections
from motcua.dossiers.service.common import index_of, step_unit, template_steps
from motcua.dossiers.service.context import after_group, current_template_step
from motcua.dossiers.transitions import TRANSITIONS

__all__ = ["agency_names"]  # the inbox shows agencies' names (routes.py)


# --- inbox ------------------------------------------------------------------------------

_NO_LABEL = frozenset(s.value for s in FINISHED_STATUSES)
_PAUSED = frozenset(s.value for s in PAUSED_STATUSES)


def inbox_urgency(session: Session, dossiers, at: datetime) -> dict:
    """Dossier id → its urgency label (dossiers.deadlines.urgency) for the dossiers of an inbox
    page; none for a dossier without a due time or whose processing is over (its outcome is set)."""
    cal = load_calendar(session)
    return {d.id: urgency(cal, d.due_at, at, paused=d.status in _PAUSED) for d in dossiers
            if d.due_at is not None and d.status not in _NO_LABEL}


# --- dossier page ------------------------------------------------------------------------

# Extra inputs each action's form shows besides the note (see ActionParams).
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "assign": ("assignee",),
    "request_supplement": ("missing_items",),
    "request_payment": ("amount",),
    "consult": ("consult_agency", "working_days"),
    "issue_result": ("result_number", "result_summary", "result_file"),
    "return_result": ("method",),
    "apologize_reschedule": ("extra_working_days",),
}


@dataclass
class DossierPage(DossierDetail):
    """The dossier's read model (dossiers.detail) and what only its page offers."""

    sections: list = field(default_factory=list)  # what other domains add to the page (dossiers.sections), loaded
    assignees: list = field(default_factory=list)  # who may be chosen in "assign"


def candidate_assignees(session: Session, dossier) -> list[User]:
    """Active users who may be chosen in "assign": at the assignment step, holders of the NEXT
    step's role in its unit (the service hands the dossier over to them); elsewhere holders of
    the current step's role in the current unit (reassignment)."""
    role, unit_id = dossier.current_role, dossier.current_unit_id
    steps = template_steps(session, dossier)
    step = current_template_step(steps, dossier)
    if step is not None and step.kind == "assign":
        j = after_group(steps, index_of(steps, step.position))
        if j >= len(steps):
            return []
        role, unit_id = steps[j].role, step_unit(dossier, steps[j])
    if not role or not unit_id:
        return []
    return list(
        session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                UserRole.role == role,
                UserRole.agency_id == unit_id,
                User.is_active.is_(True),
            )
            .order_by(User.full_name)
            .limit(100)
        )
    )


NOTE_REQUIRED = frozenset(t.action.value for t in TRANSITIONS if t.needs_note)


def dossier_page_data(session: Session, dossier, user: User) -> DossierPage:
    """Everything the dossier page shows, loaded up front (templates trigger no queries)."""
    detail = dossier_detail(session, dossier, user)
    assignees = candidate_assignees(session, dossier) if "assign" in detail.actions else []
    return DossierPage(**{f.name: getattr(detail, f.name) for f in fields(detail)},
                       sections=load_sections(session, dossier), assignees=assignees)
