"""The Vietnamese explanation of a deadline, line by line (the trace shown on /tinh-han).

`motcua.calendar.engine` does the arithmetic and, only when asked for a trace, calls these
functions with what it computed; nothing here changes a result. The legal references in the
text are those of the rules in `engine`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from motcua.core.clock import to_local

if TYPE_CHECKING:
    from motcua.calendar.engine import WorkingCalendar

WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
# Beyond this many weekend days in one stretch, the trace summarises them in one line.
TRACE_WEEKEND_DETAIL_LIMIT = 20


@dataclass(frozen=True)
class TraceStep:
    """One line of the explanation shown to a citizen or an auditor (Vietnamese text)."""

    kind: str  # receipt, receipt_moved, effective, start, skip, makeup, count, due, pause, resume, note
    text: str
    day: date | None = None
    at: datetime | None = None

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "text": self.text,
            "day": self.day.isoformat() if self.day else None,
            "at": self.at.isoformat() if self.at else None,
        }


def fmt_day(day: date) -> str:
    """ "Thứ Sáu, 24/01/2025"."""
    return f"{WEEKDAY_NAMES[day.weekday()]}, {day:%d/%m/%Y}"


def fmt_moment(moment: datetime) -> str:
    """ "15:30 Thứ Sáu, 24/01/2025" in local time."""
    local = to_local(moment)
    return f"{local:%H:%M} {fmt_day(local.date())}"


def hours_text(amount: timedelta) -> str:
    minutes = round(amount / timedelta(minutes=1))
    hours, minutes = divmod(minutes, 60)
    if minutes == 0:
        return f"{hours} giờ"
    if hours == 0:
        return f"{minutes} phút"
    return f"{hours} giờ {minutes} phút"


def day_off_reason(cal: WorkingCalendar, day: date) -> str | None:
    """Why `day` is not worked (holiday name, Saturday, Sunday), or None on a working day."""
    if cal.is_working_day(day):
        return None
    name = cal.day_off_name(day)
    if day.weekday() >= 5:
        return f"{WEEKDAY_NAMES[day.weekday()]}" + (f" ({name})" if name else "")
    return name or "Ngày nghỉ"


def receipt_steps(
    cal: WorkingCalendar, local: datetime, moment: datetime, reason: str, cutoff: time
) -> list[TraceStep]:
    """Rule 1 explained: the receipt, why it moved (if it did) and the effective instant."""
    day, eff_day = local.date(), moment.date()
    steps = [TraceStep("receipt", f"Tiếp nhận hồ sơ lúc {fmt_moment(local)}.", day, local)]
    next_day = "hồ sơ được tính từ đầu giờ làm việc của ngày làm việc tiếp theo."
    if reason in ("not_working", "after_cutoff", "after_closing"):
        text = {
            "not_working": f"{fmt_day(day)} không phải ngày làm việc ({day_off_reason(cal, day)}): {next_day}",
            "after_cutoff": f"Tiếp nhận sau {cutoff:%H:%M} (giờ chốt tiếp nhận): {next_day}",
            "after_closing": f"Tiếp nhận sau giờ làm việc ({cal.closing:%H:%M}): {next_day}",
        }[reason]
        steps.append(TraceStep("receipt_moved", text, day, local))
        steps.extend(skipped_steps(cal, day, eff_day))
    elif reason in ("before_opening", "break"):
        why = (
            "Tiếp nhận trước giờ làm việc"
            if reason == "before_opening"
            else "Tiếp nhận trong giờ nghỉ trưa"
        )
        steps.append(
            TraceStep(
                "receipt_moved", f"{why}: hồ sơ được tính từ {moment:%H:%M} cùng ngày.", day, local
            )
        )
    if eff_day.weekday() >= 5:
        steps.append(
            TraceStep(
                "makeup",
                f"{fmt_day(eff_day)} là ngày làm việc bù ({cal.makeup_name(eff_day)}).",
                eff_day,
            )
        )
    suffix = " (trong giờ làm việc)" if reason == "inside" else ""
    steps.append(
        TraceStep(
            "effective", f"Thời điểm tính hạn: {fmt_moment(moment)}{suffix}.", eff_day, moment
        )
    )
    return steps


def skipped_steps(cal: WorkingCalendar, start: date, end: date) -> list[TraceStep]:
    """The days not worked strictly between `start` and `end`, and the make-up days counted.

    Weekend days are listed one by one for short stretches and summarised for long ones.
    """
    skipped = cal.exceptions_between(start, end)
    items: list[tuple[date, TraceStep]] = [
        (d, TraceStep("skip", f"Bỏ qua {fmt_day(d)}: {day_off_reason(cal, d)}.", d))
        for d in skipped.days_off
    ]
    if skipped.weekend_days <= TRACE_WEEKEND_DETAIL_LIMIT:
        makeup = set(skipped.makeup)
        day = start + timedelta(days=(5 - start.weekday()) % 7 or 7)  # first Saturday after start
        while day < end:
            for d in (day, day + timedelta(days=1)):
                if d < end and d not in makeup:
                    items.append(
                        (d, TraceStep("skip", f"Bỏ qua {fmt_day(d)}: {day_off_reason(cal, d)}.", d))
                    )
            day += timedelta(days=7)
    elif skipped.weekend_days:
        items.append(
            (
                start + timedelta(days=1),
                TraceStep("skip", f"Bỏ qua {skipped.weekend_days} ngày thứ Bảy, Chủ nhật.", None),
            )
        )
    for d in skipped.makeup:
        items.append(
            (d, TraceStep("makeup", f"Tính {fmt_day(d)}: ngày làm việc bù ({cal.makeup_name(d)}).", d))
        )
    return [step for _, step in sorted(items, key=lambda item: item[0])]


def within_day_steps(due: datetime) -> list[TraceStep]:
    return [TraceStep("due", f"Thời hạn trong ngày: hẹn trả lúc {fmt_moment(due)}.", due.date(), due)]


def working_days_steps(
    cal: WorkingCalendar, eff_day: date, working_days: int, last: date, due: datetime
) -> list[TraceStep]:
    """Rules 2–3 explained: Civil Code 2015 Arts 147–148."""
    first = cal.next_working_day(eff_day)
    makeup = cal.makeup_name(last)
    return [
        TraceStep(
            "start",
            f"Thời hạn {working_days} ngày làm việc bắt đầu tính từ ngày làm việc tiếp theo: "
            f"{fmt_day(first)} (Bộ luật Dân sự 2015, Điều 147).",
            first,
        ),
        *skipped_steps(cal, eff_day, last),
        TraceStep(
            "due",
            f"Ngày làm việc thứ {working_days} là {fmt_day(last)}"
            + (f" (ngày làm việc bù: {makeup})" if makeup else "")
            + f": hẹn trả lúc {fmt_moment(due)} (hết giờ làm việc, Điều 148).",
            last,
            due,
        ),
    ]


def working_hours_steps(
    cal: WorkingCalendar, start: datetime, amount: timedelta, due: datetime, *, after_days: bool = False
) -> list[TraceStep]:
    """Rule 4 explained; `after_days`: the hours of a days-plus-hours limit."""
    begin = (
        f"Cộng thêm {hours_text(amount)} làm việc của thời hạn, tính từ {fmt_moment(start)}"
        if after_days
        else f"Thời hạn {hours_text(amount)} làm việc tính từ {fmt_moment(start)}"
    )
    return [
        TraceStep(
            "start",
            f"{begin}, không tính giờ nghỉ trưa, ban đêm và ngày nghỉ.",
            start.date(),
            start,
        ),
        *skipped_steps(cal, start.date(), due.date()),
        TraceStep("due", f"Hẹn trả lúc {fmt_moment(due)}.", due.date(), due),
    ]


def resume_step(resumed_at: datetime) -> TraceStep:
    local = to_local(resumed_at)
    return TraceStep(
        "resume",
        f"Nhận đủ hồ sơ bổ sung lúc {fmt_moment(local)}: thời hạn giải quyết được tính lại từ đầu "
        "(Nghị định 61/2018/NĐ-CP, Điều 19).",
        local.date(),
        local,
    )


def pause_step(reason: str, start: datetime, end: datetime, spent: timedelta) -> TraceStep:
    return TraceStep(
        "pause",
        f"{reason} từ {fmt_moment(start)} đến {fmt_moment(end)}: "
        f"{hours_text(spent)} làm việc không tính.",
        start.date(),
        start,
    )


def progress_due_step(moved: datetime) -> TraceStep:
    return TraceStep("due", f"Hạn theo tiến độ (QĐ 766): {fmt_moment(moved)}.", moved.date(), moved)
