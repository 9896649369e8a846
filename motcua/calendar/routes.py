"""Pages: the public appointment calculator (/tinh-han) and the calendar administration."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from motcua.auth.deps import CurrentUser
from motcua.calendar import admin, parsing, policies, public, store
from motcua.calendar.sources import KIND_LABELS, KINDS, describe_source
from motcua.core.clock import local_now
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, InvalidInput
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import form_again
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

FormText = Annotated[str, Form(max_length=500)]
ADMIN = "/quan-tri/lich"


def _render(request: Request, name: str, context: dict, status_code: int = 200) -> Response:
    return templates.TemplateResponse(request, f"calendar/{name}", context, status_code=status_code)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --- public: /tinh-han --------------------------------------------------------------------


def _vn_day_text(value: str) -> str:
    """Show a date the way citizens write it (dd/mm/yyyy); leave text that is not a date as typed."""
    if not value:
        return ""
    try:
        return parsing.parse_day(value).strftime("%d/%m/%Y")
    except DomainError:
        return value


@router.get("/tinh-han")
def due_page(
    request: Request,
    session: DbSession,
    q: Annotated[str, Query(max_length=200)] = "",
    procedure: Annotated[str, Query(max_length=64)] = "",
    working_days: Annotated[str, Query(max_length=6)] = "",
    received_date: Annotated[str, Query(max_length=20)] = "",
    received_time: Annotated[str, Query(max_length=10)] = "",
):
    """Tính ngày hẹn trả kết quả: chọn thủ tục (hoặc nhập số ngày) và thời điểm nộp."""
    now = local_now()
    form = {
        "q": q,
        "procedure": procedure.strip(),
        "working_days": working_days.strip(),
        "received_date": _vn_day_text(received_date.strip()) or now.strftime("%d/%m/%Y"),
        "received_time": received_time.strip() or now.strftime("%H:%M"),
    }
    context = {"form": form, "results": [], "appointment": None, "error": None}
    status = 200
    try:
        if q.strip() and not form["procedure"]:
            context["results"] = public.search_procedures(session, q=q)
        elif form["procedure"] or form["working_days"]:
            days = None
            if form["working_days"]:
                if not form["working_days"].lstrip("-").isdigit():
                    raise InvalidInput("Số ngày làm việc phải là số nguyên.")
                days = int(form["working_days"])
            context["appointment"] = public.appointment_for(
                session,
                received_date=form["received_date"],
                received_time=form["received_time"],
                procedure_code=form["procedure"] or None,
                working_days=days,
            )
    except DomainError as exc:
        context["error"] = exc.message
        status = exc.status_code
    return _render(request, "due.html", context, status_code=status)


# --- administration: /quan-tri/lich -------------------------------------------------------


def _year(value: str) -> int:
    try:
        year = int(value)
    except ValueError:
        year = local_now().year
    return year if parsing.MIN_YEAR <= year <= parsing.MAX_YEAR else local_now().year


@router.get("/quan-tri/lich")
def admin_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    year: Annotated[str, Query(max_length=6)] = "",
):
    policies.ensure_admin_page_access(session, user)
    return _render(request, "admin.html", _admin_context(session, _year(year), user=user))


def _admin_context(session: Session, selected: int, *, user, **extra) -> dict:
    hours = store.office_hours_for(session)
    return {
        "full_access": policies.may_edit_calendar(user),
        "agency_hours": admin.list_agency_office_hours(session),
        "agency_hours_form": {"agency_code": "", "periods": ""},
        "agency_hours_error": None,
        "summary": admin.year_summary(session, year=selected),
        "year": selected,
        "kinds": [(k, KIND_LABELS[k]) for k in KINDS],
        "kind_labels": KIND_LABELS,
        "describe_source": describe_source,
        "office_hours": hours,
        "office_hours_text": parsing.office_hours_text(hours),
        "changes": admin.recent_changes(session, limit=30),
        "add_form": {"day": "", "kind": "", "name": "", "source": "", "confirmed": True},
        "add_error": None,
        "office_hours_form": None,
        "office_hours_error": None,
        "action_error": None,
    } | extra


def _admin_again(request: Request, session: Session, user, exc: DomainError, year: int | None = None, **refused) -> Response:
    """The calendar page again with the refused form's typed values and message (`refused`)."""

    def context() -> dict:
        policies.ensure_admin_page_access(session, user)
        return _admin_context(session, year or _year(""), user=user, **refused)

    return form_again(request, session, exc, "calendar/admin.html", context)


def _back(day: date | None = None) -> str:
    return f"{ADMIN}?year={day.year}" if day else ADMIN


@router.post("/quan-tri/lich/them")
def admin_add(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    day: FormText = "",
    kind: FormText = "",
    name: FormText = "",
    source: FormText = "",
    confirmed: FormText = "",
):
    try:
        parsed = parsing.parse_day(day)
        row = admin.add_day(
            session,
            actor=user,
            day=parsed,
            kind=kind,
            name=name,
            source=source,
            confirmed=bool(confirmed),
        )
    except DomainError as exc:
        try:
            shown_year = _year(str(parsing.parse_day(day).year))
        except DomainError:
            shown_year = None
        typed = {"day": day, "kind": kind, "name": name, "source": source, "confirmed": bool(confirmed)}
        return _admin_again(request, session, user, exc, shown_year, add_form=typed, add_error=exc.message)
    flash(request, f"Đã thêm ngày {row.day:%d/%m/%Y}: {row.name}.")
    return _redirect(_back(row.day))


@router.get("/quan-tri/lich/{day}/sua")
def admin_edit_form(request: Request, session: DbSession, user: CurrentUser, day: str):
    policies.ensure_calendar_admin(user)
    row = admin.get_day(session, parsing.parse_day(day))
    return _render(
        request,
        "edit_day.html",
        {"row": row, "values": row, "error": None, "kinds": [(k, KIND_LABELS[k]) for k in KINDS]},
    )


@router.post("/quan-tri/lich/{day}/sua")
def admin_edit(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    day: str,
    kind: FormText = "",
    name: FormText = "",
    source: FormText = "",
    confirmed: FormText = "",
):
    try:
        row = admin.get_day(session, parsing.parse_day(day))
        admin.update_day(
            session,
            actor=user,
            row=row,
            kind=kind,
            name=name,
            source=source,
            confirmed=bool(confirmed),
        )
    except DomainError as exc:
        typed = {"kind": kind, "name": name, "source": source, "confirmed": bool(confirmed)}
        message = exc.message

        def context() -> dict:
            policies.ensure_calendar_admin(user)
            # an unknown day raises NotFound here: the error page, there is no form to show
            row = admin.get_day(session, parsing.parse_day(day))
            return {"row": row, "values": typed, "error": message, "kinds": [(k, KIND_LABELS[k]) for k in KINDS]}

        return form_again(request, session, exc, "calendar/edit_day.html", context)
    flash(request, f"Đã lưu ngày {row.day:%d/%m/%Y}.")
    return _redirect(_back(row.day))


@router.post("/quan-tri/lich/{day}/xac-nhan")
def admin_confirm(request: Request, session: DbSession, user: CurrentUser, day: str):
    try:
        row = admin.confirm_day(session, actor=user, day=parsing.parse_day(day))
    except DomainError as exc:
        return _admin_again(request, session, user, exc, action_error=exc.message)
    flash(
        request,
        f"Đã xác nhận ngày {row.day:%d/%m/%Y}: {row.name}. Ngày này được áp dụng khi tính hạn từ nay.",
    )
    return _redirect(_back(row.day))


@router.post("/quan-tri/lich/{day}/xoa")
def admin_remove(request: Request, session: DbSession, user: CurrentUser, day: str):
    try:
        parsed = parsing.parse_day(day)
        admin.remove_day(session, actor=user, day=parsed)
    except DomainError as exc:
        return _admin_again(request, session, user, exc, action_error=exc.message)
    flash(request, f"Đã xoá ngày {parsed:%d/%m/%Y} khỏi lịch.")
    return _redirect(_back(parsed))


@router.post("/quan-tri/lich/gio-lam-viec")
def admin_office_hours(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    morning_start: FormText = "",
    morning_end: FormText = "",
    afternoon_start: FormText = "",
    afternoon_end: FormText = "",
):
    periods = [(morning_start, morning_end)]
    if afternoon_start or afternoon_end:
        periods.append((afternoon_start, afternoon_end))
    try:
        admin.set_office_hours(session, actor=user, periods=periods)
    except DomainError as exc:
        typed = {"morning_start": morning_start, "morning_end": morning_end,
                 "afternoon_start": afternoon_start, "afternoon_end": afternoon_end}
        return _admin_again(request, session, user, exc, office_hours_form=typed, office_hours_error=exc.message)
    flash(request, "Đã lưu giờ làm việc của tỉnh; áp dụng cho các thời hạn tính từ nay.")
    return _redirect(ADMIN)


# --- office hours of an agency -------------------------------------------------------------


@router.post("/quan-tri/lich/gio-lam-viec-co-quan")
def admin_agency_office_hours(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    agency_code: Annotated[str, Form(max_length=64)] = "",
    periods: Annotated[str, Form(max_length=200)] = "",
):
    try:
        agency = store.find_agency(session, agency_code)
        if agency is None:
            raise InvalidInput("Cần nhập mã cơ quan.")
        admin.set_office_hours(session, actor=user, periods=periods, agency=agency)
    except DomainError as exc:
        typed = {"agency_code": agency_code, "periods": periods}
        return _admin_again(request, session, user, exc, agency_hours_form=typed, agency_hours_error=exc.message)
    flash(
        request,
        f"Đã lưu giờ làm việc của {agency.name} ({agency.code}); áp dụng cho các thời hạn tính từ nay.",
    )
    return _redirect(f"{ADMIN}#agency-hours")


@router.post("/quan-tri/lich/gio-lam-viec-co-quan/{agency_code}/xoa")
def admin_remove_agency_office_hours(
    request: Request, session: DbSession, user: CurrentUser, agency_code: str
):
    try:
        agency = store.find_agency(session, agency_code)
        if agency is None:
            raise InvalidInput("Cần nhập mã cơ quan.")
        admin.remove_office_hours(session, actor=user, agency=agency)
    except DomainError as exc:
        return _admin_again(request, session, user, exc, agency_hours_error=exc.message)
    flash(
        request,
        f"Đã bỏ giờ làm việc riêng của {agency.name} ({agency.code}); cơ quan theo giờ làm việc của tỉnh.",
    )
    return _redirect(f"{ADMIN}#agency-hours")
