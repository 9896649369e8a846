"""Progress against plans 71/KH-UBND and 34/KH-UBND: planned vs done per year and quarter.

- Plan 71 (appendix II): a unit planned for a year is "converted" when its system runs on
  TCVN ISO 9001:2015 and has been announced (stage announce or maintain).
- Plan 34: communes (UBND cấp xã) whose system was announced in that year, against the
  year's target; the share target compares announced communes with the commune
  committees that exist now (the 2025 reorganisation changed the count; docs/quality.md).
- Appendix I: the quarterly activities, done when the Department records them done.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.core.errors import InvalidInput, NotFound
from motcua.core.text import nfc
from motcua.org.enums import AgencyKind
from motcua.org.models import Agency, QmsRolloutUnit
from motcua.org.service import today
from motcua.quality import policies
from motcua.quality.enums import Stage, Standard
from motcua.quality.models import (
    QualityBudgetLine,
    QualityCommuneTarget,
    QualityPlanActivity,
    QualityUnit,
)

ANNOUNCED = (Stage.announce, Stage.maintain)


@dataclass(frozen=True)
class YearProgress:
    year: int
    planned_units: int
    converted_units: int
    communes_target: int | None
    communes_share_target: int | None
    communes_announced: int
    budget_vnd: int


@dataclass(frozen=True)
class QuarterProgress:
    year: int
    quarter: int
    planned: int
    done: int


@dataclass(frozen=True)
class Roadmap:
    activities: list[QualityPlanActivity]
    years: list[YearProgress]
    quarters: list[QuarterProgress]
    communes_total: int  # commune committees that exist now
    communes_announced_total: int
    targets: list[QualityCommuneTarget]
    budget: list[QualityBudgetLine]

    @property
    def communes_share_percent(self) -> float | None:
        if not self.communes_total:
            return None
        return round(100 * self.communes_announced_total / self.communes_total, 1)

    @property
    def budget_total_vnd(self) -> int:
        return sum(line.amount_vnd for line in self.budget)


def _commune_units():
    return (
        select(QualityUnit)
        .join(Agency, Agency.id == QualityUnit.agency_id)
        .where(Agency.kind == AgencyKind.commune_committee, QualityUnit.stage.in_(ANNOUNCED),
               QualityUnit.announcement_date.is_not(None))
    )


def roadmap(session: Session) -> Roadmap:
    activities = list(session.scalars(
        select(QualityPlanActivity).order_by(QualityPlanActivity.year, QualityPlanActivity.quarter, QualityPlanActivity.source_row)
    ))
    planned = dict(session.execute(
        select(QmsRolloutUnit.year, func.count()).group_by(QmsRolloutUnit.year)
    ).all())
    converted = dict(session.execute(
        select(QmsRolloutUnit.year, func.count())
        .join(QualityUnit, QualityUnit.rollout_id == QmsRolloutUnit.id)
        .where(QualityUnit.standard == Standard.iso_9001_2015, QualityUnit.stage.in_(ANNOUNCED))
        .group_by(QmsRolloutUnit.year)
    ).all())
    announced_year = extract("year", QualityUnit.announcement_date)
    communes = {int(y): n for y, n in session.execute(
        _commune_units().with_only_columns(announced_year, func.count()).group_by(announced_year)
    ).all()}
    targets = list(session.scalars(select(QualityCommuneTarget).order_by(QualityCommuneTarget.year)))
    budget = list(session.scalars(select(QualityBudgetLine).order_by(QualityBudgetLine.source_row, QualityBudgetLine.year)))
    by_target = {t.year: t for t in targets}
    budget_by_year: dict[int, int] = defaultdict(int)
    for line in budget:
        budget_by_year[line.year] += line.amount_vnd
    years = sorted(set(planned) | set(by_target) | set(budget_by_year) | {a.year for a in activities})
    quarters: dict[tuple[int, int], list[QualityPlanActivity]] = defaultdict(list)
    for activity in activities:
        quarters[(activity.year, activity.quarter)].append(activity)
    communes_total = session.scalar(
        select(func.count()).select_from(Agency).where(
            Agency.kind == AgencyKind.commune_committee, Agency.dissolved_on.is_(None), Agency.valid_to.is_(None)
        )
    ) or 0
    return Roadmap(
        activities=activities,
        years=[
            YearProgress(
                year=y,
                planned_units=planned.get(y, 0),
                converted_units=converted.get(y, 0),
                communes_target=by_target[y].communes if y in by_target else None,
                communes_share_target=by_target[y].min_share_percent if y in by_target else None,
                communes_announced=communes.get(y, 0),
                budget_vnd=budget_by_year.get(y, 0),
            )
            for y in years
        ],
        quarters=[
            QuarterProgress(y, q, len(items), sum(1 for a in items if a.done_on is not None))
            for (y, q), items in sorted(quarters.items())
        ],
        communes_total=communes_total,
        communes_announced_total=sum(communes.values()),
        targets=targets,
        budget=budget,
    )


def record_activity_done(
    session: Session, user: User | None, source_row: str, *, on: date, note: str | None = None
) -> QualityPlanActivity:
    """The Department records a roadmap activity as done (or moves its date)."""
    policies.ensure_sees_all(session, user)
    activity = session.scalar(select(QualityPlanActivity).where(QualityPlanActivity.source_row == source_row))
    if activity is None:
        raise NotFound(f"Không có nội dung “{source_row}” trong lộ trình.")
    if on > today():
        raise InvalidInput("Ngày thực hiện không được sau ngày hôm nay.")
    activity.done_on, activity.done_note = on, nfc(note) or None
    session.flush()
    return activity
