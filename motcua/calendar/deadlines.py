"""A catalogue time limit turned into a due instant: the one function every domain calls.

`due_for(calendar, received_at, limit)` is used by receipt, the resumption after a
supplement, the public /tinh-han page, the calendar API and the CLI, so a limit of
"2 ngày 4 giờ" gives the same appointment everywhere (issue 9).
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from motcua.calendar import engine
from motcua.calendar.engine import DEFAULT_CUTOFF, DueResult, WorkingCalendar
from motcua.calendar.parsing import parse_hours, parse_moment, parse_time
from motcua.calendar.store import find_agency, load_calendar
from motcua.catalog.limits import TimeLimit, procedure_time_limit
from motcua.catalog.service import get_procedure_by_code, receipt_cutoff_for
from motcua.core.clock import LOCAL_TZ
from motcua.core.errors import InvalidInput
from motcua.org.models import Agency

MAX_WORKING_DAYS = 3650
MAX_WORKING_HOURS = 10_000


def limit_args(limit: TimeLimit) -> dict[str, Any]:
    """Keyword arguments of `engine.due_for_limit` for a known limit; ValueError otherwise.

    Zero hours add nothing, and "0 ngày 4 giờ" is a limit of 4 hours (as `TimeLimit.text`
    reads it); 0 days alone is "trong ngày".
    """
    if not limit.known:
        raise ValueError("Thủ tục chưa có thời hạn giải quyết trong danh mục.")
    args: dict[str, Any] = {}
    if limit.hours:
        args["working_hours"] = limit.hours
    if limit.days or (limit.days == 0 and not limit.hours):
        args["working_days"] = limit.days
    return args


def due_for(
    cal: WorkingCalendar,
    received_at: datetime,
    limit: TimeLimit,
    *,
    cutoff: time | None = DEFAULT_CUTOFF,
    trace: bool = False,
) -> DueResult:
    """The appointment for `limit` from `received_at` (aware) on `cal` (rules 1–4)."""
    return engine.due_for_limit(cal, received_at, cutoff=cutoff, trace=trace, **limit_args(limit))


def typed_limit(
    working_days: int | None, working_hours: str | float | Decimal | None
) -> TimeLimit:
    """The limit a person typed (calendar API, CLI, /tinh-han): exactly one of days or hours,
    within bounds; InvalidInput (Vietnamese) otherwise."""
    hours = parse_hours(working_hours)
    if (working_days is None) == (hours is None):
        raise InvalidInput("Cần nhập đúng một trong hai: số ngày làm việc hoặc số giờ làm việc.")
    if working_days is not None and working_days < 0:
        raise InvalidInput("Số ngày làm việc không được âm.")
    if working_days is not None and working_days > MAX_WORKING_DAYS:
        raise InvalidInput(f"Số ngày làm việc không được quá {MAX_WORKING_DAYS}.")
    if hours is not None and hours <= 0:
        raise InvalidInput("Số giờ làm việc phải lớn hơn 0.")
    if hours is not None and hours > MAX_WORKING_HOURS:
        raise InvalidInput(f"Số giờ làm việc không được quá {MAX_WORKING_HOURS}.")
    return TimeLimit(days=working_days, hours=hours)


def compute_due(
    session: Session,
    *,
    received_at: str | datetime,
    limit: TimeLimit | None = None,
    procedure_code: str | None = None,
    working_days: int | None = None,
    working_hours: str | float | Decimal | None = None,
    cutoff: str | time | None = None,
    agency_code: str | None = None,
    agency: Agency | None = None,
    trace: bool = True,
) -> DueResult:
    """Validate the inputs (Vietnamese errors), then `due_for` on the agency's calendar.

    The limit is `limit`, else the catalogue's limit and cut-off of `procedure_code`, else the
    typed `working_days` / `working_hours`. A typed `cutoff` wins over the procedure's.
    """
    moment = parse_moment(received_at)
    default_cutoff = DEFAULT_CUTOFF
    if limit is None and procedure_code:
        if working_days is not None or working_hours not in (None, ""):
            raise InvalidInput(
                "Nhập mã thủ tục hoặc thời hạn (số ngày, số giờ làm việc), không nhập cả hai."
            )
        procedure = get_procedure_by_code(session, procedure_code)
        limit = procedure_time_limit(procedure)
        if not limit.known:
            raise InvalidInput(
                f"Thủ tục {procedure.code} chưa có thời hạn giải quyết trong danh mục."
            )
        default_cutoff = receipt_cutoff_for(procedure)
    if limit is None:
        limit = typed_limit(working_days, working_hours)
    cut = (
        parse_time(cutoff, field="Giờ chốt tiếp nhận")
        if cutoff not in (None, "")
        else default_cutoff
    )
    if agency is None:
        agency = find_agency(session, agency_code)
    calendar = load_calendar(session, agency)
    try:
        return due_for(calendar, moment, limit, cutoff=cut, trace=trace)
    except (ValueError, OverflowError) as exc:
        raise InvalidInput(
            str(exc) if isinstance(exc, ValueError) else "Thời hạn vượt quá phạm vi lịch."
        ) from exc


def due_as_dict(result: DueResult) -> dict[str, Any]:
    return {
        "effective_receipt_at": result.effective_receipt_at.astimezone(LOCAL_TZ).isoformat(),
        "due_at": result.due_at.astimezone(LOCAL_TZ).isoformat(),
        "trace": [step.as_dict() for step in result.trace],
    }
