"""Pages: form definitions (`/quan-tri/bieu-mau`), printable forms of a dossier, the tracking book.

`/ho-so/{id}/bieu-mau/{so}` shows a form as an HTML page (the same template as the PDF);
`?pdf=1` prints it. `/so-theo-doi` asks for a unit's tracking book (form 07): it lists the
book's parts (`/so-theo-doi/in`) and queues one PDF of the whole book for `motcua worker`
(`/so-theo-doi/tep`, see documents.book). The JSON API (`api.py`) serves the same PDFs to programs.
"""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.deps import CurrentUser
from motcua.auth.policies import ensure_role
from motcua.auth.roles import Role
from motcua.core.clock import now, to_local
from motcua.core.db import DbSession
from motcua.core.errors import DomainError
from motcua.documents import book, printing, service
from motcua.documents.enums import FORM_LABELS
from motcua.documents.forms import DEFAULTS, NUMBERING_LABELS, PAPER_SIZES, TRACKING_BOOK
from motcua.dossiers.queries import counter_units
from motcua.dossiers.sections import PageSection, register_section
from motcua.org.models import Agency
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import form_again
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

# The dossier page links to the forms its dossier can print (served below); dossiers does not
# import documents, so documents adds the links through the page's extension point.
register_section(PageSection("documents.forms", "documents/_dossier_forms.html", printing.dossier_forms))

FORMS_ADMIN = "/quan-tri/bieu-mau"
BOOK_PAGE = "/so-theo-doi"


def _forms_admin_context(session, user, **refused) -> dict:
    """The form definitions page; `refused` puts one row's typed values (`typed`, for the row
    `typed_key`) or the numbering choice back, with its message."""
    ensure_role(user, Role.province_admin)
    return {
        "forms": service.list_form_definitions(session),
        "paper_sizes": PAPER_SIZES,
        "numberings": NUMBERING_LABELS,
        "defaults": DEFAULTS,
        "form_labels": FORM_LABELS,
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


# --- tracking book (form 07) ---------------------------------------------------------------


def _book_page(request: Request, session: Session, user, typed: dict[str, str], *, plan: book.BookPlan | None = None,
               error: DomainError | None = None, status_code: int = 200):
    """The book page with what the clerk typed (kept on error, each problem shown at its
    field) and the files they asked for."""
    files = book.recent_files(session, user)
    unit_ids = {f.unit_id for f in files}
    names = dict(session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(unit_ids))).all()) if unit_ids else {}
    query = ""
    if plan is not None:
        query = urlencode({"don_vi": plan.unit_code, "tu_ngay": plan.date_from.isoformat(),
                           "den_ngay": plan.date_to.isoformat()})
    return templates.TemplateResponse(
        request,
        "documents/book.html",
        {
            "form_number": service.form_info(session, TRACKING_BOOK).number,
            "units": counter_units(session, user),
            "typed": typed,
            "plan": plan,
            "query": query,
            "error": error.message if error else "",
            "field_errors": {e["field"]: e["message"] for e in getattr(error, "errors", None) or []},
            "files": files,
            "unit_names": names,
            "status_labels": book.FILE_STATUS_LABELS,
            "waiting": any(f.status in (book.QUEUED, book.RUNNING) for f in files),
            "part_rows": book.BOOK_PART_ROWS,
            "max_file_rows": book.MAX_FILE_ROWS,
        },
        status_code=status_code,
    )


class BookForm(BaseModel):
    """What a clerk asks the tracking book for (page query, the file request's form): the
    unit's code and the period as typed (dd/mm/yyyy or ISO), parsed by book.parse_request."""

    don_vi: str = Field("", max_length=40)
    tu_ngay: str = Field("", max_length=40)
    den_ngay: str = Field("", max_length=40)


def _plan(session: Session, user, typed: dict[str, str]) -> book.BookPlan:
    code, date_from, date_to = book.parse_request(typed["don_vi"], typed["tu_ngay"], typed["den_ngay"])
    return book.plan_book(session, user, unit_code=code, date_from=date_from, date_to=date_to)


@router.get(BOOK_PAGE)
def book_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    asked: Annotated[BookForm, Query()],
):
    """Ask for a unit's book: its size, the parts to print, a file of the whole book."""
    typed = asked.model_dump()
    if not any(typed.values()):  # first visit: this month so far, the first unit
        today = to_local(now()).date()
        units = counter_units(session, user)
        typed = {"don_vi": units[0].code if units else "", "tu_ngay": f"{today.replace(day=1):%d/%m/%Y}",
                 "den_ngay": f"{today:%d/%m/%Y}"}
        return _book_page(request, session, user, typed)
    try:
        plan = _plan(session, user, typed)
    except DomainError as exc:
        return _book_page(request, session, user, typed, error=exc, status_code=exc.status_code)
    return _book_page(request, session, user, typed, plan=plan)


@router.get(BOOK_PAGE + "/in")
def book_part(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    asked: Annotated[BookForm, Query()],
    phan: Annotated[str, Query(max_length=10)] = "1",
) -> Response:
    """One part of the book as a PDF (a bad request shows the book page with the error)."""
    typed = asked.model_dump()
    plan = None
    try:
        plan = _plan(session, user, typed)
        part = int(phan) if phan.strip().isdigit() else 0
        book.check_part(plan, part)
        content = book.part_pdf(session, user, plan, part, settings=request.app.state.settings)
    except DomainError as exc:
        return _book_page(request, session, user, typed, plan=plan, error=exc, status_code=exc.status_code)
    return printing.pdf_response(content, plan.filename(part), printing.book_headers(plan, part))


@router.post(BOOK_PAGE + "/tep")
def book_file_request(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    asked: Annotated[BookForm, Form()],
):
    """Queue one PDF of the whole book; the worker prints it and the page links to it."""
    typed = asked.model_dump()
    plan = None
    try:
        plan = _plan(session, user, typed)
        book.request_file(session, user, plan)
    except DomainError as exc:
        session.rollback()
        return _book_page(request, session, user, typed, plan=plan, error=exc, status_code=exc.status_code)
    flash(request, f"Đã ghi yêu cầu tạo tệp sổ theo dõi ({plan.rows} hồ sơ). Liên kết tải về sẽ hiện khi tệp được tạo xong.",
          "success")
    return RedirectResponse(f"{BOOK_PAGE}?{urlencode(typed)}", status_code=303)


@router.get(BOOK_PAGE + "/tep/{file_id}")
def book_file_download(request: Request, session: DbSession, user: CurrentUser, file_id: uuid.UUID) -> Response:
    """The printed file, for a user who may print that unit's book."""
    row, content = book.file_for_download(session, user, file_id, settings=request.app.state.settings)
    return printing.pdf_response(content, row.filename)
