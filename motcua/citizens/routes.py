"""Pages: signing in with the national identity (VNeID), the link confirmation, and the
citizen's own account. The national login is an OpenID Connect authorization code flow
(shared/reference/dvcqg.md §8): the browser is sent there with a random `state` and `nonce`
kept in the session, and comes back to the callback, which checks `state` before anything else.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from motcua.citizens import service
from motcua.citizens.deps import (
    SESSION_LINK,
    SESSION_LOGIN,
    current_citizen,
    sign_in_citizen,
    sign_out_citizen,
)
from motcua.citizens.enums import ACCOUNT_TYPE_LABELS
from motcua.citizens.my_dossiers import router as my_dossiers_router
from motcua.core.clock import now
from motcua.core.db import DbSession, session_scope
from motcua.core.errors import DomainError, InvalidInput
from motcua.integrations.vneid.config import VneidSettings
from motcua.integrations.vneid.login import NationalLogin
from motcua.integrations.vneid.oidc import OidcLogin
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.templating import templates

log = logging.getLogger("motcua.citizens")

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
router.include_router(my_dossiers_router)  # «Hồ sơ của tôi» (/cong-dan/ho-so)

LOGIN_PATH = "/cong-dan/dang-nhap"
CALLBACK_PATH = "/cong-dan/dang-nhap/vneid/ket-qua"
LINK_PATH = "/cong-dan/lien-ket"
ACCOUNT_PATH = "/cong-dan/tai-khoan"
# How long a login may stay at the national login before its `state` is no longer accepted.
LOGIN_TTL_SECONDS = 15 * 60
QueryText = Annotated[str, Query(max_length=2000)]


def national_login(request: Request) -> NationalLogin:
    """The national login client, made once per application from the environment (VNEID_*);
    its redirect URI is derived from the public base URL unless VNEID_REDIRECT_URI is set."""
    state = request.app.state
    login = getattr(state, "national_login", None)
    if login is None:
        settings = VneidSettings()
        login = OidcLogin(settings, redirect_uri=settings.redirect_uri_for(state.settings.public_base_url,
                                                                           CALLBACK_PATH))
        state.national_login = login
    return login


NationalLoginClient = Annotated[NationalLogin, Depends(national_login)]


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _login_page(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    return templates.TemplateResponse(request, "citizens/login.html", {"error": error}, status_code=status_code)


@router.get(LOGIN_PATH)
def login_page(request: Request):
    return _login_page(request)


@router.get(LOGIN_PATH + "/vneid")
def start_login(request: Request, login: NationalLoginClient):
    # A link, not a form: the CSP's `form-action 'self'` would stop a form whose answer
    # redirects to the national login (browsers apply it to redirects). Starting a login
    # writes only this browser's own `state` and `nonce`, so a forged link gains nothing.
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    try:
        url = login.authorize_url(state=state, nonce=nonce)
    except DomainError as exc:
        return _login_page(request, exc.message, exc.status_code)
    request.session[SESSION_LOGIN] = {"state": state, "nonce": nonce, "at": now().timestamp()}
    return _redirect(url)


def _check_state(request: Request, state: str) -> str:
    """The nonce of the login this callback ends; a `DomainError` (400) when the callback was not
    started by this browser's session (a forged or replayed callback: login CSRF), or too long ago.
    The pending login is used once, whatever the outcome."""
    pending = request.session.pop(SESSION_LOGIN, None)
    if (not isinstance(pending, dict) or not state or not isinstance(pending.get("state"), str)
            or not hmac.compare_digest(pending["state"].encode(), state.encode())
            or now().timestamp() - float(pending.get("at", 0)) > LOGIN_TTL_SECONDS):
        raise DomainError("Phiên đăng nhập không hợp lệ hoặc đã hết hạn (mã trạng thái không khớp). "
                          "Vui lòng đăng nhập lại.", code="login_state_mismatch")  # 400
    return str(pending["nonce"])


@router.get(CALLBACK_PATH)
def login_callback(
    request: Request,
    login: NationalLoginClient,
    code: QueryText = "",
    state: QueryText = "",
    error: QueryText = "",
):
    # No request unit of work: the national login is called first, outside any transaction;
    # then one short write unit of work (this is a GET that may create an account).
    try:
        nonce = _check_state(request, state)
        if error == "access_denied":
            raise InvalidInput("Bạn đã không đồng ý chia sẻ thông tin định danh điện tử; chưa đăng nhập.")
        if error or not code:
            raise InvalidInput(f"Hệ thống định danh điện tử không cấp mã xác thực ({error or 'không có mã'}). "
                               "Vui lòng đăng nhập lại.")
        identity = login.userinfo(login.exchange_code(code, nonce=nonce))
        with session_scope(request.app.state.sessionmaker) as session:
            outcome = service.sign_in_with_national_identity(session, identity)
            if outcome.citizen is not None:
                sign_in_citizen(request, outcome.citizen)
            else:
                request.session[SESSION_LINK] = str(outcome.link_request.id)
    except DomainError as exc:
        log.info("national login refused: %s", exc.code)
        return _login_page(request, exc.message, exc.status_code)
    if outcome.citizen is None:
        return _redirect(LINK_PATH)
    flash(request, "Đã tạo tài khoản và đăng nhập bằng tài khoản định danh điện tử." if outcome.created
          else "Đăng nhập thành công.", "success")
    return _redirect(ACCOUNT_PATH)


def _link_page(request: Request, link, citizen) -> Response:
    identifier_name, identifier = service.matched_identifier(link)
    return templates.TemplateResponse(request, "citizens/link.html", {
        "citizen": citizen, "identifier_name": identifier_name, "identifier": identifier,
        "type_label": ACCOUNT_TYPE_LABELS[citizen.type],
    })


@router.get(LINK_PATH)
def link_page(request: Request, session: DbSession):
    try:
        link, citizen = service.get_link_request(session, request.session.get(SESSION_LINK))
    except DomainError as exc:
        request.session.pop(SESSION_LINK, None)
        return _login_page(request, exc.message, exc.status_code)
    return _link_page(request, link, citizen)


@router.post(LINK_PATH)
def link_decision(request: Request, session: DbSession, action: Annotated[str, Form(max_length=20)] = ""):
    # The request is the one of this browser's session, never one named in the form.
    request_id = request.session.pop(SESSION_LINK, None)
    try:
        if action == "confirm":
            citizen = service.confirm_link(session, request_id)
        elif action == "cancel":
            service.cancel_link(session, request_id)
            flash(request, f"Đã huỷ liên kết; bạn chưa đăng nhập. {service.CONTACT}", "info")
            return _redirect(LOGIN_PATH)
        else:
            raise InvalidInput("Vui lòng chọn xác nhận hoặc huỷ liên kết.")
    except DomainError as exc:
        session.rollback()
        return _login_page(request, exc.message, exc.status_code)
    sign_in_citizen(request, citizen)
    flash(request, "Đã liên kết tài khoản với tài khoản định danh điện tử và đăng nhập.", "success")
    return _redirect(ACCOUNT_PATH)


@router.get(ACCOUNT_PATH)
def account(request: Request, session: DbSession):
    citizen = current_citizen(request, session)
    if citizen is None:
        flash(request, "Vui lòng đăng nhập bằng tài khoản định danh điện tử.", "info")
        return _redirect(LOGIN_PATH)
    name, masked = service.identifier_of(citizen)
    return templates.TemplateResponse(request, "citizens/account.html", {
        "citizen": citizen, "identifier_name": name, "identifier": masked,
        "type_label": ACCOUNT_TYPE_LABELS[citizen.type],
    })


@router.post("/cong-dan/dang-xuat")
def logout(request: Request):
    sign_out_citizen(request)
    flash(request, "Bạn đã đăng xuất.", "info")
    return _redirect("/")
