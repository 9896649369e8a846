"""The leaders' dashboard panels of issue 13 §6: due today and due soon (working days), the
overdue dossiers by unit and by the officer holding them, the on-time trend (each month equal
to that month's statistics) and the 766 trend (each month equal to index766), in the viewer's
scope; the same figures in the JSON API."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from motcua.core.clock import frozen, to_local
from motcua.reports import dashboards, index766, service
from motcua.reports.counting import period, period_dates
from motcua.reports.enums import Column, DueWindow, GroupBy, PeriodKind
from tests import factories
from tests.dossiers.world import build_world
from tests.factories import local
from tests.html_forms import signed_in
from tests.reports.conftest import LOOK_AT, act, received_at

# Friday 9 July 2027, 10:00. "Due soon" reaches the same time 2 working days later, across the
# weekend: Tuesday 13 July 10:00 (two calendar days would stop on Sunday).
AT = local(2027, 7, 9, 10, 0)
JULY = "ky=custom&tu_ngay=2027-07-01&den_ngay=2027-07-31&nhom=agency"


class Week:
    """Dossiers of 5 working days (due at 17:00 on the 5th working day after receipt) seen at AT."""

    def __init__(self, db):
        w = self.w = build_world(db)
        self.viewer = factories.user(db, "t_bangdieuhanh", "Lê Thị Điều Hành", ("head", w.centre), ("head", w.dept),
                                     ("head", w.dept2), password=factories.PASSWORD)
        factories.user(db, "t_lanhdaotc", "Đỗ Thị Tài Chính", ("head", w.dept2), password=factories.PASSWORD)
        p_dept2 = factories.procedure(db, "TST-9", "Cấp giấy phép thử nghiệm", days=5, agencies=[w.dept2])
        d = self.d = {}
        d["today"] = received_at(db, w, local(2027, 7, 2, 9))  # due Fri 9 July 17:00
        d["monday"] = received_at(db, w, local(2027, 7, 5, 9))  # due Mon 12 July 17:00: soon
        d["tuesday"] = received_at(db, w, local(2027, 7, 6, 9))  # due Tue 13 July 17:00: after 10:00, not soon
        d["paused"] = received_at(db, w, local(2027, 7, 5, 9, 30))  # due Monday, but waiting for a supplement
        act(db, d["paused"], w.head, "request_supplement", local(2027, 7, 6, 9), missing_items=["Tờ khai"])
        d["done"] = received_at(db, w, local(2027, 7, 2, 9, 30))  # due today, but its result is out
        act(db, d["done"], w.head, "forward", local(2027, 7, 5, 10))
        act(db, d["done"], w.specialist, "forward", local(2027, 7, 5, 11))
        act(db, d["done"], w.head, "approve", local(2027, 7, 5, 14))
        act(db, d["done"], w.clerk, "issue_result", local(2027, 7, 6, 10), result_number="2/KQ")
        # Overdue at AT: two held by the specialist, one still waiting at the head's assignment step.
        for key, received in (("overdue_a", local(2027, 6, 30, 9)), ("overdue_b", local(2027, 7, 1, 9))):
            d[key] = received_at(db, w, received)  # due Wed 7 / Thu 8 July 17:00
            act(db, d[key], w.head, "forward", local(2027, 7, 1, 10))
            act(db, d[key], w.specialist, "claim", local(2027, 7, 1, 11))
        d["overdue_unassigned"] = received_at(db, w, local(2027, 6, 29, 9))  # due Tue 6 July
        # The other department's overdue dossier, held by its specialist.
        d["dept2"] = received_at(db, w, local(2027, 6, 29, 9, 30), procedure=p_dept2, agency=w.dept2)
        act(db, d["dept2"], w.head2, "forward", local(2027, 6, 30, 10))
        act(db, d["dept2"], w.specialist2, "claim", local(2027, 6, 30, 11))
        db.flush()


@pytest.fixture
def week(db) -> Week:
    return Week(db)


def board_of(db, user, at=AT):
    with frozen(at):
        return dashboards.leader_dashboard(db, user)


def test_the_history_has_the_due_times_the_calendar_gave(week):
    due = {k: to_local(d.due_at).strftime("%a %d/%m %H:%M") for k, d in week.d.items()}
    assert due["today"] == "Fri 09/07 17:00"
    assert due["monday"] == "Mon 12/07 17:00"
    assert due["tuesday"] == "Tue 13/07 17:00"
    assert due["overdue_b"] == "Thu 08/07 17:00"
    assert week.d["paused"].status == "supplement_requested"


def test_due_today_and_due_soon_count_working_days(db, week):
    board = board_of(db, week.viewer)
    # Today: the one due at 17:00 (the finished one is not counted). Soon: Monday's, across the
    # weekend; Tuesday's falls after 10:00 on Tuesday; the paused one waits for the applicant.
    assert board.due == {DueWindow.today: 1, DueWindow.soon: 1}
    assert to_local(board.due_soon_until) == local(2027, 7, 13, 10, 0)
    assert board.due_soon_working_days == 2
    # Both are in-progress dossiers of the month's statistics, in which the others are too.
    assert board.total[Column.in_progress] == 3 and board.total[Column.overdue] == 4
    assert board.total[Column.waiting_applicant] == 1


def test_due_figures_link_to_lists_of_exactly_those_dossiers(client, db, week):
    signed_in(client, "t_bangdieuhanh")
    with frozen(AT):
        page = client.get("/bao-cao")
    assert page.status_code == 200, page.text[:300]
    for window, key in (("today", "today"), ("soon", "monday")):
        link = re.search(rf'<a href="([^"]+)" data-figure="due_{window}">1</a>', page.text)
        assert link, window
        url = html.unescape(link.group(1))
        assert url == f"/bao-cao/thong-ke/ho-so?{JULY}&cot=in_progress&han={window}"
        with frozen(AT):
            listed = client.get(url)
        assert listed.status_code == 200, listed.text[:300]
        assert 'data-total="1"' in listed.text
        assert re.findall(r'<a href="/ho-so/[0-9a-f-]+">([^<]+)</a>', listed.text) == [week.d[key].code]


def test_a_bad_due_filter_is_refused_in_vietnamese(client, week):
    signed_in(client, "t_bangdieuhanh")
    with frozen(AT):
        unknown = client.get(f"/bao-cao/thong-ke/ho-so?{JULY}&cot=in_progress&han=tomorrow")
        wrong_column = client.get(f"/bao-cao/thong-ke/ho-so?{JULY}&cot=overdue&han=today")
    assert unknown.status_code == 422 and "Hạn “tomorrow” không hợp lệ" in html.unescape(unknown.text)
    assert wrong_column.status_code == 422
    assert "chỉ áp dụng cho hồ sơ đang giải quyết" in html.unescape(wrong_column.text)


def test_overdue_by_unit_and_by_the_officer_holding_it(db, week):
    w = week.w
    board = board_of(db, week.viewer)
    assert [(u.row.code, u[Column.overdue]) for u in board.overdue_units] == [(w.dept.code, 3), (w.dept2.code, 1)]
    assert [(h.username, h.unit_code, h.overdue) for h in board.holders] == [
        ("t_chuyenvien", w.dept.code, 2),
        ("t_chuyenvien2", w.dept2.code, 1),
        ("", w.dept.code, 1),  # waiting at the head's assignment step: nobody holds it yet
    ]
    assert board.holders[2].officer_name == "Chưa có người nhận xử lý"


def test_a_head_sees_only_own_units_and_an_officer_no_officer_figures(client, db, week):
    w = week.w
    head2 = board_of(db, w.head2)
    assert [(u.row.code, u[Column.overdue]) for u in head2.overdue_units] == [(w.dept2.code, 1)]
    assert [(h.username, h.overdue) for h in head2.holders] == [("t_chuyenvien2", 1)]
    assert head2.due == {DueWindow.today: 0, DueWindow.soon: 0}
    assert head2.total[Column.received] == 0  # July: the department's dossier came in June
    # The department's head: its own dossiers only, not the other department's.
    head = board_of(db, w.head)
    assert [(u.row.code, u[Column.overdue]) for u in head.overdue_units] == [(w.dept.code, 3)]
    assert [(h.username, h.overdue) for h in head.holders] == [("t_chuyenvien", 2), ("", 1)]
    assert head.due == {DueWindow.today: 1, DueWindow.soon: 1}
    # A specialist is not a head: the workload rule keeps the per-officer figures from them.
    assert board_of(db, w.specialist).holders is None
    signed_in(client, "t_lanhdaotc")  # the other department's head
    with frozen(AT):
        page = client.get("/bao-cao")
    assert page.status_code == 200
    assert "Vũ Thị Phối Hợp (Sở Tài chính thử nghiệm)" in page.text
    assert "Trần Văn Chuyên" not in page.text and "Sở Tư pháp thử nghiệm" not in page.text


def test_the_on_time_trend_is_the_statistics_of_each_month(db, history):
    with frozen(LOOK_AT):
        board = dashboards.leader_dashboard(db, history.viewer)
        tables = [service.statistics(db, history.viewer, m.period, GroupBy.agency) for m in board.trend]
    assert [m.label for m in board.trend] == [f"{m:02d}/2026" for m in range(8, 13)] + \
        [f"{m:02d}/2027" for m in range(1, 8)]
    for month, table in zip(board.trend, tables, strict=True):
        for c in (Column.finished_early, Column.finished_on_time, Column.finished_late):
            assert month.figures[c] == table.total.counts[c], (month.label, c)
    by_label = {m.label: m.figures for m in board.trend}
    # May: the May dossier, early. June: early (D2, cross-boundary D10), on time (carried D8,
    # apology D3), late (D1). July so far: nothing finished.
    assert (by_label["05/2027"][Column.finished_early], by_label["05/2027"].in_time_share) == (1, 100.0)
    june = by_label["06/2027"]
    assert (june[Column.finished_early], june[Column.finished_on_time], june[Column.finished_late]) == (2, 2, 1)
    assert june.in_time_share == 80.0
    assert by_label["07/2027"].finished == 0 and by_label["07/2027"].in_time_share is None
    assert by_label["04/2027"].in_time_share is None


def test_the_trend_reads_the_months_in_one_query(db, history, monkeypatch):
    from sqlalchemy import event
    statements = []

    def count(conn, cursor, statement, *args):
        if "dossiers" in statement:
            statements.append(statement)

    months = [period(*period_dates(PeriodKind.month, 2027, m), at=LOOK_AT) for m in range(1, 8)]
    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        with frozen(LOOK_AT):
            dashboards.on_time_trend(db, history.viewer, months)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1


def test_the_766_trend_is_index766_of_each_month(db, history):
    w = history.world
    with frozen(LOOK_AT):
        board = dashboards.leader_dashboard(db, history.viewer)
        for month in board.scores:
            found = index766.report(db, history.viewer, month.period, agency_code=w.dept.code, with_risks=False)
            # Every dossier of the viewer's scope is the department's, and there are no PAKN or
            # ratings elsewhere: the scope's score is the department's.
            assert month.score.points == found.scores[0].points, month.label
            assert month.score.computed_maximum == found.scores[0].computed_maximum, month.label
        # The 12 months' dossier figures are read in one GROUP BY: each equals the month's own.
        months = [m.period for m in board.scores]
        for p, found in zip(months, index766.figures_by_period(db, months), strict=True):
            per_agency = index766.dossier_figures(db, p).values()
            assert found == index766.Figures(*(sum(getattr(f, n) for f in per_agency)
                                               for n in index766.Figures.__dataclass_fields__)), p.date_from
    points = {m.label: (m.score.points, m.score.computed_maximum) for m in board.scores}
    # June: progress 4 of 6 handled in time in the 766 view (the apology's new date does not
    # count there) = 13.33, PAKN none due = 6, nothing synced, no e-result, no rating, no fee.
    assert points["06/2027"] == (19.33, 54)
    assert points["05/2027"] == (26.0, 54)  # the May dossier handled early: 20 + 6
    assert points["07/2027"] == (6.0, 24)  # one received, none handled: progress not computable
    assert points["01/2027"] == (6.0, 18)  # no dossier: PAKN 6, satisfaction 0, payment 0


def test_the_766_trend_of_two_agencies_pools_their_figures(db, week):
    w = week.w
    july = period(date(2027, 7, 1), date(2027, 7, 31), at=AT)
    with frozen(AT):
        pooled = index766.scope_score(db, july, {w.dept.id, w.dept2.id})
        one = {s.agency_code: s for s in index766.report(db, week.viewer, july, with_risks=False).scores}
    assert set(one) == {w.dept.code, w.dept2.code}
    by_code = {(i.metric.code, i.metric.part): i for i in pooled.indicators}
    for code in ("DOSSIER_SYNC", index766.PROGRESS, "ORIGINAL_RESULT_AVAILABLE"):
        parts = [next(i for i in s.indicators if i.metric.code == code) for s in one.values()]
        assert by_code[code, ""].numerator == sum(i.numerator or 0 for i in parts), code
        assert by_code[code, ""].denominator == sum(i.denominator or 0 for i in parts), code
    # July: 6 received at the department (none by dept2), 1 handled (early, on time in the 766 view).
    assert (by_code["DOSSIER_SYNC", ""].denominator, by_code[index766.PROGRESS, ""].denominator) == (6, 1)
    assert by_code[index766.PROGRESS, ""].points == 20.0


def test_the_api_answers_the_same_figures(client, db, week):
    w = week.w
    headers = factories.bearer(db, week.viewer)
    with frozen(AT):
        body = client.get("/api/v1/reports/dashboard", headers=headers).json()
    assert (body["from"], body["to"], body["due_today"], body["due_soon"]) == ("2027-07-01", "2027-07-31", 1, 1)
    assert body["due_soon_working_days"] == 2 and body["overdue"] == 4
    assert [(a["code"], a["overdue"]) for a in body["overdue_by_agency"]] == [(w.dept.code, 3), (w.dept2.code, 1)]
    assert [(o["username"], o["overdue"]) for o in body["overdue_by_officer"]] == [
        ("t_chuyenvien", 2), ("t_chuyenvien2", 1), ("", 1)]
    assert [m["month"] for m in body["on_time_trend"]][-1] == "2027-07"
    assert body["on_time_trend"][-1] == {"month": "2027-07", "from": "2027-07-01", "to": "2027-07-31",
                                         "finished_early": 1, "finished_on_time": 0, "finished_late": 0,
                                         "in_time_share": 100.0}
    assert len(body["index766_trend"]) == 12 and body["index766_trend"][-1]["maximum"] == 100
    specialist = client.get("/api/v1/reports/dashboard", headers=factories.bearer(db, w.specialist)).json()
    assert specialist["overdue_by_officer"] is None
    assert client.get("/api/v1/reports/dashboard").status_code == 401
    spec = client.get("/openapi.json").json()
    assert "/api/v1/reports/dashboard" in spec["paths"]
    assert {"due_today", "due_soon", "overdue_by_officer", "on_time_trend", "index766_trend"} <= set(
        spec["components"]["schemas"]["DashboardOut"]["properties"])


def test_the_page_marks_its_tables_for_charts(client, db, history):
    signed_in(client, "t_thongke")
    with frozen(LOOK_AT):
        page = client.get("/bao-cao")
    assert page.status_code == 200
    text = page.text
    for table_id, kind in (("overdue-units", "bar"), ("overdue-officers", "bar"), ("on-time-trend", "stacked"),
                           ("in-time-trend", "line"), ("score-trend", "line")):
        assert re.search(rf'<table [^>]*id="{table_id}" data-chart="{kind}" data-chart-title="[^"]+"', text), table_id
    trend = text[text.index('id="on-time-trend"'):]
    trend = trend[:trend.index("</table>")]
    june = re.search(r'<th scope="row">06/2027</th>(.*?)</tr>', trend, re.S).group(1)
    assert re.findall(r'data-value="([^"]*)"', june) == ["2", "2", "1"]
    share = text[text.index('id="in-time-trend"'):]
    assert re.search(r'06/2027</th>\s*<td class="num" data-label="[^"]+" data-value="80.0">80</td>', share)
    assert re.search(r'04/2027</th>\s*<td class="num" data-label="[^"]+" data-value="">—</td>', share)
    scores = text[text.index('id="score-trend"'):]
    assert re.search(r'06/2027</th>\s*<td class="num" data-label="[^"]+" data-value="19.33">19,33</td>', scores)
