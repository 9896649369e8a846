"""Objectives measured from known dossiers and ratings, and the reports' exact figures and totals
(page lines = XLSX lines)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from motcua.catalog import changes
from motcua.core.clock import frozen
from motcua.core.errors import Forbidden
from motcua.quality import audits, legal_changes, objectives, reports
from motcua.quality.audit_schemas import (
    ActionDoneIn,
    ActionIn,
    AuditHeldIn,
    AuditPlanIn,
    CloseFindingIn,
    FindingIn,
    ReviewHeldIn,
    ReviewPlanIn,
    TargetIn,
)
from motcua.ratings import service as ratings
from motcua.ratings.enums import RatingChannel
from motcua.ratings.inputs import parse_rating
from motcua.reports.counting import period
from tests import factories
from tests.factories import local
from tests.quality.audit_world import build, unit
from tests.ratings.conftest import ANSWERS
from tests.reports.conftest import LOOK_AT, history  # noqa: F401 (the known June 2027 history)


def test_objectives_of_a_unit_from_its_dossiers_and_ratings_against_its_targets(db, history):  # noqa: F811
    w, d = history.world, history.d
    dept_unit = unit(db, w.dept)
    sec = factories.user(db, "q_thuky_tp", "Lý Thị Tư Pháp", ("quality_secretary", w.dept))
    for key, level in (("early", "very_satisfied"), ("late", "not_satisfied"), ("apology", "satisfied")):
        with frozen(local(2027, 6, 20)):
            ratings.record_rating(db, d[key], parse_rating(ANSWERS | {"satisfaction": level}),
                                  channel=RatingChannel.kiosk)
    with frozen(LOOK_AT):
        objectives.set_target(db, sec, dept_unit.id, TargetIn(year=2027, on_time_share_min=80, overdue_max=0,
                                                               satisfaction_min=90))
        m = objectives.measure(db, [dept_unit], period(date(2027, 1, 1), date(2027, 6, 30)))[dept_unit.id]
    # First half of 2027 at the department: results early D2, D10, D11; on time D8, D3; late D1.
    assert (m.results, m.on_time, m.on_time_share) == (6, 5, 83.3)
    assert m.overdue == 1  # D6, open past its appointment on 30 June
    assert (m.rated, m.satisfied, m.satisfaction_share) == (3, 2, 66.7)
    assert m.met == {"on_time_share": True, "overdue": False, "satisfaction": False}
    with frozen(LOOK_AT):  # June alone: D11 (May) is not in it
        june = objectives.measure(db, [dept_unit], period(date(2027, 6, 1), date(2027, 6, 30)))[dept_unit.id]
    assert (june.results, june.on_time, june.on_time_share, june.overdue) == (5, 4, 80.0, 1)
    # Another year has no targets: nothing is judged.
    with frozen(local(2028, 7, 10)):
        later = objectives.measure(db, [dept_unit], period(date(2028, 1, 1), date(2028, 6, 30)))[dept_unit.id]
    assert later.met == {"on_time_share": None, "overdue": None, "satisfaction": None}


@pytest.fixture
def recorded(db):
    """Unit a: two audits (one nonconformity closed, one open past its action's deadline), a
    review; both units: a time-limit change effective 15/01/2027, done by a on 01/03, not by b;
    unit b announced on 10/02/2027."""
    w = build(db)
    factories.procedure(db, "QTST-9", "Cấp giấy phép (thử báo cáo)", days=15, agencies=[w.a, w.b])
    with frozen(local(2027, 1, 20)):
        changeset = changes.diff(db, [changes.Entry(record={"code": "QTST-9", "time_limit_days": 10,
                                                            "time_limit_basis": "Luật thử"})])
        changes.apply(db, changeset, changes.Decision("15/QĐ-UBND", date(2027, 1, 10), date(2027, 1, 15), "UBND tỉnh"),
                      actor="t_admin")
        legal_changes.scan(db, legal_changes.unscanned(db))
    task_a = next(t.task for t in legal_changes.list_tasks(db, w.sec_a))
    with frozen(local(2027, 3, 20, 17)):
        legal_changes.complete_task(db, w.sec_a, task_a.id, done_on=date(2027, 3, 1), note="QT-01 lần 2")
        first = audits.plan_audit(db, w.sec_a, w.unit_a.id, AuditPlanIn(planned_on="20/03/2027", scope="s", auditors="a"))
        audits.record_held(db, w.sec_a, first.id, AuditHeldIn(held_on="20/03/2027", summary="s"))
        nc1 = audits.add_finding(db, w.sec_a, first.id, FindingIn(kind="nonconformity", description="d", root_cause="r"))
        audits.add_finding(db, w.sec_a, first.id, FindingIn(kind="observation", description="o"))
        act1 = audits.add_action(db, w.sec_a, nc1.id, ActionIn(description="a", owner="o", due_on="10/04/2027"))
    with frozen(local(2027, 4, 15, 17)):
        audits.complete_action(db, w.sec_a, act1.id, ActionDoneIn(done_on="08/04/2027", result="r"))
        audits.close_finding(db, w.sec_a, nc1.id, CloseFindingIn(verified_on="15/04/2027", verification_note="v"))
    with frozen(local(2027, 5, 10, 17)):
        second = audits.plan_audit(db, w.sec_a, w.unit_a.id, AuditPlanIn(planned_on="10/05/2027", scope="s", auditors="a"))
        audits.record_held(db, w.sec_a, second.id, AuditHeldIn(held_on="10/05/2027", summary="s"))
        nc2 = audits.add_finding(db, w.sec_a, second.id, FindingIn(kind="nonconformity", description="d", root_cause="r"))
        audits.add_action(db, w.sec_a, nc2.id, ActionIn(description="a", owner="o", due_on="31/05/2027"))
        review = audits.plan_review(db, w.sec_a, w.unit_a.id, ReviewPlanIn(planned_on="20/06/2027"))
    with frozen(local(2027, 6, 20, 17)):
        audits.record_review(db, w.sec_a, review.id, ReviewHeldIn(held_on="20/06/2027", chaired_by="c",
                                                                  inputs=[{"topic": "risks", "note": "n"}],
                                                                  decisions=["d"]))
    w.unit_b.announcement_date = date(2027, 2, 10)
    db.flush()
    return w


A = dict(announced_in_period=0, audits_held=2, reviews_held=1, ncs_found=2, ncs_open=1, ncs_overdue=1,
         legal_opened=1, legal_pending=0, legal_overdue=0)
B = dict(announced_in_period=1, audits_held=0, reviews_held=0, ncs_found=0, ncs_open=0, ncs_overdue=0,
         legal_opened=1, legal_pending=1, legal_overdue=1)


def test_the_province_summary_counts_each_unit_and_the_files_carry_the_same_totals(db, recorded):
    w = recorded
    with frozen(LOOK_AT):
        summary = reports.province_summary(db, w.sec_dept, "half", 2027, 1)
        with pytest.raises(Forbidden):  # a unit's secretary reports on its own unit only
            reports.province_summary(db, w.sec_a, "half", 2027, 1)
    rows = {r.agency_code: r for r in summary.rows}
    assert rows[w.a.code].figures == A and rows[w.b.code].figures == B
    assert (rows[w.a.code].announced, rows[w.b.code].announced) == (False, True)
    # No other unit has records: the totals are the two units'.
    assert summary.totals == {k: A[k] + B[k] for k in A}
    assert sum(summary.by_stage.values()) == len(summary.rows)
    assert summary.title == "Báo cáo 6 tháng đầu năm 2027"
    lines = reports.summary_lines(summary)
    sheet = load_workbook(io.BytesIO(reports.summary_xlsx(summary))).active
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert len(cells) == len(lines) == len(summary.rows) + 1
    total = cells[-1]
    assert total[2] == "Tổng cộng" and total[4] == summary.announced
    assert total[5:] == [summary.totals[k] for k in reports.FIGURES]
    assert [c[:3] for c in cells[:-1]] == [line[:3] for line in lines[:-1]]


def test_at_the_end_of_march_the_first_nonconformity_is_still_open_not_overdue(db, recorded):
    w = recorded
    with frozen(local(2027, 4, 1)):
        report = reports.unit_report(db, w.sec_a, w.unit_a.id, "year", 2027)
    # Judged today (1 April) while the year runs: nc1 open, its action due 10/04 not yet late.
    assert report.row.figures == A | dict(audits_held=1, reviews_held=0, ncs_found=1, ncs_open=1, ncs_overdue=0)
    assert [a.planned_on for a in report.audits] == [date(2027, 3, 20), date(2027, 5, 10)]  # the year's plan
    with pytest.raises(Forbidden):
        reports.unit_report(db, w.sec_b, w.unit_a.id, "year", 2027)
