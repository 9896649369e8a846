"""Pages of the quality domain: the roadmap of plans 71 and 34 (/chat-luong/lo-trinh), the
register of units (/chat-luong/don-vi), one unit's system with its scope, history and
documents, and one controlled document with its versions. Reading the register and the
roadmap is public; documents and every change go through `quality.policies`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse

from motcua.auth.deps import CurrentUser, OptionalUser
from motcua.catalog.service import find_procedure_by_code
from motcua.core.dates import parse_date
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, InvalidInput
from motcua.dossiers.inputs import validated
from motcua.org.service import today
from motcua.quality import audit_routes, documents, policies, review_routes, roadmap, units
from motcua.quality.enums import DocumentKind, Stage, Standard, UnitEventKind, VersionStatus
from motcua.quality.schemas import (
    ActivityDoneIn,
    AnnounceIn,
    DetailsIn,
    DocumentIn,
    ScopeIn,
    StageIn,
    VersionIn,
)
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
# A unit's reviews and targets (/don-vi/{code}/xem-xet, /muc-tieu) first: the unit actions
# below answer every other POST /don-vi/{code}/{action}.
router.include_router(review_routes.router)
BASE = "/chat-luong"
PAGE_SIZE = 50
Text = Annotated[str, Query(max_length=40)]


def _labels() -> dict:
    return {
        "stage_labels": {s.value: s.label for s in Stage},
        "standard_labels": {s.value: s.label for s in Standard},
        "kind_labels": {k.value: k.label for k in DocumentKind},
        "version_labels": {v.value: v.label for v in VersionStatus},
        "event_labels": {e.value: e.label for e in UnitEventKind},
    }


def _roadmap_context(session, user, typed: dict | None = None) -> dict:
    return {"roadmap": roadmap.roadmap(session), "may_record": user is not None and policies.sees_all(session, user),
            "typed": typed or {}, **_labels()}


@router.get(f"{BASE}/lo-trinh")
def roadmap_page(request: Request, session: DbSession, user: OptionalUser):
    return templates.TemplateResponse(request, "quality/roadmap.html", _roadmap_context(session, user))


@router.post(f"{BASE}/lo-trinh/da-thuc-hien")
def roadmap_done(request: Request, session: DbSession, user: CurrentUser, form: PageForm):
    typed = typed_values(form, ("source_row", "on", "note"))
    try:
        on = parse_date(typed.get("on"), label="Ngày thực hiện")
        body = validated(ActivityDoneIn, {"on": on, "note": typed.get("note") or None})
        roadmap.record_activity_done(session, user, typed.get("source_row", ""), on=body.on, note=body.note)
    except DomainError as exc:
        return form_again(request, session, exc, "quality/roadmap.html", lambda: _roadmap_context(session, user, typed))
    flash(request, "Đã ghi nhận nội dung đã thực hiện.")
    return RedirectResponse(f"{BASE}/lo-trinh", status_code=303)


@router.get(f"{BASE}/don-vi")
def units_page(request: Request, session: DbSession, nhom: Text = "", nam: Text = "", giai_doan: Text = "",
               trang: Annotated[int, Query(ge=1, le=10_000)] = 1):
    group = nhom if nhom in {"I", "II", "III", "IV", "V", "VI"} else None
    year = int(nam) if nam in {"2018", "2019", "2020"} else None
    stage = Stage(giai_doan) if giai_doan in {s.value for s in Stage} else None
    result = units.list_units(session, None, public=True, plan_group=group, plan_year=year, stage=stage,
                              page=trang, page_size=PAGE_SIZE)
    return templates.TemplateResponse(request, "quality/units.html", {
        "page": result, "nhom": group or "", "nam": year or "", "giai_doan": giai_doan if stage else "",
        "pages": max(1, -(-result.total // PAGE_SIZE)), **_labels(),
    })


def _unit_context(session, user, unit, typed: dict | None = None) -> dict:
    view = units.unit_view(session, unit)
    readable = user is not None and policies.can_view_unit(session, user, unit)
    docs = documents.documents_of(session, unit) if readable else []
    return {
        "view": view, "unit": unit, "typed": typed or {}, "can_act": policies.can_act(user, unit),
        "readable": readable, "documents": docs, "today": today(),
        "in_force": {d.id: documents.version_in_force(d, today()) for d in docs},
        "next_stages": sorted(units.NEXT_STAGES[Stage(unit.stage)] - {Stage.announce}, key=lambda s: s.position),
        "may_announce": Stage.announce in units.NEXT_STAGES[Stage(unit.stage)],
        "stage_list": list(Stage), **_labels(),
    }


@router.get(f"{BASE}/don-vi/{{code}}")
def unit_page(request: Request, session: DbSession, user: OptionalUser, code: str):
    unit = units.unit_by_code(session, code)
    return templates.TemplateResponse(request, "quality/unit.html", _unit_context(session, user, unit))


UNIT_FIELDS = ("stage", "number", "on", "file", "kind", "code", "title", "procedure_code", "procedure_codes",
               "all_gaps", "consultant", "budget_vnd", "leader_name", "secretary_username", "note")


@router.post(f"{BASE}/don-vi/{{code}}/{{action}}")
def unit_action(request: Request, session: DbSession, user: CurrentUser, code: str, action: str, form: PageForm):
    unit = units.unit_by_code(session, code)
    typed = typed_values(form, UNIT_FIELDS)
    try:
        if action == "giai-doan":
            units.move_to_stage(session, user, unit, validated(StageIn, {"stage": typed.get("stage", "")}).stage)
            flash(request, "Đã chuyển giai đoạn của hệ thống.")
        elif action == "cong-bo":
            on = parse_date(typed.get("on"), label="Ngày quyết định")
            body = validated(AnnounceIn, {"number": typed.get("number", ""), "on": on, "file": typed.get("file") or None})
            units.announce(session, user, unit, number=body.number, on=body.on, file=body.file)
            flash(request, "Đã ghi quyết định công bố hệ thống.")
        elif action == "tai-lieu":
            body = validated(DocumentIn, {k: typed.get(k) or None for k in ("kind", "code", "title", "procedure_code")})
            procedure_id = None
            if body.procedure_code:
                procedure = find_procedure_by_code(session, body.procedure_code)
                if procedure is None:
                    raise InvalidInput(f"Không có thủ tục mã “{body.procedure_code}”.")
                procedure_id = procedure.id
            document = documents.create_document(session, user, unit, documents.NewDocument(
                kind=body.kind, code=body.code, title=body.title, procedure_id=procedure_id))
            return RedirectResponse(f"{BASE}/tai-lieu/{document.id}", status_code=303)
        elif action == "pham-vi":
            body = validated(ScopeIn, {"procedure_codes": typed.get("procedure_codes", "").split(),
                                       "all_gaps": typed.get("all_gaps") == "1"})
            added = units.cover_codes(session, user, unit, body.procedure_codes, all_gaps=body.all_gaps)
            flash(request, f"Đã đưa {added} thủ tục vào phạm vi áp dụng.")
        elif action == "thong-tin":
            body = validated(DetailsIn, {k: typed.get(k) or None for k in DetailsIn.model_fields})
            units.update_details(session, user, unit, units.UnitDetails(
                consultant=body.consultant, budget_vnd=body.budget_vnd, leader_name=body.leader_name,
                secretary_id=units.secretary_by_username(session, body.secretary_username), note=body.note,
            ))
            flash(request, "Đã cập nhật thông tin hệ thống.")
        else:
            raise InvalidInput("Thao tác không hợp lệ.")
    except DomainError as exc:
        return form_again(request, session, exc, "quality/unit.html",
                          lambda: _unit_context(session, user, units.unit_by_code(session, code), typed))
    return RedirectResponse(f"{BASE}/don-vi/{unit.agency.code}", status_code=303)


def _document_context(session, user, document_id: uuid.UUID, typed: dict | None = None) -> dict:
    document, unit = documents.get_document(session, user, document_id)
    return {
        "document": document, "unit": unit, "typed": typed or {},
        "in_force": documents.version_in_force(document, today()),
        "draft": next((v for v in document.versions if v.status == VersionStatus.draft), None),
        "can_act": policies.can_act(user, unit), "can_approve": policies.can_approve(user, unit), **_labels(),
    }


@router.get(f"{BASE}/tai-lieu/{{document_id}}")
def document_page(request: Request, session: DbSession, user: CurrentUser, document_id: uuid.UUID):
    return templates.TemplateResponse(request, "quality/document.html", _document_context(session, user, document_id))


VERSION_FIELDS = ("content", "file_name", "change_note", "distribution", "effective_from")


@router.post(f"{BASE}/tai-lieu/{{document_id}}/{{action}}")
def document_action(request: Request, session: DbSession, user: CurrentUser, document_id: uuid.UUID, action: str,
                    form: PageForm):
    typed = typed_values(form, VERSION_FIELDS)
    try:
        document, unit = documents.get_document(session, user, document_id)
        if action == "phien-ban":
            body = validated(VersionIn, {
                "content": typed.get("content") or None, "file_name": typed.get("file_name") or None,
                "change_note": typed.get("change_note") or None,
                "distribution": [line.strip() for line in typed.get("distribution", "").splitlines() if line.strip()],
            })
            documents.add_version(session, user, document, unit, documents.NewVersion(**body.model_dump()))
            flash(request, "Đã lưu dự thảo phiên bản mới.")
        elif action == "phe-duyet":
            on = parse_date(typed.get("effective_from"), label="Ngày hiệu lực")
            documents.approve(session, user, document, unit, effective_from=on)
            flash(request, "Đã phê duyệt, ban hành phiên bản.")
        elif action == "huy-du-thao":
            documents.discard_draft(session, user, document, unit)
            flash(request, "Đã huỷ dự thảo.")
        else:
            raise InvalidInput("Thao tác không hợp lệ.")
    except DomainError as exc:
        return form_again(request, session, exc, "quality/document.html",
                          lambda: _document_context(session, user, document_id, typed))
    return RedirectResponse(f"{BASE}/tai-lieu/{document_id}", status_code=303)


# Audits, legal-change tasks and reports (quality/audit_routes.py).
router.include_router(audit_routes.router)
