"""Reference data of the quality domain, idempotent (rows found by their keys are left alone):

- one system per unit of plan 71 appendix II (the 119 rows org seeded from the same parse),
  at TCVN ISO 9001:2008 and stage "maintain": the plan converts systems those units already
  announced under the 2008 standard (docs/quality.md);
- the systems of units dissolved or merged in 2025 handed over to their successors;
- appendix I's quarterly roadmap as planned activities; plan 34's commune targets and budget.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.org.models import Agency, QmsRolloutUnit
from motcua.quality import plans, units
from motcua.quality.enums import Stage, Standard
from motcua.quality.models import (
    QualityBudgetLine,
    QualityCommuneTarget,
    QualityPlanActivity,
    QualityUnit,
)

SEEDED_NOTE = "Đơn vị thuộc Phụ lục II Kế hoạch 71/KH-UBND ngày 05/4/2018: chuyển đổi từ TCVN ISO 9001:2008 sang TCVN ISO 9001:2015."


def seed_units(session: Session) -> None:
    seeded = set(session.scalars(select(QualityUnit.rollout_id).where(QualityUnit.rollout_id.is_not(None))))
    by_agency = {u.agency_id: u for u in session.scalars(select(QualityUnit))}
    rows = session.execute(
        select(QmsRolloutUnit, Agency).join(Agency, Agency.id == QmsRolloutUnit.agency_id).order_by(QmsRolloutUnit.source_row)
    ).tuples()
    for rollout, agency in rows:
        if rollout.id in seeded:
            continue
        existing = by_agency.get(agency.id)
        if existing is not None:
            # created earlier as a successor outside the plan: it is this plan row's unit
            if existing.rollout_id is None:
                existing.rollout_id = rollout.id
            continue
        by_agency[agency.id] = units.create_unit(
            session, agency, standard=Standard.iso_9001_2008, stage=Stage.maintain, rollout_id=rollout.id, note=SEEDED_NOTE
        )
    session.flush()
    for unit in list(by_agency.values()):
        units.hand_over(session, unit)


def seed_plans(session: Session) -> None:
    have = set(session.execute(select(QualityPlanActivity.plan, QualityPlanActivity.source_row)).tuples())
    for item in plans.load_roadmap():
        if (plans.PLAN_71, item.row) not in have:
            session.add(QualityPlanActivity(
                plan=plans.PLAN_71, source_row=item.row, year=item.year, quarter=item.quarter,
                content=item.content, lead=item.lead, partners=item.partners, targets=item.targets,
                target_units=item.target_units,
            ))
    targets, budget = plans.load_plan_34()
    years = set(session.scalars(select(QualityCommuneTarget.year).where(QualityCommuneTarget.plan == plans.PLAN_34)))
    for target in targets:
        if target.year not in years:
            session.add(QualityCommuneTarget(
                plan=plans.PLAN_34, year=target.year, communes=target.communes,
                min_share_percent=target.min_share_percent, source=target.source,
            ))
    lines = set(session.execute(
        select(QualityBudgetLine.source_row, QualityBudgetLine.year).where(QualityBudgetLine.plan == plans.PLAN_34)
    ).tuples())
    for line in budget:
        for year, amount in line.amounts.items():
            if (line.row, year) not in lines:
                session.add(QualityBudgetLine(
                    plan=plans.PLAN_34, source_row=line.row, content=line.content, year=year,
                    amount_vnd=amount, note=line.note,
                ))
    session.flush()


def seed_reference(session: Session) -> None:
    seed_plans(session)
    seed_units(session)
