"""Pages for the internal processes (quy trình nội bộ, ISO 9001): `/quan-tri/quy-trinh`.

A province administrator edits every process; an agency administrator the processes of
the agencies in their scope. Saving or importing creates a new version (dossiers keep
the version they started with). Export and import use the JSON of
`workflow.service.export_template`.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from motcua.auth.deps import CurrentUser
from motcua.auth.policies import agency_scope, ensure_role, in_scope
from motcua.auth.roles import ROLE_LABELS, Role
from motcua.catalog.models import Procedure
from motcua.catalog.service import fold_name, get_procedure_by_code, implementing_agencies
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, Forbidden, InvalidInput
from motcua.core.text import strip_control
from motcua.org.models import Agency
from motcua.org.service import get_agency_by_code
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.templating import templates
from motcua.workflow import service
from motcua.workflow.defaults import STEP_KIND_LABELS, StepKind
from motcua.workflow.models import ProcessTemplate

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

BASE = "/quan-tri/quy-trinh"
PAGE_SIZE = 50
MAX_IMPORT_BYTES = 256 * 1024
STEP_ROLES = ["counter_officer", "specialist", "head", "clerk", "agency_admin"]


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _admin_scope(session: Session, user) -> set[uuid.UUID] | None:
    """Agencies whose processes `user` may edit (None: all). Refuses non-administrators."""
    ensure_role(user, Role.province_admin, Role.agency_admin)
    return agency_scope(session, user, Role.agency_admin)


def _ensure_can_edit(session: Session, user, agency_id: uuid.UUID) -> None:
    if not in_scope(_admin_scope(session, user), agency_id):
        raise Forbidden("Bạn chỉ được sửa quy trình nội bộ của cơ quan, đơn vị mình quản trị.")


def _list_context(session: Session, user, q: str = "", page: int = 1, **refused) -> dict:
    """The process list; `refused` puts the "open" form's typed codes and message back."""
    scope = _admin_scope(session, user)
    stmt = (
        select(ProcessTemplate, Procedure.name, Agency.name, Agency.code)
        .join(Procedure, Procedure.id == ProcessTemplate.procedure_id)
        .join(Agency, Agency.id == ProcessTemplate.agency_id)
        .where(ProcessTemplate.active.is_(True))
    )
    if scope is not None:
        stmt = stmt.where(ProcessTemplate.agency_id.in_(scope or {uuid.UUID(int=0)}))
    text = q.strip()
    if text:
        stmt = stmt.where(
            (ProcessTemplate.procedure_code == text)
            | Procedure.name_folded.contains(fold_name(text), autoescape=True)
            | (Agency.code == text)
        )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(
        stmt.order_by(Agency.code, ProcessTemplate.procedure_code).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return {
        "rows": rows, "q": text, "page": page, "pages": max(1, -(-total // PAGE_SIZE)), "total": total,
        "open_form": {"procedure_code": "", "agency_code": ""}, "open_error": None,
    } | refused


@router.get(BASE)
def process_list(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=10000)] = 1,
):
    return templates.TemplateResponse(request, "workflow/list.html", _list_context(session, user, q, page))


@router.post(BASE + "/mo")
def process_open(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    procedure_code: Annotated[str, Form(max_length=64)] = "",
    agency_code: Annotated[str, Form(max_length=40)] = "",
):
    """Open the process of (procedure, agency), creating the default one on first use."""
    try:
        procedure = get_procedure_by_code(session, procedure_code)
        agency = get_agency_by_code(session, agency_code)
        _ensure_can_edit(session, user, agency.id)
        if agency.id not in {a.id for a in implementing_agencies(session, procedure)}:
            raise InvalidInput(f"{agency.name} không phải cơ quan thực hiện thủ tục {procedure.code}.")
        template = service.default_process_for(session, procedure, agency)
    except DomainError as exc:
        typed = {"procedure_code": procedure_code, "agency_code": agency_code}
        message = exc.message
        return form_again(request, session, exc, "workflow/list.html",
                          lambda: _list_context(session, user, open_form=typed, open_error=message))
    return _redirect(f"{BASE}/{template.id}")


def _template_for_edit(session: Session, user, template_id: uuid.UUID) -> ProcessTemplate:
    template = service.get_template(session, template_id)
    _ensure_can_edit(session, user, template.agency_id)
    return template


def _detail_context(session: Session, template: ProcessTemplate) -> dict:
    procedure = session.get(Procedure, template.procedure_id)
    agency = session.get(Agency, template.agency_id)
    unit_ids = {s.unit_id for s in template.steps if s.unit_id}
    unit_codes = dict(session.execute(select(Agency.id, Agency.code).where(Agency.id.in_(unit_ids))).tuples().all()) if unit_ids else {}
    return {
        "template": template,
        "procedure": procedure,
        "agency": agency,
        "versions": service.list_versions(session, procedure, agency),
        "unit_codes": unit_codes,
        "total_hours": sum((s.allotment_hours for s in template.steps), Decimal(0)),
        "limit_hours": service.limit_hours(procedure),
        "kind_labels": STEP_KIND_LABELS,
        "kinds": StepKind.ALL,
        "roles": STEP_ROLES,
        "role_labels": {role.value: label for role, label in ROLE_LABELS.items()},
        "typed": {},
        "error": None,
        "import_content": "",
        "import_error": None,
    }


def _detail_again(request: Request, session: Session, user, template_id: uuid.UUID, exc: DomainError, **refused):
    def context() -> dict:
        return _detail_context(session, _template_for_edit(session, user, template_id)) | refused

    return form_again(request, session, exc, "workflow/detail.html", context)


@router.get(BASE + "/{template_id}")
def process_detail(request: Request, session: DbSession, user: CurrentUser, template_id: uuid.UUID):
    template = _template_for_edit(session, user, template_id)
    return templates.TemplateResponse(request, "workflow/detail.html", _detail_context(session, template))


@router.post(BASE + "/{template_id}")
def process_save(request: Request, session: DbSession, user: CurrentUser, template_id: uuid.UUID, posted: PageForm):
    """Save the edited steps as a new version of the process."""
    template = _template_for_edit(session, user, template_id)
    try:
        steps = _steps_from_form(posted, template)
        data = {"name": str(posted.get("name") or template.name)[:500], "note": template.note, "steps": steps}
        new = service.import_template(
            session,
            procedure=session.get(Procedure, template.procedure_id),
            agency=session.get(Agency, template.agency_id),
            data=data,
            actor=user,
        )
    except DomainError as exc:
        # Re-show the form with what was typed (never lose an administrator's edits).
        typed = typed_values(posted)
        return _detail_again(request, session, user, template_id, exc, typed=typed, error=exc.message)
    flash(request, f"Đã lưu quy trình, phiên bản {new.version}.", "success")
    return _redirect(f"{BASE}/{new.id}")


def _steps_from_form(form, template: ProcessTemplate) -> list[dict]:
    """Rows `step-N-field` of the edit form → the JSON shape `import_template` accepts."""
    count = len(template.steps) + 1  # the last row adds a step when its name is filled in
    try:
        count = min(int(form.get("step_count") or count), 50)
    except ValueError:
        raise InvalidInput("Số bước không hợp lệ.") from None
    steps = []
    for i in range(count):
        name = str(form.get(f"step-{i}-name") or "").strip()
        if not name or form.get(f"step-{i}-delete"):
            continue
        kind = str(form.get(f"step-{i}-kind") or "")
        hours = str(form.get(f"step-{i}-hours") or "0").replace(",", ".")
        try:
            Decimal(hours)
        except InvalidOperation:
            raise InvalidInput(f"Bước “{name}”: thời gian phải là số giờ làm việc.") from None
        previous = template.steps[i] if i < len(template.steps) else None
        try:
            position = int(str(form.get(f"step-{i}-position") or i + 1))
        except ValueError:
            raise InvalidInput(f"Bước “{name}”: thứ tự phải là số nguyên.") from None
        steps.append(
            {
                "_order": (position, 0 if previous is None else 1, i),
                "kind": kind,
                "name": name,
                "role": str(form.get(f"step-{i}-role") or ""),
                "unit_code": str(form.get(f"step-{i}-unit") or "").strip() or None,
                "allotment_hours": hours,
                "actions": list(previous.actions) if previous and previous.kind == kind else None,
                "parallel_group": str(form.get(f"step-{i}-group") or "").strip() or None,
            }
        )
    steps.sort(key=lambda step: step["_order"])
    for step in steps:
        del step["_order"]
        if step["actions"] is None:  # a new or re-kinded step gets the default actions of its kind
            del step["actions"]
    return steps


def _clean_json(value):
    """Imported JSON with control characters removed from every string, including those written
    as JSON escapes ("\\u0000"), which the request boundary cannot see (PostgreSQL refuses NUL)."""
    if isinstance(value, str):
        return strip_control(value)
    if isinstance(value, list):
        return [_clean_json(v) for v in value]
    if isinstance(value, dict):
        return {strip_control(k): _clean_json(v) for k, v in value.items()}
    return value


@router.get(BASE + "/{template_id}/xuat")
def process_export(session: DbSession, user: CurrentUser, template_id: uuid.UUID):
    template = _template_for_edit(session, user, template_id)
    data = service.export_template(session, template)
    filename = f"quy-trinh-{template.procedure_code}-v{template.version}.json"
    return JSONResponse(data, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.post(BASE + "/{template_id}/nhap")
def process_import(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    template_id: uuid.UUID,
    file: Annotated[UploadFile | None, File()] = None,
    content: Annotated[str, Form(max_length=MAX_IMPORT_BYTES)] = "",
):
    """Import a JSON process as a new version of this (procedure, agency)."""
    template = _template_for_edit(session, user, template_id)
    try:
        raw = content
        if file is not None and file.filename:
            data = file.file.read(MAX_IMPORT_BYTES + 1)
            if len(data) > MAX_IMPORT_BYTES:
                raise InvalidInput("Tệp quy trình quá lớn (tối đa 256 KB).")
            raw = data.decode("utf-8-sig", errors="replace")
        raw = strip_control(raw)  # an uploaded file is not checked at the boundary
        if not raw.strip():
            raise InvalidInput("Chọn tệp JSON hoặc dán nội dung quy trình cần nhập.")
        try:
            parsed = _clean_json(json.loads(raw))
        except (json.JSONDecodeError, RecursionError):
            raise InvalidInput("Nội dung không phải JSON hợp lệ.") from None
        new = service.import_template(
            session,
            procedure=session.get(Procedure, template.procedure_id),
            agency=session.get(Agency, template.agency_id),
            data=parsed,
            actor=user,
        )
    except DomainError as exc:  # the pasted JSON comes back; a chosen file is chosen again
        return _detail_again(request, session, user, template_id, exc,
                             import_content=content, import_error=exc.message)
    flash(request, f"Đã nhập quy trình, phiên bản {new.version}.", "success")
    return _redirect(f"{BASE}/{new.id}")
