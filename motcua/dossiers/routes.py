"""Staff pages for dossiers — counter (`/quay`), inbox (`/xu-ly`), dossier (`/ho-so/{id}`) —
and the public lookup (`/tra-cuu`). Thin: parse the form, call one service, render."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from motcua.auth.deps import CurrentUser
from motcua.catalog.limits import procedure_time_limit
from motcua.catalog.search import SearchFilters, search_procedures
from motcua.catalog.service import (
    get_procedure_by_code,
    implementing_agencies,
)
from motcua.core.clock import now, to_local
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, Forbidden
from motcua.dossiers import inputs, pages, queries, tracking
from motcua.dossiers.enums import (
    ACTION_LABELS,
    CHANNEL_LABELS,
    COMPONENT_KIND_LABELS,
    EXTERNAL_LABELS,
    OUTCOME_LABELS,
    RETURN_METHOD_LABELS,
    STATUS_LABELS,
    Action,
    DossierStatus,
    ExternalStatus,
)
from motcua.dossiers.idempotency import REUSED
from motcua.dossiers.lookup_keys import normal_code, normal_key
from motcua.dossiers.service import (
    act,
    available_actions,
    check_action,
    checked_note,
    read_attachment,
    receive,
)
from motcua.dossiers.storage import content_disposition
from motcua.web.csrf import csrf_protect
from motcua.web.errors import is_api, problem
from motcua.web.flash import flash
from motcua.web.forms import PageForm, field_errors, form_again, typed_values
from motcua.web.ratelimit import limit_lookup
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
# A found dossier's page is the applicant's: no shared cache keeps it.
NO_STORE = {"Cache-Control": "no-store"}


def _by_value(labels: dict) -> dict[str, str]:
    """An enum's labels keyed by plain value, as templates look them up (dossiers.enums)."""
    return {member.value: label for member, label in labels.items()}


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --- counter ---------------------------------------------------------------------------


def _counter_context(session: Session, user, procedure_code: str, q: str) -> dict:
    units = queries.counter_units(session, user)
    if not units:
        raise Forbidden("Chỉ công chức Bộ phận Một cửa mới tiếp nhận hồ sơ tại quầy.")
    context: dict = {"units": units, "q": q, "results": [], "procedure": None, "agencies": [], "form": {},
                     "channel_labels": _by_value(CHANNEL_LABELS), "kind_labels": _by_value(COMPONENT_KIND_LABELS),
                     "form_key": inputs.new_form_key(), "limits": inputs.TEXT_LIMITS}
    if procedure_code:
        procedure = get_procedure_by_code(session, procedure_code, full=True)
        context.update(
            procedure=procedure,
            agencies=implementing_agencies(session, procedure, current_only=True),
            time_limit=procedure_time_limit(procedure, "counter"),
            fees_total=sum(f.amount or 0 for f in procedure.fees),
        )
    elif q.strip():
        context["results"] = search_procedures(session, SearchFilters(q=q), page_size=20).items
    return context


@router.get("/quay")
def counter(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=200)] = "",
    ma_tt: Annotated[str, Query(max_length=64)] = "",
):
    """The one-stop counter: find the procedure, then fill in the receipt."""
    context = _counter_context(session, user, ma_tt, q)
    return templates.TemplateResponse(request, "dossiers/counter.html", context)


@router.post("/quay")
def counter_receive(request: Request, session: DbSession, user: CurrentUser, posted: PageForm):
    """Record the receipt; a replayed form (same hidden key) shows the dossier it created."""
    form = posted  # control characters were refused at the boundary (web/input_guard)
    settings = request.app.state.settings
    try:
        receipt = receive(session, user=user, data=inputs.receipt_input(form),
                          idempotency_key=form.get(inputs.KEY_FIELD) or None,
                          scans=inputs.uploads(form, "scans", max_bytes=settings.max_upload_bytes),
                          storage_root=settings.storage_dir)
    except DomainError as exc:
        reused = exc.code == REUSED

        def again() -> dict:
            context = _counter_context(session, user, str(form.get("procedure_code") or "")[:64], "")
            context["form"] = typed_values(form)
            if reused:  # the key went with another receipt: this form gets a new one
                context["form"].pop(inputs.KEY_FIELD, None)
            return context
        return form_again(request, session, exc, "dossiers/counter.html", again)
    dossier = receipt.dossier
    if receipt.replayed:
        flash(request, f"Biểu mẫu này đã được gửi trước đó: hồ sơ {dossier.code} đã được ghi nhận, "
                       "không tạo thêm hồ sơ mới.", "info")
        return _redirect(f"/ho-so/{dossier.id}")
    messages = {
        "incomplete": "Hồ sơ chưa đầy đủ: đã lập Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.",
        "refused_at_receipt": "Đã lập Phiếu từ chối tiếp nhận giải quyết hồ sơ.",
    }
    flash(request, messages.get(dossier.status, f"Đã tiếp nhận hồ sơ {dossier.code}."), "success")
    return _redirect(f"/ho-so/{dossier.id}")


# --- public lookup -----------------------------------------------------------------------


LOOKUP_NOT_FOUND = ("Không tìm thấy hồ sơ khớp với mã hồ sơ và mã tra cứu (hoặc số định danh) đã nhập. "
                    "Vui lòng kiểm tra lại các thông tin in trên giấy tiếp nhận.")
LOOKUP_NEEDS_FACTOR = ("Vui lòng nhập cả mã tra cứu in trên giấy tiếp nhận (hoặc số định danh, căn cước của "
                       "người nộp hồ sơ).")


@router.get("/tra-cuu")
def lookup(
    request: Request,
    session: DbSession,
    ma: Annotated[str, Query(max_length=60)] = "",
    khoa: Annotated[str, Query(max_length=40)] = "",
):
    """Public: the status and timeline of a dossier, by its code and a second factor (the
    lookup key printed on the slips, or the applicant's ID number). An unknown code and a
    wrong factor get the same answer, byte for byte; the client's lookups are counted."""
    code = normal_code(ma)
    context = {"code": code, "factor": khoa.strip(), "found": None, "error": ""}
    refusal = limit_lookup(request) if code else None
    if refusal is not None:  # guessing codes: answered, not raised, so the count is kept
        if is_api(request):
            return problem(429, refusal.message, code="too_many_requests", headers=refusal.headers)
        return templates.TemplateResponse(request, "dossiers/lookup.html", {**context, "error": refusal.message},
                                          status_code=429, headers=refusal.headers)
    if not code:
        return templates.TemplateResponse(request, "dossiers/lookup.html", context)
    if not normal_key(khoa):
        status, message, error_code = 422, LOOKUP_NEEDS_FACTOR, "lookup_factor_missing"
    else:
        dossier = tracking.find_for_lookup(session, code, khoa)
        if dossier is not None:
            timeline = tracking.load_timeline(session, dossier)
            if is_api(request):
                return JSONResponse(timeline.as_json(), headers=NO_STORE)
            return templates.TemplateResponse(request, "dossiers/lookup.html", {**context, "found": timeline},
                                              headers=NO_STORE)
        status, message, error_code = 404, LOOKUP_NOT_FOUND, "not_found"
    if is_api(request):
        return problem(status, message, code=error_code)
    return templates.TemplateResponse(request, "dossiers/lookup.html", {**context, "error": message},
                                      status_code=status)


# --- inbox -------------------------------------------------------------------------------

BOX_LABELS = {
    "todo": "Cần xử lý",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn",
    "waiting": "Đang chờ (bổ sung, nghĩa vụ tài chính, liên thông)",
    "all": "Tất cả hồ sơ",
}
INBOX_PAGE_SIZE = 20


@router.get("/xu-ly")
def inbox_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    hop: Annotated[str, Query(max_length=20)] = "todo",
    q: Annotated[str, Query(max_length=200)] = "",
    trang_thai: Annotated[str, Query(max_length=40)] = "",
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
):
    """The user's inbox: tabs to do / due soon / overdue / waiting, with counts."""
    box = hop if hop in BOX_LABELS else "todo"
    at = now()
    status = trang_thai or None
    if status and status not in {s.value for s in DossierStatus}:
        status = None
    counts = queries.box_counts(session, user, at=at)
    known_total = counts.get(box) if not q and not status else None
    result = queries.inbox(
        session, user, box=None if box == "all" else box, q=q or None, status=status, page=page, page_size=INBOX_PAGE_SIZE,
        at=at, total=known_total,
    )
    return templates.TemplateResponse(
        request,
        "dossiers/inbox.html",
        {
            "box": box,
            "box_labels": BOX_LABELS,
            "counts": counts,
            "result": result,
            "pages_total": max(1, -(-result.total // INBOX_PAGE_SIZE)) + (1 if result.more else 0),
            "q": q,
            "status": status or "",
            "status_labels": STATUS_LABELS,
            "agencies": pages.agency_names(session, {d.agency_id for d in result.items}),
            "urgency": pages.inbox_urgency(session, result.items, at),
            "mask": queries.mask,
            "now": at,
            "book_units": queries.counter_units(session, user),
            "month_start": to_local(at).date().replace(day=1),
            "today": to_local(at).date(),
        },
    )


# --- dossier page ------------------------------------------------------------------------


@router.get("/ho-so/{dossier_id}")
def dossier_page(request: Request, session: DbSession, user: CurrentUser, dossier_id: uuid.UUID):
    return _render_dossier(request, session, user, dossier_id)


def _render_dossier(request: Request, session: Session, user, dossier_id: uuid.UUID, *,
                    typed: dict | None = None, status_code: int = 200):
    """The dossier page; `typed` = {"action", "values", "error", "errors"} shows a refused
    action's form again with what was typed, why it was refused and each field's error."""
    dossier = queries.get_dossier(session, dossier_id, user)
    data = pages.dossier_page_data(session, dossier, user)
    return templates.TemplateResponse(
        request,
        "dossiers/dossier.html",
        {
            "typed": typed or {},
            "d": dossier,
            "p": data,
            "status_label": STATUS_LABELS.get(DossierStatus(dossier.status), dossier.status),
            "external_label": EXTERNAL_LABELS.get(ExternalStatus(dossier.external_status), ""),
            "action_labels": _by_value(ACTION_LABELS),
            "action_fields": pages.ACTION_FIELDS,
            "outcome_labels": _by_value(OUTCOME_LABELS),
            "channel_labels": _by_value(CHANNEL_LABELS),
            "kind_labels": _by_value(COMPONENT_KIND_LABELS),
            "method_labels": _by_value(RETURN_METHOD_LABELS),
            "status_labels": _by_value(STATUS_LABELS),
            "needs_note": pages.NOTE_REQUIRED,
            "confirmed": pages.CONFIRMED,
            "file_headings": pages.FILE_PURPOSES,
        },
        status_code=status_code,
    )


def _render_confirm(request: Request, dossier, action: str, *, reason: str, error: str = "", status_code: int = 200):
    """Step two of an irreversible action: the same action asked again, with its reason."""
    return templates.TemplateResponse(
        request, "dossiers/confirm.html",
        {"d": dossier, "action": action, "label": ACTION_LABELS[Action(action)], "reason": reason, "error": error},
        status_code=status_code,
    )


@router.post("/ho-so/{dossier_id}/thao-tac/{action}")
def dossier_action(
    request: Request, session: DbSession, user: CurrentUser, dossier_id: uuid.UUID, action: str, posted: PageForm
):
    """One action of the dossier page, with the note and its extra fields. Withdraw, stop and
    refuse take two posts: the first checks the action and its reason and shows a
    confirmation page (nothing written); the second, with `confirm=1`, acts."""
    back = f"/ho-so/{dossier_id}"
    form = posted
    confirming = action in pages.CONFIRMED and form.get("confirm") == "1"
    dossier = None
    try:
        dossier = queries.get_dossier(session, dossier_id, user)
        settings = request.app.state.settings
        data = inputs.action_form_input(form, action, max_bytes=settings.max_upload_bytes)
        if action in pages.CONFIRMED and not confirming:
            note = checked_note(check_action(session, dossier, user=user, action=action), data.note)
            return _render_confirm(request, dossier, action, reason=note or "")
        act(session, dossier, user=user, action=action, storage_root=settings.storage_dir, data=data)
    except DomainError as exc:
        session.rollback()
        errors = pages.field_errors(exc)
        if confirming and dossier is not None and set(errors) == {"note"}:
            return _render_confirm(request, dossier, action, reason=str(form.get("note") or ""),
                                   error=errors["note"], status_code=exc.status_code)
        # Show the page again with the typed values in this action's form (a redirect would
        # lose them); if the dossier itself cannot be shown, fall back to the message.
        typed = {"action": action, "error": exc.message, "errors": errors, "form_errors": field_errors(exc),
                 "values": {k: v for k, v in form.items() if isinstance(v, str) and k not in ("csrf_token", "confirm")}}
        try:
            return _render_dossier(request, session, user, dossier_id, typed=typed, status_code=exc.status_code)
        except DomainError:
            session.rollback()
            flash(request, exc.message, "error")
            return _redirect(back)
    label = ACTION_LABELS.get(Action(action), action)
    flash(request, f"Đã thực hiện: {label}.", "success")
    if action in ("claim", "assign", "apologize_reschedule", "request_supplement", "receive_supplement",
                  "request_payment", "confirm_payment", "return_result"):
        return _redirect(back)
    if queries.is_visible(session, dossier, user) and available_actions(session, dossier, user):
        return _redirect(back)
    return _redirect("/xu-ly")


@router.get("/ho-so/{dossier_id}/tep/{attachment_id}")
def dossier_file(request: Request, session: DbSession, user: CurrentUser, dossier_id: uuid.UUID,
                 attachment_id: uuid.UUID):
    """A scan or result document of the dossier, for whoever may read the dossier (403/404
    otherwise); PDF and images open in the browser, to print or hand over."""
    dossier = queries.get_dossier(session, dossier_id, user)
    attachment, content = read_attachment(session, dossier, attachment_id,
                                          storage_root=request.app.state.settings.storage_dir)
    inline = attachment.content_type == "application/pdf" or attachment.content_type.startswith("image/")
    return Response(content, media_type=attachment.content_type, headers={
        "Content-Disposition": content_disposition(attachment.filename, inline=inline),
        "X-Content-Type-Options": "nosniff",
    })
