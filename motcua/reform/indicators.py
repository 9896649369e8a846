"""Indicators the system measures itself, for a set of agencies over a span of days: the on-time
share and the online share of the dossiers (the statistics' own counting, `reports.counting`),
and the Decision 766/QĐ-TTg self-score (`reports.index766.scores`). A task's indicator
(progress.measure) and a scoring-sheet item's source (scoring) are both read here, so the
figures are those of the statistics and 766 pages, never typed.

- on-time share = (early + on time) / (early + on time + late) results and refusals finished in
  the span (the statistics page's columns);
- online share = received online / received (the statistics page's online share);
- 766 score = the agency's 766 points over the span, out of 100 as the 766 page shows it (the
  indicators it cannot compute yet give no points: the figure says how many of the 100 could be
  computed); for several agencies, their mean.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.dossiers.models import Dossier
from motcua.org.models import Agency
from motcua.reports import index766
from motcua.reports.counting import Counting, online_share, period
from motcua.reports.enums import Column, GroupBy


class Source(StrEnum):
    """What the system measures (a task's `indicator` takes the first two)."""

    on_time_share = "on_time_share"
    online_share = "online_share"
    index766 = "index766"


SOURCE_LABELS: dict[Source, str] = {
    Source.on_time_share: "Tỷ lệ hồ sơ giải quyết đúng hạn (%)",
    Source.online_share: "Tỷ lệ hồ sơ tiếp nhận trực tuyến (%)",
    Source.index766: "Điểm tự đánh giá theo Quyết định 766/QĐ-TTg (trên 100 điểm)",
}
# Where each figure is read in the system (shown beside it).
SOURCE_PAGES: dict[Source, str] = {
    Source.on_time_share: "Thống kê hồ sơ", Source.online_share: "Thống kê hồ sơ",
    Source.index766: "Chỉ số 766",
}


@dataclass(frozen=True)
class Figure:
    source: Source
    start: date
    end: date
    numerator: Decimal  # dossiers (shares) or 766 points
    denominator: Decimal  # dossiers (shares) or 100
    value: float | None  # percent to one decimal (shares) or points to two decimals (766); None: nothing counted
    computable: Decimal | None = None  # 766: the maximum of the indicators that could be computed (of 100)

    @property
    def share(self) -> Decimal | None:
        """The exact fraction (0…1) the value stands for; None when nothing was counted."""
        return self.numerator / self.denominator if self.value is not None and self.denominator else None


def _counts(session: Session, agency_ids: list[uuid.UUID] | None, start: date, end: date) -> dict[Column, int]:
    counting = Counting(period(start, end))
    where = [Dossier.agency_id.in_(agency_ids)] if agency_ids is not None else []
    rows = session.execute(counting.aggregate(GroupBy.agency, where=where)).all()
    return {c: sum(int(getattr(r, c.value) or 0) for r in rows) for c in Column}


def measure(session: Session, source: Source, agency_ids: list[uuid.UUID] | None, start: date,
            end: date) -> Figure:
    """`source` over the days start…end (inclusive) for the dossiers of `agency_ids` (None: the
    whole province; the 766 score needs agencies: the province has none of its own)."""
    if source is Source.index766:
        agencies = list(session.scalars(select(Agency).where(Agency.id.in_(agency_ids or []))
                                        .order_by(Agency.code)))
        if not agencies:
            return Figure(source, start, end, Decimal(0), Decimal(100), None)
        found = index766.scores(session, period(start, end), agencies)
        points = sum((Decimal(str(s.points)) for s in found), Decimal(0)) / len(found)
        computable = sum((Decimal(str(s.computed_maximum)) for s in found), Decimal(0)) / len(found)
        return Figure(source, start, end, points, Decimal(100), round(float(points), 2), computable)
    sums = _counts(session, agency_ids, start, end)
    if source is Source.online_share:
        num, den = sums[Column.received_online], sums[Column.received]
        return Figure(source, start, end, Decimal(num), Decimal(den), online_share(den, num))
    num = sums[Column.finished_early] + sums[Column.finished_on_time]
    den = num + sums[Column.finished_late]
    return Figure(source, start, end, Decimal(num), Decimal(den), round(100 * num / den, 1) if den else None)
