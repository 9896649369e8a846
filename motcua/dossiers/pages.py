"""Helpers for the dossier pages (display facts). No business rules: receipt, actions and access
live in the dossier services, the forms' parsing in dossiers/inputs.py; this only shapes page data."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User, UserRole
from motcua.calendar.engine import apology_is_late
from motcua.core.clock import now
from motcua.core.errors import DomainError
from motcua.dossiers.deadlines import urgency
from motcua.dossiers.detail import DossierDetail, agency_names, dossier_detail
from motcua.dossiers.enums import FINISHED_STATUSES, PAUSED_STATUSES
from motcua.dossiers.models import DossierAttachment
from motcua.dossiers.sections import load_sections
from motcua.dossiers.service import list_attachments
from motcua.dossiers.service.common import index_of, load_calendar, step_unit, template_steps
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


# The action that moves the dossier on, most specific first: the page shows the first one its
# reader may take as the one prominent form; the others are listed below it. Irreversible or
# exceptional actions (refuse, stop, withdraw, send back, apology) are never the primary one.
PRIMARY_ORDER = ("receive_supplement", "confirm_payment", "return_result", "issue_result", "approve", "assign",
                 "forward")
# Irreversible: the page asks again on a confirmation page, with the reason (routes.dossier_action).
CONFIRMED = ("withdraw", "stop", "refuse")
# File purposes the page lists, with their headings.
FILE_PURPOSES = {"result": "Tệp kết quả", "scan": "Bản quét khi tiếp nhận", "step": "Tài liệu xử lý"}


def primary_action(actions: list[str], *, status: str, can_assign: bool) -> str | None:
    """Pure: the action the page puts first. Assignment only while the dossier waits for it
    and someone can be chosen; elsewhere it re-assigns, which is not what moves it on."""
    usable = [a for a in actions if a != "assign" or (can_assign and status == "awaiting_assignment")]
    return next((a for a in PRIMARY_ORDER if a in usable), None)


@dataclass
class DossierPage(DossierDetail):
    """The dossier's read model (dossiers.detail) and what only its page offers."""

    sections: list = field(default_factory=list)  # what other domains add to the page (dossiers.sections), loaded
    assignees: list = field(default_factory=list)  # who may be chosen in "assign"
    files: list[DossierAttachment] = field(default_factory=list)  # scans, result documents: downloadable
    apology_now_late: bool = False  # an apology (form 04) issued now would be recorded late

    @property
    def primary(self) -> str | None:
        return primary_action(self.actions, status=self.dossier.status, can_assign=bool(self.assignees))

    @property
    def secondary(self) -> list[str]:
        return [a for a in self.actions if a != self.primary]

    def files_of(self, purpose: str) -> list[DossierAttachment]:
        return [f for f in self.files if f.purpose == purpose]

    @property
    def late_apology(self) -> bool:
        """The apology with a new appointment (form 04) came after its time (handlers)."""
        return any(e.action == "apologize_reschedule" and (e.data or {}).get("late") for e in self.events)


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


# The page's names of the fields an input model (the API's body) names otherwise.
PAGE_FIELDS = {"file_base64": "result_file", "file_name": "result_file", "agency_code": "consult_agency"}


def field_errors(exc: DomainError) -> dict[str, str]:
    """A refusal's messages by the page's field names (first message of each field)."""
    errors: dict[str, str] = {}
    for e in exc.details if isinstance(exc.details, list) else []:
        if isinstance(e, dict) and e.get("field"):
            errors.setdefault(PAGE_FIELDS.get(e["field"], e["field"]), e.get("message", ""))
    return errors


NOTE_REQUIRED = frozenset(t.action.value for t in TRANSITIONS if t.needs_note)


def dossier_page_data(session: Session, dossier, user: User) -> DossierPage:
    """Everything the dossier page shows, loaded up front (templates trigger no queries)."""
    detail = dossier_detail(session, dossier, user)
    assignees = candidate_assignees(session, dossier) if "assign" in detail.actions else []
    late = ("apologize_reschedule" in detail.actions and dossier.due_at is not None
            and apology_is_late(load_calendar(session, dossier.agency_id), dossier.due_at, now()))
    return DossierPage(**{f.name: getattr(detail, f.name) for f in fields(detail)},
                       sections=load_sections(session, dossier), assignees=assignees,
                       files=list_attachments(session, dossier), apology_now_late=late)
