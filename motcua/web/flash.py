"""One-shot messages shown on the next page (stored in the signed session cookie)."""

from __future__ import annotations

from fastapi import Request

KEY = "_flashes"


def flash(request: Request, text: str, kind: str = "success") -> None:
    # Assign (not append in place): Starlette only re-sends the cookie when the session is marked modified.
    request.session[KEY] = [*request.session.get(KEY, []), {"text": text, "kind": kind}]


def pop_flashes(request: Request) -> list[dict[str, str]]:
    return request.session.pop(KEY, []) if "session" in request.scope else []
