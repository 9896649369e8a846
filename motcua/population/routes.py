"""Administrator page: the access log of population lookups, filtered by user, dates
(dd/mm/yyyy) and ID number. Thin: the rules (scope, filters) are in service.access_log."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request

from motcua.auth.deps import CurrentUser
from motcua.core.db import DbSession
from motcua.core.errors import InvalidInput
from motcua.dossiers.sections import PageSection, register_section
from motcua.population import service
from motcua.population.enums import OUTCOME_LABELS, PURPOSE_LABELS
from motcua.population.schemas import AccessLogQuery
from motcua.web.csrf import csrf_protect
from motcua.web.paging import parse_page
from motcua.web.templating import templates

PATH = "/quan-tri/tra-cuu-dan-cu"
TEMPLATE = "population/access_log.html"

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

# The dossier page's "compare with the population database" button, on the page exactly when
# this domain is mounted (dossiers imports nothing of population).
register_section(PageSection("population.check", "population/_dossier_check.html", service.dossier_check_section))


@router.get(PATH)
def access_log_page(request: Request, session: DbSession, user: CurrentUser,
                    query: Annotated[AccessLogQuery, Query()], page: Annotated[str | None, Query(max_length=6)] = None):
    service.ensure_log_reader(user)
    filters = {k: v for k, v in query.model_dump().items() if v}
    context = {"query": query, "purposes": {p.value: label for p, label in PURPOSE_LABELS.items()},
               "outcomes": {o.value: label for o, label in OUTCOME_LABELS.items()}, "listing": None, "error": None,
               "page_url": lambda n: f"{PATH}?{urlencode(filters | {'page': n})}"}
    try:
        context["listing"] = service.access_log(session, user, query, page=parse_page(page))
    except InvalidInput as exc:
        context["error"] = exc.message
        return templates.TemplateResponse(request, TEMPLATE, context, status_code=exc.status_code)
    return templates.TemplateResponse(request, TEMPLATE, context)
