"""The public appointment calculator (/tinh-han): a procedure's limit, or a number of working
days typed by the citizen, from a date and time typed in Vietnamese local time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy.orm import Session

from motcua.calendar.deadlines import compute_due
from motcua.calendar.engine import DEFAULT_CUTOFF, DueResult
from motcua.calendar.parsing import local_moment, parse_day, parse_time
from motcua.catalog.limits import TimeLimit, procedure_time_limit
from motcua.catalog.search import ProcedureSummary, SearchFilters
from motcua.catalog.search import search_procedures as catalog_search
from motcua.catalog.service import get_procedure_by_code, receipt_cutoff_for
from motcua.core.errors import InvalidInput
from motcua.core.text import nfc


@dataclass(frozen=True)
class Appointment:
    """What the public page /tinh-han shows."""

    received_at: datetime
    result: DueResult
    limit_text: str
    cutoff: time
    procedure_code: str | None = None
    procedure_name: str | None = None


def search_procedures(session: Session, *, q: str, limit: int = 10) -> list[ProcedureSummary]:
    """Procedures matching a code or name (accent-insensitive), from the catalogue's search."""
    q = (nfc(q) or "")[:200]
    if not q:
        return []
    return list(catalog_search(session, SearchFilters(q=q), page=1, page_size=limit).items)


def appointment_for(
    session: Session,
    *,
    received_date: str,
    received_time: str,
    procedure_code: str | None = None,
    working_days: int | None = None,
) -> Appointment:
    """The appointment for a procedure's limit and cut-off, or for a number of working days."""
    # The date is parsed on its own so dd/mm/yyyy (typed or linked) works and a bad date gets a
    # message about the date, not about an ISO date-time the citizen never typed.
    moment = local_moment(
        parse_day(received_date, field="Ngày nộp"), parse_time(received_time, field="Giờ nộp")
    )
    typed = TimeLimit(days=working_days) if working_days is not None else None
    if not procedure_code:
        if typed is None:
            raise InvalidInput("Hãy chọn một thủ tục hoặc nhập số ngày làm việc.")
        result = compute_due(session, received_at=moment, working_days=working_days)
        return Appointment(moment, result, typed.text, DEFAULT_CUTOFF)
    procedure = get_procedure_by_code(session, procedure_code)
    cutoff = receipt_cutoff_for(procedure)
    limit = procedure_time_limit(procedure)
    if limit.known:
        result = compute_due(session, received_at=moment, limit=limit, cutoff=cutoff)
        text = limit.text
    elif typed is not None:
        # The catalogue has no limit: use the number of working days the user typed.
        result = compute_due(session, received_at=moment, working_days=working_days, cutoff=cutoff)
        text = typed.text
    else:
        raise InvalidInput(
            f"Thủ tục {procedure.code} chưa có thời hạn giải quyết trong danh mục; hãy nhập số ngày làm việc."
        )
    return Appointment(moment, result, text, cutoff, procedure.code, procedure.name)
