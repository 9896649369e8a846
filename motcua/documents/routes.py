"""Pages: form definitions (`/quan-tri/bieu-mau`) and printable forms of a dossier.

`/ho-so/{id}/bieu-mau/{so}` shows a form as an HTML page (the same template as the PDF);
`?pdf=1` prints it. The JSON API (`api.py`) serves the same PDFs to programs.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from motcua.auth.deps import CurrentUser
from motcua.auth.policies import ensure_role
from motcua.auth.roles import Role
from motcua.core.db import DbSession
from motcua.core.errors import DomainError
from motcua.documents import printing, service
from motcua.documents.forms import DEFAULTS, NUMBERING_LABELS, PAPER_SIZES
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import form_again
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

FORMS_ADMIN = "/quan-tri/bieu-mau"


def _forms_admin_context(session, user, **refused) -> dict:
    """The form definitions page; `refused` puts one row's typed values (`typed`, for the row
    `typed_key`) or the numbering choice back, with its message."""
    ensure_role(user, Role.province_admin)
    return {
        "forms": service.list_form_definitions(session),
        "paper_sizes": PAPER_SIZES,
        "numberings": NUMBERING_LABELS,
        "defaults": DEFAULTS,
        "typed_key": None,
        "typed": {},
        "row_error": None,
        "scheme": None,
        "scheme_error": None,
    } | refused


@router.get(FORMS_ADMIN)
def forms_admin(request: Request, session: DbSession, user: CurrentUser):
    return templates.TemplateResponse(request, "documents/admin_forms.html", _forms_admin_context(session, user))


@router.post(FORMS_ADMIN + "/{key}")
def forms_admin_update(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    key: Annotated[str, Path(max_length=40)],
    number: Annotated[str, Form(max_length=20)] = "",
    title: Annotated[str, Form(max_length=1000)] = "",
    paper_size: Annotated[str, Form(max_length=40)] = "",
    active: Annotated[str, Form(max_length=10)] = "",
):
    try:
        row = service.update_form_definition(
            session, user, key=key, number=number, title=title, paper_size=paper_size, active=active == "1"
        )
    except DomainError as exc:
        typed = {"number": number, "title": title, "paper_size": paper_size, "active": active == "1"}
        message = exc.message
        return form_again(request, session, exc, "documents/admin_forms.html", lambda: _forms_admin_context(
            session, user, typed_key=key, typed=typed, row_error=message))
    flash(request, f"Đã lưu biểu mẫu số {row.number}: {row.title}.", "success")
    return RedirectResponse(FORMS_ADMIN, status_code=303)


@router.post(FORMS_ADMIN + "-bo-so")
def forms_admin_numbering(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    scheme: Annotated[str, Form(max_length=20)] = "",
):
    try:
        service.apply_numbering(session, user, scheme=scheme)
    except DomainError as exc:
        message = exc.message
        return form_again(request, session, exc, "documents/admin_forms.html", lambda: _forms_admin_context(
            session, user, scheme=scheme, scheme_error=message))
    flash(request, f"Đã áp dụng số hiệu biểu mẫu theo {NUMBERING_LABELS[scheme]}.", "success")
    return RedirectResponse(FORMS_ADMIN, status_code=303)


@router.get("/ho-so/{dossier_id}/bieu-mau/{number}")
def dossier_form_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    dossier_id: uuid.UUID,
    number: Annotated[str, Path(max_length=20)],
    pdf: str = "",
) -> Response:
    """A dossier's form on screen (the print template), or its PDF with `?pdf=1`."""
    if pdf:
        filename, content = printing.dossier_form_pdf(session, user, dossier_id, number, settings=request.app.state.settings)
        return printing.pdf_response(content, filename)
    html = printing.dossier_form_html(session, user, dossier_id, number, settings=request.app.state.settings)
    return HTMLResponse(html)
