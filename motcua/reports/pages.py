"""Pages of the dashboards and the officers' workload: `/bao-cao` (leaders), `/bao-cao/can-bo`
(heads, their units only) and the public `/thong-ke` (no login). Thin: parse, call, render."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from motcua.auth.deps import CurrentUser
from motcua.core.clock import now, to_local
from motcua.core.db import DbSession
from motcua.core.errors import DomainError
from motcua.reports import dashboards, service, workload
from motcua.reports.enums import PERIOD_LABELS, Column, DueWindow
from motcua.web.csrf import csrf_protect
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)


def _month_query(p) -> str:
    return f"ky=custom&tu_ngay={p.date_from.isoformat()}&den_ngay={p.date_to.isoformat()}"


@router.get("/bao-cao")
def leader_dashboard(request: Request, session: DbSession, user: CurrentUser):
    """This month so far in the user's scope, each figure a link to the statistics page."""
    board = dashboards.leader_dashboard(session, user)
    return templates.TemplateResponse(request, "reports/dashboard.html", {
        "board": board, "C": Column, "W": DueWindow, "query": _month_query(board.table.period) + "&nhom=agency",
        "workload_query": _month_query(board.table.period),
    })


class PeriodAsked(BaseModel):
    """The period pickers (reports/_period_pickers.html): the kind of period (month, quarter,
    six months, year, custom), its year and number, or two dates."""

    ky: str = Field("", max_length=20)
    nam: str = Field("", max_length=10)
    so: str = Field("", max_length=10)
    tu_ngay: str = Field("", max_length=40)
    den_ngay: str = Field("", max_length=40)


class WorkloadAsked(PeriodAsked):
    don_vi: str = Field("", max_length=40)


@router.get("/bao-cao/can-bo")
def workload_page(request: Request, session: DbSession, user: CurrentUser,
                  asked: Annotated[WorkloadAsked, Query()]):
    """The officers' workload of a period, at the units the head may see (403 otherwise)."""
    _, units = workload.visible_units(session, user)  # no head: the 403 page, whatever was typed
    typed = asked.model_dump()
    if not any(typed[k] for k in ("ky", "nam", "tu_ngay", "den_ngay")):
        today = to_local(now()).date()
        typed |= {"ky": "month", "nam": str(today.year), "so": str(today.month)}
    error, result = "", None
    try:
        p = service.parse_period(typed["ky"], typed["nam"], typed["so"], typed["tu_ngay"], typed["den_ngay"])
        result = workload.workload(session, user, p, unit_code=workload.parse_unit_code(typed["don_vi"]))
    except DomainError as exc:
        if exc.status_code == 403:
            raise
        error = exc.message
    today = to_local(now()).date()
    return templates.TemplateResponse(request, "reports/workload.html", {
        "typed": typed, "result": result, "error": error, "units": units,
        "total": workload.totals(result.rows) if result else None,
        "period_labels": PERIOD_LABELS, "years": list(range(today.year, today.year - 6, -1)),
    }, status_code=422 if error else 200)


@router.get("/thong-ke")
def public_statistics(request: Request, session: DbSession):
    """Province-wide figures of this year and this month, per agency: no login, no personal data."""
    return templates.TemplateResponse(request, "reports/public.html", {
        "stats": dashboards.public_statistics(session), "C": Column,
    })
