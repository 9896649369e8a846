"""Who is calling: FastAPI dependencies used by every domain's routes.

- `current_user_optional`: the user of the session cookie (pages) or of an
  `Authorization: Bearer <token>` header (API), or None.
- `require_user`: the same, but anonymous callers get 401 problem+json on the API and a
  303 redirect to `/dang-nhap?next=<path>` on pages.
- `require_roles(*roles)`: a dependency factory; 403 unless the user holds one of them
  (at any agency; services check the agency).

`install_auth(app)` adds a small middleware that puts the signed-in user on
`request.state.user` for every request, so the layout shows the staff navigation even
on public pages and error pages; and the handler that turns `LoginRequired` into a redirect.
"""

from __future__ import annotations

import hmac
import logging
from functools import partial
from typing import Annotated
from urllib.parse import quote

from anyio import to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from motcua.auth import policies, service
from motcua.auth.models import User
from motcua.auth.roles import Role
from motcua.core.db import DbSession, read_only_scope
from motcua.core.errors import Forbidden, Unauthorized
from motcua.web.csrf import SAFE_METHODS
from motcua.web.csrf import SESSION_KEY as CSRF_SESSION_KEY
from motcua.web.errors import is_api, problem

log = logging.getLogger("motcua.auth")

SESSION_USER = "user_id"
SESSION_STAMP = "auth_stamp"
STATIC_PREFIXES = ("/static/", "/assets/")  # no database work for CSS and scripts


class LoginRequired(Unauthorized):
    """Anonymous caller on a route that needs a user."""


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or ""


# Declares the bearer scheme in OpenAPI ("Authorize" in /api/docs); parsing is ours below.
bearer_scheme = HTTPBearer(auto_error=False, description="Mã truy cập cá nhân: `motcua token --username U`")


def current_user_optional(
    request: Request,
    session: DbSession,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)] = None,
) -> User | None:
    """The calling user, loaded in the request's session with roles and agencies."""
    token = _bearer(request)
    if token is not None:
        touch = None
        if request.method in SAFE_METHODS:  # a read unit of work: record the use beside it
            touch = partial(service.touch_token, request.app.state.sessionmaker)
        user = service.resolve_token(session, token, touch=touch)
        if user is None:
            raise Unauthorized(
                "Mã truy cập (token) không hợp lệ, đã hết hạn hoặc đã bị thu hồi.", code="invalid_token"
            )
        request.state.user = user
        return user
    user = None
    if "session" in request.scope:
        user = service.load_session_user(
            session, request.session.get(SESSION_USER), request.session.get(SESSION_STAMP)
        )
        if user is None and request.session.get(SESSION_USER):
            request.session.pop(SESSION_USER, None)
            request.session.pop(SESSION_STAMP, None)
        if user is not None:
            _check_api_csrf(request)
    # Keep the middleware's detached copy for the layout: this one belongs to the
    # request's unit of work and is expired by its rollback, which would break the
    # error page a failed request renders.
    if getattr(request.state, "user", None) is None:
        request.state.user = user
    return user


def _check_api_csrf(request: Request) -> None:
    """The API skips `csrf_protect` because it expects bearer tokens; a write to it made
    with the session cookie must still carry the page's CSRF token (htmx sends it as
    the X-CSRF-Token header from the base layout)."""
    if request.method in SAFE_METHODS or not request.url.path.startswith("/api/"):
        return
    expected = request.session.get(CSRF_SESSION_KEY)
    sent = request.headers.get("X-CSRF-Token")
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise Forbidden(
            "Yêu cầu ghi qua API bằng phiên đăng nhập cần mã CSRF (tiêu đề X-CSRF-Token) "
            "hoặc dùng mã truy cập (Authorization: Bearer).",
            code="csrf_failed",
        )


def require_user(request: Request, user: Annotated[User | None, Depends(current_user_optional)]) -> User:
    if user is None:
        raise LoginRequired("Bạn cần đăng nhập để tiếp tục.", code="login_required")
    return user


def require_roles(*roles: Role | str):
    """Dependency factory: the user must hold one of `roles` somewhere (province_admin always)."""

    def dependency(user: Annotated[User, Depends(require_user)]) -> User:
        policies.ensure_role(user, *roles)
        return user

    return dependency


OptionalUser = Annotated[User | None, Depends(current_user_optional)]
CurrentUser = Annotated[User, Depends(require_user)]


def sign_in(request: Request, user: User) -> None:
    """Start a fresh session for `user` (old session data cleared: no session fixation)."""
    request.session.clear()
    request.session[SESSION_USER] = str(user.id)
    request.session[SESSION_STAMP] = service.session_stamp(user)
    request.state.user = user


def sign_out(request: Request) -> None:
    request.session.clear()
    request.state.user = None


def safe_next(target: str | None, default: str = "/quan-tri") -> str:
    """Only a local path: "/x?y" yes; "//evil", "https://evil", "/\\evil" no."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return default
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ord(c) < 32 for c in target):
        return default
    return target


def login_url(request: Request) -> str:
    path = request.url.path
    if request.url.query:
        path += "?" + request.url.query
    return "/dang-nhap?next=" + quote(path, safe="")


class CurrentUserMiddleware:
    """Sets `request.state.user` from the session cookie for every HTTP request.

    It uses its own short read-only session, so the user object is detached and only for
    display; routes that act on the user depend on `current_user_optional`, which loads
    it again in the request's unit of work.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and not scope["path"].startswith(STATIC_PREFIXES):
            state = scope.setdefault("state", {})
            state["user"] = None
            session_data = scope.get("session") or {}
            user_id = session_data.get(SESSION_USER)
            if user_id:
                factory = scope["app"].state.sessionmaker
                try:
                    state["user"] = await to_thread.run_sync(
                        _load_for_display, factory, user_id, session_data.get(SESSION_STAMP)
                    )
                except Exception:  # never fail a page because the header cannot show a name
                    log.exception("could not load the signed-in user")
        await self.app(scope, receive, send)


def _load_for_display(factory, user_id, stamp) -> User | None:
    # A read unit of work: on SQLite it must not take the write lock for every page.
    with read_only_scope(factory) as session:
        user = service.load_session_user(session, user_id, stamp, for_display=True)
        if user is not None:
            session.expunge_all()
        return user


def install_auth(app: FastAPI) -> None:
    """Call before SessionMiddleware is added (so the middleware runs inside it)."""
    app.add_middleware(CurrentUserMiddleware)

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired):
        if is_api(request):
            response = problem(401, "Bạn cần đăng nhập", code=exc.code)
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        return RedirectResponse(login_url(request), status_code=303)
