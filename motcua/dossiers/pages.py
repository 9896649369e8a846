"""Helpers for the dossier pages (display facts). No business rules: receipt, actions and access
live in the dossier services, the forms' parsing in dossiers/inputs.py; this only shapes page data."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User, UserRole
from motcua.auth.policies import is_province_admin
from motcua.core.text import strip_control
from motcua.documents import adapters as form_adapters
from motcua.documents.forms import DEFAULTS, FORM_KEYS
from motcua.documents.service import form_info
from motcua.dossiers.detail import DossierDetail, agency_names, dossier_detail
from motcua.dossiers.service.common import index_of, load_calendar, step_unit, template_steps
from motcua.dossiers.service.context import after_group, current_template_step
from motcua.dossiers.transitions import TRANSITIONS
from motcua.org.models import Agency
from motcua.org.service import list_one_stop_agencies

__all__ = ["agency_names"]  # the inbox shows agencies' names (routes.py)


def clean(value) -> str:
    """A typed value as text. Requests with control characters are refused before the route
    (web/input_guard.py); this only strips what reaches here another way (imported files)."""
    return strip_control(value if isinstance(value, str) else str(value or ""))


class CleanForm:
    """Read-only view of submitted form data with every text value `clean`ed (files untouched)."""

    def __init__(self, form):
        self._form = form

    def _clean(self, value):
        return clean(value) if isinstance(value, str) else value

    def get(self, key: str, default=None):
        value = self._form.get(key, default)
        return self._clean(value)

    def getlist(self, key: str) -> list:
        return [self._clean(v) for v in self._form.getlist(key)]

    def items(self):
        return [(k, self._clean(v)) for k, v in self._form.multi_items()]


def counter_units(session: Session, user: User) -> list[Agency]:
    """One-stop sections where `user` may receive dossiers (every one for a province admin)."""
    if is_province_admin(user):
        return list_one_stop_agencies(session)
    ids = {r.agency_id for r in user.roles if r.role == "counter_officer"}
    if not ids:
        return []
    return list(session.scalars(select(Agency).where(Agency.id.in_(ids)).order_by(Agency.name)))


def mask_id(value: str | None) -> str:
    """"0012******89": personal numbers are masked in lists (DESIGN.md, personal data)."""
    if not value:
        return ""
    if len(value) <= 4:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 5) + value[-2:]


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

    forms: list = field(default_factory=list)  # printable forms that apply
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


def due_soon_limit(session: Session, at):
    """"Due soon" = due within the next working day (ND 118/2025: alert ≥ 1 working day ahead)."""
    cal = load_calendar(session)
    return cal.add_working_time(at, timedelta(hours=8))


def dossier_page_data(session: Session, dossier, user: User) -> DossierPage:
    """Everything the dossier page shows, loaded up front (templates trigger no queries)."""
    detail = dossier_detail(session, dossier, user)
    forms = []
    for key in FORM_KEYS:
        if DEFAULTS[key].per_dossier and form_adapters.applies(session, dossier, key):
            info = form_info(session, key)
            if info.active:
                forms.append(info)
    assignees = candidate_assignees(session, dossier) if "assign" in detail.actions else []
    return DossierPage(**{f.name: getattr(detail, f.name) for f in fields(detail)}, forms=forms, assignees=assignees)
