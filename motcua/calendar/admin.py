"""Calendar administration: the days the Government announces and the office hours, each
change logged (who, when, before/after) and applied to deadlines computed afterwards.

Deadlines already stored on dossiers are never recomputed here: an appointment given to a
citizen is not silently rewritten.

Who may change what is decided in `motcua.calendar.policies`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.calendar.explain import fmt_day
from motcua.calendar.models import CalendarChange, CalendarDay, OfficeHours
from motcua.calendar.parsing import (
    MAX_YEAR,
    MIN_YEAR,
    checked_periods,
    office_hours_text,
    parse_periods,
    parse_time,
)
from motcua.calendar.policies import calendar_editor, office_hours_editor
from motcua.calendar.sources import DAY_OFF, HOLIDAY, KIND_LABELS, KINDS, MAKEUP_WORKDAY
from motcua.calendar.store import invalidate
from motcua.core.clock import now
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.core.text import nfc
from motcua.org.models import Agency


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
            f"Ngày làm việc bù phải là thứ Bảy hoặc Chủ nhật; {fmt_day(day)} là ngày thường."
        )
    if kind == DAY_OFF and day.weekday() >= 5:
        raise InvalidInput(
            f"{fmt_day(day)} đã là ngày nghỉ cuối tuần; ngày nghỉ hoán đổi phải là ngày từ thứ Hai đến thứ Sáu."
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
    who = calendar_editor(actor)
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
    invalidate(session)
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
    who = calendar_editor(actor)
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
    invalidate(session)
    return row


def confirm_day(
    session: Session, *, actor: User | str, day: date, source: str | None = None
) -> CalendarDay:
    """Confirm a day (e.g. 24/11 Vietnam Culture Day) so that it starts changing deadlines."""
    who = calendar_editor(actor)
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
    invalidate(session)
    return row


def remove_day(session: Session, *, actor: User | str, day: date) -> None:
    who = calendar_editor(actor)
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
    invalidate(session)


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
    who = office_hours_editor(session, actor, agency)
    if isinstance(periods, str):
        parsed = parse_periods(periods)
    else:
        parsed = checked_periods(
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
    invalidate(session)
    return row


def remove_office_hours(session: Session, *, actor: User | str, agency: Agency) -> None:
    """Remove an agency's own office hours: it follows the province default again; logged."""
    who = office_hours_editor(session, actor, agency)
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
    invalidate(session)


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
