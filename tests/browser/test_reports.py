"""The leaders' dashboard, the statistics page and the public statistics page in a browser:
screenshots, the XLSX export downloaded through the page's link whose totals equal the page's,
nothing scrolling sideways at 390 px, and axe on the public page (issue 13, "Done when").
The charts (issue 13 §6): every marked table drawn by Chart.js with the table's own figures,
no CSP violation, and the tables alone when the library is missing."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from motcua.reports.counting import COLUMNS
from tests.browser.accessibility import assert_accessible, no_sideways_scroll
from tests.browser.conftest import screenshot
from tests.browser.dossier_page import log_in
from tests.needs import missing

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CHART_JS = Path(__file__).resolve().parents[2] / "var" / "assets" / "chart.umd.min.js"


def page_totals(page) -> list[int]:
    """The statistics page's total row, in the order of COLUMNS."""
    total = page.locator("#statistics tfoot")
    return [int(total.locator(f"a[data-column='{c.value}']").inner_text()) for c in COLUMNS]


def charts_fit(page) -> None:
    """After the window changed size, wait for Chart.js to redraw the charts at the new width
    (it follows its box's size asynchronously, through a ResizeObserver)."""
    page.wait_for_function("""() => [...document.querySelectorAll('.chart canvas')].every(c =>
        c.getBoundingClientRect().right <= window.innerWidth
        && Math.abs(c.width / window.devicePixelRatio - c.clientWidth) < 2)""")


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
    charts_fit(page)
    no_sideways_scroll(page)
    screenshot(page, "reports-public-390")


# --- charts ---------------------------------------------------------------------------------

RECORD_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""

# What each marked table holds, read from the page's own cells (the visible text, not the
# data-value the script reads): row names, and per series column its header and figures.
TABLE_FIGURES = """(table) => {
  const head = [...table.tHead.rows[table.tHead.rows.length - 1].cells];
  const rows = [...table.tBodies[0].rows].filter(r => r.querySelector('th[scope=row]'));
  const columns = head.map((_, i) => i).filter(i => rows.some(r => r.cells[i].hasAttribute('data-value')));
  return {
    labels: rows.map(r => (r.querySelector('th[scope=row]').dataset.label || r.querySelector('th[scope=row]').textContent).trim()),
    series: columns.map(i => [head[i].textContent.trim(), rows.map(r => r.cells[i].textContent.trim())]),
  };
}"""

# What Chart.js drew for each marked table: its canvas (size, the pixels painted in the first
# series' colour), the chart's labels and data, and whether it is hidden from assistive technology.
DRAWN = """(table) => {
  const canvas = document.getElementById(table.dataset.chartCanvas || '');
  if (!canvas) return null;
  const chart = Chart.getChart(canvas);
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i] === 0x00 && pixels[i + 1] === 0x7a && pixels[i + 2] === 0x5e && pixels[i + 3] === 255) painted++;
  }
  return {
    width: canvas.width, height: canvas.height, painted,
    hidden: canvas.closest('[aria-hidden=true]') !== null,
    before_table: !!(canvas.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING),
    type: chart.config.type, horizontal: chart.options.indexAxis === 'y',
    stacked: !!chart.options.scales.x.stacked,
    title: chart.options.plugins.title.text,
    labels: chart.data.labels,
    series: chart.data.datasets.map(d => [d.label, d.data]),
  };
}"""


def shown_number(text: str) -> float | None:
    """A figure as the page shows it ("1.234", "83,3", "—" for none) as a number."""
    if text in {"—", ""}:
        return None
    return float(text.replace(".", "").replace(",", "."))


def require_chart_library() -> None:
    if not CHART_JS.exists():
        missing(f"Chart.js is not installed ({CHART_JS}): run scripts/fetch_assets.sh (needs npm)")


def points_number(text: str) -> float | None:
    """A figure of the 766 page's points ("13,33", Vietnamese style), "Chưa tính được" for none."""
    return None if text == "Chưa tính được" else shown_number(text)


def assert_tables_drawn(page, name: str, expected_tables: int, number=shown_number) -> list[dict]:
    """Every table[data-chart] of the open page has its chart, drawn before it with the
    table's figures (as `number` reads them); a screenshot of the page is saved as `name`."""
    tables = page.locator("table[data-chart]")
    assert tables.count() == expected_tables
    drawn = []
    for i in range(expected_tables):
        table = tables.nth(i)
        chart = table.evaluate(DRAWN)
        assert chart is not None, f"table {i} of {page.url} has no chart"
        figures = table.evaluate(TABLE_FIGURES)
        assert chart["width"] > 200 and chart["height"] > 150, chart
        assert chart["painted"] > 200, chart  # bars (or a line) in the first colour, not an empty canvas
        assert chart["hidden"] and chart["before_table"]
        assert " ".join(chart["title"]) == table.get_attribute("data-chart-title")  # in lines that fit
        assert len(chart["labels"]) == len(figures["labels"])
        for shown, full in zip(chart["labels"], figures["labels"], strict=True):
            # a long name is cut with "…" on the chart (the tooltip and the table have it whole)
            assert shown == full or (shown.endswith("…") and full.startswith(shown[:-1])), (shown, full)
        assert [name for name, _ in chart["series"]] == [name for name, _ in figures["series"]]
        for (_, values), (_, shown) in zip(chart["series"], figures["series"], strict=True):
            assert values == [number(text) for text in shown]
        drawn.append(chart)
    assert page.evaluate("window.__csp || []") == []  # no CSP violation (inline script, eval) on this page
    screenshot(page, name)
    return drawn


def test_statistics_and_public_pages_draw_their_tables(live_server, page):
    require_chart_library()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(RECORD_CSP)
    page.context.clear_cookies()
    assert page.goto(f"{live_server}/thong-ke").status == 200
    [public] = assert_tables_drawn(page, "reports-chart-public", 1)
    assert public["type"] == "bar" and public["horizontal"] and not public["stacked"]
    assert public["series"][0][0] == "Trước hạn và đúng hạn (%)"
    assert any(v is not None and v > 0 for v in public["series"][0][1])  # the demo has results this year
    assert_accessible(page)  # the chart is hidden from assistive technology; the table is the figures
    page.set_viewport_size(PHONE)
    charts_fit(page)
    no_sideways_scroll(page)
    screenshot(page, "reports-chart-public-390")

    log_in(page, live_server, "admin")
    assert page.goto(f"{live_server}/bao-cao/thong-ke?ky=year&nam={date.today().year}&nhom=agency").status == 200
    page.set_viewport_size({"width": 1280, "height": 900})
    [statistics] = assert_tables_drawn(page, "reports-chart-statistics", 1)
    assert statistics["type"] == "bar" and statistics["stacked"]
    assert [name for name, _ in statistics["series"]] == ["Trước hạn", "Đúng hạn", "Quá hạn"]
    assert sum(v for _, values in statistics["series"] for v in values) > 0

    assert page.goto(f"{live_server}/bao-cao/chi-so-766?ky=year&nam={date.today().year}").status == 200
    count = page.locator("table[data-chart]").count()
    assert count >= 1
    scores = assert_tables_drawn(page, "reports-chart-766", count, points_number)
    assert all([name for name, _ in s["series"]] == ["Điểm", "Tối đa"] for s in scores)
    assert errors == []


def test_without_the_chart_library_the_tables_remain(live_server, page):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/assets/chart.umd.min.js", lambda route: route.fulfill(status=404, body=""))
    page.context.clear_cookies()
    assert page.goto(f"{live_server}/thong-ke").status == 200
    assert page.locator("#public-agencies tbody tr").count() > 0
    assert page.locator("canvas").count() == 0 and page.locator(".chart").count() == 0
    assert errors == []
