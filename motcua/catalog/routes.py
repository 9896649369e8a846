"""Public catalogue pages: home `/`, list `/thu-tuc`, detail `/thu-tuc/{code}`.

Admin pages (`/quan-tri/thu-tuc...`) live in admin.py and are included here.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.deps import OptionalUser
from motcua.catalog import service
from motcua.catalog.admin import router as admin_router
from motcua.catalog.admin_applications import router as applications_router
from motcua.catalog.admin_decisions import router as decisions_router
from motcua.catalog.applications import is_current_application
from motcua.catalog.enums import CHANNEL_LABELS, LEVEL_LABELS, ONLINE_LEVEL_LABELS, STATUS_LABELS
from motcua.catalog.limits import procedure_time_limit
from motcua.catalog.models import ProcedureAgency
from motcua.catalog.policies import can_edit_procedure
from motcua.catalog.search import per_catalogue_state, search_procedures
from motcua.catalog.sections import procedure_sections
from motcua.core.db import DbSession, read_only_scope
from motcua.core.errors import InvalidInput
from motcua.org.enums import AgencyKind
from motcua.org.models import Agency
from motcua.web.csrf import csrf_protect
from motcua.web.paging import parse_page
from motcua.web.templating import is_htmx, province_name, templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
router.include_router(decisions_router)  # before admin's /quan-tri/thu-tuc/{code}/sua
router.include_router(applications_router)
router.include_router(admin_router)

PAGE_SIZE = 20

LABELS = {
    "level": {k.value: v for k, v in LEVEL_LABELS.items()},
    "online": {k.value: v for k, v in ONLINE_LEVEL_LABELS.items()},
    "status": {k.value: v for k, v in STATUS_LABELS.items()},
    "channel": {k.value: v for k, v in CHANNEL_LABELS.items()},
}

AGENCY_GROUPS = [
    ("Sở, ban, ngành cấp tỉnh", None),
    ("UBND cấp huyện (trước 01/07/2025)", AgencyKind.district_committee.value),
    ("UBND cấp xã, phường", AgencyKind.commune_committee.value),
]


def implementing_agency_choices(session: Session) -> list[tuple[str, list[Agency]]]:
    """Agencies that implement at least one procedure, grouped for the filter select."""
    used = select(ProcedureAgency.agency_id).distinct().subquery()
    agencies = session.scalars(
        select(Agency).where(Agency.id.in_(select(used.c.agency_id))).order_by(Agency.name_folded)
    ).all()
    groups = []
    for label, kind in AGENCY_GROUPS:
        if kind is None:
            members = [
                a
                for a in agencies
                if a.kind
                not in {AgencyKind.district_committee.value, AgencyKind.commune_committee.value}
            ]
        else:
            members = [a for a in agencies if a.kind == kind]
        if members:
            groups.append((label, members))
    return groups


@router.get("/")
def home(request: Request):
    # The busiest page: its content (counts per level, ~150 fields) changes only with the
    # catalogue, so it is rendered once per catalogue state on the search index's cache
    # (one signature query per request, see catalog/search.py); only the layout (user,
    # CSRF token, flashes) is rendered per request. Staff get the same page.
    # A read-only unit of work inside this `def` route, like GET /api/v1/procedures (it
    # ends before the response, never on the event loop): `DbSession` is a generator
    # dependency that FastAPI enters and leaves on two more thread-pool hops, ≈1 ms under
    # load on PostgreSQL — a third of the page, and the difference between 2.4× and 3.1×
    # `/healthz` (docs/catalog.md "Performance").
    province = province_name(request)
    with read_only_scope(request.app.state.sessionmaker) as session:
        content = per_catalogue_state(
            session,
            ("home", province),
            lambda figures: Markup(
                templates.get_template("catalog/_home_content.html").render(
                    figures=figures, labels=LABELS, settings_province_name=province
                )
            ),
        )
    return templates.TemplateResponse(request, "catalog/home.html", {"content": content})


@router.get("/thu-tuc")
def procedure_list(
    request: Request,
    session: DbSession,
    q: str | None = None,
    agency: str | None = None,
    field: str | None = None,
    level: str | None = None,
    online_level: str | None = None,
    page: str | None = None,
):
    params = {
        "q": q or "",
        "agency": agency or "",
        "field": field or "",
        "level": level or "",
        "online_level": online_level or "",
    }
    error = None
    result = None
    try:
        page_number = parse_page(page)
        filters = service.resolve_filters(
            session, q=q, agency=agency, field=field, level=level, online_level=online_level
        )
        result = search_procedures(session, filters, page=page_number, page_size=PAGE_SIZE)
    except InvalidInput as exc:
        error = exc.message
    query_base = urlencode({k: v for k, v in params.items() if v})
    context = {
        "params": params,
        "result": result,
        "error": error,
        "labels": LABELS,
        "query_base": query_base,
        "fields": [f for f, n in service.list_fields(session) if n],
        "agency_groups": implementing_agency_choices(session),
    }
    status = 422 if error else 200
    template = "catalog/_results.html" if is_htmx(request) else "catalog/list.html"
    return templates.TemplateResponse(request, template, context, status_code=status)


@router.get("/thu-tuc/{code}")
def procedure_detail(request: Request, session: DbSession, user: OptionalUser, code: str):
    procedure = service.get_procedure_by_code(session, code, full=True)
    links = sorted(
        procedure.agency_links, key=lambda link: (link.agency.name_folded, link.agency.code)
    )
    current = [link for link in links if is_current_application(link)]
    former = sorted(
        (link for link in links if link not in current and link.agency.kind != AgencyKind.commune_committee.value),
        key=lambda link: (link.valid_to or date.max, link.agency.name_folded),
    )
    communes = [link.agency for link in current if link.agency.kind == AgencyKind.commune_committee.value]
    others = [link for link in current if link.agency.kind != AgencyKind.commune_committee.value]
    limits = {
        "counter": procedure_time_limit(procedure, "counter"),
        "online": procedure_time_limit(procedure, "online"),
    }
    return templates.TemplateResponse(
        request,
        "catalog/detail.html",
        {
            "p": procedure,
            "others": others,
            "communes": communes,
            "former": former,
            "levels": sorted({link.level for link in current}),
            "limits": limits,
            "online_differs": procedure.online_time_limit_days is not None
            or procedure.online_time_limit_hours is not None,
            "cutoff": service.receipt_cutoff_for(procedure).strftime("%H:%M"),
            "labels": LABELS,
            # The edit link only for those the service would let edit (not every signed-in user).
            "can_edit": user is not None and can_edit_procedure(session, user, procedure),
            "sections": procedure_sections(session, procedure),  # other domains' (catalog/sections.py)
        },
    )
