"""Charts of the report tables (issue 13 §6): the SVG drawn for the PDFs (reports/charts.py)
read back as a reader would — bars measured, labels read —, the pages' tables marked for the
browser's charts with the figures they show, and the statistics PDF with its chart and totals."""

from __future__ import annotations

import html
import io
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from motcua.core.clock import frozen
from motcua.reports import charts
from motcua.reports.counting import COLUMNS, period
from motcua.reports.enums import Column, GroupBy
from motcua.reports.exports import statistics_chart
from motcua.reports.service import province_statistics
from tests.documents.pdfutil import pdf_text
from tests.html_forms import signed_in
from tests.reports.conftest import JUNE, LOOK_AT

SVG = "{http://www.w3.org/2000/svg}"
QUERY = "ky=month&nam=2027&so=6&nhom=receiving_unit"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def bars(root: ET.Element) -> dict[tuple[int, int], tuple[float, float, float, float]]:
    """Each bar's (x0, x1, y0, y1) by (series, category), from its path's corners."""
    found = {}
    for group in root.iter(f"{SVG}g"):
        m = re.fullmatch(r"bar-(\d+)-(\d+)", group.get("id", ""))
        if m:
            numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", group.find(f"{SVG}path").get("d"))]
            xs, ys = numbers[0::2], numbers[1::2]
            found[int(m[1]), int(m[2])] = (min(xs), max(xs), min(ys), max(ys))
    return found


def texts(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text") if t.text]


def fill_colours(pdf: bytes) -> set[str]:
    """The fill colours (`r g b rg`) the PDF's pages paint with, as #rrggbb."""
    stream = b"".join(page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages)
    return {"#" + "".join(f"{round(float(v) * 255):02x}" for v in m.groups())
            for m in re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", stream)}


def test_stacked_bars_have_the_lengths_of_the_figures_and_a_gap_for_no_figure():
    chart = charts.chart("stacked", "Hồ sơ đã có kết quả theo cơ quan giải quyết",
                         ["Sở Tư pháp", "UBND phường Đông Kinh", "Sở Xây dựng"],
                         {"Trước hạn": [3, 1, 0], "Đúng hạn": [5, None, 2], "Quá hạn": [1, 2, 0]})
    assert chart.horizontal  # a long name: bars lie down
    root = parse(charts.chart_svg(chart))
    found = bars(root)
    # No figure, no bar: "Đúng hạn" of the ward is a gap.
    assert set(found) == {(s, c) for s in range(3) for c in range(3)} - {(1, 1)}
    length = {k: x1 - x0 for k, (x0, x1, _, _) in found.items()}
    unit = length[0, 0] / 3
    expected = {(0, 0): 3, (1, 0): 5, (2, 0): 1, (0, 1): 1, (2, 1): 2, (0, 2): 0, (1, 2): 2, (2, 2): 0}
    for key, figure in expected.items():
        assert length[key] == pytest.approx(figure * unit, abs=0.01), key
    # Stacked: each series starts where the one before ends, on the same line.
    assert found[1, 0][0] == pytest.approx(found[0, 0][1], abs=0.01)
    assert found[2, 0][0] == pytest.approx(found[1, 0][1], abs=0.01)
    assert found[2, 1][0] == pytest.approx(found[0, 1][1], abs=0.01)  # after the gap
    assert found[0, 0][2:] == pytest.approx(found[2, 0][2:])
    # The first row of the table on top.
    assert found[0, 0][2] < found[0, 1][2] < found[0, 2][2]
    # Every word in a font with the Vietnamese letters, as text (searchable in the PDF).
    assert {t.get("style").split("font-family: ")[1].split(";")[0] for t in root.iter(f"{SVG}text")} == {"'DejaVu Sans'"}
    words = texts(root)
    for label in ("Hồ sơ đã có kết quả theo cơ quan giải quyết", "Sở Tư pháp", "UBND phường Đông Kinh",
                  "Sở Xây dựng", "Trước hạn", "Đúng hạn", "Quá hạn"):
        assert label in words
        assert unicodedata.is_normalized("NFC", label)


def test_grouped_bars_side_by_side_and_the_unit_on_the_value_axis():
    chart = charts.chart("bar", "Tỷ lệ đúng hạn", ["Quý 1", "Quý 2"], {"Năm 2026": [80, 62.5], "Năm 2027": [40, None]},
                         unit="%")
    assert not chart.horizontal
    root = parse(charts.chart_svg(chart))
    found = bars(root)
    assert set(found) == {(0, 0), (0, 1), (1, 0)}
    height = {k: y1 - y0 for k, (_, _, y0, y1) in found.items()}
    assert height[0, 1] / height[0, 0] == pytest.approx(62.5 / 80, abs=1e-3)
    assert height[1, 0] / height[0, 0] == pytest.approx(40 / 80, abs=1e-3)
    # Side by side within the category, the same width; all on the same base line.
    assert found[0, 0][1] == pytest.approx(found[1, 0][0], abs=0.01)
    assert found[0, 0][1] - found[0, 0][0] == pytest.approx(found[1, 0][1] - found[1, 0][0])
    assert found[0, 0][3] == pytest.approx(found[0, 1][3]) == pytest.approx(found[1, 0][3])
    words = texts(root)
    assert {"0%", "20%", "40%", "60%", "80%", "Quý 1", "Quý 2", "Năm 2026", "Năm 2027"} <= set(words)


def test_a_line_breaks_where_there_is_no_figure():
    chart = charts.chart("line", "Tỷ lệ đúng hạn theo tháng", ["01/2027", "02/2027", "03/2027", "04/2027"],
                         {"Đúng hạn": [80, 90, None, 85]}, unit="%")
    root = parse(charts.chart_svg(chart))
    line = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "line-0").find(f"{SVG}path").get("d")
    assert [cmd for cmd in re.findall(r"[ML]", line)] == ["M", "L", "M"]  # 01–02 joined; 04 alone
    assert "Tỷ lệ đúng hạn theo tháng" in texts(root)


def test_nothing_to_draw_gives_no_chart():
    assert charts.chart("bar", "T", [], {}) is None
    assert charts.chart("bar", "T", ["A"], {"S": [None]}) is None
    many = [f"Đơn vị {n}" for n in range(charts.MAX_CATEGORIES + 1)]
    assert charts.chart("bar", "T", many, {"S": [1] * len(many)}) is None
    assert charts.chart("bar", "T", many[:-1], {"S": [1] * (len(many) - 1)}) is not None
    with pytest.raises(ValueError):
        charts.Chart("pie", "T", ("A",), (charts.Series("S", (1.0,)),))
    assert charts.format_value(1234.5) == "1.234,5"
    assert charts.format_value(87.5, "%") == "87,5%"
    assert charts.format_value(12, "hồ sơ") == "12 hồ sơ"


def test_statistics_chart_is_the_tables_results_per_group(db, history):
    with frozen(LOOK_AT):
        table = province_statistics(db, period(*JUNE), GroupBy.receiving_unit)
    chart = statistics_chart(table)
    w = history.world
    assert chart.kind == "stacked"
    assert chart.title == "Hồ sơ đã có kết quả trước hạn, đúng hạn, quá hạn theo bộ phận tiếp nhận"
    assert chart.categories == (w.centre.name, w.commune.name)
    # The centre: D2 early; D8 and D3 (after the apology) on time; D1 late. The commune: D10 early.
    assert [(s.name, s.values) for s in chart.series] == [
        ("Trước hạn", (1.0, 1.0)), ("Đúng hạn", (2.0, 0.0)), ("Quá hạn", (1.0, 0.0))]
    with frozen(LOOK_AT):
        july = province_statistics(db, period(date(2027, 7, 1), date(2027, 7, 9)), GroupBy.receiving_unit)
    assert july.rows and statistics_chart(july) is None  # dossiers, but no result issued: nothing to draw


def cell_values(row_html: str) -> dict[str, str]:
    """data-value of the row's cells, by the data-column of the link they hold."""
    return dict((c, v) for v, c in re.findall(r'<td class="num" data-value="([^"]*)"><a [^>]*data-column="(\w+)"',
                                               row_html))


def test_the_statistics_page_marks_its_table_with_the_charts_figures(client, history):
    signed_in(client, "t_thongke")
    with frozen(LOOK_AT):
        text = client.get(f"/bao-cao/thong-ke?{QUERY}").text
    table = re.search(r'<table class="stats" id="statistics"([^>]*)>', text)[1]
    assert 'data-chart="stacked"' in table
    assert 'data-chart-title="Hồ sơ đã có kết quả trước hạn, đúng hạn, quá hạn theo bộ phận tiếp nhận"' in table
    w = history.world
    body = re.search(r"<tbody>.*?</tbody>", text, re.S)[0]
    rows = re.findall(r'<tr data-key="[^"]+">.*?</tr>', body, re.S)
    assert len(rows) == 2
    assert f'<th scope="row" data-label="{html.escape(w.centre.name)}">' in rows[0]
    # Only the three result columns carry data-value: they are the chart's series, with the page's figures.
    assert cell_values(rows[0]) == {"finished_early": "1", "finished_on_time": "2", "finished_late": "1"}
    assert cell_values(rows[1]) == {"finished_early": "1", "finished_on_time": "0", "finished_late": "0"}
    assert 'data-value' not in re.search(r"<tfoot>.*?</tfoot>", text, re.S)[0]


def test_the_public_page_marks_the_in_time_share_per_agency(client, db, history):
    w = history.world
    client.cookies.clear()
    with frozen(LOOK_AT):
        text = client.get("/thong-ke").text
    table = re.search(r'<table class="stack" id="public-agencies"([^>]*)>', text)[1]
    assert 'data-chart="bar"' in table and 'data-chart-unit="%"' in table
    assert "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn theo cơ quan, năm 2027" in table
    rows = re.findall(r"<tr><th scope=\"row\">([^<]+)</th>(.*?)</tr>", re.search(r'id="public-agencies".*?</table>', text, re.S)[0], re.S)
    shares = {html.unescape(name): re.findall(r'data-value="([^"]*)"', cells) for name, cells in rows}
    # The department's results this year: May's D11 and June's D2 and D10 early, D8 and D3 on
    # time, D1 late: 5 of 6 in time.
    assert shares[w.dept.name] == ["83.3"]
    assert '<td class="num" data-value="83.3">83,3</td>' in text


def test_the_766_page_marks_points_and_maximum_per_indicator(client, history):
    signed_in(client, "t_thongke")
    with frozen(LOOK_AT):
        text = client.get("/bao-cao/chi-so-766?ky=custom&tu_ngay=01/06/2027&den_ngay=30/06/2027").text
    tables = re.findall(r'<table class="stats" data-chart="bar" data-chart-title="([^"]+)">(.*?)</table>', text, re.S)
    assert [title for title, _ in tables] == [f"Điểm tự chấm và điểm tối đa theo chỉ số: {html.escape(history.world.dept.name)}"]
    body = tables[0][1]
    # Every row: the points it shows and its maximum, as data-value.
    progress = re.search(r'<tr data-code="dvc-progress-tree">(.*?)</tr>', body, re.S)[1]
    points = re.search(r'data-value="([^"]*)" data-points>([^<]+)<', progress)
    maximum = re.search(r'<td class="num" data-value="([^"]*)">([^<]+)</td>\s*<td>', progress)
    # 766 progress: 4 of the 6 results and refusals of June in time (D3's apology does not move
    # the 766 date; D1 late): 20 x 4/6.
    assert points.groups() == ("13.33", "13,33")
    assert maximum[1] == "20" and maximum[2] == "20"
    # An indicator that cannot be computed has no figure (a gap), not a zero.
    uncomputed = re.search(r'<tr data-code="PUBLISH_ON_TIME">(.*?)</tr>', body, re.S)[1]
    assert 'data-value="" data-points>Chưa tính được<' in uncomputed


def test_the_statistics_pdf_has_the_chart_and_the_pages_totals(client, db, history):
    signed_in(client, "t_thongke")
    with frozen(LOOK_AT):
        page = client.get(f"/bao-cao/thong-ke?{QUERY}").text
        pdf = client.get(f"/bao-cao/thong-ke.pdf?{QUERY}").content
    assert pdf.startswith(b"%PDF")
    text = " ".join(pdf_text(pdf).split())
    # The chart's own words: its title and its legend (the table says "Trước hạn" too, not this title).
    assert "Hồ sơ đã có kết quả trước hạn, đúng hạn, quá hạn theo bộ phận tiếp nhận" in text
    # Drawn as vectors (filled paths) in the series' colours; the table itself is black on white.
    assert set(charts.PALETTE[:3]) <= fill_colours(pdf)
    # The totals: the page's total row, in the PDF's total line.
    page_total = [int(v) for v in re.findall(r'data-column="\w+">(\d+)</a></strong>', re.search(r"<tfoot>.*?</tfoot>", page, re.S)[0])]
    assert len(page_total) == len(COLUMNS) and page_total[COLUMNS.index(Column.received)] == 9
    printed = re.search(r"Tổng cộng((?: \d+){" + str(len(COLUMNS)) + "})", text)
    assert [int(v) for v in printed[1].split()] == page_total


def test_counts_get_whole_ticks():
    chart = charts.chart("bar", "Hồ sơ quá hạn", ["Sở Tư pháp", "Sở Y tế"], {"Quá hạn": [1, 2]})
    ticks = [t for t in texts(parse(charts.chart_svg(chart))) if re.fullmatch(r"[\d.,]+", t)]
    assert ticks == ["0", "1", "2"]


@pytest.mark.one_backend
def test_the_app_does_not_load_matplotlib_until_a_chart_is_drawn():
    """matplotlib costs the server about 35 MB: only a PDF with a chart may load it."""
    probe = ("import sys; from motcua.app import create_app; import motcua.reports.exports; "
             "create_app; print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False"
