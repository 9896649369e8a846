"""The seeded systems: the 119 units of plan 71 appendix II with their group and year
exactly as the seed (compared with the one parse of it, org.appendix), the 2025 handovers,
appendix I's roadmap and plan 34's commune targets and budget."""

from collections import Counter
from datetime import date

from sqlalchemy import select

from motcua.org.appendix import load_appendix_ii
from motcua.quality import plans, roadmap, units
from motcua.quality.enums import Stage, Standard, UnitEventKind
from motcua.quality.models import QualityUnit


def test_the_119_units_have_their_group_and_year_as_the_seed_says(db):
    expected = {(u.row, u.group_numeral, u.year, u.name) for u in load_appendix_ii()}
    page = units.list_units(db, None, public=True, page_size=500)
    seeded = {
        (u.rollout.source_row, u.plan_group, u.plan_year, u.rollout.source_name) for u in page.items if u.rollout
    }
    assert len(expected) == 119
    assert seeded == expected
    assert Counter(u.plan_year for u in page.items if u.rollout) == {2018: 33, 2019: 45, 2020: 41}
    # every one at the standard it converts from, announced and maintained
    assert {(u.standard, u.stage) for u in page.items if u.rollout} == {(Standard.iso_9001_2008, Stage.maintain)}
    # two successors of 2025 that were not in the plan received systems
    outside = sorted(u.agency.name for u in page.items if u.rollout is None)
    assert outside == ["Sở Dân tộc và Tôn giáo", "Sở Nông nghiệp và Môi trường"]
    assert page.total == 121


def test_units_merged_in_2025_handed_their_system_to_the_successor(db):
    old = units.unit_by_code(db, "000.00.11.H37")  # Sở Tài nguyên và Môi trường, row I.6
    new = units.unit_by_code(db, "000.00.23.H37")  # Sở Nông nghiệp và Môi trường
    assert (old.plan_group, old.plan_year, old.rollout.source_row) == ("I", 2018, "I.6")
    assert old.handed_over_to_id == new.id and new.handed_over_to_id is None
    view = units.unit_view(db, new)
    assert sorted(p.agency.code for p in view.predecessors) == ["000.00.08.H37", "000.00.11.H37"]
    [handed] = [e for e in units.events_of(db, old) if e.kind == UnitEventKind.handed_over]
    assert handed.other_unit_id == new.id
    received = [e.other_unit_id for e in units.events_of(db, new) if e.kind == UnitEventKind.received]
    assert sorted(received) == sorted(p.id for p in view.predecessors)
    handed_over = db.scalars(select(QualityUnit).where(QualityUnit.handed_over_to_id.is_not(None))).all()
    assert len(handed_over) == 7
    assert units.list_units(db, None, public=True, current_only=True, page_size=500).total == 121 - 7


def test_roadmap_of_plan_71_and_targets_and_budget_of_plan_34(db):
    result = roadmap.roadmap(db)
    assert [(a.source_row, a.year, a.quarter, a.target_units) for a in result.activities] == [
        ("I.1", 2018, 2, None), ("I.2", 2018, 4, 33), ("II.3", 2019, 2, None), ("II.4", 2019, 2, None),
        ("II.5", 2019, 4, 45), ("III.6", 2020, 4, None), ("III.7", 2020, 4, 41),
    ]
    assert [(y.year, y.planned_units, y.converted_units, y.communes_target, y.communes_share_target, y.budget_vnd)
            for y in result.years] == [
        (2018, 33, 0, 50, None, 1_600_000_000),
        (2019, 45, 0, 42, None, 1_360_000_000),
        (2020, 41, 0, None, 70, 100_000_000),
    ]
    assert result.budget_total_vnd == 3_060_000_000
    assert [(q.year, q.quarter, q.planned, q.done) for q in result.quarters] == [
        (2018, 2, 1, 0), (2018, 4, 1, 0), (2019, 2, 2, 0), (2019, 4, 1, 0), (2020, 4, 2, 0),
    ]


def test_appendix_i_targets_add_up_to_the_119_units():
    assert sum(item.target_units or 0 for item in plans.load_roadmap()) == 119
    targets, budget = plans.load_plan_34()
    assert [(t.year, t.communes, t.min_share_percent) for t in targets] == [(2018, 50, None), (2019, 42, None), (2020, None, 70)]
    consultancy = next(line for line in budget if line.row == "II.1")
    assert consultancy.amounts == {2018: 1_000_000_000, 2019: 840_000_000}


def test_the_department_records_an_activity_done(db, people):
    activity = roadmap.record_activity_done(db, people.department, "I.1", on=date(2018, 6, 20), note="Hội nghị ngày 20/6/2018")
    assert activity.done_on == date(2018, 6, 20)
    assert [(q.year, q.quarter, q.done) for q in roadmap.roadmap(db).quarters][0] == (2018, 2, 1)
