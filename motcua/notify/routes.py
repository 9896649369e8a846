"""Pages of notify: the notice templates (/quan-tri/thong-bao/mau: list, edit with a preview
on a sample dossier) and a signed-in citizen's channels (/cong-dan/thong-bao). Thin: the
rules are in notify.wording."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from motcua.auth.deps import CurrentUser
from motcua.citizens.deps import current_citizen
from motcua.core.db import DbSession
from motcua.core.errors import DomainError
from motcua.notify import wording
from motcua.notify.models import CHANNEL_LABELS, NOTICE_KIND_LABELS, ChannelKind, NoticeKind
from motcua.notify.templating import DEFAULTS, SAMPLE, SMS_MAX_CHARS, Wording, placeholders
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.templating import templates

TEMPLATES_PATH = "/quan-tri/thong-bao/mau"
PREFERENCES_PATH = "/cong-dan/thong-bao"
CITIZEN_LOGIN_PATH = "/cong-dan/dang-nhap"

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)


def _labels() -> dict:
    return {"kind_labels": NOTICE_KIND_LABELS, "channel_labels": CHANNEL_LABELS}


@router.get(TEMPLATES_PATH)
def template_list(request: Request, session: DbSession, user: CurrentUser):
    wording.ensure_editor(user)
    return templates.TemplateResponse(request, "notify/templates.html",
                                      {"views": wording.all_templates(session), **_labels()})


def _edit_context(kind: NoticeKind, channel: ChannelKind, values: dict, shown: Wording | None) -> dict:
    return {"kind": kind, "channel": channel, "values": values, "preview": shown, "sample": SAMPLE[kind],
            "placeholders": placeholders(kind), "sms_max": SMS_MAX_CHARS, "path": f"{TEMPLATES_PATH}/{kind}/{channel}",
            **_labels()}


@router.get(TEMPLATES_PATH + "/{kind}/{channel}")
def template_edit(request: Request, session: DbSession, user: CurrentUser, kind: str, channel: str):
    wording.ensure_editor(user)
    notice, via = wording.parse_key(kind, channel)
    view = wording.template_view(session, notice, via)
    values = {"subject": view.wording.subject, "body": view.wording.body}
    shown = wording.preview(notice, via, view.wording.subject, view.wording.body)
    return templates.TemplateResponse(request, "notify/template_edit.html", _edit_context(notice, via, values, shown))


@router.post(TEMPLATES_PATH + "/{kind}/{channel}")
def template_save(request: Request, session: DbSession, user: CurrentUser, kind: str, channel: str, form: PageForm):
    wording.ensure_editor(user)
    notice, via = wording.parse_key(kind, channel)
    values = typed_values(form, ("subject", "body"))
    values.setdefault("subject", "")
    values.setdefault("body", "")
    action = form.get("action")
    if action == "default":  # shown in the form, not stored until saved
        default = DEFAULTS[(notice, via)]
        values = {"subject": default.subject, "body": default.body}
        shown = wording.preview(notice, via, default.subject, default.body)
        return templates.TemplateResponse(request, "notify/template_edit.html",
                                          _edit_context(notice, via, values, shown))
    try:
        if action == "preview":
            shown = wording.preview(notice, via, values["subject"], values["body"])
            return templates.TemplateResponse(request, "notify/template_edit.html",
                                              _edit_context(notice, via, values, shown))
        wording.save_template(session, user, notice, via, values["subject"], values["body"])
    except DomainError as exc:
        return form_again(request, session, exc, "notify/template_edit.html",
                          lambda: _edit_context(notice, via, values, None))
    flash(request, f"Đã lưu mẫu “{NOTICE_KIND_LABELS[notice]}” ({CHANNEL_LABELS[via]}).", "success")
    return RedirectResponse(f"{TEMPLATES_PATH}/{notice}/{via}", status_code=303)


def _preferences_page(request: Request, session: Session, citizen, status_code: int = 200):
    return templates.TemplateResponse(request, "notify/preferences.html", {
        "citizen": citizen, "choice": wording.channel_choice(session, citizen.id), **_labels(),
    }, status_code=status_code)


def _signed_in(request: Request, session: Session):
    citizen = current_citizen(request, session)
    if citizen is None:
        flash(request, "Vui lòng đăng nhập bằng tài khoản định danh điện tử.", "info")
    return citizen


@router.get(PREFERENCES_PATH)
def preferences(request: Request, session: DbSession):
    citizen = _signed_in(request, session)
    if citizen is None:
        return RedirectResponse(CITIZEN_LOGIN_PATH, status_code=303)
    return _preferences_page(request, session, citizen)


@router.post(PREFERENCES_PATH)
def preferences_save(request: Request, session: DbSession, form: PageForm):
    citizen = _signed_in(request, session)
    if citizen is None:
        return RedirectResponse(CITIZEN_LOGIN_PATH, status_code=303)
    chosen = {str(v) for v in form.getlist("channel")}
    try:
        wording.save_channel_choice(session, citizen.id, chosen)
    except DomainError as exc:
        return form_again(request, session, exc, "notify/preferences.html",
                          lambda: {"citizen": citizen, "choice": wording.channel_choice(session, citizen.id),
                                   **_labels()})
    flash(request, "Đã lưu lựa chọn nhận thông báo.", "success")
    return RedirectResponse(PREFERENCES_PATH, status_code=303)
