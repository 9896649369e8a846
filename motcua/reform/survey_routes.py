"""Pages of the satisfaction surveys: the public form (/khao-sat/{slug}: a link or a QR code at the
counter, no login, limited per client) and the Department's pages (/quan-tri/cai-cach/khao-sat):
the forms, their results beside the citizens' dossier ratings, paper responses typed by staff."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from motcua.auth.deps import CurrentUser
from motcua.catalog.models import Field as CatalogField
from motcua.core.db import DbSession
from motcua.core.errors import DomainError
from motcua.documents.render import qr_data_uri
from motcua.dossiers.inputs import validated
from motcua.org.models import Agency
from motcua.reform import exports, policies, survey_editor_routes, surveys
from motcua.reform.score_routes import file_response
from motcua.reform.surveys import (
    CHANNEL_LABELS,
    ELEMENT_LABELS,
    MSG_TOO_MANY,
    RATE_LIMIT,
    RATE_WINDOW_SECONDS,
    Channel,
    ResponseIn,
)
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.ratelimit import limit_client
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

ADMIN = "/quan-tri/cai-cach/khao-sat"


def response_input(form, questions) -> dict:
    """The posted survey as ResponseIn's values: `q<position>` inputs become `answers`; a value
    that is not a whole number is passed as 0, which the service refuses at its question."""
    answers = {}
    for q in questions:
        raw = form.get(f"q{q.position}")
        if isinstance(raw, str) and raw.strip():
            answers[q.position] = int(raw) if raw.strip().isdigit() else 0
    values = {"agency_code": (form.get("agency_code") or "").strip(), "answers": answers,
              "field_code": (form.get("field_code") or "").strip() or None,
              "comment": (form.get("comment") or "").strip() or None}
    return values


def _names(questions) -> tuple[str, ...]:
    return ("agency_code", "field_code", "comment", *(f"q{q.position}" for q in questions))


def _public_context(session, form, typed: dict) -> dict:
    return {"survey": form, "questions": surveys.questions_of(session, form), "typed": typed,
            "accepting": surveys.is_accepting(form), "agencies": _agencies(session), "fields": _fields(session),
            "element_labels": ELEMENT_LABELS, "scale": _scale(form), "comment_max": surveys.COMMENT_MAX}


def _scale(form) -> list[tuple[int, str]]:
    return [(v, surveys.answer_label(form, v)) for v in range(form.scale_max, 0, -1)]


def _agencies(session) -> list[Agency]:
    return list(session.scalars(select(Agency).where(Agency.dissolved_on.is_(None), Agency.valid_to.is_(None))
                                .order_by(Agency.name)))


def _fields(session) -> list[CatalogField]:
    return list(session.scalars(select(CatalogField).order_by(CatalogField.name)))


@router.get("/khao-sat/{slug}")
def public_form(request: Request, session: DbSession, slug: str, co_quan: str = ""):
    """The form; a QR code at a counter carries ?co_quan=<agency code> so the unit is pre-filled."""
    form = surveys.form_by_slug(session, slug)
    context = _public_context(session, form, {"agency_code": co_quan[:20]})
    return templates.TemplateResponse(request, "reform/survey_public.html", context,
                                      status_code=200 if context["accepting"] else 409)


@router.post("/khao-sat/{slug}")
def public_submit(request: Request, session: DbSession, slug: str, form: PageForm):
    survey = surveys.form_by_slug(session, slug)
    questions = surveys.questions_of(session, survey)
    typed = typed_values(form, _names(questions))
    refusal = limit_client(request, "survey", limit=RATE_LIMIT, window_seconds=RATE_WINDOW_SECONDS,
                           message=MSG_TOO_MANY)
    if refusal is not None:
        context = _public_context(session, survey, typed) | {"form_errors": {
            "message": refusal.message, "fields": {}, "items": [{"name": None, "label": "", "message": refusal.message}]}}
        return templates.TemplateResponse(request, "reform/survey_public.html", context, status_code=429,
                                          headers=refusal.headers)
    try:
        data = validated(ResponseIn, response_input(form, questions))
        surveys.submit(session, survey, data, channel=Channel.online)
    except DomainError as exc:
        return form_again(request, session, exc, "reform/survey_public.html",
                          lambda: _public_context(session, survey, typed))
    return templates.TemplateResponse(request, "reform/survey_thanks.html", {"survey": survey}, status_code=201)


# --- the Department's pages (the list and the editor: survey_editor_routes) ----------------

router.include_router(survey_editor_routes.router)


def _seen_results(session, user, form) -> tuple:
    """The results `user` sees: the province, their units (all for the Department), the fields
    (the Department only)."""
    scope = policies.ensure_staff(session, user)
    r = surveys.results(session, form)
    units = [(k, res) for k, res in r["units"] if scope is None or k in scope]
    return r["province"], units, r["fields"] if scope is None else []


def _results_context(session, user, form, typed: dict | None = None) -> dict:
    province, units, fields = _seen_results(session, user, form)
    ratings = surveys.dossier_ratings(session, form, [None, *(k for k, _ in units)])
    return {"survey": form, "questions": surveys.questions_of(session, form), "province": province,
            "units": units, "fields": fields, "ratings": ratings,
            "element_labels": ELEMENT_LABELS, "channel_labels": CHANNEL_LABELS, "scale": _scale(form),
            "accepting": surveys.is_accepting(form), "manages": policies.manages_plans(session, user),
            "agencies": _agencies(session), "fields_list": _fields(session), "typed": typed or {}}


@router.get(ADMIN + "/{form_id}")
def form_results(request: Request, session: DbSession, user: CurrentUser, form_id: uuid.UUID):
    form = surveys.get_form(session, form_id)
    return templates.TemplateResponse(request, "reform/survey_results.html", _results_context(session, user, form))


@router.get(ADMIN + "/{form_id}/ket-qua.{ext}")
def results_file(request: Request, session: DbSession, user: CurrentUser, form_id: uuid.UUID, ext: str):
    """The results page's tables as XLSX or PDF (reform.exports: the same figures)."""
    form = surveys.get_form(session, form_id)
    province, units, fields = _seen_results(session, user, form)
    return file_response(request, exports.survey_export(form, province, units, fields), ext)


@router.get(ADMIN + "/{form_id}/ma-qr")
def counter_qr(request: Request, session: DbSession, user: CurrentUser, form_id: uuid.UUID, co_quan: str = ""):
    """A sign to print for a counter: the QR code of the public form, with the counter's unit
    filled in when one is chosen."""
    policies.ensure_staff(session, user)
    survey = surveys.get_form(session, form_id)
    context = {"survey": survey, "agencies": _agencies(session), "typed": {"co_quan": co_quan[:20]}}
    try:
        url, agency = surveys.counter_link(session, survey, request.app.state.settings.public_base_url, co_quan[:20])
    except DomainError as exc:
        return form_again(request, session, exc, "reform/survey_qr.html", lambda: context)
    return templates.TemplateResponse(request, "reform/survey_qr.html", context | {
        "url": url, "agency": agency, "qr": qr_data_uri(url), "accepting": surveys.is_accepting(survey)})


@router.post(ADMIN + "/{form_id}/phieu-giay")
def paper_entry(request: Request, session: DbSession, user: CurrentUser, form_id: uuid.UUID, form: PageForm):
    survey = surveys.get_form(session, form_id)
    questions = surveys.questions_of(session, survey)
    typed = typed_values(form, _names(questions))
    try:
        data = validated(ResponseIn, response_input(form, questions))
        surveys.submit(session, survey, data, channel=Channel.paper, staff=user)
    except DomainError as exc:
        return form_again(request, session, exc, "reform/survey_results.html",
                          lambda: _results_context(session, user, surveys.get_form(session, form_id), typed))
    flash(request, "Đã nhập phiếu khảo sát giấy.")
    return RedirectResponse(f"{ADMIN}/{survey.id}", status_code=303)


@router.post(ADMIN + "/{form_id}/mo-dong")
def open_close(request: Request, session: DbSession, user: CurrentUser, form_id: uuid.UUID, form: PageForm):
    survey = surveys.get_form(session, form_id)
    surveys.set_open(session, user, survey, form.get("is_open") == "1")
    flash(request, "Đã mở phiếu khảo sát." if survey.is_open else "Đã đóng phiếu khảo sát.")
    return RedirectResponse(f"{ADMIN}/{survey.id}", status_code=303)
