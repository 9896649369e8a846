"""Form definitions (numbers, titles, paper sizes as data) and printing forms.

Forms follow Circular 03/2025/TT-VPCP (numbering and titles) and the state document
format of Decree 30/2020/NĐ-CP; slips are A5 and the tracking book A4 landscape
(TT 01/2018 Art. 9, kept by the provincial templates under TT 03/2025).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.policies import ensure_role
from motcua.auth.roles import Role
from motcua.core.clock import now
from motcua.core.errors import InvalidInput, NotFound
from motcua.core.text import nfc
from motcua.documents import render
from motcua.documents.forms import (
    DEFAULTS,
    FORM_KEYS,
    NUMBERING_LABELS,
    NUMBERINGS,
    PAPER_SIZES,
    TEMPLATES,
)
from motcua.documents.models import FormDefinition
from motcua.documents.views import DossierDoc, TrackingBookDoc

NUMBER_PATTERN = re.compile(r"^[0-9]{1,2}[a-z]?$")


@dataclass(frozen=True)
class FormInfo:
    """What printing needs to know about a form, detached from the session."""

    key: str
    number: str
    title: str
    paper_size: str
    active: bool

    @property
    def template(self) -> str:
        return TEMPLATES[self.key]


def _info(row: FormDefinition) -> FormInfo:
    return FormInfo(row.key, row.number, row.title, row.paper_size, row.active)


def list_form_definitions(session: Session) -> list[FormDefinition]:
    rows = {r.key: r for r in session.scalars(select(FormDefinition))}
    return [rows[k] for k in FORM_KEYS if k in rows]


def form_info(session: Session, key: str) -> FormInfo:
    """The definition of `key`; the built-in TT 03/2025 one when the table has no row."""
    row = session.scalar(select(FormDefinition).where(FormDefinition.key == key))
    if row is not None:
        return _info(row)
    spec = DEFAULTS.get(key)
    if spec is None:
        raise NotFound(f"Không có biểu mẫu “{key}”.")
    return FormInfo(spec.key, spec.number, spec.title, spec.paper_size, True)


def resolve_form(session: Session, number_or_key: str, *, per_dossier: bool = True) -> FormInfo:
    """Find an active form by its printed number ("01") or its key ("receipt")."""
    wanted = (number_or_key or "").strip()[:20]
    infos = [form_info(session, k) for k in FORM_KEYS]
    for info in infos:
        if info.active and (info.number == wanted or info.key == wanted):
            if DEFAULTS[info.key].per_dossier != per_dossier:
                break
            return info
    if per_dossier:
        numbers = ", ".join(i.number for i in infos if i.active and DEFAULTS[i.key].per_dossier)
        raise NotFound(f"Không có biểu mẫu số “{wanted}” cho hồ sơ. Các mẫu hiện dùng: {numbers}.")
    raise NotFound(f"Không có biểu mẫu “{wanted}”.")


def update_form_definition(
    session: Session,
    actor,
    *,
    key: str,
    number: str,
    title: str,
    paper_size: str,
    active: bool = True,
) -> FormDefinition:
    """A province administrator renumbers, retitles or switches a form off."""
    ensure_role(actor, Role.province_admin)
    if key not in FORM_KEYS:
        raise NotFound("Không có biểu mẫu này.")
    row = session.scalar(select(FormDefinition).where(FormDefinition.key == key))
    if row is None:
        raise NotFound("Không có biểu mẫu này.")
    number = (number or "").strip()
    title = nfc(title or "") or ""
    errors = []
    if not NUMBER_PATTERN.match(number):
        errors.append("Số mẫu gồm 1–2 chữ số, có thể thêm một chữ cái thường (ví dụ 05a).")
    if not 3 <= len(title) <= 300:
        errors.append("Tên biểu mẫu cần từ 3 đến 300 ký tự.")
    if paper_size not in PAPER_SIZES:
        errors.append(f"Khổ giấy phải là một trong: {', '.join(PAPER_SIZES)}.")
    if active and NUMBER_PATTERN.match(number):
        clash = session.scalar(
            select(FormDefinition).where(
                FormDefinition.number == number, FormDefinition.active.is_(True), FormDefinition.key != key
            )
        )
        if clash is not None:
            errors.append(f"Số mẫu {number} đang dùng cho “{clash.title}”.")
    if errors:
        raise InvalidInput(" ".join(errors))
    row.number, row.title, row.paper_size, row.active = number, title, paper_size, active
    row.updated_at = now()
    session.flush()
    return row


def apply_numbering(session: Session, actor, *, scheme: str) -> list[FormDefinition]:
    """Switch every form to one legal numbering: "tt03-2025" (default) or "tt01-2018"."""
    ensure_role(actor, Role.province_admin)
    specs = NUMBERINGS.get(scheme)
    if specs is None:
        raise InvalidInput(f"Bộ số hiệu không hợp lệ; chọn một trong: {', '.join(NUMBERING_LABELS)}.")
    rows = {r.key: r for r in session.scalars(select(FormDefinition))}
    for spec in specs:
        row = rows.get(spec.key)
        if row is None:
            row = FormDefinition(key=spec.key)
            session.add(row)
        row.number, row.title, row.paper_size, row.active = spec.number, spec.title, spec.paper_size, True
        row.updated_at = now()
    session.flush()
    return list_form_definitions(session)


def _render_form(info: FormInfo, *, settings, issued_at: datetime | None, for_screen: bool, **data) -> str:
    """Form `info` as HTML: what every form prints (number, title, paper, place, date) plus `data`."""
    return render.render_html(
        info.template,
        form_number=info.number,
        form_title=info.title,
        paper_size=info.paper_size,
        place=settings.province_name,
        public_base_url=settings.public_base_url,
        issued_at=issued_at,
        for_screen=for_screen,
        **data,
    )


def render_dossier_form_html(
    info: FormInfo, doc: DossierDoc, *, settings, issued_at: datetime | None = None, for_screen: bool = False
) -> str:
    return _render_form(info, settings=settings, issued_at=issued_at, for_screen=for_screen,
                        code=doc.code, lookup_key=doc.lookup_key, doc=doc, issuer=doc.issuer)


def render_tracking_book_html(
    info: FormInfo, book: TrackingBookDoc, *, settings, issued_at: datetime | None = None, for_screen: bool = False
) -> str:
    return _render_form(info, settings=settings, issued_at=issued_at, for_screen=for_screen,
                        book=book, issuer=book.issuer, footer_note=book.footer_note)


def pdf_filename(info: FormInfo, code: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9.-]", "_", code)
    return f"mau-{info.number}-{safe}.pdf"
