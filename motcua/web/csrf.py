"""CSRF protection for every HTML form: a per-session token checked on unsafe methods.

The JSON API is exempt because it authenticates with bearer tokens, not cookies.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from motcua.core.errors import Forbidden
from motcua.web.resubmit import is_form_post, remember_form

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SESSION_KEY = "csrf_token"


def csrf_token(request: Request) -> str:
    token = request.session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


class CsrfFailed(Forbidden):
    """The token is missing or stale; pages answer with the typed values kept (web/resubmit)."""

    keep_form = True


async def csrf_protect(request: Request) -> None:
    """Router dependency for page routers: refuse an unsafe request without the token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(SESSION_KEY)
    sent = request.headers.get("X-CSRF-Token")
    if is_form_post(request):
        form = await request.form()  # already parsed by FastAPI for the route: no second read
        remember_form(request, form)
        sent = sent or form.get(SESSION_KEY)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(expected, sent):
        raise CsrfFailed(
            "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (thiếu mã CSRF). "
            "Nội dung bạn nhập vẫn được giữ; vui lòng kiểm tra và gửi lại.",
            code="csrf_failed",
        )
