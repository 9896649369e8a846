"""Pages of the local online service: the list of procedures offered online here, the start
page (choose the agency), the form of a draft (save, submit, delete), the confirmation, and
the administrators' list. Thin: each route calls one service and renders."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from motcua.auth.deps import CurrentUser
from motcua.catalog.limits import procedure_time_limit
from motcua.catalog.sections import ProcedureSection, register_procedure_section
from motcua.citizens.deps import current_citizen
from motcua.citizens.models import Citizen
from motcua.core.db import DbSession
from motcua.core.errors import DomainError
from motcua.dossiers.enums import CHANNEL_LABELS, EXTERNAL_LABELS, STATUS_LABELS
from motcua.eservice import offers, service
from motcua.eservice.models import OnlineDraft
from motcua.eservice.uploads import ACCEPT_ATTRIBUTE, ALLOWED_TEXT, Upload, megabytes
from motcua.org.models import Agency
from motcua.population.client import population_registry
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

BASE = "/cong-dan/nop-truc-tuyen"
ADMIN = "/quan-tri/nop-truc-tuyen"
CITIZEN_LOGIN = "/cong-dan/dang-nhap"


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _to_login(request: Request) -> Response:
    flash(request, "Vui lòng đăng nhập bằng tài khoản định danh điện tử để nộp hồ sơ trực tuyến.", "info")
    return _redirect(CITIZEN_LOGIN)


def _own_draft(request: Request, session: Session, draft_id: uuid.UUID) -> tuple[Citizen, OnlineDraft] | None:
    """The signed-in citizen and their draft (404 for anyone else's); None when nobody is signed in."""
    citizen = current_citizen(request, session)
    return None if citizen is None else (citizen, service.get_draft(session, citizen, draft_id))


def _offer_section(session: Session, procedure) -> dict | None:
    """The procedure page's "Nộp trực tuyến" section, when the province offers it here."""
    return {"url": f"{BASE}/thu-tuc/{procedure.code}"} if offers.is_offered(session, procedure) else None


register_procedure_section(ProcedureSection("eservice", "eservice/_procedure_section.html", _offer_section))


@router.get(BASE)
def offered_list(request: Request, session: DbSession):
    citizen = current_citizen(request, session)
    return templates.TemplateResponse(request, "eservice/list.html", {
        "procedures": offers.offered_procedures(session),
        "drafts": service.citizen_drafts(session, citizen) if citizen else [],
        "citizen": citizen,
    })


def _start_context(session: Session, code: str) -> dict:
    procedure = offers.offered_procedure(session, code)
    return {"p": procedure, "agencies": service.agency_choices(session, procedure),
            "components": service.form_components(session, procedure),
            "limit": procedure_time_limit(procedure, "online")}


@router.get(BASE + "/thu-tuc/{code}")
def start_page(request: Request, session: DbSession, code: str):
    context = _start_context(session, code)
    context["citizen"] = current_citizen(request, session)
    return templates.TemplateResponse(request, "eservice/start.html", context)


@router.post(BASE + "/thu-tuc/{code}")
def start(request: Request, session: DbSession, code: str,
          agency_id: Annotated[str, Form(max_length=40)] = ""):
    citizen = current_citizen(request, session)
    if citizen is None:
        return _to_login(request)
    try:
        chosen = uuid.UUID(agency_id) if agency_id else None
    except ValueError:
        chosen = uuid.uuid4()  # not one of the choices: refused below like any unknown agency
    try:
        draft = service.start_draft(session, population_registry(), citizen, code=code, agency_id=chosen)
    except DomainError as exc:
        return form_again(request, session, exc, "eservice/start.html",
                          lambda: _start_context(session, code) | {"citizen": citizen, "form": {"agency_id": agency_id}})
    return _redirect(f"{BASE}/ban-nhap/{draft.id}")


def _draft_context(request: Request, session: Session, draft: OnlineDraft, typed: dict | None = None) -> dict:
    procedure = service.offered_procedure_of(session, draft)
    settings = request.app.state.settings
    values = {**{k: draft.applicant.get(k) or "" for k in ("address", "phone", "email")}, "note": draft.note or ""}
    return {
        "draft": draft, "p": procedure, "applicant": draft.applicant, "form": typed if typed is not None else values,
        "components": service.form_components(session, procedure, draft),
        "agency": session.get(Agency, draft.agency_id), "unit": session.get(Agency, draft.receiving_unit_id),
        "limit": procedure_time_limit(procedure, "online"),
        "accept": ACCEPT_ATTRIBUTE, "allowed_text": ALLOWED_TEXT, "max_size": megabytes(settings.max_upload_bytes),
    }


@router.get(BASE + "/ban-nhap/{draft_id}")
def draft_page(request: Request, session: DbSession, draft_id: uuid.UUID):
    own = _own_draft(request, session, draft_id)
    if own is None:
        return _to_login(request)
    _, draft = own
    return templates.TemplateResponse(request, "eservice/form.html", _draft_context(request, session, draft))


def _uploads(form, max_bytes: int) -> dict[str, Upload]:
    """The component files posted (one byte over the limit read, enough to refuse it)."""
    files = {}
    for name, value in form.multi_items():
        if name.startswith("tp_") and getattr(value, "filename", None):
            files[name] = Upload(value.filename, value.file.read(max_bytes + 1))
    return files


@router.post(BASE + "/ban-nhap/{draft_id}")
def draft_post(request: Request, session: DbSession, draft_id: uuid.UUID, form: PageForm):
    own = _own_draft(request, session, draft_id)
    if own is None:
        return _to_login(request)
    citizen, draft = own
    settings = request.app.state.settings
    typed = typed_values(form, service.TYPED_FIELDS)
    options = {"values": typed, "uploads": _uploads(form, settings.max_upload_bytes),
               "root": settings.storage_dir, "max_bytes": settings.max_upload_bytes}
    try:
        if form.get("action") == "nop":
            dossier = service.submit_draft(session, draft, citizen, **options)
        else:
            service.save_draft(session, draft, **options)
    except DomainError as exc:
        return form_again(request, session, exc, "eservice/form.html",
                          lambda: _draft_context(request, session, service.get_draft(session, citizen, draft_id), typed))
    if form.get("action") == "nop":
        flash(request, f"Đã nộp hồ sơ {dossier.code}. Bộ phận Một cửa sẽ kiểm tra và thông báo tiếp nhận.", "success")
        return _redirect(f"{BASE}/da-nop/{dossier.id}")
    flash(request, "Đã lưu hồ sơ nháp. Bạn có thể quay lại hoàn thiện và nộp sau.", "success")
    return _redirect(f"{BASE}/ban-nhap/{draft.id}")


@router.post(BASE + "/ban-nhap/{draft_id}/xoa")
def draft_delete(request: Request, session: DbSession, draft_id: uuid.UUID):
    own = _own_draft(request, session, draft_id)
    if own is None:
        return _to_login(request)
    _, draft = own
    service.delete_draft(session, draft, root=request.app.state.settings.storage_dir)
    flash(request, "Đã xoá hồ sơ nháp và các tệp đã tải lên.", "success")
    return _redirect(BASE)


@router.get(BASE + "/da-nop/{dossier_id}")
def submitted(request: Request, session: DbSession, dossier_id: uuid.UUID):
    citizen = current_citizen(request, session)
    if citizen is None:
        return _to_login(request)
    dossier = service.submission_of(session, citizen, dossier_id)
    return templates.TemplateResponse(request, "eservice/submitted.html", {
        "d": dossier, "status_label": STATUS_LABELS.get(dossier.status, dossier.status),
        "external_label": EXTERNAL_LABELS.get(dossier.external_status, ""),
        "channel_label": CHANNEL_LABELS.get(dossier.channel, dossier.channel),
        "unit": session.get(Agency, dossier.receiving_unit_id)})


# --- administration ------------------------------------------------------------------------


def _admin_context(session: Session, user) -> dict:
    return {"offers": offers.offers(session, user)}


@router.get(ADMIN)
def admin_list(request: Request, session: DbSession, user: CurrentUser):
    return templates.TemplateResponse(request, "eservice/admin.html", _admin_context(session, user))


@router.post(ADMIN)
def admin_add(request: Request, session: DbSession, user: CurrentUser, form: PageForm):
    typed = typed_values(form, ("code", "basis"))
    try:
        entry = offers.add_offer(session, user, code=typed.get("code", ""), basis=typed.get("basis", ""))
    except DomainError as exc:
        return form_again(request, session, exc, "eservice/admin.html",
                          lambda: _admin_context(session, user) | {"form": typed})
    flash(request, f"Đã thêm thủ tục vào danh mục nộp trực tuyến của tỉnh ({entry.basis}).", "success")
    return _redirect(ADMIN)


@router.post(ADMIN + "/{code}/bo")
def admin_remove(request: Request, session: DbSession, user: CurrentUser, code: str):
    procedure = offers.remove_offer(session, user, code=code)
    flash(request, f"Đã bỏ thủ tục “{procedure.code}” khỏi danh mục nộp trực tuyến của tỉnh.", "success")
    return _redirect(ADMIN)
