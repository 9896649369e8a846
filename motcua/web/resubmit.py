"""Never throw away what a user typed: what the generic "send again" page shows.

A page form refused before its route could handle it — an expired or missing CSRF token,
or a control character in a field — is answered with a page that shows every typed value
back in a form posting to the same address with a fresh token. Routes that can re-render
their own page with the typed values (the counter receipt, the dossier actions, the admin
forms) do so themselves; this page is the fallback.

The form is parsed before the check that refuses it, so the check remembers it on
`request.state` (which the exception handler's request shares; the body itself cannot be
read twice). `web.errors.resubmit_page` renders the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from starlette.datastructures import FormData, UploadFile

from motcua.core.text import strip_control

STATE_KEY = "submitted_form"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Never echoed back into a page: the user types these again.
SECRET_FIELDS = ("password", "csrf_token")


@dataclass(frozen=True)
class Field:
    name: str
    value: str  # "" for a file or a secret
    kind: str  # "text", "textarea", "password", "file"


def is_form_post(request: Request) -> bool:
    return request.method not in ("GET", "HEAD", "OPTIONS") and request.headers.get(
        "content-type", ""
    ).startswith(FORM_TYPES)


def remember_form(request: Request, form: FormData) -> None:
    fields = []
    for name, value in form.multi_items():
        if name == "csrf_token":
            continue
        if isinstance(value, UploadFile):
            fields.append(Field(name, "", "file"))
        elif "password" in name:
            fields.append(Field(name, "", "password"))
        else:
            text = strip_control(value)
            kind = "textarea" if "\n" in text or len(text) > 120 else "text"
            fields.append(Field(name, text, kind))
    setattr(request.state, STATE_KEY, fields)


def remembered_fields(request: Request) -> list[Field]:
    """What `remember_form` kept of the refused post (the error handler shows it again)."""
    return getattr(request.state, STATE_KEY, None) or []
