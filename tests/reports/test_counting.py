"""Every figure of the statistics of a known history, exactly, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.core.clock import frozen
from motcua.core.errors import InvalidInput
from motcua.reports import service
from motcua.reports.counting import COLUMNS, period, period_dates
from motcua.reports.enums import Column, GroupBy, PeriodKind
from tests.dossiers.world import build_world
from tests.factories import local
from tests.reports.conftest import JUNE, LOOK_AT, act, received_at

C = Column
ZERO = dict.fromkeys(COLUMNS, 0)


def figures(db, user, group_by, dates=JUNE, at=LOOK_AT):
    with frozen(at):
        table = service.statistics(db, user, period(*dates), GroupBy(group_by))
    return table


def test_the_history_has_the_outcomes_the_services_gave(history):
    d = history.d
    assert d["late"].outcome == "late" and d["early"].outcome == "early"
    assert d["apology"].outcome == "on_time" and d["apology"].reappointed
    assert d["carried"].outcome == "on_time" and d["cross"].outcome == "early"
    assert d["supplement"].supplement_count == 1 and d["supplement"].status == "awaiting_assignment"


def test_june_by_competent_agency_counts_every_figure_exactly(db, history):
    table = figures(db, history.viewer, "agency")
    assert [r.code for r in table.rows] == [history.world.dept.code]
    expected = ZERO | {
        C.carried_over: 1, C.received: 9, C.received_counter: 9, C.cross_boundary: 1,
        C.finished_early: 2, C.finished_on_time: 2, C.finished_late: 1, C.refused: 1, C.withdrawn: 1,
        C.in_progress: 1, C.overdue: 1, C.waiting_applicant: 1, C.waiting_supplement: 1,
    }
    assert table.rows[0].counts == expected
    assert table.total.counts == expected
    assert table.total.online_share == 0.0


def test_the_balance_holds_for_every_group(db, history):
    for group_by in GroupBy:
        table = figures(db, history.viewer, group_by)
        for row in [*table.rows, table.total]:
            c = row.counts
            finished = sum(c[x] for x in (C.finished_early, C.finished_on_time, C.finished_late, C.refused,
                                          C.withdrawn, C.stopped))
            assert c[C.carried_over] + c[C.received] == finished + c[C.in_progress] + c[C.overdue] + c[C.waiting_applicant]
            assert c[C.received] == c[C.received_counter] + c[C.received_post] + c[C.received_online]
            assert c[C.waiting_applicant] == c[C.waiting_supplement] + c[C.waiting_payment]
        for column in COLUMNS:  # every grouping puts a dossier in exactly one group
            assert table.total.counts[column] == sum(r.counts[column] for r in table.rows), (group_by, column)


def test_a_cross_boundary_dossier_counts_at_the_receiving_unit_and_at_the_competent_agency(db, history):
    w = history.world
    by_unit = {r.code: r.counts for r in figures(db, history.viewer, "receiving_unit").rows}
    assert set(by_unit) == {w.centre.code, w.commune.code}
    assert by_unit[w.commune.code] == ZERO | {C.received: 1, C.received_counter: 1, C.cross_boundary: 1,
                                              C.finished_early: 1}
    assert by_unit[w.centre.code][C.received] == 8 and by_unit[w.centre.code][C.carried_over] == 1
    by_agency = {r.code: r.counts for r in figures(db, history.viewer, "agency").rows}
    assert by_agency[w.dept.code][C.cross_boundary] == 1
    # The commune's own officer sees the commune's receipt, not the department's other dossiers.
    commune_only = figures(db, w.counter_commune, "receiving_unit")
    assert [(r.code, r.counts[C.received]) for r in commune_only.rows] == [(w.commune.code, 1)]
    assert figures(db, w.counter_commune, "agency").rows == []


def test_groups_by_procedure_channel_officer_and_field(db, history):
    w = history.world
    by_procedure = {r.code: r.counts[C.received] for r in figures(db, history.viewer, "procedure").rows}
    assert by_procedure == {w.p_dept.code: 8, w.p_cross.code: 1}
    by_channel = figures(db, history.viewer, "channel")
    assert [(r.code, r.name, r.counts[C.received]) for r in by_channel.rows] == [("counter", "Trực tiếp", 9)]
    by_officer = {r.code: r.counts[C.received] for r in figures(db, history.viewer, "officer").rows}
    assert by_officer == {w.counter.username: 8, w.counter_commune.username: 1}
    by_field = figures(db, history.viewer, "field")
    assert [(r.key, r.name, r.counts[C.received]) for r in by_field.rows] == [("none", service.NONE_NAME, 9)]


def test_a_past_month_is_judged_at_its_end(db, history):
    # May: D11 received and finished early; D8 received on 27 May, not yet due on 31 May.
    table = figures(db, history.viewer, "agency", dates=(date(2027, 5, 1), date(2027, 5, 31)))
    assert table.total.counts == ZERO | {C.received: 2, C.received_counter: 2, C.finished_early: 1, C.in_progress: 1}


def test_the_current_period_is_judged_now(db, history):
    # Seen on 16 June, while June runs: D7 waits for its supplement (its pause is open now),
    # D6 is overdue; D1 and D3 were finished before, so nothing else is overdue.
    table = figures(db, history.viewer, "agency", at=local(2027, 6, 16, 9))
    c = table.total.counts
    assert table.period.at == local(2027, 6, 16, 9)
    assert c[C.waiting_applicant] == 1 and c[C.overdue] == 1


def test_periods_and_bad_periods():
    assert period_dates(PeriodKind.month, 2027, 2) == (date(2027, 2, 1), date(2027, 2, 28))
    assert period_dates(PeriodKind.quarter, 2027, 4) == (date(2027, 10, 1), date(2027, 12, 31))
    assert period_dates(PeriodKind.half, 2027, 1) == (date(2027, 1, 1), date(2027, 6, 30))
    assert period_dates(PeriodKind.year, 2027) == (date(2027, 1, 1), date(2027, 12, 31))
    with pytest.raises(InvalidInput, match="từ 1 đến 4"):
        period_dates(PeriodKind.quarter, 2027, 5)
    with pytest.raises(InvalidInput, match="sau hoặc bằng ngày bắt đầu"):
        period(date(2027, 6, 30), date(2027, 6, 1))
    with pytest.raises(InvalidInput, match="chưa bắt đầu"):
        with frozen(LOOK_AT):
            period(date(2027, 8, 1), date(2027, 8, 31))


def test_a_dossier_waiting_for_payment_waits_for_the_applicant(db):
    w = build_world(db, "P")
    d = received_at(db, w, local(2027, 6, 1, 9))
    act(db, d, w.head, "forward", local(2027, 6, 2, 9))
    act(db, d, w.specialist, "request_payment", local(2027, 6, 3, 9), amount=200000)
    table = figures(db, w.head, "agency")
    assert table.total.counts == ZERO | {C.received: 1, C.received_counter: 1, C.waiting_applicant: 1,
                                         C.waiting_payment: 1}
    # Paid on 1 July: at the end of June it still waited; seen on 1 July noon, July counts it running.
    act(db, d, w.specialist, "confirm_payment", local(2027, 7, 1, 9))
    assert figures(db, w.head, "agency").total.counts[C.waiting_payment] == 1
    july = figures(db, w.head, "agency", dates=(date(2027, 7, 1), date(2027, 7, 31)), at=local(2027, 7, 1, 12))
    assert july.total.counts[C.carried_over] == 1 and july.total.counts[C.waiting_applicant] == 0
