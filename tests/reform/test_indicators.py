"""Indicators measured by the system: filled in from the statistics' counting, never typed."""

from __future__ import annotations

from datetime import date

from motcua.core.clock import frozen
from motcua.reform import progress
from motcua.reform.plans import ContentGroup, Indicator, PlanData, TaskData, create_plan
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
