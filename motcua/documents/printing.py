"""Print a dossier's forms (01–06) and a unit's tracking book (07), with access checks.

Access is the dossier's own: a user prints a form only for a dossier they may see
(`motcua.dossiers.queries.visible_dossiers`), and the book only for a unit in scope.
"""

from __future__ import annotations

import uuid
from datetime import date

from fastapi.responses import Response
from sqlalchemy.orm import Session

from motcua.documents import adapters, book, render, service
from motcua.documents.forms import DEFAULTS, FORM_KEYS
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import get_dossier


def dossier_forms(session: Session, dossier: Dossier) -> list[service.FormInfo]:
    """The active forms `dossier` can print now (its page's "In phiếu" links), in form order."""
    forms = []
    for key in FORM_KEYS:
        if DEFAULTS[key].per_dossier and adapters.applies(session, dossier, key):
            info = service.form_info(session, key)
            if info.active:
                forms.append(info)
    return forms


def _prepare(session: Session, user, dossier_id: uuid.UUID, number: str):
    dossier = get_dossier(session, dossier_id, user)  # 404 unknown, 403 out of scope
    info = service.resolve_form(session, number)
    adapters.ensure_applies(session, dossier, info.key)
    return info, adapters.dossier_doc(session, dossier, info.key)


def dossier_form_html(session: Session, user, dossier_id: uuid.UUID, number: str, *, settings) -> str:
    info, doc = _prepare(session, user, dossier_id, number)
    return service.render_dossier_form_html(info, doc, settings=settings, for_screen=True)


def dossier_form_pdf(session: Session, user, dossier_id: uuid.UUID, number: str, *, settings) -> tuple[str, bytes]:
    info, doc = _prepare(session, user, dossier_id, number)
    html = service.render_dossier_form_html(info, doc, settings=settings)
    return service.pdf_filename(info, doc.code), render.html_to_pdf(html)


def tracking_book_pdf(
    session: Session, user, *, unit_code: str, date_from: date, date_to: date, part: int = 1, settings
) -> tuple[str, bytes, book.BookPlan]:
    """Part `part` of form 07 for the dossiers received by `unit_code` between two local dates
    (inclusive); a book longer than `book.BOOK_PART_ROWS` rows is printed part by part."""
    plan = book.plan_book(session, user, unit_code=unit_code, date_from=date_from, date_to=date_to)
    book.check_part(plan, part)
    return plan.filename(part), book.part_pdf(session, user, plan, part, settings=settings), plan


def pdf_response(content: bytes, filename: str, headers: dict[str, str] | None = None) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private, no-store"}
        | (headers or {}),
    )


def book_headers(plan: book.BookPlan, part: int) -> dict[str, str]:
    """How a program learns that the book has more parts than the one it received."""
    return {"X-Book-Rows": str(plan.rows), "X-Book-Parts": str(plan.parts), "X-Book-Part": str(part)}
