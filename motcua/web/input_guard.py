"""Control characters are refused at the boundary, the same way on both backends.

One rule (motcua.core.text.CONTROL_CHARS: C0 controls and DEL, but tab, CR and LF) checked
once for every route — JSON bodies, form fields (not file contents), query and path
parameters — by an application-wide dependency. Refused, not stripped: silently changing
what someone typed or sent is worse than a clear 422 that names the field, and PostgreSQL
would refuse a NUL anyway while SQLite stored it. Pages show the form again with the
typed text (control characters removed) through web/resubmit.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from motcua.core.errors import InvalidInput
from motcua.core.text import has_control
from motcua.web.resubmit import is_form_post, remember_form

MSG_FIELD = "Chứa ký tự điều khiển không hợp lệ (ví dụ ký tự NUL); hãy xoá ký tự đó rồi gửi lại."


class ControlCharacters(InvalidInput):
    code = "control_characters"
    keep_form = True

    def __init__(self, fields: list[str]):
        self.errors = [{"field": f, "message": MSG_FIELD} for f in fields]
        super().__init__(
            "Dữ liệu chứa ký tự điều khiển không hợp lệ ở: " + ", ".join(fields) + ".",
        )


def _json_fields(value: Any, path: str, found: list[str]) -> None:
    if isinstance(value, str):
        if has_control(value):
            found.append(path or "nội dung")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _json_fields(item, f"{path}.{i}" if path else str(i), found)
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if has_control(str(key)):
                found.append(name)
            _json_fields(item, name, found)


async def refuse_control_characters(request: Request) -> None:
    """App-wide dependency (create_app): raise ControlCharacters naming each bad field."""
    found: list[str] = []
    for name, value in [*request.query_params.multi_items(), *request.path_params.items()]:
        if isinstance(value, str) and has_control(value):
            found.append(name)
    if is_form_post(request):
        form = await request.form()  # cached: FastAPI parsed it for the route already
        remember_form(request, form)
        found += [name for name, value in form.multi_items()
                  if not isinstance(value, UploadFile) and has_control(value)]
    elif request.method not in ("GET", "HEAD") and "json" in request.headers.get("content-type", ""):
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None  # not JSON: the route's own validation answers
        _json_fields(body, "", found)
    if found:
        raise ControlCharacters(list(dict.fromkeys(found)))
