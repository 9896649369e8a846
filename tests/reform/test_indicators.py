"""Indicators measured by the system (a task's indicator, a scoring-sheet item's source): filled in
from the statistics' counting and the 766 score, never typed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from motcua.core.clock import frozen
from motcua.core.errors import InvalidInput
from motcua.reform import progress, scoring
from motcua.reform.indicators import Source
from motcua.reform.plans import ContentGroup, Indicator, PlanData, TaskData, create_plan
from motcua.reform.scoring import AppraisalIn, ItemIn, SelfScoreIn, SheetIn
from motcua.reports import index766
from motcua.reports.counting import period
from motcua.reports.enums import Column, GroupBy
from motcua.reports.service import statistics
from tests.reports.conftest import LOOK_AT, history  # noqa: F401  (the fixture: a known June 2027)

LOOK = date(2027, 7, 10)


def test_on_time_and_online_shares_come_from_the_statistics(db, history):  # noqa: F811
    w = history.world
    plan = create_plan(db, PlanData(year=2027, province="Lạng Sơn", decision="Quyết định số 2/QĐ-UBND (kiểm thử)",
                                    title="Kế hoạch kiểm thử"), [
        TaskData(content_group=ContentGroup.procedures, title="Giải quyết hồ sơ đúng hạn", lead_unit=w.dept.name,
                 lead_agency_id=w.dept.id, indicator=Indicator.on_time_share),
        TaskData(content_group=ContentGroup.e_government, title="Tăng hồ sơ trực tuyến", lead_unit=w.dept.name,
                 lead_agency_id=w.dept.id, indicator=Indicator.online_share),
    ])
    on_time, online = progress.plan_tasks(db, plan)
    with frozen(LOOK_AT):
        table = statistics(db, history.viewer, period(date(2027, 1, 1), LOOK), GroupBy.agency)
        measured = progress.measure(db, on_time)
        online_measured = progress.measure(db, online)
    row = next(r for r in table.rows if r.key == str(w.dept.id))  # the statistics page's row of the department
    finished = row.counts[Column.finished_early] + row.counts[Column.finished_on_time]
    assert (measured.numerator, measured.denominator) == (finished, finished + row.counts[Column.finished_late]) == (5, 6)
    assert (measured.value, measured.start, measured.end) == (83.3, date(2027, 1, 1), LOOK)
    assert (online_measured.numerator, online_measured.denominator, online_measured.value) == (
        row.counts[Column.received_online], row.counts[Column.received], row.online_share) == (0, 12, 0.0)


def _measured_sheet(db, council):
    D = Decimal
    sheet = scoring.create_sheet(db, council, SheetIn(year=2027, name="Bộ chỉ số đo tự động (kiểm thử)",
                                                      basis="Kiểm thử", items=[
        ItemIn(code="1", title="Kết quả giải quyết thủ tục hành chính"),
        ItemIn(code="1.1", title="Tỷ lệ hồ sơ đúng hạn", max_points=D("5"), source=Source.on_time_share),
        ItemIn(code="1.2", title="Tỷ lệ hồ sơ trực tuyến", max_points=D("2"), source=Source.online_share),
        ItemIn(code="1.3", title="Điểm Bộ chỉ số 766", max_points=D("3"), source=Source.index766),
        ItemIn(code="1.4", title="Công khai thủ tục", max_points=D("1")),
    ]))
    scoring.set_status(db, council, sheet, scoring.SheetStatus.open)
    return sheet


def test_sheet_items_measured_by_the_system_are_filled_from_the_statistics(db, history, officer):  # noqa: F811
    w = history.world
    sheet = _measured_sheet(db, officer)
    with frozen(LOOK_AT):
        scoring.self_score(db, history.viewer, sheet, SelfScoreIn(agency_code=w.dept.code, item_code="1.4",
                                                                  points=Decimal("0.75")))
        # Nobody types a measured item's points, neither the unit nor the council.
        with pytest.raises(InvalidInput, match="lấy điểm từ số liệu hệ thống đo"):
            scoring.self_score(db, history.viewer, sheet, SelfScoreIn(agency_code=w.dept.code, item_code="1.1",
                                                                      points=Decimal("5")))
        with pytest.raises(InvalidInput, match="không chấm tay"):
            scoring.appraise(db, officer, sheet, AppraisalIn(agency_code=w.dept.code, item_code="1.3",
                                                             points=Decimal("3")))
        unit = scoring.unit_sheet(db, sheet, w.dept)
        ranked = scoring.ranking(db, sheet)
        score766 = index766.report(db, history.viewer, period(date(2027, 1, 1), LOOK),
                                   agency_code=w.dept.code).scores[0]
    lines = {ln.item.code: ln for ln in unit.lines}
    # On time: 5 of the 6 results finished by 10/07 (the statistics page's figures): 5 × 5/6 = 4,17.
    assert lines["1.1"].points == Decimal("4.17")
    assert lines["1.1"].computed.basis == ("Tỷ lệ hồ sơ giải quyết đúng hạn (%): 83,3 % (5/6 hồ sơ; từ 01/01/2027 "
                                           "đến 10/07/2027; nguồn: Thống kê hồ sơ)")
    # Online: none of the 12 received dossiers came in online: 0 points, counted.
    assert (lines["1.2"].points, lines["1.2"].computed.counted) == (Decimal("0.00"), True)
    # 766: the department's score on the 766 page, out of 100, times 3 points.
    assert (score766.points, score766.computed_maximum) == (20.29, 54)
    assert lines["1.3"].points == Decimal("0.61")  # 3 × 20,29 / 100 = 0,6087
    assert lines["1.3"].computed.basis == (
        "Điểm tự đánh giá theo Quyết định 766/QĐ-TTg (trên 100 điểm): 20,29/100 điểm, tính được các chỉ tiêu có "
        "tổng 54 điểm (từ 01/01/2027 đến 10/07/2027; nguồn: Chỉ số 766)")
    assert lines["1"].points == Decimal("5.53")  # 4,17 + 0 + 0,61 + 0,75
    assert (unit.total.total, unit.total.measured_total, unit.total.self_total) == (
        Decimal("5.53"), Decimal("4.78"), Decimal("0.75"))
    assert [(t.agency_name, t.total, t.rank) for t in ranked] == [(w.dept.name, Decimal("5.53"), 1)]


def test_an_item_takes_its_points_from_one_origin_only():
    with pytest.raises(ValidationError, match="không cả hai"):
        ItemIn(code="1.1", title="Hài lòng và đúng hạn", max_points=Decimal("1"), from_survey=True,
               source=Source.on_time_share)
