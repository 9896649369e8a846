"""Statistics pages: the table (`/bao-cao/thong-ke`), the dossiers behind a figure
(`/bao-cao/thong-ke/ho-so`), the table's exports, form 07 as XLSX/CSV, and the 766 self-score
(`/bao-cao/chi-so-766`). Thin: parse the pickers, call the service, render."""

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
from motcua.documents import book
from motcua.dossiers.enums import STATUS_LABELS
from motcua.dossiers.queries import counter_units
from motcua.reports import exports, index766, index766_exports, pages, service
from motcua.reports.counting import COLUMNS
from motcua.reports.dashboards import RESULTS
from motcua.reports.enums import (
    COLUMN_LABELS,
    DUE_WINDOW_LABELS,
    GROUP_LABELS,
    ONLINE_SHARE_LABEL,
    PERIOD_LABELS,
    GroupBy,
)
from motcua.web.csrf import csrf_protect
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

PAGE = "/bao-cao/thong-ke"
BEHIND_PAGE_SIZE = 50


class Asked(pages.PeriodAsked):
    """The page's pickers: the period and the grouping."""

    nhom: str = Field("", max_length=40)


def _typed(asked: Asked) -> dict[str, str]:
    typed = asked.model_dump()
    if not any(typed.values()):  # first visit: this month so far, by agency
        today = to_local(now()).date()
        typed |= {"ky": "month", "nam": str(today.year), "so": str(today.month), "nhom": GroupBy.agency.value}
    typed["nhom"] = typed["nhom"] or GroupBy.agency.value
    return typed


def _table(session: Session, user, typed: dict[str, str]) -> service.Table:
    p = service.parse_period(typed["ky"], typed["nam"], typed["so"], typed["tu_ngay"], typed["den_ngay"])
    return service.statistics(session, user, p, service.parse_group_by(typed["nhom"]))


def _query(p, group_by: GroupBy) -> str:
    """The period and grouping as the drill-down links and exports carry them (plain dates)."""
    return urlencode({"ky": "custom", "tu_ngay": p.date_from.isoformat(), "den_ngay": p.date_to.isoformat(),
                      "nhom": group_by.value})


def _page(request: Request, session: Session, user, typed: dict[str, str], *, table: service.Table | None = None,
          error: DomainError | None = None):
    today = to_local(now()).date()
    return templates.TemplateResponse(
        request,
        "reports/statistics.html",
        {
            "typed": typed, "table": table, "query": _query(table.period, table.group_by) if table else "",
            "chart": exports.statistics_chart(table) if table else None, "chart_columns": RESULTS,
            "error": error.message if error else "",
            "columns": COLUMNS, "column_labels": COLUMN_LABELS, "group_labels": GROUP_LABELS,
            "period_labels": PERIOD_LABELS, "online_share_label": ONLINE_SHARE_LABEL,
            "years": list(range(today.year, today.year - 6, -1)),
            "book_units": counter_units(session, user),
            "month_start": today.replace(day=1), "today": today,
        },
        status_code=error.status_code if error else 200,
    )


@router.get(PAGE)
def statistics_page(request: Request, session: DbSession, user: CurrentUser, asked: Annotated[Asked, Query()]):
    """The statistics table: a row per group, the total row; every figure links to its dossiers."""
    typed = _typed(asked)
    try:
        table = _table(session, user, typed)
    except DomainError as exc:
        return _page(request, session, user, typed, error=exc)
    return _page(request, session, user, typed, table=table)


@router.get(PAGE + ".xlsx")
def statistics_xlsx(session: DbSession, user: CurrentUser, asked: Annotated[Asked, Query()]) -> Response:
    table = _table(session, user, _typed(asked))
    return pages.file_response(exports.statistics_xlsx(table), exports.filename(table, "xlsx"), XLSX_TYPE)


@router.get(PAGE + ".csv")
def statistics_csv(session: DbSession, user: CurrentUser, asked: Annotated[Asked, Query()]) -> Response:
    table = _table(session, user, _typed(asked))
    return pages.file_response(exports.statistics_csv(table), exports.filename(table, "csv"), exports.CSV_TYPE)


@router.get(PAGE + ".pdf")
def statistics_pdf(request: Request, session: DbSession, user: CurrentUser,
                   asked: Annotated[Asked, Query()]) -> Response:
    table = _table(session, user, _typed(asked))
    content = exports.statistics_pdf(table, settings=request.app.state.settings)
    return pages.file_response(content, exports.filename(table, "pdf"), "application/pdf")


@router.get(PAGE + "/ho-so")
def behind_page(
    request: Request, session: DbSession, user: CurrentUser, asked: Annotated[Asked, Query()],
    cot: Annotated[str, Query(max_length=40)] = "",
    khoa: Annotated[str, Query(max_length=60)] = "",
    trang: Annotated[int, Query(ge=1, le=100000)] = 1,
    han: Annotated[str, Query(max_length=20)] = "",
    nguoi_giu: Annotated[str, Query(max_length=60)] = "",
    don_vi_giu: Annotated[str, Query(max_length=60)] = "",
):
    """The dossiers behind one figure (`cot` the column, `khoa` the group; none: the total row);
    `han` (today / soon) narrows the in-progress ones to those due today or soon, `nguoi_giu` and
    `don_vi_giu` to those held now by one officer (or nobody yet) at one unit (the dashboard)."""
    typed = _typed(asked)
    p = service.parse_period(typed["ky"], typed["nam"], typed["so"], typed["tu_ngay"], typed["den_ngay"])
    group_by, column = service.parse_group_by(typed["nhom"]), service.parse_column(cot)
    window = service.parse_window(han)
    holder = service.parse_holder(session, user, nguoi_giu, don_vi_giu)
    behind = service.dossiers_behind(session, user, p, group_by, khoa, column, page=trang,
                                     page_size=BEHIND_PAGE_SIZE, window=window, holder=holder)
    query = _query(p, group_by)
    label = COLUMN_LABELS[column] if window is None else f"{COLUMN_LABELS[column]}: {DUE_WINDOW_LABELS[window].lower()}"
    return templates.TemplateResponse(request, "reports/behind.html", {
        "behind": behind, "period": p, "query": query, "column_label": label,
        "group_label": GROUP_LABELS[group_by], "status_labels": STATUS_LABELS,
    })


# --- the tracking book (form 07) as a spreadsheet ------------------------------------------


class BookAsked(BaseModel):
    don_vi: str = Field("", max_length=40)
    tu_ngay: str = Field("", max_length=40)
    den_ngay: str = Field("", max_length=40)


def _book_plan(session: Session, user, asked: BookAsked) -> book.BookPlan:
    code, date_from, date_to = book.parse_request(asked.don_vi, asked.tu_ngay, asked.den_ngay)
    plan = book.plan_book(session, user, unit_code=code, date_from=date_from, date_to=date_to)
    exports.check_book_size(plan)
    return plan


@router.get("/bao-cao/so-theo-doi.xlsx")
def book_xlsx(session: DbSession, user: CurrentUser, asked: Annotated[BookAsked, Query()]) -> Response:
    """Form 07 of a unit and period as XLSX: the rows of the printed book, numbered the same."""
    plan = _book_plan(session, user, asked)
    return pages.file_response(exports.book_xlsx(session, user, plan), exports.book_filename(plan, "xlsx"), XLSX_TYPE)


@router.get("/bao-cao/so-theo-doi.csv")
def book_csv(session: DbSession, user: CurrentUser, asked: Annotated[BookAsked, Query()]) -> Response:
    plan = _book_plan(session, user, asked)
    return pages.file_response(exports.book_csv(session, user, plan), exports.book_filename(plan, "csv"), exports.CSV_TYPE)


# --- the 766 self-score ---------------------------------------------------------------------

SCORE_PAGE = "/bao-cao/chi-so-766"


class ScoreAsked(Asked):
    """The statistics' period pickers, an agency code and a procedure code."""

    co_quan: str = Field("", max_length=20)
    thu_tuc: str = Field("", max_length=64)


def _score_report(session: Session, user, typed: dict[str, str]) -> index766.Report:
    p = service.parse_period(typed["ky"], typed["nam"], typed["so"], typed["tu_ngay"], typed["den_ngay"])
    return index766.report(session, user, p, agency_code=typed["co_quan"].strip() or None,
                           procedure_code=typed["thu_tuc"].strip() or None)


def _score_query(report: index766.Report, typed: dict[str, str]) -> str:
    """The period (plain dates), the agency and the procedure, as the file links carry them."""
    p = report.period
    return urlencode({"ky": "custom", "tu_ngay": p.date_from.isoformat(), "den_ngay": p.date_to.isoformat(),
                      "co_quan": typed["co_quan"].strip(), "thu_tuc": typed["thu_tuc"].strip()})


@router.get(SCORE_PAGE)
def score_page(request: Request, session: DbSession, user: CurrentUser, asked: Annotated[ScoreAsked, Query()]):
    """The 766 self-score per agency and the dossiers losing points now, each linked."""
    typed = _typed(asked)
    found, error = None, None
    try:
        found = _score_report(session, user, typed)
    except DomainError as exc:
        error = exc
    today = to_local(now()).date()
    return templates.TemplateResponse(request, "reports/index766.html", {
        "typed": typed, "report": found, "error": error.message if error else "", "groups": index766.GROUPS,
        "charts": [index766_exports.score_chart(s) for s in found.scores] if found else [],
        "query": _score_query(found, typed) if found else "",
        "period_labels": PERIOD_LABELS, "years": list(range(today.year, today.year - 6, -1)),
        "status_labels": STATUS_LABELS, "maximum": index766.TOTAL_MAXIMUM,
    }, status_code=error.status_code if error else 200)


def _score_file(session: Session, user, asked: ScoreAsked, ext: str) -> tuple[index766.Report, str]:
    typed = _typed(asked)
    found = _score_report(session, user, typed)
    return found, index766_exports.filename(found, ext, typed["co_quan"].strip() or None)


@router.get(SCORE_PAGE + ".xlsx")
def score_xlsx(session: DbSession, user: CurrentUser, asked: Annotated[ScoreAsked, Query()]) -> Response:
    """The page's indicators per agency with their totals, and the points at risk (second sheet)."""
    found, name = _score_file(session, user, asked, "xlsx")
    return pages.file_response(index766_exports.score_xlsx(found), name, XLSX_TYPE)


@router.get(SCORE_PAGE + ".csv")
def score_csv(session: DbSession, user: CurrentUser, asked: Annotated[ScoreAsked, Query()]) -> Response:
    found, name = _score_file(session, user, asked, "csv")
    return pages.file_response(index766_exports.score_csv(found), name, exports.CSV_TYPE)


@router.get(SCORE_PAGE + ".pdf")
def score_pdf(request: Request, session: DbSession, user: CurrentUser,
              asked: Annotated[ScoreAsked, Query()]) -> Response:
    found, name = _score_file(session, user, asked, "pdf")
    content = index766_exports.score_pdf(found, settings=request.app.state.settings)
    return pages.file_response(content, name, "application/pdf")


router.include_router(pages.router)
