"""Quality objectives measured from the system's own data, per unit and period, against the
unit's targets for that year (ISO 9001:2015 clause 6.2; DOMAIN.md §7–8).

- On-time share: of the results issued in the period (statistics' finished early, on time and
  late, `reports.counting`: the same rules as the statistics page), the early and on-time
  ones, in percent to one decimal; None when no result was issued.
- Overdue: the unit's dossiers open and past their appointment at the period's end (the
  statistics' "overdue" figure).
- Satisfaction: of the ratings given in the period to the unit's dossiers
  (`ratings.queries.satisfaction`), the very satisfied and satisfied, in percent; None when
  nobody rated.

A unit's figures are those of its agency as the competent agency.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.core.clock import now
from motcua.core.errors import InvalidInput
from motcua.dossiers.models import Dossier
from motcua.org.service import today
from motcua.quality import audit_access
from motcua.quality.audit_schemas import TargetIn
from motcua.quality.models import ObjectiveTarget, QualityUnit
from motcua.ratings.queries import satisfaction
from motcua.reports.counting import Counting, Period, period, period_dates
from motcua.reports.enums import Column, GroupBy


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Measure:
    results: int  # results issued in the period
    on_time: int  # of which early or on time
    overdue: int  # open and past the appointment at the period's end
    rated: int
    satisfied: int
    target: ObjectiveTarget | None

    @property
    def on_time_share(self) -> float | None:
        return share(self.on_time, self.results)

    @property
    def satisfaction_share(self) -> float | None:
        return share(self.satisfied, self.rated)

    @property
    def met(self) -> dict[str, bool | None]:
        """Per target: met, missed, or None (no target, or nothing to measure yet)."""
        t = self.target

        def at_least(value: float | None, floor: int | None) -> bool | None:
            return None if value is None or floor is None else value >= floor

        return {
            "on_time_share": at_least(self.on_time_share, t.on_time_share_min if t else None),
            "overdue": None if t is None or t.overdue_max is None else self.overdue <= t.overdue_max,
            "satisfaction": at_least(self.satisfaction_share, t.satisfaction_min if t else None),
        }


def measure(session: Session, units: list[QualityUnit], p: Period) -> dict[uuid.UUID, Measure]:
    """The measures of `units` over `p` (one GROUP BY for the dossiers, one query per unit
    for the ratings)."""
    if not units:
        return {}
    by_agency = {u.agency_id: u for u in units}
    counting = Counting(p)
    rows = session.execute(counting.aggregate(GroupBy.agency, where=[Dossier.agency_id.in_(by_agency)])).mappings()
    counts = {row["key"]: row for row in rows}
    targets = {t.unit_id: t for t in session.scalars(select(ObjectiveTarget).where(
        ObjectiveTarget.unit_id.in_([u.id for u in units]), ObjectiveTarget.year == p.date_from.year))}
    out = {}
    for agency_id, unit in by_agency.items():
        c = counts.get(agency_id)
        early, on_time, late = ((c[Column.finished_early.value], c[Column.finished_on_time.value],
                                 c[Column.finished_late.value]) if c else (0, 0, 0))
        stats = satisfaction(session, agency_id, (p.start, p.end))
        out[unit.id] = Measure(results=early + on_time + late, on_time=early + on_time,
                               overdue=c[Column.overdue.value] if c else 0, rated=stats.total,
                               satisfied=stats.satisfied, target=targets.get(unit.id))
    return out


def year_measure(session: Session, user: User | None, unit_id: uuid.UUID, year: int) -> Measure | None:
    """The unit's objectives measured over `year` (to today while it runs) against that year's
    targets; None for a year not begun (targets may be set ahead, nothing is measured yet)."""
    unit = audit_access.ensure_unit(session, user, unit_id, act=False)
    start, end = period_dates("year", year)
    if start > today():
        return None
    return measure(session, [unit], period(start, end))[unit.id]


MET_LABELS = {True: "Đạt", False: "Không đạt", None: ""}


def measure_lines(m: Measure) -> list[list]:
    """The measured objectives beside their targets, numbered, as the report table shows them
    ([number, label, value, target, verdict]): a share not measurable (nothing issued, nobody
    rated), a missing target and no verdict are None."""
    t, met = m.target, m.met

    def floor(value: int | None) -> str | None:
        return None if value is None else f"≥ {value} %"

    rows = [
        ("Hồ sơ có kết quả trong kỳ", m.results, None, None),
        ("Hồ sơ giải quyết trước hạn và đúng hạn", m.on_time, None, None),
        ("Tỷ lệ giải quyết trước hạn và đúng hạn (%)", m.on_time_share, floor(t.on_time_share_min if t else None),
         met["on_time_share"]),
        ("Hồ sơ quá hạn cuối kỳ", m.overdue, None if t is None or t.overdue_max is None else f"≤ {t.overdue_max}",
         met["overdue"]),
        ("Lượt đánh giá mức độ hài lòng", m.rated, None, None),
        ("Lượt hài lòng và rất hài lòng", m.satisfied, None, None),
        ("Tỷ lệ hài lòng (%)", m.satisfaction_share, floor(t.satisfaction_min if t else None), met["satisfaction"]),
    ]
    return [[n, label, value, target, MET_LABELS[verdict] or None]
            for n, (label, value, target, verdict) in enumerate(rows, start=1)]


def targets_of(session: Session, user: User | None, unit_id: uuid.UUID) -> list[ObjectiveTarget]:
    """The unit's targets, latest year first (read: whoever may view the unit)."""
    audit_access.ensure_unit(session, user, unit_id, act=False)
    return list(session.scalars(select(ObjectiveTarget).where(ObjectiveTarget.unit_id == unit_id)
                                .order_by(ObjectiveTarget.year.desc())))


def set_target(session: Session, user: User, unit_id: uuid.UUID, data: TargetIn) -> ObjectiveTarget:
    """The unit's targets for a year (replacing those set before)."""
    audit_access.ensure_unit(session, user, unit_id)
    if data.on_time_share_min is None and data.overdue_max is None and data.satisfaction_min is None:
        raise InvalidInput("Nhập ít nhất một chỉ tiêu.")
    target = session.scalars(select(ObjectiveTarget).where(
        ObjectiveTarget.unit_id == unit_id, ObjectiveTarget.year == data.year)).one_or_none()
    if target is None:
        target = ObjectiveTarget(unit_id=unit_id, year=data.year)
        session.add(target)
    target.on_time_share_min, target.overdue_max = data.on_time_share_min, data.overdue_max
    target.satisfaction_min, target.updated_by, target.updated_at = data.satisfaction_min, user.username, now()
    session.flush()
    return target
