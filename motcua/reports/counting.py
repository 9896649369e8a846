"""The counting rules of the statistics, written once (docs/reports.md).

Every figure of a statistics row is a predicate over one dossier row (and the pause open at
the period's end). The table sums them in one SQL `GROUP BY` (`aggregate`); the list behind a
figure selects the dossiers meeting the same predicate (`matching`), so a figure and its list
can never disagree. The later reports (the 766 self-score, officer workload) build on the
same `Counting`.

- Only *accepted* dossiers count (`effective_receipt_at` is set when a dossier is accepted and
  its appointment scheduled): incomplete and refused-at-the-counter receipts and online
  submissions not yet accepted are not dossiers under handling.
- A dossier is **received** in the period when its `received_at` (acceptance) lies in it;
  **carried over** when received before the period and not finished before it.
- It is **finished** in the period when its `finished_at` lies in it: the result issued, the
  refusal issued, the withdrawal or the stop. A result counts early / on time / late by the
  dossier's stored `outcome`, set at that moment by `calendar.engine.outcome` against the
  appointment then in force (`due_at`): after an apology (form 04) the new date; after a
  supplement the appointment that restarted from the complete dossier (ND 61/2018 Art. 19,
  ND 118/2025); payment waits moved it by the time waited. That is the legal view the
  dossier page and the process-control slip show; the 766 view (`progress_outcome`) is the
  self-score's. A result without an appointment (no time limit) counts on time.
- **Refused** (after appraisal), **withdrawn** and **stopped** are finished dossiers counted
  apart from the results.
- Open at the period's end (`at` = the end, or now while the period runs): **waiting for the
  applicant** when a supplement or payment pause is open at `at`; otherwise **overdue** when
  its appointment is before `at`, else **in progress** (not yet due). The appointment is the
  one in force now: a later apology or restart is not undone for a past period.
- **Cross-boundary**: received, for a procedure the catalogue lists as received regardless
  of administrative boundary, at a unit other than the competent agency. Grouped by agency
  it counts at the competent agency, by receiving unit at the unit that received it.

So for every group: carried_over + received = finished_early + finished_on_time +
finished_late + refused + withdrawn + stopped + in_progress + overdue + waiting_applicant.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    false,
    func,
    literal_column,
    not_,
    or_,
    select,
)
from sqlalchemy.sql.expression import Subquery

from motcua.calendar.engine import LOCAL_TZ
from motcua.catalog.models import Procedure
from motcua.core.clock import now
from motcua.core.errors import InvalidInput
from motcua.dossiers.enums import Channel, DossierStatus, Outcome, PauseKind
from motcua.dossiers.models import Dossier, DossierPause
from motcua.reports.enums import Column, GroupBy, PeriodKind

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
# The figures every row has (the list, in the order of the page's columns).
COLUMNS: tuple[Column, ...] = tuple(Column)
# The figures of dossiers finished in the period: a dossier finishes once, so it holds one of
# them in one period at most (what lets `finished_by_period` count many periods in one pass).
FINISHED_COLUMNS: tuple[Column, ...] = (Column.finished_early, Column.finished_on_time, Column.finished_late,
                                        Column.refused, Column.withdrawn, Column.stopped)


@dataclass(frozen=True)
class Period:
    """[start, end) in local time from two dates (inclusive); `at`: the instant the open
    dossiers are judged at (the end, or now while the period runs)."""

    date_from: date
    date_to: date
    start: datetime
    end: datetime
    at: datetime


def period(date_from: date, date_to: date, *, at: datetime | None = None) -> Period:
    """The period of two local dates (inclusive), checked: every problem in one message."""
    problems = []  # (the dates are checked before any arithmetic: 9999-12-31 + 1 day overflows)
    if not EARLIEST <= date_from <= LATEST or not EARLIEST <= date_to <= LATEST:
        problems.append("Ngày của kỳ báo cáo phải nằm trong các năm 2000–2100.")
    elif date_to < date_from:
        problems.append("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
    if problems:
        raise InvalidInput(" ".join(problems))
    current = at or now()
    start = datetime.combine(date_from, time.min, tzinfo=LOCAL_TZ)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
    if start > current:
        raise InvalidInput("Kỳ báo cáo chưa bắt đầu: chọn kỳ bắt đầu từ hôm nay trở về trước.")
    return Period(date_from, date_to, start, end, min(end, current))


def period_dates(kind: PeriodKind | str, year: int, number: int = 1) -> tuple[date, date]:
    """The dates of a month (number 1–12), quarter (1–4), six months (1–2) or year."""
    kind = PeriodKind(kind)
    months = {PeriodKind.month: (1, 12), PeriodKind.quarter: (3, 4), PeriodKind.half: (6, 2), PeriodKind.year: (12, 1)}
    if kind is PeriodKind.custom:
        raise ValueError("a custom period has its own dates")
    if not EARLIEST.year <= year <= LATEST.year:
        raise InvalidInput("Năm của kỳ báo cáo phải trong khoảng 2000–2100.")
    length, count = months[kind]
    if not 1 <= number <= count:
        raise InvalidInput(f"Số thứ tự của kỳ phải từ 1 đến {count}.")
    first_month = (number - 1) * length + 1
    start = date(year, first_month, 1)
    last_month = first_month + length - 1
    after = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return start, after - timedelta(days=1)


def _open_pauses(at: datetime) -> Subquery:
    """The pause (supplement or payment) open at `at`, per dossier (at most one is open)."""
    p = DossierPause
    return (
        select(p.dossier_id, func.min(p.kind).label("kind"))
        .where(p.started_at <= at, or_(p.ended_at.is_(None), p.ended_at > at))
        .group_by(p.dossier_id)
        .subquery("open_pauses")
    )


# Group keys: the dossier column (or the procedure's) each grouping reads.
GROUP_KEYS = {
    GroupBy.agency: Dossier.agency_id,
    GroupBy.receiving_unit: Dossier.receiving_unit_id,
    GroupBy.field: Procedure.field_id,
    GroupBy.procedure: Dossier.procedure_id,
    GroupBy.channel: Dossier.channel,
    GroupBy.officer: Dossier.received_by_id,
}


def scope_filter(group_by: GroupBy, scope: set[uuid.UUID] | None) -> ColumnElement[bool] | None:
    """Which dossiers a user with agency `scope` (None: everything) counts: by agency, those
    of the agencies in scope; by receiving unit, those received in scope; otherwise those
    whose competent agency or receiving unit is in scope."""
    if scope is None:
        return None
    if not scope:
        return false()
    if group_by is GroupBy.agency:
        return Dossier.agency_id.in_(scope)
    if group_by is GroupBy.receiving_unit:
        return Dossier.receiving_unit_id.in_(scope)
    return or_(Dossier.agency_id.in_(scope), Dossier.receiving_unit_id.in_(scope))


@dataclass
class Counting:
    """The rules over one period: `predicates[column]` selects the dossiers of that figure,
    among the candidates `base()` reads (received before the end, not finished before the start)."""

    period: Period
    paused: Subquery = field(init=False)
    finished: ColumnElement[bool] = field(init=False)  # finished before the end (with candidates(): in the period)
    predicates: dict[Column, ColumnElement[bool]] = field(init=False)

    def __post_init__(self) -> None:
        p, d = self.period, Dossier
        self.paused = paused = _open_pauses(p.at)
        received = d.received_at >= p.start
        finished = and_(d.finished_at.is_not(None), d.finished_at < p.end)
        stopped_kinds = (DossierStatus.withdrawn.value, DossierStatus.stopped.value)
        refused = and_(finished, d.refusal_reason.is_not(None), d.status.not_in(stopped_kinds))
        result = and_(finished, d.refusal_reason.is_(None), d.status.not_in(stopped_kinds))
        open_at = or_(d.finished_at.is_(None), d.finished_at >= p.at)
        waiting = and_(open_at, paused.c.dossier_id.is_not(None))
        running = and_(open_at, paused.c.dossier_id.is_(None))
        self.finished = finished
        overdue = and_(running, d.due_at.is_not(None), d.due_at < p.at)
        self.predicates = {
            Column.carried_over: d.received_at < p.start,
            Column.received: received,
            Column.received_online: and_(received, d.channel == Channel.online.value),
            Column.received_counter: and_(received, d.channel == Channel.counter.value),
            Column.received_post: and_(received, d.channel == Channel.post.value),
            # Received elsewhere than at the competent agency under the catalogue's "regardless of
            # administrative boundary" list (DOMAIN.md §3; dossiers.service.receive).
            Column.cross_boundary: and_(received, Procedure.cross_boundary.is_(True), d.receiving_unit_id != d.agency_id),
            Column.finished_early: and_(result, d.outcome == Outcome.early.value),
            Column.finished_on_time: and_(result, or_(d.outcome == Outcome.on_time.value, d.outcome.is_(None))),
            Column.finished_late: and_(result, d.outcome == Outcome.late.value),
            Column.refused: refused,
            Column.withdrawn: and_(finished, d.status == DossierStatus.withdrawn.value),
            Column.stopped: and_(finished, d.status == DossierStatus.stopped.value),
            Column.in_progress: and_(running, not_(overdue)),
            Column.overdue: overdue,
            Column.waiting_applicant: waiting,
            Column.waiting_supplement: and_(waiting, paused.c.kind == PauseKind.supplement.value),
            Column.waiting_payment: and_(waiting, paused.c.kind == PauseKind.payment.value),
        }
        assert set(self.predicates) == set(COLUMNS)

    def due_by(self, until: datetime) -> ColumnElement[bool]:
        """In progress at `at` (running, not yet due) and due no later than `until`: the dossiers
        about to be late (the dashboard's due today / due soon, the 766 points at risk)."""
        return and_(self.predicates[Column.in_progress], Dossier.due_at.is_not(None), Dossier.due_at <= until)

    def candidates(self) -> ColumnElement[bool]:
        """Accepted, received before the end, not finished before the start: every dossier a
        figure of the period can hold (an index range on received_at for the recent ones)."""
        p, d = self.period, Dossier
        return and_(d.effective_receipt_at.is_not(None), d.received_at < p.end,
                    or_(d.finished_at.is_(None), d.finished_at >= p.start))

    def _from(self, stmt: Select) -> Select:
        stmt = (stmt.select_from(Dossier).join(Procedure, Procedure.id == Dossier.procedure_id)
                .outerjoin(self.paused, self.paused.c.dossier_id == Dossier.id))
        return stmt.where(self.candidates())

    def frame(self, stmt: Select) -> Select:
        """`stmt` over the candidate dossiers, joined as the predicates need (procedure, open
        pause): other reports (the 766 self-score) add their own columns to the same frame."""
        return self._from(stmt)

    def aggregate(self, group_by: GroupBy, *, where: Iterable[ColumnElement[bool]] = ()) -> Select:
        """One row per group: `key`, then every column of COLUMNS, in one GROUP BY."""
        key = GROUP_KEYS[group_by]
        counts = [func.count().filter(self.predicates[c]).label(c.value) for c in COLUMNS]
        stmt = self._from(select(key.label("key"), *counts))
        return stmt.where(*where).group_by(key)

    def matching(self, column: Column, *, group_by: GroupBy | None = None, key: object = None,
                 where: Iterable[ColumnElement[bool]] = ()) -> Select:
        """The dossiers behind one figure: of the group `key` (None: the null group) when
        `group_by` is given, of the whole table otherwise."""
        stmt = self._from(select(Dossier)).where(self.predicates[Column(column)], *where)
        if group_by is not None:
            group_key = GROUP_KEYS[group_by]
            stmt = stmt.where(group_key.is_(None) if key is None else group_key == key)
        return stmt


def span(periods: Sequence[Period]) -> Counting:
    """The rules over the time from the first period's start to the last one's end (judged at
    the last one's `at`): the frame of a query counting several periods at once."""
    if not periods:
        raise ValueError("no period")
    first, last = periods[0], periods[-1]
    return Counting(Period(first.date_from, last.date_to, first.start, last.end, last.at))


def period_bucket(periods: Sequence[Period], event: str) -> ColumnElement:
    """The index in `periods` (in order, not overlapping) of the one in which the dossier was
    `received` or `finished` (null: none): the period whose own candidates and event predicate
    hold for it. A dossier is received once and finishes once, so it has one bucket for each,
    and a figure of that event counted over `span(periods)` for the dossiers of bucket i is the
    figure of period i: the predicates of the span and of the period agree on those dossiers."""
    if event not in ("received", "finished"):
        raise ValueError(f"unknown event {event!r}")

    def happened(c: Counting) -> ColumnElement[bool]:
        return c.predicates[Column.received] if event == "received" else c.finished
    return case(*((and_(c.candidates(), happened(c)), i) for i, c in enumerate(Counting(p) for p in periods)),
                else_=None)


def finished_by_period(periods: Sequence[Period], *, where: Iterable[ColumnElement[bool]] = ()) -> Select:
    """The FINISHED_COLUMNS of several periods (in order, not overlapping) in one GROUP BY: one
    row per period with dossiers finished in it, `bucket` (its index in `periods`, see
    `period_bucket`) then the columns: each period's are its own statistics' figures (the tests
    check it month by month)."""
    whole = span(periods)
    counts = [func.count().filter(whole.predicates[c]).label(c.value) for c in FINISHED_COLUMNS]
    # Only the dossiers finished in the span: the open ones hold none of these figures.
    stmt = whole.frame(select(period_bucket(periods, "finished").label("bucket"), *counts)).where(whole.finished, *where)
    return stmt.group_by(literal_column("bucket"))  # the label: one expression for every backend


def online_share(received: int, received_online: int) -> float | None:
    """The online share of the received dossiers, in percent to one decimal (None: none received)."""
    if not received:
        return None
    return round(100 * received_online / received, 1)


__all__ = ["COLUMNS", "FINISHED_COLUMNS", "Counting", "Period", "finished_by_period", "online_share", "period",
           "period_bucket", "period_dates", "scope_filter", "span"]
