"""The leaders' dashboard (`/bao-cao`) and the public statistics page (`/thong-ke`).

Both read the statistics table of `service` (one `Counting` GROUP BY), so every figure here is
a figure of `/bao-cao/thong-ke` for the same period and can be opened there. Shares are in
percent to one decimal, of the results issued in the period (early + on time + late); they
are empty (None) when nothing was finished, never 0.

The leaders' dashboard adds, in the same scope (the statistics' rule by competent agency):
- due today / due soon: `service.due_window` (the in-progress figure narrowed by due time);
- the overdue dossiers by the officer holding them now (`workload.holders`: the open steps);
- the on-time trend: the results of each of the last 12 months, in one GROUP BY
  (`counting.finished_by_period`), each month equal to that month's statistics;
- the 766 trend: `index766.scope_score` of each of the last 12 months (their dossier figures in
  one GROUP BY, `index766.figures_by_period`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import agency_scope
from motcua.core.clock import now, to_local
from motcua.core.errors import Forbidden
from motcua.dossiers.deadlines import ALERT_WORKING_DAYS
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import due_soon_limit
from motcua.org.models import Agency
from motcua.reports import index766, service, workload
from motcua.reports.counting import (
    Counting,
    Period,
    finished_by_period,
    period,
    period_dates,
    scope_filter,
)
from motcua.reports.enums import Column, DueWindow, GroupBy, PeriodKind
from motcua.reports.service import Row, Table

TREND_MONTHS = 12  # the on-time and 766 trends: this month and the 11 before it
UNASSIGNED = workload.UNASSIGNED
NONE_NAME = "(Không xác định)"

RESULTS = (Column.finished_early, Column.finished_on_time, Column.finished_late)


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent to one decimal (None when `whole` is 0)."""
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Figures:
    """The headline figures of one statistics row (a unit, or the total)."""

    row: Row

    def __getitem__(self, column: Column) -> int:
        return self.row.counts[Column(column)]

    @property
    def finished(self) -> int:
        return sum(self.row.counts[c] for c in RESULTS)

    @property
    def early_share(self) -> float | None:
        return share(self[Column.finished_early], self.finished)

    @property
    def on_time_share(self) -> float | None:
        return share(self[Column.finished_on_time], self.finished)

    @property
    def late_share(self) -> float | None:
        return share(self[Column.finished_late], self.finished)

    @property
    def in_time_share(self) -> float | None:
        """Early or on time: the share the public page shows."""
        return share(self[Column.finished_early] + self[Column.finished_on_time], self.finished)

    @property
    def online_share(self) -> float | None:
        return self.row.online_share


@dataclass(frozen=True)
class Holder:
    """The overdue dossiers held now by one officer at one unit (officer None: waiting at the
    unit for someone to take the step; unit None: the dossier has no open step)."""

    officer_id: uuid.UUID | None
    officer_name: str
    username: str
    unit_id: uuid.UUID | None
    unit_code: str
    unit_name: str
    overdue: int

    @property
    def filter_keys(self) -> tuple[str, str]:
        """The holder filter of the list behind the figure (officer, unit: `service.parse_holder`)."""
        return service.holder_keys(self.officer_id, self.unit_id)


@dataclass(frozen=True)
class TrendMonth:
    """One month of the on-time trend: its results as the statistics of that month count them."""

    period: Period
    figures: Figures

    @property
    def label(self) -> str:
        return self.period.date_from.strftime("%m/%Y")


@dataclass(frozen=True)
class ScoreMonth:
    """One month of the 766 trend: the self-score of the user's scope as one body."""

    period: Period
    score: index766.Score
    score_maximum = index766.TOTAL_MAXIMUM

    @property
    def label(self) -> str:
        return self.period.date_from.strftime("%m/%Y")

    def points_of(self, group: str) -> float | None:
        """The computed points of one group of indicators (None: none computable)."""
        found = [i.points for i in self.score.indicators if i.metric.group == group and i.points is not None]
        return round(sum(found), 2) if found else None


@dataclass(frozen=True)
class Dashboard:
    table: Table  # this month so far, by competent agency
    total: Figures
    units: list[Figures]  # the agencies, most overdue first
    due: dict[DueWindow, int] = field(default_factory=dict)  # due today / due soon, at table.period.at
    due_soon_until: datetime | None = None
    holders: list[Holder] | None = None  # None: not a head (the workload rule), so not shown
    trend: list[TrendMonth] = field(default_factory=list)
    scores: list[ScoreMonth] = field(default_factory=list)

    @property
    def overdue_units(self) -> list[Figures]:
        return [u for u in self.units if u[Column.overdue]]

    due_soon_working_days = ALERT_WORKING_DAYS


def _month_so_far(today: date):
    return period(*period_dates(PeriodKind.month, today.year, today.month))


def last_months(today: date, count: int = TREND_MONTHS) -> list[Period]:
    """The periods of the `count` months up to today's (this one so far), oldest first."""
    out = []
    year, month = today.year, today.month
    for _ in range(count):
        out.append(period(*period_dates(PeriodKind.month, year, month)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out[::-1]


def _scope_where(session: Session, user: User | None) -> list:
    scoped = scope_filter(GroupBy.agency, agency_scope(session, user) if user is not None else set())
    return [] if scoped is None else [scoped]


def on_time_trend(session: Session, user: User | None, periods: list[Period]) -> list[TrendMonth]:
    """Early / on time / late results of each period in `user`'s scope, in one query: for each
    period the figures of the statistics table of that period (by agency, its total row)."""
    found = {r.bucket: r for r in session.execute(finished_by_period(periods, where=_scope_where(session, user)))
             if r.bucket is not None}
    out = []
    for i, p in enumerate(periods):
        row = Row("", "", p.date_from.strftime("%m/%Y"))
        if i in found:
            for c in RESULTS:
                row.counts[c] = int(getattr(found[i], c.value) or 0)
        out.append(TrendMonth(p, Figures(row)))
    return out


def score_trend(session: Session, user: User | None, periods: list[Period]) -> list[ScoreMonth]:
    """The 766 self-score of `user`'s scope as one body (`index766.scope_score`), per period."""
    scope = agency_scope(session, user) if user is not None else set()
    figures = index766.figures_by_period(session, periods, where=_scope_where(session, user))
    return [ScoreMonth(p, index766.scope_score(session, p, scope, pooled=f)) for p, f in zip(periods, figures, strict=True)]


def overdue_by_holder(session: Session, user: User | None, p: Period) -> list[Holder] | None:
    """The statistics' overdue dossiers at `p.at` (in `user`'s scope by agency), per officer
    holding them now (their open steps: an inter-agency step held at two units counts for both
    holders), at the units whose workload `user` may see (heads and province administrators:
    `workload.workload_scope`); None for anyone else."""
    try:
        units = workload.workload_scope(session, user)
    except Forbidden:
        return None
    counting = Counting(p)
    held = workload.Held(units)
    stmt = (held.join(counting.frame(select(held.rows.c.assignee_id, held.rows.c.unit_id,
                                            func.count(func.distinct(Dossier.id)).label("overdue"))))
            .where(counting.predicates[Column.overdue], *_scope_where(session, user))
            .group_by(held.rows.c.assignee_id, held.rows.c.unit_id))
    rows = session.execute(stmt).all()
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_({r.assignee_id for r in rows} - {None})))}
    agencies = {a.id: a for a in session.scalars(select(Agency).where(Agency.id.in_({r.unit_id for r in rows} - {None})))}
    out = []
    for r in rows:
        officer, unit = users.get(r.assignee_id), agencies.get(r.unit_id)
        out.append(Holder(r.assignee_id, officer.full_name if officer else UNASSIGNED if r.assignee_id is None
                          else NONE_NAME, officer.username if officer else "", r.unit_id, unit.code if unit else "",
                          unit.name if unit else NONE_NAME, int(r.overdue)))
    return sorted(out, key=lambda h: (-h.overdue, h.officer_id is None, h.officer_name, h.unit_name))


def leader_dashboard(session: Session, user: User) -> Dashboard:
    """This month so far in `user`'s scope (the statistics' scope rule), what falls due today
    and soon, the overdue dossiers by unit and by officer, and the trends of the last 12 months."""
    today = to_local(now()).date()
    month = _month_so_far(today)
    table = service.statistics(session, user, month, GroupBy.agency)
    units = sorted((Figures(r) for r in table.rows), key=lambda f: (-f[Column.overdue], f.row.name))
    months = last_months(today)
    return Dashboard(
        table, Figures(table.total), units,
        due=service.due_counts(session, user, month), due_soon_until=due_soon_limit(session, month.at),
        holders=overdue_by_holder(session, user, month),
        trend=on_time_trend(session, user, months), scores=score_trend(session, user, months),
    )


@dataclass(frozen=True)
class PublicStatistics:
    year: Table
    month: Table
    year_total: Figures
    month_total: Figures

    def agencies(self) -> list[tuple[Figures, Figures | None]]:
        """(this year, this month) per agency with dossiers this year, by name."""
        month = {r.key: Figures(r) for r in self.month.rows}
        rows = sorted(self.year.rows, key=lambda r: r.name)
        return [(Figures(r), month.get(r.key)) for r in rows]


def public_statistics(session: Session) -> PublicStatistics:
    """This year and this month so far, province-wide, by competent agency."""
    today = to_local(now()).date()
    year = service.province_statistics(session, period(*period_dates(PeriodKind.year, today.year)))
    month = service.province_statistics(session, _month_so_far(today))
    return PublicStatistics(year, month, Figures(year.total), Figures(month.total))
