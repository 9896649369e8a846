"""CSRF protection for every HTML form: a per-session token checked on unsafe methods.

The JSON API is exempt because it authenticates with bearer tokens, not cookies.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from motcua.core.errors import Forbidden

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SESSION_KEY = "csrf_token"


def csrf_token(request: Request) -> str:
    token = request.session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


async def csrf_protect(request: Request) -> None:
    """Router dependency for page routers: refuse an unsafe request without the token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(SESSION_KEY)
    sent = request.headers.get("X-CSRF-Token")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            sent = form.get(SESSION_KEY)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(expected, sent):
        raise Forbidden(
            "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (thiếu mã CSRF). "
            "Vui lòng tải lại trang và thử lại.",
            code="csrf_failed",
        )
