"""The leaders' dashboard, the statistics page and the public statistics page in a browser:
screenshots, the XLSX export downloaded through the page's link whose totals equal the page's,
nothing scrolling sideways at 390 px, and axe on the public page (issue 13, "Done when")."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from motcua.reports.counting import COLUMNS
from tests.browser.accessibility import assert_accessible, no_sideways_scroll
from tests.browser.conftest import screenshot
from tests.browser.dossier_page import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def page_totals(page) -> list[int]:
    """The statistics page's total row, in the order of COLUMNS."""
    total = page.locator("#statistics tfoot")
    return [int(total.locator(f"a[data-column='{c.value}']").inner_text()) for c in COLUMNS]


def test_dashboard_statistics_and_export(live_server, page):
    log_in(page, live_server, "admin")
    assert page.goto(f"{live_server}/bao-cao").status == 200
    assert page.locator("h1").inner_text() == "Bảng điều hành"
    # The panels of issue 13 §6: due today / soon, and the 12-month trends as chart tables.
    assert page.locator("a[data-figure='due_today']").count() == 1
    assert page.locator("a[data-figure='due_soon']").count() == 1
    assert page.locator("table#on-time-trend[data-chart='stacked'] tbody tr").count() == 12
    assert page.locator("table#score-trend[data-chart='line'] tbody tr").count() == 12
    screenshot(page, "reports-dashboard")
    page.get_by_role("link", name="Xem bảng thống kê đầy đủ của tháng").click()
    page.wait_for_load_state("networkidle")
    assert "/bao-cao/thong-ke" in page.url
    # The whole year, so the demo's dossiers are in the figures.
    page.goto(f"{live_server}/bao-cao/thong-ke?ky=year&nam={date.today().year}&nhom=agency")
    totals = page_totals(page)
    assert sum(totals) > 0
    screenshot(page, "reports-statistics")
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel (XLSX)").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][2] == "Tổng cộng"
    assert [int(v) for v in rows[-1][3:3 + len(COLUMNS)]] == totals
    # The column sums of the exported rows are the total row too.
    body = rows[3:-1]
    assert [sum(int(r[3 + i]) for r in body) for i in range(len(COLUMNS))] == totals


@pytest.mark.parametrize("path", ["/bao-cao", "/bao-cao/thong-ke", "/bao-cao/can-bo", "/thong-ke"])
def test_report_pages_fit_a_phone(live_server, page, path):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "admin")
    assert page.goto(f"{live_server}{path}").status == 200
    no_sideways_scroll(page)


def test_public_statistics_without_login(live_server, page):
    page.context.clear_cookies()
    assert page.goto(f"{live_server}/thong-ke").status == 200
    assert "Tình hình giải quyết thủ tục hành chính" in page.locator("h1").inner_text()
    received = page.locator("[data-total='year-received']").inner_text()
    assert received.replace(".", "").isdigit()
    screenshot(page, "reports-public")
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    screenshot(page, "reports-public-390")
