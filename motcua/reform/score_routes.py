"""Pages of the reform index (/quan-tri/cai-cach/chi-so): the sheets, a sheet with a unit's self
and appraised points (forms for both) and its points as counted, adding items to a draft sheet,
opening it, the ranking; the unit's sheet and the ranking as XLSX and PDF (reform.exports)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from motcua.auth.deps import CurrentUser
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, Forbidden, InvalidInput
from motcua.core.xlsx import XLSX_TYPE
from motcua.dossiers.inputs import validated
from motcua.dossiers.storage import content_disposition
from motcua.org.models import Agency
from motcua.reform import exports, policies, score_api, score_evidence, scoring
from motcua.reform.indicators import SOURCE_LABELS
from motcua.reform.progress import Upload
from motcua.reform.score_evidence import EvidenceIn
from motcua.reform.score_files import STAGE_LABELS
from motcua.reform.scoring import SHEET_STATUS_LABELS, AppraisalIn, ItemIn, SelfScoreIn, SheetStatus
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

ADMIN = "/quan-tri/cai-cach/chi-so"
SCORE_FIELDS = ("agency_code", "item_code", "points", "evidence", "note")
EVIDENCE_FIELDS = ("agency_code", "evidence_item", "stage")
ITEM_FIELDS = ("code", "title", "max_points", "evidence_required", "from_survey", "source", "note")


def _values(form, names) -> dict:
    """Typed values, empty ones left out; points typed the Vietnamese way (1,5) read as 1.5;
    ticked boxes as True."""
    values = {k: v.strip() for k, v in typed_values(form, names).items() if v.strip()}
    for key in ("points", "max_points"):
        if key in values:
            values[key] = values[key].replace(",", ".")
    for key in ("evidence_required", "from_survey"):
        values[key] = key in values
    return values


def _unit_choices(session, user) -> list[Agency]:
    scope = policies.reform_scope(session, user)
    q = select(Agency).where(Agency.dissolved_on.is_(None)).order_by(Agency.name)
    if scope is not None:
        q = q.where(Agency.id.in_(scope))
    return list(session.scalars(q))


@router.get(ADMIN)
def sheets(request: Request, session: DbSession, user: CurrentUser):
    policies.ensure_staff(session, user)
    return templates.TemplateResponse(request, "reform/score_sheets.html", {
        "sheets": scoring.list_sheets(session), "status_labels": SHEET_STATUS_LABELS})


def _sheet_context(session, user, sheet, agency_code: str, typed: dict | None = None) -> dict:
    policies.ensure_staff(session, user)
    items = scoring.items_of(session, sheet)
    units = _unit_choices(session, user)
    agency = next((a for a in units if a.code == agency_code), None)
    unit = scoring.unit_sheet(session, sheet, agency) if agency else None
    return {"sheet": sheet, "items": items, "maxima": scoring.maxima(items), "total_max": scoring.sheet_max(items),
            "survey_max": scoring.survey_max(items), "leaf_ids": {i.id for i in scoring.leaves(items)},
            "units": units, "agency": agency, "unit": unit,
            "source_labels": SOURCE_LABELS, "stage_labels": STAGE_LABELS,
            "appraiser": scoring.is_appraiser(session, user),
            # A submitted self-assessment is frozen (scoring.ensure_not_submitted): no self-score form.
            "may_self_score": unit is not None and unit.submission is None and policies.acts_for(session, user, agency.id),
            "status_labels": SHEET_STATUS_LABELS, "fmt": scoring.fmt, "typed": typed or {}}


@router.get(ADMIN + "/tai-lieu/{evidence_id}")
def evidence_file(request: Request, session: DbSession, user: CurrentUser, evidence_id: uuid.UUID):
    """An evidence file of a score, to those who see the unit's sheet (404 to others)."""
    return score_api.evidence_response(request, score_evidence.get_file(session, user, evidence_id))


@router.get(ADMIN + "/{sheet_id}")
def sheet_page(request: Request, session: DbSession, user: CurrentUser, sheet_id: uuid.UUID,
               don_vi: Annotated[str, Query(max_length=20)] = ""):
    sheet = scoring.get_sheet(session, sheet_id)
    return templates.TemplateResponse(request, "reform/score_sheet.html", _sheet_context(session, user, sheet, don_vi))


ACTIONS = {"tu-cham": (SelfScoreIn, SCORE_FIELDS, scoring.self_score, "Đã ghi điểm tự chấm."),
           "tham-dinh": (AppraisalIn, SCORE_FIELDS, scoring.appraise, "Đã ghi điểm thẩm định.")}


@router.post(ADMIN + "/{sheet_id}/{action}")
def sheet_action(request: Request, session: DbSession, user: CurrentUser, sheet_id: uuid.UUID, action: str,
                 form: PageForm):
    sheet = scoring.get_sheet(session, sheet_id)
    agency_code = (form.get("agency_code") or "").strip()
    typed = typed_values(form, SCORE_FIELDS + ITEM_FIELDS + EVIDENCE_FIELDS) | {"action": action}
    try:
        if action == "tai-lieu":
            values = _values(form, EVIDENCE_FIELDS)
            values["item_code"] = values.pop("evidence_item", "")
            settings = request.app.state.settings
            uploads = [Upload(f.filename, f.file.read(settings.max_upload_bytes + 1))
                       for f in form.getlist("files") if getattr(f, "filename", None)]
            try:
                added = score_evidence.add_evidence(session, user, sheet, validated(EvidenceIn, values), uploads,
                                                    root=settings.storage_dir, max_bytes=settings.max_upload_bytes)
            except DomainError as exc:
                # The upload form's item field is `evidence_item` (the score form above has `item_code`).
                if isinstance(exc.details, list):
                    exc.details = [d | {"name": "evidence_item"} if isinstance(d, dict) and d.get("name") == "item_code"
                                   else d for d in exc.details]
                raise
            done = f"Đã đính kèm {len(added)} tệp."
        elif action == "gui-tham-dinh":
            score_evidence.submit(session, user, sheet, agency_code)
            done = "Đã gửi bảng tự chấm để Hội đồng thẩm định."
        elif action in ACTIONS:
            model, names, act, done = ACTIONS[action]
            act(session, user, sheet, validated(model, _values(form, names)))
        elif action == "muc":
            scoring.add_item(session, user, sheet, validated(ItemIn, _values(form, ITEM_FIELDS)))
            done = "Đã thêm mục vào bộ chỉ số."
        elif action == "trang-thai":
            status = form.get("status")
            if status not in {s.value for s in SheetStatus}:
                raise InvalidInput("Trạng thái không hợp lệ.")
            scoring.set_status(session, user, sheet, SheetStatus(status))
            done = f"Bộ chỉ số: {SHEET_STATUS_LABELS[SheetStatus(status)].lower()}."
        else:
            raise InvalidInput("Thao tác không hợp lệ.")
    except DomainError as exc:
        return form_again(request, session, exc, "reform/score_sheet.html",
                          lambda: _sheet_context(session, user, scoring.get_sheet(session, sheet_id), agency_code,
                                                 typed))
    flash(request, done)
    suffix = f"?don_vi={agency_code}" if agency_code else ""
    return RedirectResponse(f"{ADMIN}/{sheet.id}{suffix}", status_code=303)


def _ranking(session, user, sheet_id) -> tuple:
    policies.ensure_staff(session, user)
    sheet = scoring.get_sheet(session, sheet_id)
    return sheet, scoring.ranking(session, sheet), scoring.sheet_max(scoring.items_of(session, sheet))


@router.get(ADMIN + "/{sheet_id}/xep-hang")
def ranking_page(request: Request, session: DbSession, user: CurrentUser, sheet_id: uuid.UUID):
    sheet, ranked, total_max = _ranking(session, user, sheet_id)
    return templates.TemplateResponse(request, "reform/score_ranking.html", {
        "sheet": sheet, "ranked": ranked, "total_max": total_max, "fmt": scoring.fmt})


def file_response(request: Request, export: exports.Export, ext: str) -> Response:
    """An export as the XLSX or PDF file asked for."""
    if ext == "xlsx":
        content, media = exports.to_xlsx(export), XLSX_TYPE
    elif ext == "pdf":
        content, media = exports.to_pdf(export, settings=request.app.state.settings), "application/pdf"
    else:
        raise InvalidInput("Chỉ tải được tệp .xlsx hoặc .pdf.")
    return Response(content, media_type=media,
                    headers={"Content-Disposition": content_disposition(f"{export.filename}.{ext}")})


@router.get(ADMIN + "/{sheet_id}/xep-hang.{ext}")
def ranking_file(request: Request, session: DbSession, user: CurrentUser, sheet_id: uuid.UUID, ext: str):
    sheet, ranked, total_max = _ranking(session, user, sheet_id)
    return file_response(request, exports.ranking_export(sheet, ranked, total_max), ext)


@router.get(ADMIN + "/{sheet_id}/bang-diem.{ext}")
def unit_sheet_file(request: Request, session: DbSession, user: CurrentUser, sheet_id: uuid.UUID, ext: str,
                    don_vi: Annotated[str, Query(max_length=20)] = ""):
    """A unit's score sheet, for those who see the unit (as on the sheet's page)."""
    policies.ensure_staff(session, user)
    sheet = scoring.get_sheet(session, sheet_id)
    agency = next((a for a in _unit_choices(session, user) if a.code == don_vi), None)
    if agency is None:
        raise Forbidden("Chọn một cơ quan, đơn vị bạn được xem điểm.") if don_vi else InvalidInput(
            "Chọn cơ quan, đơn vị cần tải bảng điểm.")
    return file_response(request, exports.unit_sheet_export(scoring.unit_sheet(session, sheet, agency)), ext)
