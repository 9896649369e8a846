"""Print a dossier's forms (01–06) and a unit's tracking book (07), with access checks.

Access is the dossier's own: a user prints a form only for a dossier they may see
(`motcua.dossiers.queries.visible_dossiers`), and the book only for a unit in scope.
"""

from __future__ import annotations

import uuid
from datetime import date

from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.policies import agency_scope, in_scope
from motcua.core.errors import Forbidden, InvalidInput, NotFound
from motcua.documents import adapters, render, service
from motcua.documents.forms import TRACKING_BOOK
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import get_dossier, visible_dossiers
from motcua.org.models import Agency
from motcua.org.service import normalise_code

MAX_BOOK_DAYS = 366
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


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
    session: Session, user, *, unit_code: str, date_from: date, date_to: date, settings
) -> tuple[str, bytes]:
    """Form 07 for the dossiers received by `unit_code` between two local dates (inclusive)."""
    if date_from < EARLIEST or date_to > LATEST:
        raise InvalidInput("Khoảng ngày của sổ theo dõi phải nằm trong các năm 2000–2100.")
    if date_to < date_from:
        raise InvalidInput("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
    if (date_to - date_from).days >= MAX_BOOK_DAYS:
        raise InvalidInput("Sổ theo dõi chỉ in tối đa 366 ngày một lần.")
    code = normalise_code(unit_code)
    unit = session.scalar(select(Agency).where(Agency.code == code)) if code else None
    if unit is None:
        raise NotFound(f"Không tìm thấy cơ quan, đơn vị có mã “{code or unit_code[:40]}”.")
    if not in_scope(agency_scope(session, user), unit.id):
        raise Forbidden("Bạn chỉ được in sổ theo dõi hồ sơ của cơ quan, đơn vị mình.")
    start, end = adapters.local_day_bounds(date_from, date_to)
    dossiers = list(
        session.scalars(
            visible_dossiers(session, user)
            .where(Dossier.receiving_unit_id == unit.id, Dossier.received_at >= start, Dossier.received_at < end)
            .order_by(Dossier.received_at, Dossier.code)
        )
    )
    info = service.resolve_form(session, TRACKING_BOOK, per_dossier=False)
    book = adapters.tracking_book(session, unit, date_from, date_to, dossiers)
    html = service.render_tracking_book_html(info, book, settings=settings)
    filename = f"so-theo-doi-{unit.code}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.pdf"
    return filename, render.html_to_pdf(html)


def pdf_response(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private, no-store"},
    )
