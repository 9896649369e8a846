"""Posted forms on pages: the form as a dependency, and the form shown again when refused.

Reading the body must be awaited; a database call must never run on the event loop. A
route that takes `form: PageForm` gets the form read on the loop (by this dependency)
and itself runs in the thread pool with its database work. Uploaded files in the form
are read synchronously there with `upload.file.read(n)`.

When a service refuses what was posted (a `DomainError`), the page answers the refusal's
status with the same form again, its message beside it and what the user typed filled in
(`form_again`, `typed_values`): a redirect with a flash message would throw the typing away.

Every field refused is shown at once, at its field (issue 16): a refusal whose `details` list
names the form inputs (`{"name", "label", "message"}`, as dossiers.inputs.refusal builds
them) becomes `form_errors` (`field_errors`), which `form_again` hands to the page; the
macros of web/_forms.html mark those inputs (`aria-invalid`, styled by motcua.css), put the
message next to each and a summary, linking to them, at the top of the form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from motcua.core.errors import DomainError
from motcua.web.templating import templates


async def read_form(request: Request) -> FormData:
    return await request.form()


PageForm = Annotated[FormData, Depends(read_form)]


def is_secret(name: str) -> bool:
    """Fields never written back into a page: passwords and the CSRF token."""
    return "password" in name or name == "csrf_token"


def typed_values(form: FormData | Mapping[str, Any], names: Iterable[str] | None = None) -> dict[str, str]:
    """What the user typed, as text to show again: the fields `names` (every text field when
    None), without passwords, the CSRF token or files."""
    items = form.multi_items() if isinstance(form, FormData) else list(form.items())
    wanted = set(names) if names is not None else None
    values: dict[str, str] = {}
    for name, value in items:
        if is_secret(name) or not isinstance(value, str) or (wanted is not None and name not in wanted):
            continue
        values.setdefault(name, value)  # a repeated field: its first value
    return values


def field_errors(exc: DomainError) -> dict[str, Any]:
    """`exc` as the form macros show it: {"message", "fields": {input name: [messages]},
    "items": [{"name", "label", "message"}]} — `items` lists every error for the summary (an
    error that names no input, e.g. a rule across fields, is shown only there)."""
    details = exc.details if isinstance(exc.details, list) else []
    items = []
    for detail in details:
        if isinstance(detail, Mapping):
            items.append({"name": detail.get("name"), "label": detail.get("label") or "",
                          "message": str(detail.get("message", ""))})
        else:
            items.append({"name": None, "label": "", "message": str(detail)})
    fields: dict[str, list[str]] = {}
    for item in items:
        if item["name"]:
            fields.setdefault(item["name"], []).append(item["message"])
    return {"message": exc.message, "fields": fields, "items": items}


def form_again(
    request: Request,
    session: Session,
    exc: DomainError,
    template: str,
    context: Callable[[], dict],
) -> Response:
    """The form page again after `exc` refused the post, answered with `exc`'s status.

    The refused unit of work is rolled back first, so `context` (which reloads what the page
    shows) is called afterwards and sees the database as it was before the post. The page
    gets `form_errors` (see `field_errors`) unless its context sets it.
    """
    session.rollback()
    values = {"form_errors": field_errors(exc), **context()}
    return templates.TemplateResponse(request, template, values, status_code=exc.status_code)
