"""Pages: the public form (/phan-anh-kien-nghi/gui), tracking and rating by code, the public
search of published answers (/phan-anh-kien-nghi), and the agencies' handling pages
(/quan-tri/phan-anh-kien-nghi)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from motcua.auth.deps import CurrentUser
from motcua.catalog.service import find_procedure_by_code
from motcua.citizens.deps import current_citizen
from motcua.core.clock import now, to_local
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, InvalidInput
from motcua.dossiers.inputs import validated
from motcua.dossiers.storage import content_disposition, read_bytes
from motcua.feedback import policies, queries, service
from motcua.feedback.enums import (
    CLASSIFICATION_LABELS,
    STATUS_LABELS,
    SUBJECT_LABELS,
    Status,
)
from motcua.feedback.models import FeedbackItem
from motcua.feedback.schemas import (
    TEXT_LIMITS,
    AnswerIn,
    ClassifyIn,
    FeedbackIn,
    RejectIn,
    RouteIn,
    VoteIn,
)
from motcua.org.models import Agency
from motcua.web.csrf import csrf_protect
from motcua.web.errors import is_api, problem
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.ratelimit import limit_client
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

MSG_TOO_MANY = ("Bạn đã gửi quá nhiều phản ánh, kiến nghị trong thời gian ngắn. "
                "Vui lòng thử lại sau {seconds} giây.")
MSG_TOO_MANY_LOOKUPS = "Bạn tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau {seconds} giây."
FORM_FIELDS = ("subject", "procedure_code", "dossier_code", "agency_code", "officer", "title", "content",
               "sender_name", "phone", "email")
ADMIN = "/quan-tri/phan-anh-kien-nghi"
Text = Annotated[str, Query(max_length=200)]


def _labels() -> dict:
    return {"subject_labels": {k.value: v for k, v in SUBJECT_LABELS.items()},
            "status_labels": {k.value: v for k, v in STATUS_LABELS.items()},
            "classification_labels": {k.value: v for k, v in CLASSIFICATION_LABELS.items()},
            "limits": TEXT_LIMITS}


def _values(form, names) -> dict:
    """The typed values, empty ones left out (the model's default, or "required")."""
    return {k: v for k, v in typed_values(form, names).items() if v.strip()}


# --- the public form -----------------------------------------------------------------------


def _form_context(session, typed: dict) -> dict:
    return {"form": typed, "agencies": queries.current_agencies(session), **_labels()}


@router.get("/phan-anh-kien-nghi/gui")
def feedback_form(request: Request, session: DbSession, thu_tuc: Text = "", ho_so: Text = "", co_quan: Text = ""):
    """The form; a procedure, dossier or agency page links here with it filled in."""
    citizen = current_citizen(request, session)
    subject = "dossier" if ho_so else "agency" if co_quan and not thu_tuc else "procedure"
    typed = {"subject": subject, "procedure_code": thu_tuc, "dossier_code": ho_so, "agency_code": co_quan}
    if citizen is not None:  # signed in: what the account holds, still editable
        typed |= {"sender_name": citizen.full_name, "phone": citizen.phone or "", "email": citizen.email or ""}
    return templates.TemplateResponse(request, "feedback/submit.html", _form_context(session, typed))


@router.post("/phan-anh-kien-nghi/gui")
def feedback_submit(request: Request, session: DbSession, form: PageForm):
    settings = request.app.state.settings
    typed = typed_values(form, FORM_FIELDS)
    refusal = limit_client(request, "feedback", limit=settings.feedback_rate_limit,
                           window_seconds=settings.feedback_rate_window_seconds, message=MSG_TOO_MANY)
    if refusal is not None:
        context = _form_context(session, typed) | {"form_errors": {"message": refusal.message, "fields": {},
                                                                   "items": [{"name": None, "label": "",
                                                                              "message": refusal.message}]}}
        return templates.TemplateResponse(request, "feedback/submit.html", context, status_code=429,
                                          headers=refusal.headers)
    upload = form.get("attachment")
    attachment = None
    if getattr(upload, "filename", None):
        attachment = (upload.filename, upload.file.read(settings.max_upload_bytes + 1))
    try:
        data = validated(FeedbackIn, _values(form, FORM_FIELDS))
        item, key = service.submit_feedback(session, data, citizen=current_citizen(request, session),
                                            attachment=attachment, storage_root=settings.storage_dir,
                                            max_bytes=settings.max_upload_bytes)
    except DomainError as exc:
        return form_again(request, session, exc, "feedback/submit.html", lambda: _form_context(session, typed))
    return templates.TemplateResponse(request, "feedback/submitted.html", {
        "item": item, "key": key, "agency": session.get(Agency, item.agency_id), **_labels()}, status_code=201)


# --- tracking, rating, the public search ---------------------------------------------------


@router.get("/phan-anh-kien-nghi/tra-cuu")
def feedback_track(request: Request, session: DbSession, ma: Annotated[str, Query(max_length=40)] = ""):
    """Status of an item by its tracking code: no personal data, no unpublished answer."""
    code = ma.strip()
    context: dict = {"code": code, "item": None, **_labels()}
    if code:
        refusal = limit_client(request, "feedback-lookup", limit=request.app.state.settings.lookup_rate_limit,
                               window_seconds=request.app.state.settings.lookup_rate_window_seconds,
                               message=MSG_TOO_MANY_LOOKUPS)
        if refusal is not None:
            if is_api(request):
                return problem(429, refusal.message, code="too_many_requests", headers=refusal.headers)
            return templates.TemplateResponse(request, "feedback/track.html", context | {"error": refusal.message},
                                              status_code=429, headers=refusal.headers)
        item = session.get(FeedbackItem, code.upper())
        if item is not None:
            context |= {"item": item, "agency": session.get(Agency, item.agency_id),
                        "due": service.current_due(item), "overdue": service.is_overdue(item)}
    return templates.TemplateResponse(request, "feedback/track.html", context,
                                      status_code=404 if code and context["item"] is None else 200)


def _vote_context(form: dict) -> dict:
    return {"form": form}


@router.get("/phan-anh-kien-nghi/danh-gia")
def vote_form(request: Request, ma: Annotated[str, Query(max_length=40)] = ""):
    return templates.TemplateResponse(request, "feedback/vote.html", _vote_context({"code": ma}))


@router.post("/phan-anh-kien-nghi/danh-gia")
def vote_submit(request: Request, session: DbSession, form: PageForm):
    typed = typed_values(form, ("code", "key", "helpful"))
    try:
        data = validated(VoteIn, _values(form, ("code", "key", "helpful")))
        item = service.vote(session, data)
    except DomainError as exc:
        return form_again(request, session, exc, "feedback/vote.html", lambda: _vote_context(typed))
    return templates.TemplateResponse(request, "feedback/vote.html", {"form": {}, "voted": item, **_labels()})


@router.get("/phan-anh-kien-nghi")
def public_list(request: Request, session: DbSession, q: Text = "", co_quan: Text = "", thu_tuc: Text = "",
                page: Annotated[int, Query(ge=1, le=10000)] = 1):
    """Published answers, searchable; without the senders' personal data."""
    agencies = queries.public_agencies(session)
    agency = next((a for a in agencies if a.code == co_quan.strip()), None)
    procedure = find_procedure_by_code(session, thu_tuc) if thu_tuc.strip() else None
    if thu_tuc.strip() and procedure is None:
        raise InvalidInput(f"Không tìm thấy thủ tục có mã “{thu_tuc}”.")
    result = queries.public_page(session, q=q, agency_id=agency.id if agency else None,
                                 procedure_id=procedure.id if procedure else None, page=page)
    names = queries.agency_names(session, [i.agency_id for i in result.items])
    return templates.TemplateResponse(request, "feedback/public_list.html", {
        "q": q, "co_quan": co_quan, "thu_tuc": thu_tuc, "agencies": agencies, "procedure": procedure,
        "result": result, "names": names, **_labels()})


# --- the agencies' pages -------------------------------------------------------------------


@router.get(ADMIN)
def staff_list(request: Request, session: DbSession, user: CurrentUser, trang_thai: Text = "", qua_han: Text = "",
               q: Text = "", page: Annotated[int, Query(ge=1, le=10000)] = 1):
    status = trang_thai if trang_thai in {s.value for s in Status} else None
    at = now()
    result = queries.staff_page(session, user, status=status, overdue=qua_han == "1", q=q, page=page, at=at)
    return templates.TemplateResponse(request, "feedback/staff_list.html", {
        "result": result, "names": queries.agency_names(session, [i.agency_id for i in result.items]),
        "overdue": {i.code for i in result.items if service.is_overdue(i, at)},
        "due": {i.code: service.current_due(i) for i in result.items},
        "trang_thai": status or "", "qua_han": qua_han, "q": q, **_labels()})


def _item_context(session, user, item, typed: dict | None = None) -> dict:
    events = queries.events_of(session, item)
    return {"item": item, "agency": session.get(Agency, item.agency_id), "events": events,
            "names": queries.agency_names(session, [e.to_agency_id for e in events if e.to_agency_id]),
            "allowed": [a for a, statuses in service.ALLOWED.items() if item.status in statuses
                        and (a != "route" or policies.is_pakn_staff(session, user))],
            "action_labels": service.ACTION_LABELS, "due": service.current_due(item),
            "overdue": service.is_overdue(item), "stages": service.stages(session),
            "agencies": queries.current_agencies(session) if policies.is_pakn_staff(session, user) else [],
            "form": typed or {}, **_labels()}


@router.get(ADMIN + "/{code}")
def staff_item(request: Request, session: DbSession, user: CurrentUser, code: str):
    item = service.get_for_staff(session, code, user)
    return templates.TemplateResponse(request, "feedback/staff_item.html", _item_context(session, user, item))


ACTIONS = {
    "classify": (ClassifyIn, ("classification", "note"), service.classify),
    "reject": (RejectIn, ("reason",), service.reject),
    "route": (RouteIn, ("agency_code", "note"), service.reroute),
    "answer": (AnswerIn, ("answer",), service.answer),
}


@router.post(ADMIN + "/{code}/{action}")
def staff_action(request: Request, session: DbSession, user: CurrentUser, code: str, action: str, form: PageForm):
    if action not in service.ALLOWED:
        raise InvalidInput("Thao tác không hợp lệ.")
    item = service.get_for_staff(session, code, user, for_update=True)
    names = ACTIONS[action][1] if action in ACTIONS else ()
    typed = typed_values(form, names)
    try:
        if action == "publish":
            service.publish(session, item, user)
        else:
            model, _, act = ACTIONS[action]
            act(session, item, user, validated(model, _values(form, names)))
    except DomainError as exc:
        return form_again(request, session, exc, "feedback/staff_item.html",
                          lambda: _item_context(session, user, service.get_item(session, code), typed | {
                              "action": action}))
    flash(request, f"Đã ghi: {service.ACTION_LABELS[action].lower()}.")
    return RedirectResponse(f"{ADMIN}/{item.code}", status_code=303)


@router.get(ADMIN + "/{code}/tep")
def staff_file(request: Request, session: DbSession, user: CurrentUser, code: str):
    item = service.get_for_staff(session, code, user)
    if not item.attachment_sha256:
        raise InvalidInput("Phản ánh, kiến nghị này không có tệp đính kèm.")
    content = read_bytes(item.attachment_sha256, request.app.state.settings.storage_dir)
    return Response(content, media_type=item.attachment_type, headers={
        "Content-Disposition": content_disposition(item.attachment_name), "X-Content-Type-Options": "nosniff"})


@router.get("/quan-tri/thong-ke/phan-anh-kien-nghi")
def statistics(request: Request, session: DbSession, user: CurrentUser, tu: Text = "", den: Text = ""):
    """PAKN answered on time per agency and period (QĐ 766, docs/feedback.md)."""
    scope = policies.ensure_staff(session, user)
    start, end = queries.parse_period(tu, den, today=to_local(now()).date())
    rows = queries.on_time_statistics(session, start=start, end=end, agency_ids=scope)
    return templates.TemplateResponse(request, "feedback/statistics.html", {
        "rows": rows, "start": start, "end": end, "tu": tu, "den": den})

