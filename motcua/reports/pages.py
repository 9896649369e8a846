"""Pages of the dashboards and the officers' workload: `/bao-cao` (leaders), `/bao-cao/can-bo`
(heads, their units only) and the public `/thong-ke` (no login). Thin: parse, call, render."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from motcua.auth.deps import CurrentUser
from motcua.core.clock import now, to_local
from motcua.core.db import DbSession
from motcua.core.errors import DomainError
from motcua.core.xlsx import XLSX_TYPE
from motcua.dossiers.storage import content_disposition
from motcua.reports import dashboards, service, workload, workload_exports
from motcua.reports.enums import PERIOD_LABELS, Column, DueWindow
from motcua.reports.exports import CSV_TYPE
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


WORKLOAD_PAGE = "/bao-cao/can-bo"


def _workload_typed(asked: WorkloadAsked) -> dict[str, str]:
    typed = asked.model_dump()
    if not any(typed[k] for k in ("ky", "nam", "tu_ngay", "den_ngay")):  # first visit: this month so far
        today = to_local(now()).date()
        typed |= {"ky": "month", "nam": str(today.year), "so": str(today.month)}
    return typed


def _workload(session: Session, user, typed: dict[str, str]) -> workload.Workload:
    p = service.parse_period(typed["ky"], typed["nam"], typed["so"], typed["tu_ngay"], typed["den_ngay"])
    return workload.workload(session, user, p, unit_code=workload.parse_unit_code(typed["don_vi"]))


def _workload_query(w: workload.Workload) -> str:
    """The period (plain dates) and the unit, as the file links carry them."""
    return urlencode({"ky": "custom", "tu_ngay": w.period.date_from.isoformat(),
                      "den_ngay": w.period.date_to.isoformat(), "don_vi": w.unit.code if w.unit else ""})


@router.get(WORKLOAD_PAGE)
def workload_page(request: Request, session: DbSession, user: CurrentUser,
                  asked: Annotated[WorkloadAsked, Query()]):
    """The officers' workload of a period, at the units the head may see (403 otherwise)."""
    _, units = workload.visible_units(session, user)  # no head: the 403 page, whatever was typed
    typed = _workload_typed(asked)
    error, result = "", None
    try:
        result = _workload(session, user, typed)
    except DomainError as exc:
        if exc.status_code == 403:
            raise
        error = exc.message
    today = to_local(now()).date()
    return templates.TemplateResponse(request, "reports/workload.html", {
        "typed": typed, "result": result, "error": error, "units": units, "figures": workload.FIGURES,
        "query": _workload_query(result) if result else "",
        "period_labels": PERIOD_LABELS, "years": list(range(today.year, today.year - 6, -1)),
    }, status_code=422 if error else 200)


def _workload_file(session: Session, user, asked: WorkloadAsked) -> workload.Workload:
    """The page's workload for its files: 403 without a head role before anything typed is read,
    then a Vietnamese 422 for a bad period or unit code, as the page says them."""
    workload.workload_scope(session, user)
    return _workload(session, user, _workload_typed(asked))


def file_response(content: bytes, filename: str, media_type: str) -> Response:
    """A report file sent as a download under its name (the pages' exports)."""
    return Response(content, media_type=media_type, headers={"Content-Disposition": content_disposition(filename)})


@router.get(WORKLOAD_PAGE + ".xlsx")
def workload_xlsx(session: DbSession, user: CurrentUser, asked: Annotated[WorkloadAsked, Query()]) -> Response:
    w = _workload_file(session, user, asked)
    return file_response(workload_exports.workload_xlsx(w), workload_exports.filename(w, "xlsx"), XLSX_TYPE)


@router.get(WORKLOAD_PAGE + ".csv")
def workload_csv(session: DbSession, user: CurrentUser, asked: Annotated[WorkloadAsked, Query()]) -> Response:
    w = _workload_file(session, user, asked)
    return file_response(workload_exports.workload_csv(w), workload_exports.filename(w, "csv"), CSV_TYPE)


@router.get(WORKLOAD_PAGE + ".pdf")
def workload_pdf(request: Request, session: DbSession, user: CurrentUser,
                 asked: Annotated[WorkloadAsked, Query()]) -> Response:
    w = _workload_file(session, user, asked)
    content = workload_exports.workload_pdf(w, settings=request.app.state.settings)
    return file_response(content, workload_exports.filename(w, "pdf"), "application/pdf")


@router.get("/thong-ke")
def public_statistics(request: Request, session: DbSession):
    """Province-wide figures of this year and this month, per agency: no login, no personal data."""
    return templates.TemplateResponse(request, "reports/public.html", {
        "stats": dashboards.public_statistics(session), "C": Column,
    })
