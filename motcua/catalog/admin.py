"""Catalogue administration pages: list, edit form, import/export of full records.

Access is checked in the service layer (catalog.policies), the templates only mirror it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from motcua.auth.deps import CurrentUser
from motcua.catalog import service, transfer
from motcua.catalog.coverage import coverage
from motcua.catalog.enums import LEVEL_LABELS, ONLINE_LEVEL_LABELS, STATUS_LABELS
from motcua.catalog.policies import (
    can_edit_procedure,
    editable_procedure_ids,
    ensure_can_edit_procedure,
    ensure_catalog_admin,
)
from motcua.catalog.schemas import ProcedureRecord
from motcua.catalog.search import search_procedures
from motcua.core.dates import parse_date
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, InvalidInput
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.paging import parse_page
from motcua.web.templating import templates

router = APIRouter(prefix="/quan-tri/thu-tuc")

EXTRA_ROWS = 3

LABELS = {
    "level": {k.value: v for k, v in LEVEL_LABELS.items()},
    "online": {k.value: v for k, v in ONLINE_LEVEL_LABELS.items()},
    "status": {k.value: v for k, v in STATUS_LABELS.items()},
}


@router.get("")
def admin_list(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    q: str | None = None,
    page: str | None = None,
):
    ensure_catalog_admin(user)
    error = None
    result = None
    editable: set | None = set()
    try:
        filters = service.resolve_filters(session, q=q)
        result = search_procedures(session, filters, page=parse_page(page), page_size=50)
        # The "Sửa" link only where the service would allow the edit.
        editable = editable_procedure_ids(session, user, [p.id for p in result.items])
    except InvalidInput as exc:
        error = exc.message
    return templates.TemplateResponse(
        request,
        "catalog/admin_list.html",
        {"result": result, "error": error, "q": q or "", "labels": LABELS, "editable": editable},
        status_code=422 if error else 200,
    )


@router.get("/do-phu")
def coverage_page(request: Request, session: DbSession, user: CurrentUser):
    """How many procedures in force have a sourced time limit, components and fees."""
    ensure_catalog_admin(user)
    return templates.TemplateResponse(
        request, "catalog/admin_coverage.html", {"c": coverage(session), "labels": LABELS}
    )


@router.get("/nhap-xuat")
def transfer_page(request: Request, session: DbSession, user: CurrentUser):
    ensure_catalog_admin(user)
    return templates.TemplateResponse(request, "catalog/admin_transfer.html", _transfer_context(session))


IMPORT_META = ("decision_number", "decision_date", "effective_date")


def _transfer_context(session: Session, **refused) -> dict[str, Any]:
    """The import/export page; `refused` puts the import's message, per-record errors and the
    typed decision fields back (the file is chosen again)."""
    return {
        "errors": [],
        "message": None,
        "typed": {},
        "fields": [f for f, _ in service.list_fields(session)],
        "labels": LABELS,
    } | refused


def _parse_date(value: Any, label: str) -> date | None:
    """An optional date from a form (empty → None)."""
    if not value or not isinstance(value, str) or not value.strip():
        return None
    return parse_date(value, label=label)


@router.post("/nhap-xuat")
def transfer_import(request: Request, session: DbSession, user: CurrentUser, form: PageForm):
    ensure_catalog_admin(user)
    upload = form.get("file")
    try:
        if upload is None or isinstance(upload, str):
            raise InvalidInput("Chưa chọn tệp để nhập.")
        content = upload.file.read(transfer.MAX_UPLOAD_BYTES + 1)
        if len(content) > transfer.MAX_UPLOAD_BYTES:
            raise InvalidInput("Tệp quá lớn (tối đa 20 MB).")
        if not content:
            raise InvalidInput("Tệp tải lên rỗng.")
        records = (
            transfer.parse_xlsx(content) if content[:2] == b"PK" else transfer.parse_json(content)
        )
        result = transfer.import_records(
            session,
            records,
            user=user,
            decision_number=(
                str(form.get("decision_number") or "").strip()[:100] or None
            ),
            decision_date=_parse_date(form.get("decision_date"), "Ngày quyết định"),
            effective_date=_parse_date(form.get("effective_date"), "Ngày hiệu lực"),
        )
    except DomainError as exc:
        refused = {
            "message": exc.message.split(" Bản ghi ")[0],
            "errors": exc.details if isinstance(exc.details, list) else [],
            "typed": typed_values(form, IMPORT_META),
        }
        return form_again(request, session, exc, "catalog/admin_transfer.html",
                          lambda: _transfer_context(session, **refused))
    flash(
        request,
        f"Đã nhập {result.records} bản ghi: tạo mới {result.created}, cập nhật {result.updated}, "
        f"không đổi {result.unchanged}; {result.versions_created} phiên bản mới.",
    )
    return RedirectResponse("/quan-tri/thu-tuc/nhap-xuat", status_code=303)


def _form_context(
    procedure, record: dict[str, Any], errors: list[str], session: Session
) -> dict[str, Any]:
    components = list(record.get("components") or [])
    fees = list(record.get("fees") or [])
    components += [
        {"name": "", "form_template": "", "original_count": 1, "copy_count": 0, "required": True}
    ] * EXTRA_ROWS
    fees += [{"name": "", "amount": None, "note": ""}] * EXTRA_ROWS
    return {
        "p": procedure,
        "r": record,
        "components": components,
        "fees": fees,
        "errors": errors,
        "fields": [f for f, _ in service.list_fields(session)],
        "labels": LABELS,
    }


@router.get("/{code}/sua")
def edit_form(request: Request, session: DbSession, user: CurrentUser, code: str):
    procedure = service.get_procedure_by_code(session, code, full=True)
    ensure_can_edit_procedure(session, user, procedure)
    record = service.procedure_record(procedure)
    return templates.TemplateResponse(
        request,
        "catalog/admin_edit.html",
        _form_context(procedure, record, [], session) | {"meta": {}},
    )


def _int_or_none(value: str | None) -> Any:
    value = (value or "").strip()
    if value == "":
        return None
    try:
        return int(value)
    except ValueError:
        return value  # pydantic reports "phải là số nguyên"


def _item(values: list, i: int) -> str | None:
    """The i-th value of a repeated field, None when absent or blank."""
    value = values[i] if i < len(values) else None
    return value.strip() or None if isinstance(value, str) else None


def record_from_form(form, code: str) -> dict[str, Any]:
    """The edit form's fields as a raw ProcedureRecord dict (validated by the caller)."""

    def text(name: str) -> str | None:
        value = form.get(name)
        return value if isinstance(value, str) else None

    components = []
    names = form.getlist("comp_name")
    templates_ = form.getlist("comp_form")
    originals = form.getlist("comp_original")
    copies = form.getlist("comp_copy")
    required = form.getlist("comp_required")
    conditions = form.getlist("comp_condition")
    for i, name in enumerate(names):
        if not isinstance(name, str) or not name.strip():
            continue
        components.append(
            {
                "name": name,
                "form_template": templates_[i]
                if i < len(templates_) and isinstance(templates_[i], str)
                else None,
                "original_count": _int_or_none(originals[i] if i < len(originals) else None) or 0,
                "copy_count": _int_or_none(copies[i] if i < len(copies) else None) or 0,
                "required": (required[i] if i < len(required) else "1") == "1",
                "condition": _item(conditions, i),
            }
        )
    fees = []
    fee_names = form.getlist("fee_name")
    amounts = form.getlist("fee_amount")
    notes = form.getlist("fee_note")
    bases = form.getlist("fee_basis")
    for i, name in enumerate(fee_names):
        if not isinstance(name, str) or not name.strip():
            continue
        raw_amount = amounts[i] if i < len(amounts) and isinstance(amounts[i], str) else ""
        fees.append(
            {
                "name": name,
                "amount": _int_or_none(transfer.money_text(raw_amount)),
                "note": notes[i] if i < len(notes) and isinstance(notes[i], str) else None,
                "basis": _item(bases, i),
            }
        )
    return {
        "code": code,
        "name": text("name") or "",
        "level": text("level") or "",
        "field_code": text("field_code") or None,
        "time_limit_days": _int_or_none(text("time_limit_days")),
        "time_limit_hours": _int_or_none(text("time_limit_hours")),
        "online_time_limit_days": _int_or_none(text("online_time_limit_days")),
        "online_time_limit_hours": _int_or_none(text("online_time_limit_hours")),
        "time_limit_note": text("time_limit_note"),
        "time_limit_basis": text("time_limit_basis") or None,
        "online_time_limit_basis": text("online_time_limit_basis") or None,
        "components_basis": text("components_basis") or None,
        "receipt_cutoff": text("receipt_cutoff") or None,
        "result_description": text("result_description"),
        "legal_basis": text("legal_basis"),
        "online_level": text("online_level") or "",
        "cross_boundary": form.get("cross_boundary") == "1",
        "status": text("status") or "",
        "simplification_resolution": text("simplification_resolution"),
        "components": components,
        "fees": fees,
    }


@router.post("/{code}/sua")
def edit_save(request: Request, session: DbSession, user: CurrentUser, code: str, form: PageForm):
    procedure = service.get_procedure_by_code(session, code, full=True)
    ensure_can_edit_procedure(session, user, procedure)
    raw = record_from_form(form, procedure.code)
    # The pages the legal content was read from are not edited here: they are kept.
    raw["content_sources"] = procedure.content_sources
    meta_raw = {
        k: form.get(k) if isinstance(form.get(k), str) else ""
        for k in ("decision_number", "decision_date", "effective_date")
    }
    errors: list[str] = []
    record = None
    meta: dict[str, Any] = {}
    try:
        record = ProcedureRecord.model_validate(raw)
    except ValidationError as exc:
        errors += transfer.validation_messages(exc)
    try:
        meta = {
            "decision_number": (meta_raw["decision_number"] or "").strip()[:100] or None,
            "decision_date": _parse_date(meta_raw["decision_date"], "Ngày quyết định"),
            "effective_date": _parse_date(meta_raw["effective_date"], "Ngày hiệu lực"),
        }
    except InvalidInput as exc:
        errors.append(exc.message)
    field = None
    if record is not None and record.field_code:
        field = service.get_field_by_code(session, record.field_code)
        if field is None:
            errors.append("Lĩnh vực không tồn tại.")
    if errors or record is None:
        return templates.TemplateResponse(
            request,
            "catalog/admin_edit.html",
            _form_context(procedure, raw, errors, session) | {"meta": meta_raw},
            status_code=422,
        )
    data = record.model_dump(exclude={"code", "code_provisional", "agency_codes", "field_code"})
    try:
        version = service.apply_record(
            session,
            procedure,
            data,
            field=field,
            version_meta=meta | {"note": "Sửa trên trang quản trị"},
            created_by=user.username,
        )
    except DomainError as exc:
        message = exc.message

        def context() -> dict[str, Any]:
            again = service.get_procedure_by_code(session, code, full=True)
            return _form_context(again, raw, [message], session) | {"meta": meta_raw}

        return form_again(request, session, exc, "catalog/admin_edit.html", context)
    if version is None:
        flash(request, "Không có thay đổi nào để lưu.", "info")
    else:
        flash(request, f"Đã lưu thủ tục {procedure.code} (phiên bản {version.number}).")
    return RedirectResponse(f"/thu-tuc/{procedure.code}", status_code=303)


def may_edit(session: Session, user, procedure) -> bool:
    return can_edit_procedure(session, user, procedure)
