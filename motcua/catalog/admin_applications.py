"""Administrator page: procedures in force that no agency implements today, and their
resolution (agencies or every commune People's Committee, a start date, a basis).
Included by routes.py like admin.py; the rule lives in catalog.applications."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from motcua.auth.deps import CurrentUser
from motcua.auth.policies import is_province_admin
from motcua.catalog import service
from motcua.catalog.applications import add_applications, procedures_without_current_agency
from motcua.core.dates import parse_date
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, Forbidden
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.templating import templates

router = APIRouter(prefix="/quan-tri/thu-tuc/chua-co-co-quan")
TEMPLATE = "catalog/admin_without_agency.html"


def _ensure_province_admin(user) -> None:
    if not is_province_admin(user):
        raise Forbidden("Chỉ quản trị tỉnh được giao cơ quan thực hiện thủ tục.")


@router.get("")
def without_agency(request: Request, session: DbSession, user: CurrentUser):
    _ensure_province_admin(user)
    return templates.TemplateResponse(
        request, TEMPLATE, {"procedures": procedures_without_current_agency(session), "typed": {}}
    )


@router.post("")
def resolve(request: Request, session: DbSession, user: CurrentUser, form: PageForm):
    _ensure_province_admin(user)
    typed = typed_values(form)
    try:
        procedure = service.get_procedure_by_code(session, typed.get("code"))
        valid_from = parse_date(typed.get("valid_from"), label="Ngày bắt đầu thực hiện")
        codes = [c.strip() for c in (typed.get("agency_codes") or "").replace(";", ",").split(",") if c.strip()]
        added = add_applications(
            session, procedure, agency_codes=codes, every_commune=typed.get("every_commune") == "1",
            valid_from=valid_from, source=typed.get("source") or "",
        )
    except DomainError as exc:
        message = exc.message
        return form_again(request, session, exc, TEMPLATE, lambda: {
            "procedures": procedures_without_current_agency(session), "typed": typed, "error": message,
        })
    flash(request, f"Đã giao {len(added)} cơ quan thực hiện thủ tục {procedure.code}.")
    return RedirectResponse("/quan-tri/thu-tuc/chua-co-co-quan", status_code=303)
