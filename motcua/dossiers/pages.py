"""Helpers for the dossier pages (counter form parsing, display facts). No business rules:
receipt, actions and access live in the dossier services; this only shapes page data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User, UserRole
from motcua.auth.queries import find_user
from motcua.catalog.models import Procedure
from motcua.core.errors import InvalidInput
from motcua.dossiers.audit import dossier_events
from motcua.dossiers.models import (
    DossierComponent,
    DossierPause,
    DossierResult,
    StepExecution,
)
from motcua.dossiers.sections import load_sections
from motcua.dossiers.service import ActionParams
from motcua.dossiers.service.common import index_of, step_unit, template_steps
from motcua.dossiers.service.context import after_group, current_template_step
from motcua.dossiers.service.files import attach_file
from motcua.dossiers.service.receive import ApplicantData, ComponentData, ReceiptData
from motcua.dossiers.transitions import TRANSITIONS
from motcua.org.models import Agency
from motcua.org.service import get_agency_by_code

MAX_EXTRA_COMPONENTS = 10


def _int(value, label: str, errors: list[str], *, default: int = 0) -> int:
    text = str(value or "").strip().replace(".", "").replace(",", "").replace(" ", "")
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        errors.append(f"{label} phải là số nguyên.")
        return default


@dataclass
class CounterForm:
    """What the counter officer typed, kept to re-render the form after an error."""

    values: dict = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)


def receipt_from_form(form, procedure: Procedure) -> ReceiptData:
    """Build the receipt from the counter form: ticked components against the procedure's list
    (`comp-<spec id>`, with `kind-…` and `count-…`), extra lines, outcome and its details."""
    errors: list[str] = []
    components: list[ComponentData] = []
    for spec in procedure.components:
        key = str(spec.id)
        if form.get(f"comp-{key}"):
            kind = str(form.get(f"kind-{key}") or "original")
            count = _int(form.get(f"count-{key}"), f"Số lượng “{spec.name[:40]}”", errors, default=1)
            components.append(ComponentData(spec.name, kind, count, spec.id))
    for i in range(MAX_EXTRA_COMPONENTS):
        name = str(form.get(f"extra-{i}-name") or "").strip()
        if name:
            kind = str(form.get(f"extra-{i}-kind") or "original")
            count = _int(form.get(f"extra-{i}-count"), f"Số lượng “{name[:40]}”", errors, default=1)
            components.append(ComponentData(name, kind, count))
    outcome = str(form.get("outcome") or "accepted")
    missing = [line.strip() for line in str(form.get("missing_items") or "").splitlines() if line.strip()]
    fees = _int(form.get("fees"), "Phí, lệ phí", errors)
    if errors:
        raise InvalidInput(" ".join(errors), details=errors)
    return ReceiptData(
        applicant=ApplicantData(
            kind=str(form.get("applicant_kind") or "person"),
            full_name=str(form.get("full_name") or ""),
            id_number=str(form.get("id_number") or "") or None,
            phone=str(form.get("phone") or "") or None,
            email=str(form.get("email") or "") or None,
            address=str(form.get("address") or "") or None,
        ),
        components=components,
        channel=str(form.get("channel") or "counter"),
        outcome=outcome,
        missing_items=missing or None,
        refusal_reason=str(form.get("refusal_reason") or "").strip() or None,
        fees=fees,
        note=str(form.get("note") or "").strip() or None,
    )


def parse_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


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
class DossierPage:
    dossier: object
    components: list
    steps: list
    pauses: list
    results: list
    events: list
    agencies: dict
    users: dict
    sections: list  # what other domains add to the page (dossiers.sections), loaded
    actions: list
    assignees: list


def agency_names(session: Session, ids) -> dict:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {a.id: a for a in session.scalars(select(Agency).where(Agency.id.in_(ids)))}


def user_names(session: Session, ids) -> dict:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).tuples().all())


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


def dossier_page_data(session: Session, dossier, user: User, actions: list[str]) -> DossierPage:
    """Everything the dossier page shows, loaded up front (templates trigger no queries)."""
    components = list(session.scalars(
        select(DossierComponent).where(DossierComponent.dossier_id == dossier.id).order_by(DossierComponent.position)
    ))
    steps = list(session.scalars(
        select(StepExecution).where(StepExecution.dossier_id == dossier.id)
        .order_by(StepExecution.started_at, StepExecution.position)
    ))
    pauses = list(session.scalars(
        select(DossierPause).where(DossierPause.dossier_id == dossier.id).order_by(DossierPause.started_at)
    ))
    results = list(session.scalars(
        select(DossierResult).where(DossierResult.dossier_id == dossier.id).order_by(DossierResult.issued_at)
    ))
    events = dossier_events(session, dossier.id)
    agencies = agency_names(
        session,
        {dossier.agency_id, dossier.receiving_unit_id, dossier.return_unit_id, dossier.current_unit_id}
        | {s.unit_id for s in steps},
    )
    users = user_names(
        session,
        {dossier.received_by_id, dossier.current_assignee_id}
        | {s.assignee_id for s in steps}
        | {s.finished_by_id for s in steps},
    )
    assignees = candidate_assignees(session, dossier) if "assign" in actions else []
    return DossierPage(dossier, components, steps, pauses, results, events, agencies, users,
                       load_sections(session, dossier), actions, assignees)


def action_params(session: Session, form, action: str, *, max_bytes: int) -> ActionParams:
    """The page form of one action → ActionParams (same meaning as the API's JSON body)."""
    errors: list[str] = []
    params = ActionParams(note=str(form.get("note") or "").strip() or None)
    if action == "assign":
        username = str(form.get("assignee") or "").strip()
        if username:
            params.assignee = find_user(session, username)
            if params.assignee is None:
                errors.append(f"Không tìm thấy cán bộ “{username}”.")
    elif action == "request_supplement":
        params.missing_items = [x.strip() for x in str(form.get("missing_items") or "").splitlines() if x.strip()]
    elif action == "request_payment":
        params.amount = _int(form.get("amount"), "Số tiền", errors) or None
    elif action == "consult":
        code = str(form.get("consult_agency") or "").strip()
        if code:
            params.consult_agency = get_agency_by_code(session, code)
        params.working_days = _int(form.get("working_days"), "Số ngày làm việc", errors) or None
    elif action == "issue_result":
        params.result_number = str(form.get("result_number") or "").strip() or None
        params.result_summary = str(form.get("result_summary") or "").strip() or None
        upload = form.get("result_file")
        if upload is not None and getattr(upload, "filename", None):
            content = upload.file.read(max_bytes + 1)
            if len(content) > max_bytes:
                errors.append(f"Tệp kết quả quá lớn (tối đa {max_bytes // (1024 * 1024)} MB).")
            params.file_content, params.file_name = content, upload.filename[:255]
    elif action == "return_result":
        params.method = str(form.get("method") or "counter")
    elif action == "apologize_reschedule":
        params.extra_working_days = _int(form.get("extra_working_days"), "Số ngày gia hạn", errors) or None
    if errors:
        raise InvalidInput(" ".join(errors), details=errors)
    return params


def attach_scans(session: Session, dossier, *, user: User, uploads: list[tuple[str, bytes]], root) -> int:
    """Store the scans made at receipt through the dossier service (audited, size-limited).

    A dossier refused at the counter keeps no scans: the papers go back to the applicant.
    """
    if dossier.status == "refused_at_receipt":
        return 0
    for filename, content in uploads:
        attach_file(session, dossier, user=user, content=content, filename=filename, purpose="scan",
                    storage_root=root)
    return len(uploads)
