"""Pages: the public agency directory (/co-quan) and agency administration (/quan-tri/co-quan)."""

from __future__ import annotations

from functools import partial
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from motcua.auth.deps import CurrentUser
from motcua.auth.policies import (
    ensure_may_edit_agency,
    has_role,
    is_province_admin,
    may_edit_agency,
)
from motcua.auth.roles import Role
from motcua.core.dates import parse_date
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, Forbidden
from motcua.org import service
from motcua.org.enums import AGENCY_KIND_LABELS, AGENCY_LEVEL_LABELS, UNIT_KIND_LABELS
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import form_again
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

FormText = Annotated[str, Form(max_length=1000)]
ADMIN = "/quan-tri/co-quan"
PAGE_SIZE = 50


def _labels() -> dict:
    return {
        "kind_labels": {k.value: v for k, v in AGENCY_KIND_LABELS.items()},
        "level_labels": {k.value: v for k, v in AGENCY_LEVEL_LABELS.items()},
        "unit_kind_labels": {k.value: v for k, v in UNIT_KIND_LABELS.items()},
    }


def _render(request: Request, name: str, context: dict, status_code: int = 200) -> Response:
    return templates.TemplateResponse(request, f"org/{name}", _labels() | context, status_code=status_code)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _list_context(
    session: Session, *, q: str, level: str, kind: str, historical: str, page: int
) -> dict:
    include_historical = historical == "1"
    result = service.search_agencies(
        session,
        q=q,
        level=level or None,
        kind=kind or None,
        include_historical=include_historical,
        page=page,
        page_size=PAGE_SIZE,
    )
    filters = {"q": q, "level": level, "kind": kind, "historical": "1" if include_historical else ""}
    return {
        "result": result,
        "pages": max(1, -(-result.total // PAGE_SIZE)),
        "filters": filters,
        "base_query": urlencode({k: v for k, v in filters.items() if v}),
        "successors": {a.id: service.current_successor(session, a) for a in result.items if a.dissolved_on},
        "current_ids": {a.id for a in result.items if service.is_current(a)},
    }


# --- public directory ---------------------------------------------------------------------


@router.get("/co-quan")
def agencies_page(
    request: Request,
    session: DbSession,
    q: Annotated[str, Query(max_length=200)] = "",
    level: Annotated[str, Query(max_length=40)] = "",
    kind: Annotated[str, Query(max_length=40)] = "",
    historical: Annotated[str, Query(max_length=5)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
):
    context = _list_context(session, q=q, level=level, kind=kind, historical=historical, page=page)
    return _render(request, "agencies.html", context)


@router.get("/co-quan/{code}")
def agency_page(request: Request, code: str, session: DbSession):
    agency = service.get_agency_by_code(session, code)
    return _render(
        request,
        "agency.html",
        {
            "agency": agency,
            "current": service.is_current(agency),
            "successor": service.current_successor(session, agency),
            "children": service.children_of(session, agency),
            "predecessors": service.predecessors_of(session, agency),
            "aliases": service.aliases_of(session, agency),
            "qms": service.qms_rollout_of(session, agency),
        },
    )


# --- administration -----------------------------------------------------------------------


def _ensure_org_admin(user) -> None:
    if not has_role(user, Role.province_admin, Role.agency_admin):
        raise Forbidden("Chỉ Quản trị tỉnh hoặc Quản trị đơn vị được vào trang quản trị cơ quan.")


@router.get(ADMIN)
def admin_agencies(
    request: Request,
    user: CurrentUser,
    session: DbSession,
    q: Annotated[str, Query(max_length=200)] = "",
    level: Annotated[str, Query(max_length=40)] = "",
    kind: Annotated[str, Query(max_length=40)] = "",
    historical: Annotated[str, Query(max_length=5)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
):
    _ensure_org_admin(user)
    context = _list_context(session, q=q, level=level, kind=kind, historical=historical, page=page)
    context["is_province_admin"] = is_province_admin(user)
    return _render(request, "admin_agencies.html", context)


def _agency_context(session: Session, user, agency, **extra) -> dict:
    return {
        "agency": agency,
        "successor": service.current_successor(session, agency),
        "current": service.is_current(agency),
        "is_province_admin": is_province_admin(user),
        "may_edit_name": may_edit_agency(user, agency, name_only=True),
        "edit_form": None,
        "edit_error": None,
        "dissolve_form": {"on": "", "successor_code": "", "note": ""},
        "dissolve_error": None,
    } | extra


def _form_again(request: Request, session: Session, user, code: str, exc: DomainError, **extra) -> Response:
    """Show the agency page again with what was typed and the error (a redirect would lose it)."""

    def context() -> dict:
        agency = service.get_agency_by_code(session, code)
        return _labels() | _agency_context(session, user, agency, **extra)

    return form_again(request, session, exc, "org/admin_agency.html", context)


@router.get(f"{ADMIN}/{{code}}")
def admin_agency(request: Request, code: str, user: CurrentUser, session: DbSession):
    _ensure_org_admin(user)
    agency = service.get_agency_by_code(session, code)
    return _render(request, "admin_agency.html", _agency_context(session, user, agency))


@router.post(f"{ADMIN}/{{code}}")
def admin_agency_save(
    request: Request,
    code: str,
    user: CurrentUser,
    session: DbSession,
    name: FormText = "",
    short_name: FormText = "",
    new_code: Annotated[str, Form(max_length=40)] = "",
    code_official: Annotated[str, Form(max_length=5)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
):
    _ensure_org_admin(user)
    agency = service.get_agency_by_code(session, code)
    code = agency.code
    province_admin = is_province_admin(user)
    try:
        service.update_agency(
            session,
            agency,
            authorize=partial(ensure_may_edit_agency, user),
            name=name,
            short_name=short_name,
            code=new_code if province_admin and new_code.strip() else None,
            code_official=(code_official == "1") if province_admin else None,
            note=note if province_admin else None,
        )
    except DomainError as exc:
        typed = {
            "name": name,
            "short_name": short_name,
            "new_code": new_code,
            "code_official": code_official == "1",
            "note": note,
        }
        return _form_again(request, session, user, code, exc, edit_form=typed, edit_error=exc.message)
    flash(request, f"Đã lưu cơ quan “{agency.name}” ({agency.code}).", "success")
    return _redirect(f"{ADMIN}/{agency.code}")


@router.post(f"{ADMIN}/{{code}}/giai-the")
def admin_agency_dissolve(
    request: Request,
    code: str,
    user: CurrentUser,
    session: DbSession,
    on: Annotated[str, Form(max_length=20)] = "",
    successor_code: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
):
    _ensure_org_admin(user)
    agency = service.get_agency_by_code(session, code)
    code = agency.code
    try:
        day = parse_date(on, label="Ngày giải thể/sáp nhập")
        successor = service.get_agency_by_code(session, successor_code) if successor_code.strip() else None
        service.dissolve_agency(
            session, agency, on=day, successor=successor, authorize=partial(ensure_may_edit_agency, user),
            note=note or None, actor_id=user.id,
        )
    except DomainError as exc:
        typed = {"on": on, "successor_code": successor_code, "note": note}
        return _form_again(request, session, user, code, exc, dissolve_form=typed, dissolve_error=exc.message)
    text = f"Đã ghi nhận giải thể “{agency.name}” từ ngày {day:%d/%m/%Y}"
    flash(request, text + (f", sáp nhập vào “{successor.name}”." if successor else "."), "success")
    return _redirect(f"{ADMIN}/{code}")
