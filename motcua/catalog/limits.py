"""A procedure's time limit as the catalogue holds it, read in one place.

Receipt, the public /tinh-han page, the calendar API and every later domain take a
`TimeLimit` from `procedure_time_limit` and hand it to `motcua.calendar.deadlines.due_for`;
none of them reads the procedure's limit columns itself, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from motcua.catalog.enums import Channel
from motcua.catalog.models import Procedure
from motcua.core.errors import InvalidInput

# What pages show for a limit the catalogue does not hold (never a number).
MISSING_TEXT = "Chưa có thông tin trong danh mục"


@dataclass(frozen=True)
class TimeLimit:
    """N working days and/or H working hours (ND 61/2018 Art. 19: limits are in working time).

    Limits are loaded in working days, working hours or "trong ngày" only (catalog.legal
    leaves a limit stated in calendar days out rather than count it as working days).
    `days` 0 without hours is "trong ngày" (`kind` "same_day": due at the close of the day of
    receipt, or of the next working day when received after the cut-off). `note` is the
    catalogue's own wording of the limit, if any; `basis` the legal text it comes from;
    `entered` marks a limit the receiving officer typed because the catalogue has none.
    """

    days: int | None = None
    hours: int | Decimal | None = None  # whole hours in the catalogue; a typed limit may be 1.5
    note: str | None = None
    basis: str | None = None
    entered: bool = False

    @property
    def known(self) -> bool:
        """False when the catalogue has no limit for the procedure."""
        return self.days is not None or self.hours is not None

    @property
    def kind(self) -> str | None:
        """"same_day", "working_days", "working_hours", "days_and_hours"; None when unknown."""
        if not self.known:
            return None
        if self.days == 0 and not self.hours:
            return "same_day"
        if self.hours and self.days:
            return "days_and_hours"
        return "working_hours" if self.hours else "working_days"

    @property
    def text(self) -> str:
        return describe_time_limit(self.days, self.hours)


def procedure_time_limit(
    procedure: Procedure, channel: Channel | str = Channel.counter
) -> TimeLimit:
    """The limit for a channel; an unknown limit when the catalogue lacks it.

    The online channel has its own limit only when one is recorded; otherwise, as for post,
    the counter limit applies (ND 61/2018 Art. 18: the limit runs from receipt whatever the
    channel).
    """
    try:
        channel = Channel(channel)
    except ValueError as exc:
        raise InvalidInput(
            f"Kênh nộp hồ sơ không hợp lệ: “{channel}” (trực tiếp: counter, bưu chính: post, trực tuyến: online)."
        ) from exc
    if channel is Channel.online and (
        procedure.online_time_limit_days is not None
        or procedure.online_time_limit_hours is not None
    ):
        days, hours = procedure.online_time_limit_days, procedure.online_time_limit_hours
        basis = procedure.online_time_limit_basis
    else:
        days, hours = procedure.time_limit_days, procedure.time_limit_hours
        basis = procedure.time_limit_basis
    return TimeLimit(
        days=days, hours=hours, note=procedure.time_limit_note or None, basis=basis or None
    )


def describe_time_limit(days: int | None, hours: int | Decimal | None) -> str:
    """Vietnamese wording used on pages: "15 ngày làm việc", "Trong ngày", "4 giờ làm việc"."""
    if days is None and hours is None:
        return MISSING_TEXT
    parts = []
    if days == 0 and not hours:
        return "Trong ngày"
    if days:
        parts.append(f"{days} ngày làm việc")
    if hours:
        parts.append(f"{hours} giờ làm việc")
    return " ".join(parts) if parts else "Trong ngày"
