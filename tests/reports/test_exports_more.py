"""The officers' workload and the 766 self-score as files (issue 13 item 3), read back as a reader
would: the XLSX with openpyxl, the CSV parsed, the PDF's text laid out (pdftotext -layout). Every
total is the page's figure, and the hand-worked figures of the known histories (conftest)."""

from __future__ import annotations

import csv
import html
import io
import re
import subprocess
import unicodedata

import pytest
from openpyxl import load_workbook

from motcua.core.clock import frozen
from motcua.reports import charts, index766_exports, workload_exports
from motcua.reports.index766 import METRICS, PROGRESS, REASONS
from motcua.reports.workload import FIGURES
from motcua.web.templating import vn_number
from tests import factories
from tests.html_forms import signed_in
from tests.needs import require_tool
from tests.reports.conftest import LOOK_AT
from tests.reports.test_charts import fill_colours

VIETNAMESE = "ạảãàáâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữ"


def pdf_lines(pdf: bytes) -> list[str]:
    """The PDF's lines as laid out (pdftotext -layout): a table row stays on one line, its cells
    separated by one space."""
    out = subprocess.run([require_tool("pdftotext"), "-layout", "-enc", "UTF-8", "-", "-"], input=pdf,
                         capture_output=True, check=True).stdout.decode("utf-8")
    return [re.sub(r"\s+", " ", unicodedata.normalize("NFC", line)).strip() for line in out.splitlines()]


def get(client, url, status=200):
    with frozen(LOOK_AT):
        response = client.get(url)
    assert response.status_code == status, (url, response.text[:500])
    return response


def links(page: str, path: str) -> dict[str, str]:
    """The page's download links of `path` by extension (xlsx, csv, pdf)."""
    return {ext: html.unescape(href) for href, ext in re.findall(rf'href="({re.escape(path)}\.(xlsx|csv|pdf)\?[^"]*)"', page)}


def sheet_rows(content: bytes, index: int = 0) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).worksheets[index].iter_rows(values_only=True))


def csv_rows(raw: bytes) -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads the diacritics
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


# --- the officers' workload -------------------------------------------------------------------

DEPT = "Sở Tư pháp thử nghiệm"
# The department's officers in June (test_workload.py works them out): the page's order, by name.
WORKLOAD_ROWS = [
    # name, steps, dossiers, on time, late, average office hours, open, open overdue, ratings, satisfied %
    ("Hoàng Văn Thư", 1, 1, 0, 1, 21.5, 0, 0, 1, 100.0),
    ("Phạm Thị Lãnh Đạo", 3, 2, 3, 0, 1.7, 0, 0, 1, 100.0),
    ("Trần Văn Chuyên", 1, 1, 1, 0, 8.0, 1, 1, 1, 100.0),
]
# The total: 5 steps of 2 distinct dossiers; (21.5 + 5 + 8) / 5 = 6.9 office hours a step.
WORKLOAD_TOTAL = ("Tổng cộng", 5, 2, 4, 1, 6.9, 1, 1, 3, 100.0)
JUNE_QUERY = "ky=month&nam=2027&so=6"


@pytest.fixture
def heads(db, known):
    factories.user(db, "t_lanhdao_web", "Mai Thị Trưởng", ("head", known.dept), password=factories.PASSWORD)
    factories.user(db, "t_lanhdao_khac", "Ngô Văn Khác", ("head", known.dept2), password=factories.PASSWORD)
    factories.user(db, "t_chuyenvien_web", "Lý Văn Viên", ("specialist", known.dept), password=factories.PASSWORD)
    db.commit()
    return known


def page_total(page: str) -> dict[str, str]:
    foot = re.search(r"<tfoot>.*?</tfoot>", page, re.S)[0]
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', foot))


def test_workload_files_hold_the_pages_rows_and_total(client, heads):
    signed_in(client, "t_lanhdao_web")
    page = get(client, f"/bao-cao/can-bo?{JUNE_QUERY}").text
    shown = page_total(page)
    assert list(shown) == [name for name, _ in FIGURES]
    # The page's total row, as it prints it (Vietnamese decimal comma).
    assert list(shown.values()) == ["5", "2", "4", "1", "6,9", "1", "1", "3", "100"]
    files = links(page, "/bao-cao/can-bo")
    assert set(files) == {"xlsx", "csv", "pdf"}
    assert "tu_ngay=2027-06-01" in files["xlsx"] and "den_ngay=2027-06-30" in files["xlsx"]

    response = get(client, files["xlsx"])
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "khoi-luong-can-bo-tat-ca-20270601-20270630.xlsx" in response.headers["content-disposition"]
    rows = sheet_rows(response.content)
    assert rows[0][0] == "Khối lượng công việc của cán bộ, từ ngày 01/06/2027 đến ngày 30/06/2027"
    assert rows[1][0] == "Đơn vị: tất cả các đơn vị được xem"
    header = rows.index(tuple(workload_exports.COLUMNS))
    body, total = rows[header + 1:-1], rows[-1]
    assert [line[0] for line in body] == [1, 2, 3]
    assert [(line[1], *line[3:]) for line in body] == WORKLOAD_ROWS
    assert {line[2] for line in body} == {DEPT}
    assert (total[1], *total[3:]) == WORKLOAD_TOTAL
    # The total is the page's: each figure as the page formats it.
    assert [vn_number(v) for v in total[3:]] == list(shown.values())  # vn_number: the page's filter
    for i in (3, 5, 6, 8, 9, 10):  # the counts add up (not the distinct dossiers nor the averages)
        assert total[i] == sum(line[i] for line in body)

    lines = csv_rows(get(client, files["csv"]).content)
    assert lines[0] == workload_exports.COLUMNS
    assert [line[1] for line in lines[1:-1]] == [r[0] for r in WORKLOAD_ROWS]
    assert lines[-1] == ["", "Tổng cộng", "", "5", "2", "4", "1", "6.9", "1", "1", "3", "100.0"]

    pdf = get(client, files["pdf"]).content
    assert pdf.startswith(b"%PDF")
    printed = pdf_lines(pdf)
    assert "Tổng cộng " + " ".join(shown.values()) in printed
    assert any(line.startswith("1 Hoàng Văn Thư") and line.endswith("1 0 1 21,5 0 0 1 100") for line in printed)
    assert any("KHỐI LƯỢNG CÔNG VIỆC CỦA CÁN BỘ" in line for line in printed)


def test_workload_files_of_one_unit_and_who_may_have_them(client, heads):
    w = heads
    query = f"{JUNE_QUERY}&don_vi={w.dept.code}"
    signed_in(client, "t_lanhdao_web")
    response = get(client, f"/bao-cao/can-bo.xlsx?{query}")
    assert f"khoi-luong-can-bo-{w.dept.code}-20270601-20270630.xlsx" in response.headers["content-disposition"]
    rows = sheet_rows(response.content)
    assert rows[1][0] == f"Đơn vị: {DEPT}"
    assert (rows[-1][1], *rows[-1][3:]) == WORKLOAD_TOTAL
    # Bad period input: a Vietnamese 422, not a 500.
    for bad, message in (("ky=month&nam=2027&so=13", "Số thứ tự của kỳ phải từ 1 đến 12."),
                         ("ky=custom&tu_ngay=31/02/2027&den_ngay=30/06/2027", "Từ ngày"),
                         ("ky=tuan&nam=2027", "Loại kỳ báo cáo không hợp lệ."),
                         ("ky=month&nam=hai&so=6", "Năm và số thứ tự của kỳ phải là số.")):
        for ext in ("xlsx", "csv", "pdf"):
            refused = get(client, f"/bao-cao/can-bo.{ext}?{bad}", status=422)
            assert refused.headers["content-type"].startswith("text/html")
            assert message in html.unescape(refused.text), (bad, ext)
    client.cookies.clear()
    # The head of another department: 403 for this unit, and nothing of it in their own files.
    signed_in(client, "t_lanhdao_khac")
    for ext in ("xlsx", "csv", "pdf"):
        get(client, f"/bao-cao/can-bo.{ext}?{query}", status=403)
    own = sheet_rows(get(client, f"/bao-cao/can-bo.xlsx?{JUNE_QUERY}").content)
    assert (own[-1][1], *own[-1][3:]) == ("Tổng cộng", 0, 0, 0, 0, None, 0, 0, 0, None)
    assert own[-2] == tuple(workload_exports.COLUMNS)  # no row: the column names, then the total
    client.cookies.clear()
    # Not a head at all: 403, whatever was typed.
    signed_in(client, "t_chuyenvien_web")
    for ext in ("xlsx", "csv", "pdf"):
        get(client, f"/bao-cao/can-bo.{ext}?{JUNE_QUERY}", status=403)
        get(client, f"/bao-cao/can-bo.{ext}?ky=tuan", status=403)


# --- the 766 self-score ----------------------------------------------------------------------

SCORE_QUERY = "ky=custom&tu_ngay=01/06/2027&den_ngay=30/06/2027"
# The June history's points at risk (test_index766 works out the reasons; nothing is rated here).
RISKS = {
    "carried": ("no_e_result", "unrated"),
    "late": ("no_e_result", "not_synced", "unrated"),
    "early": ("no_e_result", "not_synced", "unrated"),
    "apology": ("no_e_result", "not_synced", "unrated"),
    "withdrawn": ("not_synced",),
    "refused": ("not_synced", "unrated"),
    "overdue": ("overdue", "not_synced"),
    "supplement": ("not_synced",),
    "in_progress": ("not_synced",),
    "cross": ("no_e_result", "not_synced", "unrated"),
}


def api_score(client, db, history) -> dict:
    headers = factories.bearer(db, history.viewer)
    with frozen(LOOK_AT):
        body = client.get("/api/v1/reports/766", headers=headers, params={"from": "2027-06-01", "to": "2027-06-30"})
    [score] = body.json()["scores"]
    return score


def test_766_files_hold_the_pages_indicators_totals_and_points_at_risk(client, db, history):
    w, d = history.world, history.d
    score = api_score(client, db, history)
    # Of June's history (no rating, nothing synced): progress 20 x 4/6 = 13.33, PAKN 6 (none due),
    # the rest 0; computed: sync 6, progress 20, e-results 6, scans 4, PAKN 6, ratings 6, payment A 6.
    assert (score["points"], score["computed_maximum"]) == (19.33, 54)
    signed_in(client, "t_thongke")
    page = get(client, f"/bao-cao/chi-so-766?{SCORE_QUERY}").text
    assert re.search(r"<strong data-points>19,33</strong> / 54", page)
    page_risks = re.findall(r'<tr data-dossier="([^"]+)" data-reasons="([^"]*)">', page)
    assert page_risks and dict(page_risks) == {d[k].code: " ".join(v) for k, v in RISKS.items()}
    files = links(page, "/bao-cao/chi-so-766")
    assert set(files) == {"xlsx", "csv", "pdf"}

    # XLSX: the indicators with the agency's total line; the points at risk on the second sheet.
    response = get(client, files["xlsx"])
    assert "chi-so-766-tat-ca-20270601-20270630.xlsx" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Chỉ số 766", "Hồ sơ mất điểm"]
    rows = sheet_rows(response.content)
    assert "từ ngày 01/06/2027 đến ngày 30/06/2027" in rows[0][0]
    header = rows.index(tuple(index766_exports.INDICATOR_COLUMNS))
    body, total = rows[header + 1:-1], rows[-1]
    assert [(r[4], r[5] or "") for r in body] == [(m.code, m.part) for m in METRICS]
    assert {(r[1], r[2]) for r in [*body, total]} == {(w.dept.code, w.dept.name)}
    by_code = {(i["code"], i["part"]): i for i in score["indicators"]}
    for r in body:
        i = by_code[r[4], r[5] or ""]
        assert (r[6], r[7], r[8], r[9], r[10], r[11], r[12]) == (
            i["name"], i["numerator"], i["denominator"], i["value"], i["points"], i["maximum"], i["reason"]), r
    progress = next(r for r in body if r[4] == PROGRESS)
    assert progress[7:12] == (4, 6, 66.67, 13.33, 20)
    assert (total[6], total[10], total[11]) == ("Tổng điểm các chỉ số tính được", 19.33, 54)
    assert total[10] == round(sum(r[10] for r in body if r[10] is not None), 2)

    risk_rows = sheet_rows(response.content, 1)
    risk_header = risk_rows.index(tuple(index766_exports.RISK_COLUMNS))
    risk_body = risk_rows[risk_header + 1:-1]
    assert [(r[0], r[1]) for r in risk_body] == [(n, code) for n, (code, _) in enumerate(page_risks, start=1)]
    overdue = next(r for r in risk_body if r[1] == d["overdue"].code)
    assert overdue[6] == f"{REASONS['overdue']}; {REASONS['not_synced']}"
    assert overdue[3] == w.dept.name and overdue[4]  # its agency and its appointment
    assert risk_rows[-1][1] == f"Tổng cộng: {len(RISKS)} hồ sơ"

    # CSV: the same indicators and total, then the points at risk after an empty line and a title.
    lines = csv_rows(get(client, files["csv"]).content)
    split = lines.index([])
    indicators, risks = lines[:split], lines[split + 1:]
    assert indicators[0] == index766_exports.INDICATOR_COLUMNS
    assert [line[4] for line in indicators[1:-1]] == [m.code for m in METRICS]
    assert indicators[-1][6:12] == ["Tổng điểm các chỉ số tính được", "", "", "", "19.33", "54"]
    assert risks[0] == ["Hồ sơ đang làm mất điểm"] and risks[1] == index766_exports.RISK_COLUMNS
    assert [line[1] for line in risks[2:-1]] == [code for code, _ in page_risks]
    assert risks[-1][1] == f"Tổng cộng: {len(RISKS)} hồ sơ"

    # PDF: the table with the page's figures and total, the page's chart, the points at risk.
    pdf = get(client, files["pdf"]).content
    assert pdf.startswith(b"%PDF")
    printed = pdf_lines(pdf)
    assert "Tổng điểm các chỉ số tính được 19,33 54" in printed
    assert "Tổng điểm các chỉ số tính được: 19,33 / 54 (Bộ chỉ số tối đa 100 điểm)." in printed
    assert any(re.search(r"dvc-progress-tree 4 ?/ ?6 66,67 13,33 20$", line) for line in printed)
    text = " ".join(printed)
    # The chart's own words (the table does not print its title) and its bars in the series' colours.
    assert f"Điểm tự chấm và điểm tối đa theo chỉ số: {w.dept.name}" in text
    assert set(charts.PALETTE[:2]) <= fill_colours(pdf)
    for code, _ in page_risks:
        assert code in text
    assert any(line.startswith(f"Tổng cộng: {len(RISKS)} hồ sơ") for line in printed)


def test_766_files_of_an_agency_and_refusals(client, db, history):
    w = history.world
    signed_in(client, "t_thongke")
    query = f"{SCORE_QUERY}&co_quan={w.dept.code}&thu_tuc={w.p_cross.code}"
    page = get(client, f"/bao-cao/chi-so-766?{query}").text
    files = links(page, "/bao-cao/chi-so-766")
    assert f"co_quan={w.dept.code}" in files["xlsx"] and f"thu_tuc={w.p_cross.code}" in files["xlsx"]
    response = get(client, files["xlsx"])
    assert f"chi-so-766-{w.dept.code}-{w.p_cross.code}-20270601-20270630.xlsx" in response.headers["content-disposition"]
    rows = sheet_rows(response.content)
    assert f"thủ tục {w.p_cross.code}" in rows[0][0]
    progress = next(r for r in rows if r[4] == PROGRESS)
    assert progress[7:11] == (1, 1, 100.0, 20.0)  # the cross-boundary dossier, finished early
    points = re.search(r"<strong data-points>([^<]+)</strong> / (\d+)", page)
    total = rows[-1]
    assert (f"{total[10]:.2f}".replace(".", ","), str(total[11])) == points.groups()
    assert len(sheet_rows(response.content, 1)) - sheet_rows(response.content, 1).index(
        tuple(index766_exports.RISK_COLUMNS)) - 2 == 1  # the cross-boundary dossier only
    client.cookies.clear()

    # The commune's officer may not have the department's files; bad input gets a Vietnamese 422.
    factories.user(db, "t_xa_766", "Đinh Thị Xã", ("counter_officer", w.commune2), password=factories.PASSWORD)
    db.commit()
    signed_in(client, "t_xa_766")
    for ext in ("xlsx", "csv", "pdf"):
        refused = get(client, f"/bao-cao/chi-so-766.{ext}?{SCORE_QUERY}&co_quan={w.dept.code}", status=403)
        assert any(ch in refused.text for ch in VIETNAMESE)
        for bad in ("ky=custom&tu_ngay=31/06/2027&den_ngay=30/06/2027", "ky=month&nam=2027&so=0",
                    f"{SCORE_QUERY}&co_quan=KHONG-CO", f"{SCORE_QUERY}&thu_tuc=KHONG-CO",
                    f"{SCORE_QUERY}&co_quan={'x' * 21}"):
            refused = get(client, f"/bao-cao/chi-so-766.{ext}?{bad}", status=422)
            assert refused.headers["content-type"].startswith("text/html")
            assert any(ch in refused.text for ch in VIETNAMESE), (bad, ext)
    # Their own scope (the other commune) has no dossier: the files say so, with no line.
    rows = sheet_rows(get(client, f"/bao-cao/chi-so-766.xlsx?{SCORE_QUERY}").content)
    assert "Không có hồ sơ nào trong kỳ, trong phạm vi được xem." in [r[0] for r in rows]
    assert rows[-1] == tuple(index766_exports.INDICATOR_COLUMNS)
