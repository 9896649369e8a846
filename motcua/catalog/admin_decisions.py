"""Publication decisions on the catalogue administration: upload → preview → confirm.

Uploading parses and checks the file and keeps it as a draft decision (nothing in the
catalogue changes); the preview page shows the changes computed against the catalogue as it
is; confirming applies exactly the previewed changes (or schedules them for the effective
date), all or nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.deps import CurrentUser
from motcua.catalog import changes, decisions, transfer
from motcua.catalog.enums import (
    CHANGE_KIND_LABELS,
    DECISION_STATUS_LABELS,
    ChangeKind,
    DecisionStatus,
)
from motcua.catalog.models import CatalogDecision, Procedure, ProcedureVersion
from motcua.catalog.policies import ensure_can_publish_decisions
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, InvalidInput, NotFound
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.templating import templates

router = APIRouter(prefix="/quan-tri/thu-tuc/quyet-dinh")

HEADER_NAMES = [key for key, _ in decisions.HEADER_FIELDS]
LABELS = {
    "kind": {k.value: v for k, v in CHANGE_KIND_LABELS.items()},
    "status": {k.value: v for k, v in DECISION_STATUS_LABELS.items()},
}


def _list_context(session: Session, **refused) -> dict[str, Any]:
    rows = session.scalars(
        select(CatalogDecision).order_by(CatalogDecision.created_at.desc()).limit(50)
    ).all()
    return {"decisions": rows, "labels": LABELS, "message": None, "errors": [], "typed": {}} | refused


@router.get("")
def decision_list(request: Request, session: DbSession, user: CurrentUser):
    ensure_can_publish_decisions(user)
    return templates.TemplateResponse(request, "catalog/admin_decisions.html", _list_context(session))


@router.get("/mau.{format}")
def decision_template(user: CurrentUser, format: str):
    ensure_can_publish_decisions(user)
    if format == "xlsx":
        content, media = decisions.template_xlsx(), transfer.XLSX_MEDIA_TYPE
    elif format == "json":
        content, media = decisions.template_json(), "application/json"
    else:
        raise NotFound("Chỉ có mẫu .xlsx và .json.")
    return Response(
        content, media_type=media,
        headers={"Content-Disposition": f'attachment; filename="mau-quyet-dinh-cong-bo.{format}"'},
    )


@router.post("")
def decision_upload(request: Request, session: DbSession, user: CurrentUser, form: PageForm):
    ensure_can_publish_decisions(user)
    upload = form.get("file")
    try:
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise InvalidInput("Chưa chọn tệp quyết định để nhập.")
        content = upload.file.read(transfer.MAX_UPLOAD_BYTES + 1)
        if len(content) > transfer.MAX_UPLOAD_BYTES:
            raise InvalidInput("Tệp quá lớn (tối đa 20 MB).")
        parsed = decisions.read_file(content)
        decision = decisions.decision_from(
            parsed.header, typed_values(form, HEADER_NAMES), source_file=upload.filename
        )
        changeset = changes.diff(session, parsed.entries)
        row = changes.save_draft(session, changeset, decision, actor=user.username)
    except DomainError as exc:
        message, errors = decisions.refusal_parts(exc)
        refused = {"message": message, "errors": errors, "typed": typed_values(form, HEADER_NAMES)}
        return form_again(request, session, exc, "catalog/admin_decisions.html",
                          lambda: _list_context(session, **refused))
    return RedirectResponse(f"/quan-tri/thu-tuc/quyet-dinh/{row.id}", status_code=303)


def _get_decision(session: Session, decision_id: str) -> CatalogDecision:
    try:
        row = session.get(CatalogDecision, uuid.UUID(decision_id))
    except ValueError:
        row = None
    if row is None:
        raise NotFound("Không tìm thấy quyết định công bố này.")
    return row


def _decision_context(session: Session, row: CatalogDecision, **extra) -> dict[str, Any]:
    """A draft or pending decision shows its changes against the catalogue now; an applied
    one lists the versions it recorded."""
    changeset = error = None
    errors: list[str] = []
    if row.status in {DecisionStatus.draft.value, DecisionStatus.pending.value}:
        try:
            changeset = changes.diff(session, changes.entries_from_stored(row.entries))
        except InvalidInput as exc:
            error, errors = decisions.refusal_parts(exc)
    versions = session.execute(
        select(ProcedureVersion, Procedure.code, Procedure.name)
        .join(Procedure, Procedure.id == ProcedureVersion.procedure_id)
        .where(ProcedureVersion.decision_id == row.id)
        .order_by(Procedure.code)
    ).all()
    groups = [
        (kind, [(c, decisions.change_rows(c)) for c in changeset.of(kind)])
        for kind in ChangeKind
    ] if changeset else []
    return {
        "d": row,
        "labels": LABELS,
        "changeset": changeset,
        "groups": groups,
        "versions": versions,
        "message": error,
        "errors": errors,
        "today": changes.today(),
        "refused": None,
    } | extra


@router.get("/{decision_id}")
def decision_page(request: Request, session: DbSession, user: CurrentUser, decision_id: str):
    ensure_can_publish_decisions(user)
    row = _get_decision(session, decision_id)
    return templates.TemplateResponse(request, "catalog/admin_decision.html", _decision_context(session, row))


@router.post("/{decision_id}/ap-dung")
def decision_confirm(request: Request, session: DbSession, user: CurrentUser, decision_id: str, form: PageForm):
    ensure_can_publish_decisions(user)
    row = _get_decision(session, decision_id)
    digest = form.get("digest")
    try:
        row, _ = changes.confirm_draft(
            session, row, digest=digest if isinstance(digest, str) else "", actor=user.username
        )
    except DomainError as exc:
        message = exc.message

        def context() -> dict[str, Any]:
            return _decision_context(session, _get_decision(session, decision_id), refused=message)

        return form_again(request, session, exc, "catalog/admin_decision.html", context)
    if row.status == DecisionStatus.pending.value:
        flash(request, f"Đã lưu Quyết định số {row.number}; các thay đổi áp dụng từ ngày "
                       f"{row.effective_on:%d/%m/%Y}.")
    else:
        flash(request, f"Đã áp dụng Quyết định số {row.number}.")
    return RedirectResponse(f"/quan-tri/thu-tuc/quyet-dinh/{row.id}", status_code=303)
