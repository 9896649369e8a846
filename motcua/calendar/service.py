"""Calendar rules with the database: load the working calendar, administer its days.

Other domains call `load_calendar(session, agency=None)` and then the pure functions of
`motcua.calendar.engine` (effective_receipt, due_date, outcome, …).

Changes apply to deadlines computed afterwards. Deadlines already stored on dossiers are
never recomputed here: an appointment given to a citizen is not silently rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from motcua.calendar import engine
from motcua.calendar.engine import DEFAULT_CUTOFF, DEFAULT_OFFICE_HOURS, DueResult, WorkingCalendar
from motcua.calendar.models import CalendarChange, CalendarDay, OfficeHours
from motcua.calendar.sources import DAY_OFF, HOLIDAY, KIND_LABELS, KINDS, MAKEUP_WORKDAY
from motcua.core.clock import LOCAL_TZ, now
from motcua.core.dates import parse_date
from motcua.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.core.text import nfc
from motcua.org.models import Agency

if TYPE_CHECKING:
    from motcua.auth.models import User

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_WORKING_DAYS = 3650
MAX_WORKING_HOURS = 10_000
_CACHE_KEY = "motcua.calendar.cache"


# --------------------------------------------------------------------------- loading


def load_calendar(session: Session, agency: Agency | None = None) -> WorkingCalendar:
    """The working calendar (confirmed days only) with the office hours of `agency`.

    Cached for the current transaction of `session` (one request, one unit of work): a new
    transaction, or any change made through this service, reads the tables again.
    """
    key = agency.id if agency is not None else None
    holder = session.info.get(_CACHE_KEY)
    transaction = session.get_transaction()
    if (
        holder is not None
        and transaction is not None
        and holder[0] is transaction
        and key in holder[1]
    ):
        return holder[1][key]
    days_off: dict[date, str] = {}
    makeup: dict[date, str] = {}
    rows = session.execute(
        select(CalendarDay.day, CalendarDay.kind, CalendarDay.name).where(
            CalendarDay.confirmed.is_(True)
        )
    )
    for day, kind, name in rows:
        (makeup if kind == MAKEUP_WORKDAY else days_off)[day] = name
    calendar = WorkingCalendar(days_off, makeup, office_hours_for(session, agency))
    transaction = session.get_transaction()
    if holder is None or holder[0] is not transaction:
        holder = (transaction, {})
        session.info[_CACHE_KEY] = holder
    holder[1][key] = calendar
    return calendar


def _invalidate(session: Session) -> None:
    session.info.pop(_CACHE_KEY, None)


def office_hours_for(
    session: Session, agency: Agency | None = None
) -> tuple[tuple[time, time], ...]:
    """The agency's own office hours, else the province's, else 07:30–11:30, 13:00–17:00."""
    rows = {
        row.agency_id: row
        for row in session.scalars(
            select(OfficeHours).where(
                OfficeHours.agency_id.is_(None)
                if agency is None
                else (OfficeHours.agency_id.is_(None) | (OfficeHours.agency_id == agency.id))
            )
        )
    }
    row = rows.get(agency.id if agency is not None else None) or rows.get(None)
    if row is None:
        return DEFAULT_OFFICE_HOURS
    return tuple((parse_time(s), parse_time(e)) for s, e in row.periods)


# --------------------------------------------------------------------------- parsing

_TIME = re.compile(r"^\s*(\d{1,2})[:hH](\d{2})\s*$")


def parse_time(value: str | time | None, *, field: str = "Giờ") -> time:
    """ "15:00", "7:30", "15h00" → time; InvalidInput (Vietnamese) otherwise."""
    if isinstance(value, time):
        return value
    match = _TIME.match(value or "")
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise InvalidInput(
        f"{field} không hợp lệ: “{(value or '')[:40]}” (định dạng HH:MM, ví dụ 15:00)."
    )


def parse_moment(value: str | datetime, *, field: str = "Thời điểm tiếp nhận") -> datetime:
    """ISO 8601 date-time; without an offset it is local time (Asia/Ho_Chi_Minh)."""
    if isinstance(value, datetime):
        return engine.as_local(value)
    text = (value or "").strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or len(text) < 10:
        raise InvalidInput(
            f"{field} không hợp lệ: “{text[:40]}” (định dạng YYYY-MM-DDTHH:MM, ví dụ 2025-01-24T15:30)."
        )
    if not (MIN_YEAR <= moment.year <= MAX_YEAR):
        raise InvalidInput(f"{field} phải nằm trong các năm {MIN_YEAR}–{MAX_YEAR}.")
    return engine.as_local(moment)


def parse_day(value: str | date, *, field: str = "Ngày") -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    day = parse_date(value, label=field)
    if not (MIN_YEAR <= day.year <= MAX_YEAR):
        raise InvalidInput(f"{field} phải nằm trong các năm {MIN_YEAR}–{MAX_YEAR}.")
    return day


def parse_hours(value: str | float | int | Decimal | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        hours = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(f"Số giờ làm việc không hợp lệ: “{str(value)[:20]}”.") from None
    if not hours.is_finite():
        raise InvalidInput("Số giờ làm việc không hợp lệ.")
    return hours


# --------------------------------------------------------------------------- deadlines


def find_agency(session: Session, code: str | None) -> Agency | None:
    """The agency with this code; None for an empty code; NotFound for an unknown one."""
    code = (nfc(code) or "").strip()
    if not code:
        return None
    if len(code) > 40 or any(ord(ch) < 32 for ch in code):
        raise NotFound(f"Không tìm thấy cơ quan có mã “{code[:40]}”.", code="agency_not_found")
    try:
        from motcua.org.service import get_agency_by_code
    except ImportError:  # the org service is written in parallel; same rule meanwhile
        agency = session.scalars(select(Agency).where(Agency.code == code)).one_or_none()
        if agency is None:
            raise NotFound(
                f"Không tìm thấy cơ quan có mã “{code[:40]}”.", code="agency_not_found"
            ) from None
        return agency
    return get_agency_by_code(session, code)


def compute_due(
    session: Session,
    *,
    received_at: str | datetime,
    working_days: int | None = None,
    working_hours: str | float | Decimal | None = None,
    cutoff: str | time | None = None,
    agency_code: str | None = None,
    agency: Agency | None = None,
    trace: bool = True,
) -> DueResult:
    """Validate the inputs (Vietnamese errors), then rules 1–4 on the agency's calendar."""
    moment = parse_moment(received_at)
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
    cut = (
        parse_time(cutoff, field="Giờ chốt tiếp nhận")
        if cutoff not in (None, "")
        else DEFAULT_CUTOFF
    )
    if agency is None:
        agency = find_agency(session, agency_code)
    calendar = load_calendar(session, agency)
    try:
        return engine.due_date(
            calendar,
            moment,
            working_days=working_days,
            working_hours=hours,
            cutoff=cut,
            trace=trace,
        )
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


# --------------------------------------------------------------------------- administration


def _actor_name(session: Session, actor: User | str) -> str:
    """Only a province administrator edits the calendar; a string is a trusted operator (CLI)."""
    if isinstance(actor, str):
        return actor
    from motcua.auth.policies import is_province_admin

    if not is_province_admin(actor):
        raise Forbidden("Chỉ quản trị tỉnh được thay đổi lịch ngày nghỉ, ngày làm việc bù.")
    return actor.username


def _snapshot(row: CalendarDay) -> dict[str, Any]:
    return {
        "day": row.day.isoformat(),
        "kind": row.kind,
        "name": row.name,
        "source": row.source,
        "confirmed": row.confirmed,
    }


def _log(
    session: Session,
    *,
    actor: str,
    action: str,
    day: date | None,
    summary: str,
    before=None,
    after=None,
) -> None:
    session.add(
        CalendarChange(
            actor=actor, action=action, day=day, summary=summary, before=before, after=after
        )
    )


def _check_fields(day: date, kind: str, name: str | None, source: str | None) -> tuple[str, str]:
    if not (MIN_YEAR <= day.year <= MAX_YEAR):
        raise InvalidInput(f"Ngày phải nằm trong các năm {MIN_YEAR}–{MAX_YEAR}.")
    if kind not in KINDS:
        raise InvalidInput(
            f"Loại ngày không hợp lệ: “{str(kind)[:30]}”. Chọn một trong: "
            + ", ".join(f"{k} ({KIND_LABELS[k]})" for k in KINDS)
            + "."
        )
    if kind == MAKEUP_WORKDAY and day.weekday() < 5:
        raise InvalidInput(
            f"Ngày làm việc bù phải là thứ Bảy hoặc Chủ nhật; {engine.fmt_day(day)} là ngày thường."
        )
    if kind == DAY_OFF and day.weekday() >= 5:
        raise InvalidInput(
            f"{engine.fmt_day(day)} đã là ngày nghỉ cuối tuần; ngày nghỉ hoán đổi phải là ngày từ thứ Hai đến thứ Sáu."
        )
    name = nfc(name) or ""
    source = nfc(source) or ""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name + source):
        raise InvalidInput("Tên ngày và căn cứ không được chứa ký tự điều khiển.")
    if not name:
        raise InvalidInput("Cần nhập tên ngày (ví dụ: Tết Dương lịch).")
    if len(name) > 255:
        raise InvalidInput("Tên ngày không được quá 255 ký tự.")
    if not source:
        raise InvalidInput(
            "Cần nhập căn cứ (văn bản công bố, ví dụ: Công văn 12729/VPCP-KGVX ngày 25/12/2025)."
        )
    if len(source) > 500:
        raise InvalidInput("Căn cứ không được quá 500 ký tự.")
    return name, source


def find_day(session: Session, day: date) -> CalendarDay | None:
    return session.scalars(select(CalendarDay).where(CalendarDay.day == day)).one_or_none()


def get_day(session: Session, day: date) -> CalendarDay:
    row = find_day(session, day)
    if row is None:
        raise NotFound(
            f"Ngày {day:%d/%m/%Y} không có trong lịch ngày nghỉ, ngày làm bù.",
            code="calendar_day_not_found",
        )
    return row


def list_days(session: Session, *, year: int) -> list[CalendarDay]:
    if not (MIN_YEAR <= year <= MAX_YEAR):
        raise InvalidInput(f"Năm phải nằm trong khoảng {MIN_YEAR}–{MAX_YEAR}.")
    return list(
        session.scalars(
            select(CalendarDay)
            .where(extract("year", CalendarDay.day) == year)
            .order_by(CalendarDay.day)
        )
    )


def add_day(
    session: Session,
    *,
    actor: User | str,
    day: date,
    kind: str,
    name: str,
    source: str,
    confirmed: bool = True,
) -> CalendarDay:
    """Record a day announced by the Government (holiday, day off, make-up working day)."""
    who = _actor_name(session, actor)
    name, source = _check_fields(day, kind, name, source)
    if find_day(session, day) is not None:
        raise Conflict(
            f"Ngày {day:%d/%m/%Y} đã có trong lịch; hãy sửa ngày đó thay vì thêm mới.",
            code="calendar_day_exists",
        )
    row = CalendarDay(day=day, kind=kind, name=name, source=source, confirmed=confirmed)
    session.add(row)
    _log(
        session,
        actor=who,
        action="add",
        day=day,
        summary=f"Thêm {KIND_LABELS[kind].lower()}: {name}",
        after=_snapshot(row),
    )
    session.flush()
    _invalidate(session)
    return row


def update_day(
    session: Session,
    *,
    actor: User | str,
    row: CalendarDay,
    kind: str | None = None,
    name: str | None = None,
    source: str | None = None,
    confirmed: bool | None = None,
) -> CalendarDay:
    who = _actor_name(session, actor)
    new_kind = kind if kind is not None else row.kind
    new_name, new_source = _check_fields(
        row.day,
        new_kind,
        name if name is not None else row.name,
        source if source is not None else row.source,
    )
    before = _snapshot(row)
    row.kind, row.name, row.source = new_kind, new_name, new_source
    if confirmed is not None:
        row.confirmed = confirmed
    after = _snapshot(row)
    if after != before:
        _log(
            session,
            actor=who,
            action="update",
            day=row.day,
            summary=f"Sửa ngày {row.day:%d/%m/%Y}",
            before=before,
            after=after,
        )
    session.flush()
    _invalidate(session)
    return row


def confirm_day(
    session: Session, *, actor: User | str, day: date, source: str | None = None
) -> CalendarDay:
    """Confirm a day (e.g. 24/11 Vietnam Culture Day) so that it starts changing deadlines."""
    who = _actor_name(session, actor)
    row = get_day(session, day)
    before = _snapshot(row)
    if source is not None:
        _, row.source = _check_fields(row.day, row.kind, row.name, source)
    row.confirmed = True
    _log(
        session,
        actor=who,
        action="confirm",
        day=day,
        summary=f"Xác nhận ngày {day:%d/%m/%Y}: {row.name}",
        before=before,
        after=_snapshot(row),
    )
    session.flush()
    _invalidate(session)
    return row


def remove_day(session: Session, *, actor: User | str, day: date) -> None:
    who = _actor_name(session, actor)
    row = get_day(session, day)
    _log(
        session,
        actor=who,
        action="remove",
        day=day,
        summary=f"Xoá ngày {day:%d/%m/%Y}: {row.name}",
        before=_snapshot(row),
    )
    session.delete(row)
    session.flush()
    _invalidate(session)


_PERIOD = re.compile(r"^\s*(\S+?)\s*[-–—]\s*(\S+?)\s*$")


def parse_periods(text: str | None) -> list[tuple[time, time]]:
    """ "07:30-11:30, 13:30-17:00" → [(07:30, 11:30), (13:30, 17:00)]; InvalidInput otherwise.

    Periods are separated by commas or semicolons; a period is "HH:MM-HH:MM" (an en dash works
    too). They must be in order and must not overlap; at least one is required.
    """
    text = nfc(text) or ""
    parts = [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]
    if not parts:
        raise InvalidInput(
            "Cần ít nhất một khoảng giờ làm việc (ví dụ: 07:30-11:30, 13:30-17:00)."
        )
    if len(parts) > 6:
        raise InvalidInput("Không được quá 6 khoảng giờ làm việc trong một ngày.")
    periods = []
    for part in parts:
        match = _PERIOD.match(part)
        if match is None:
            raise InvalidInput(
                f"Khoảng giờ không hợp lệ: “{part[:40]}” (định dạng HH:MM-HH:MM, ví dụ 07:30-11:30)."
            )
        periods.append(
            (
                parse_time(match.group(1), field="Giờ bắt đầu"),
                parse_time(match.group(2), field="Giờ kết thúc"),
            )
        )
    return _checked_periods(periods)


def _checked_periods(periods: list[tuple[time, time]]) -> list[tuple[time, time]]:
    try:
        engine.validate_office_hours(periods)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    return periods


def ensure_can_set_office_hours(session: Session, actor: User | str, agency: Agency | None) -> str:
    """The actor's name if it may change these office hours; Forbidden otherwise.

    The province default: province administrators only. An agency's own hours: province
    administrators for any agency, agency administrators for the agencies in their scope
    (their agency and its subordinates). A string is a trusted operator (CLI).
    """
    if isinstance(actor, str) or agency is None:
        return _actor_name(session, actor)
    from motcua.auth.policies import agency_scope, in_scope
    from motcua.auth.roles import Role

    if not in_scope(agency_scope(session, actor, Role.agency_admin), agency.id):
        raise Forbidden(
            f"Bạn không có quyền thay đổi giờ làm việc của cơ quan {agency.code}: "
            "chỉ quản trị tỉnh hoặc quản trị của cơ quan đó (hay cơ quan cấp trên) được thay đổi."
        )
    return actor.username


def can_manage_agency_hours(session: Session, user: User | None) -> bool:
    """Does `user` administer the office hours of at least one agency?"""
    from motcua.auth.policies import agency_scope
    from motcua.auth.roles import Role

    return agency_scope(session, user, Role.agency_admin) != set()


def _periods_value(periods: list[tuple[time, time]]) -> list[list[str]]:
    return [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in periods]


def set_office_hours(
    session: Session,
    *,
    actor: User | str,
    periods: str | list[tuple[str | time, str | time]],
    agency: Agency | None = None,
) -> OfficeHours:
    """Set the province default (agency None) or an agency's own office hours; logged.

    `periods` is a list of (start, end) or the typed text "07:30-11:30, 13:30-17:00".
    """
    who = ensure_can_set_office_hours(session, actor, agency)
    if isinstance(periods, str):
        parsed = parse_periods(periods)
    else:
        parsed = _checked_periods(
            [
                (parse_time(s, field="Giờ bắt đầu"), parse_time(e, field="Giờ kết thúc"))
                for s, e in periods
            ]
        )
    value = _periods_value(parsed)
    condition = (
        OfficeHours.agency_id.is_(None) if agency is None else OfficeHours.agency_id == agency.id
    )
    row = session.scalars(select(OfficeHours).where(condition)).first()
    target = {"agency": agency.code} if agency else {}
    before = {**target, "periods": row.periods} if row else None
    if row is None:
        row = OfficeHours(agency_id=agency.id if agency else None, periods=value)
        session.add(row)
    else:
        row.periods = value
        row.updated_at = now()
    label = f"{agency.code} – {agency.name}" if agency else "toàn tỉnh"
    _log(
        session,
        actor=who,
        action="office_hours",
        day=None,
        summary=f"Giờ làm việc ({label}): {office_hours_text(tuple(parsed))}",
        before=before,
        after={**target, "periods": value},
    )
    session.flush()
    _invalidate(session)
    return row


def remove_office_hours(session: Session, *, actor: User | str, agency: Agency) -> None:
    """Remove an agency's own office hours: it follows the province default again; logged."""
    who = ensure_can_set_office_hours(session, actor, agency)
    row = session.scalars(select(OfficeHours).where(OfficeHours.agency_id == agency.id)).first()
    if row is None:
        raise NotFound(
            f"Cơ quan {agency.code} không có giờ làm việc riêng (đang theo giờ làm việc của tỉnh).",
            code="office_hours_not_found",
        )
    _log(
        session,
        actor=who,
        action="office_hours",
        day=None,
        summary=f"Bỏ giờ làm việc riêng ({agency.code} – {agency.name}); theo giờ làm việc của tỉnh",
        before={"agency": agency.code, "periods": row.periods},
        after={"agency": agency.code, "periods": None},
    )
    session.delete(row)
    session.flush()
    _invalidate(session)


@dataclass(frozen=True)
class AgencyOfficeHours:
    """One agency's own office hours and the last change to them."""

    agency: Agency
    periods: tuple[tuple[time, time], ...]
    updated_at: datetime
    changed_by: str | None
    changed_at: datetime | None

    @property
    def text(self) -> str:
        return office_hours_text(self.periods)


def list_agency_office_hours(session: Session) -> list[AgencyOfficeHours]:
    """Agencies with their own office hours (by agency code), with who changed them and when."""
    rows = session.execute(
        select(OfficeHours, Agency)
        .join(Agency, Agency.id == OfficeHours.agency_id)
        .order_by(Agency.code)
    ).all()
    if not rows:
        return []
    last: dict[str, CalendarChange] = {}
    changes = session.scalars(
        select(CalendarChange)
        .where(CalendarChange.action == "office_hours")
        .order_by(CalendarChange.at.desc(), CalendarChange.id.desc())
    )
    for change in changes:
        code = (change.after or {}).get("agency") or (change.before or {}).get("agency")
        if code and code not in last:
            last[code] = change
    result = []
    for hours, agency in rows:
        change = last.get(agency.code)
        result.append(
            AgencyOfficeHours(
                agency=agency,
                periods=tuple((parse_time(s), parse_time(e)) for s, e in hours.periods),
                updated_at=hours.updated_at,
                changed_by=change.actor if change else None,
                changed_at=change.at if change else None,
            )
        )
    return result


def recent_changes(session: Session, *, limit: int = 50) -> list[CalendarChange]:
    return list(
        session.scalars(
            select(CalendarChange)
            .order_by(CalendarChange.at.desc(), CalendarChange.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class YearSummary:
    year: int
    days: list[CalendarDay]
    holidays: int
    days_off: int
    makeup: int
    unconfirmed: int


def year_summary(session: Session, *, year: int) -> YearSummary:
    days = list_days(session, year=year)
    return YearSummary(
        year=year,
        days=days,
        holidays=sum(1 for d in days if d.kind == HOLIDAY),
        days_off=sum(1 for d in days if d.kind == DAY_OFF),
        makeup=sum(1 for d in days if d.kind == MAKEUP_WORKDAY),
        unconfirmed=sum(1 for d in days if not d.confirmed),
    )


def ensure_calendar_admin(user: User | None) -> None:
    """The calendar administration pages are for province administrators only."""
    from motcua.auth.policies import is_province_admin

    if not is_province_admin(user):
        raise Forbidden("Chỉ quản trị tỉnh được quản lý lịch ngày nghỉ, ngày làm việc bù.")


def office_hours_text(periods: tuple[tuple[time, time], ...]) -> str:
    return ", ".join(f"{s:%H:%M}–{e:%H:%M}" for s, e in periods)


# --------------------------------------------------------------------------- public page


@dataclass(frozen=True)
class Appointment:
    """What the public page /tinh-han shows."""

    received_at: datetime
    result: DueResult
    limit_text: str
    cutoff: time
    procedure_code: str | None = None
    procedure_name: str | None = None


def search_procedures(session: Session, *, q: str, limit: int = 10) -> list[Any]:
    """Procedures matching a code or name (accent-insensitive), from the catalogue's search."""
    from motcua.catalog.search import SearchFilters
    from motcua.catalog.search import search_procedures as catalog_search

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
    day = parse_day(received_date, field="Ngày nộp")
    moment = parse_moment(
        f"{day:%Y-%m-%d}T{parse_time(received_time, field='Giờ nộp'):%H:%M}", field="Ngày nộp"
    )
    if procedure_code:
        from motcua.catalog.service import (
            describe_time_limit,
            get_procedure_by_code,
            receipt_cutoff_for,
            time_limit_for,
        )

        procedure = get_procedure_by_code(session, procedure_code)
        days, hours = time_limit_for(procedure)
        cutoff = receipt_cutoff_for(procedure)
        if days is None and hours is None:
            if working_days is None:
                raise InvalidInput(
                    f"Thủ tục {procedure.code} chưa có thời hạn giải quyết trong danh mục; hãy nhập số ngày làm việc."
                )
            # The catalogue has no limit: use the number of working days the user typed.
            result = compute_due(session, received_at=moment, working_days=working_days, cutoff=cutoff)
            text = "Trong ngày" if working_days == 0 else f"{working_days} ngày làm việc"
            return Appointment(moment, result, text, cutoff, procedure.code, procedure.name)
        # A limit given as days and hours ("2 ngày 4 giờ") counts as office time.
        if days is not None and hours:
            day_hours = load_calendar(session).day_length / timedelta(hours=1)
            result = compute_due(
                session, received_at=moment, working_hours=days * day_hours + hours, cutoff=cutoff
            )
        elif days is not None:
            result = compute_due(session, received_at=moment, working_days=days, cutoff=cutoff)
        else:
            result = compute_due(session, received_at=moment, working_hours=hours, cutoff=cutoff)
        return Appointment(
            moment, result, describe_time_limit(days, hours), cutoff, procedure.code, procedure.name
        )
    if working_days is None:
        raise InvalidInput("Hãy chọn một thủ tục hoặc nhập số ngày làm việc.")
    result = compute_due(session, received_at=moment, working_days=working_days)
    text = "Trong ngày" if working_days == 0 else f"{working_days} ngày làm việc"
    return Appointment(moment, result, text, DEFAULT_CUTOFF)
