"""The leaders' dashboard (`/bao-cao`) and the public statistics page (`/thong-ke`).

Both read the statistics table of `service` (one `Counting` GROUP BY), so every figure here is
a figure of `/bao-cao/thong-ke` for the same period and can be opened there. Shares are in
percent to one decimal, of the results issued in the period (early + on time + late); they
are empty (None) when nothing was finished, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.core.clock import now, to_local
from motcua.reports import service
from motcua.reports.counting import period, period_dates
from motcua.reports.enums import Column, GroupBy, PeriodKind
from motcua.reports.service import Row, Table

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
class Dashboard:
    table: Table  # this month so far, by competent agency
    total: Figures
    units: list[Figures]  # the agencies, most overdue first

    @property
    def overdue_units(self) -> list[Figures]:
        return [u for u in self.units if u[Column.overdue]]


def _month_so_far(today: date):
    return period(*period_dates(PeriodKind.month, today.year, today.month))


def leader_dashboard(session: Session, user: User) -> Dashboard:
    """This month so far in `user`'s scope (the statistics' scope rule)."""
    table = service.statistics(session, user, _month_so_far(to_local(now()).date()), GroupBy.agency)
    units = sorted((Figures(r) for r in table.rows), key=lambda f: (-f[Column.overdue], f.row.name))
    return Dashboard(table, Figures(table.total), units)


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
