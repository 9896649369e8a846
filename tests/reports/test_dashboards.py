"""The leaders' dashboard and the public statistics page over the known history of conftest.py."""

from __future__ import annotations

import re

from motcua.core.clock import frozen
from motcua.reports import dashboards, service
from motcua.reports.counting import period
from motcua.reports.enums import Column, GroupBy
from tests.html_forms import signed_in
from tests.reports.conftest import LOOK_AT


def test_public_statistics_of_the_year(db, history):
    with frozen(LOOK_AT):
        stats = dashboards.public_statistics(db)
    year = stats.year_total
    # Accepted in 2027: every dossier of the history but the incomplete receipt.
    assert year[Column.received] == 12
    # Results: May's (early), the carried one (on time), late, early, apology (on time), cross (early).
    assert (year.finished, year[Column.finished_early], year[Column.finished_on_time],
            year[Column.finished_late]) == (6, 3, 2, 1)
    assert year.in_time_share == 83.3 and year.late_share == 16.7
    assert stats.month_total[Column.received] == 1  # July so far: the dossier of 1 July


def test_public_page_needs_no_login_and_shows_no_personal_data(client, history):
    with frozen(LOOK_AT):
        page = client.get("/thong-ke")
    assert page.status_code == 200, page.text[:300]
    assert re.search(r'data-total="year-received">12<', page.text)
    assert 'data-total="year-in-time">83,3<' in page.text
    assert "Sở Tư pháp thử nghiệm" in page.text
    for personal in ("Nguyễn Văn An", "012345678901", "0912345678", history.d["late"].code):
        assert personal not in page.text


def test_dashboard_figures_are_the_statistics_of_the_month(client, db, history):
    with frozen(LOOK_AT):
        board = dashboards.leader_dashboard(db, history.viewer)
        table = service.statistics(db, history.viewer, period(LOOK_AT.date().replace(day=1),
                                                              LOOK_AT.date().replace(day=31)), GroupBy.agency)
    assert board.total.row.counts == table.total.counts
    # At 10 July: overdue are June's overdue one, the one of 28 June (due 5 July) and the one of
    # 1 July (due 8 July); the supplement one restarted on 5 July is not due yet.
    assert board.total[Column.overdue] == 3 and board.total[Column.received] == 1
    signed_in(client, "t_thongke")
    with frozen(LOOK_AT):
        page = client.get("/bao-cao")
    assert page.status_code == 200, page.text[:300]
    assert re.search(r'data-figure="overdue">3<', page.text)
    assert 'href="/bao-cao/thong-ke?ky=custom&amp;tu_ngay=2027-07-01&amp;den_ngay=2027-07-31&amp;nhom=agency"' in page.text
    assert 'href="/thong-ke"' in page.text


def test_dashboard_needs_a_login(client, history):
    response = client.get("/bao-cao", follow_redirects=False)
    assert response.status_code in (302, 303, 401)
