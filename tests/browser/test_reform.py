"""Administrative reform (CCHC) in a browser (issue 15, "Done when").

- The Department of Home Affairs' reform officer imports a plan of its own from the page's XLSX
  template (a malformed file first: refused, the bad row named, nothing written); the lead
  unit's reform officer reports a task's progress with evidence files (marking it done without
  one is refused and the form keeps what was typed), the co-operating unit's officer adds its
  part; the task page lists the entries and the evidence downloads as uploaded.
- The period reports (the province's first quarter, the lead unit's six months): the page's
  totals are the figures the entries call for, and the XLSX and PDF exported through the
  page's links carry the same totals.
- A satisfaction survey answered five times through its public link (the QR code's address,
  no login) with known answers; the results page's counts, percentages and target verdicts
  (≥ 90 %) are those of the answers, per element, unit and field.

Screenshots go to tests/artifacts (reform-*.png); axe-core checks every reform page visited at
1366 px. The plan is last year's, so every period has ended and the figures do not depend on
the day the test runs.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
import uuid
from datetime import date
from pathlib import Path

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from motcua.catalog.models import Field as CatalogField
from motcua.core.clock import now, to_local
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.org.models import Agency
from motcua.reform.plans import GROUP_LABELS, ContentGroup
from motcua.reform.progress import TOTAL_LABELS
from motcua.reform.surveys import SCALE5_LABELS
from tests.browser.accessibility import axe_violations, describe, no_sideways_scroll
from tests.browser.conftest import LiveSite, screenshot
from tests.browser.dossier_page import RESULT_PDF, log_in
from tests.needs import require_tool

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
BASE = "/quan-tri/cai-cach-hanh-chinh"
PASSWORD = "matkhau-cchc-2026"
# The plan is last year's (the server's local year): all its periods have ended.
YEAR = to_local(now()).year - 1

# Evidence files: two PDFs told apart by their content, and an XLSX table of figures.
DRAFT_PDF = RESULT_PDF.replace(b"%PDF-1.4\n", b"%PDF-1.4\n% du thao phuong an\n")
PRODUCT_PDF = RESULT_PDF.replace(b"%PDF-1.4\n", b"%PDF-1.4\n% bao cao ket qua ra soat\n")


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


FIGURES_XLSX = _xlsx([["Thủ tục", "Chi phí tuân thủ (đồng)"], ["Đăng ký khai sinh", 120000]])

# The plan's tasks (title, group, lead as written, lead code key, co-operating, their code
# keys, deadline as written); unit keys are resolved to agency codes of this installation.
T_PROCEDURES = "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực hộ tịch"
T_INSTITUTIONS = "Xây dựng quy định về quản lý, sử dụng kết quả giải quyết thủ tục hành chính điện tử"
T_EGOV = "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực"
T_DIRECTION = "Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị"
T_CIVIL = "Đánh giá, xếp loại công chức theo kết quả cải cách hành chính"
TASKS = [
    (GROUP_LABELS[ContentGroup.procedures], "1", T_PROCEDURES, "Sở Tư pháp", "justice", "Sở Tài chính", "finance",
     "Báo cáo kết quả rà soát", f"Quý I/{YEAR}"),
    (GROUP_LABELS[ContentGroup.institutions], "1", T_INSTITUTIONS, "Sở Tư pháp", "justice", "", "",
     "Quyết định của UBND tỉnh", f"Tháng 5/{YEAR}"),
    (GROUP_LABELS[ContentGroup.e_government], "1", T_EGOV, "Sở Tài chính", "finance", "Sở Tư pháp", "justice",
     "Kho dữ liệu số hóa", f"30/06/{YEAR}"),
    (GROUP_LABELS[ContentGroup.direction], "1", T_DIRECTION, "Sở Nội vụ", "home", "", "",
     "Báo cáo kiểm tra", "Nhiệm vụ thường xuyên"),
    (GROUP_LABELS[ContentGroup.civil_service], "1", T_CIVIL, "Ủy ban nhân dân huyện Cao Lộc", "", "", "",
     "Báo cáo đánh giá", f"15/02/{YEAR}"),
]

# Report figures in the order of TOTAL_LABELS (tasks, done on time, done late, in progress,
# not started, overdue and not done, entries in the period), per content group and in total.
ZERO = (0, 0, 0, 0, 0, 0, 0)
# The province, first quarter, judged at 31/03: the procedures task done on 25/03 (deadline
# 31/03) with three entries in the quarter; the civil-service task due 15/02 not started
# (overdue); the rest not started, their deadlines (31/05, 30/06, none) still ahead.
PROVINCE_Q1 = {
    ContentGroup.direction: (1, 0, 0, 0, 1, 0, 0),
    ContentGroup.institutions: (1, 0, 0, 0, 1, 0, 0),
    ContentGroup.procedures: (1, 1, 0, 0, 0, 0, 3),
    ContentGroup.apparatus: ZERO,
    ContentGroup.civil_service: (1, 0, 0, 0, 1, 1, 0),
    ContentGroup.public_finance: ZERO,
    ContentGroup.e_government: (1, 0, 0, 0, 1, 0, 0),
}
PROVINCE_Q1_TOTAL = (5, 1, 0, 0, 4, 1, 3)
# The Department of Justice (leads or co-operates: procedures, institutions, e-government),
# six months, judged at 30/06: the institutions task 40 % on 20/04, due 31/05 (overdue); the
# e-government task due 30/06 not yet overdue on that day.
JUSTICE_H1 = {
    ContentGroup.direction: ZERO,
    ContentGroup.institutions: (1, 0, 0, 1, 0, 1, 1),
    ContentGroup.procedures: (1, 1, 0, 0, 0, 0, 3),
    ContentGroup.apparatus: ZERO,
    ContentGroup.civil_service: ZERO,
    ContentGroup.public_finance: ZERO,
    ContentGroup.e_government: (1, 0, 0, 0, 1, 0, 0),
}
JUSTICE_H1_TOTAL = (3, 1, 0, 1, 1, 1, 4)


def _words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _desktop(browser):
    page = browser.new_context(locale="vi-VN", viewport=DESKTOP, accept_downloads=True).new_page()
    page.set_default_timeout(15_000)
    return page


def _downloaded(page, link_name: str | re.Pattern) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def _no_error(page) -> None:
    errors = page.locator(".flash-error, .error-summary, [role=alert]")
    assert errors.count() == 0, f"{page.url}: {errors.first.inner_text()}"


class Axe:
    """axe-core on every page visited, gathered so that the walk goes on and one assertion at
    the end names every page with a violation."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def check(self, page) -> None:
        assert page.viewport_size["width"] == DESKTOP["width"]
        violations = axe_violations(page)
        if violations:
            self.found.append(f"{page.url}:\n{describe(violations)}")

    def assert_clean(self) -> None:
        assert not self.found, "\n".join(self.found)


# ------------------------------------------------------------------ the people and units


@pytest.fixture(scope="module")
def units(live_site: LiveSite) -> dict[str, Agency]:
    """The Department of Home Affairs, of Justice (the lead unit) and of Finance (co-operating)."""
    engine = make_engine(live_site.url)
    try:
        with session_scope(make_sessionmaker(engine), write=False) as session:
            found = {key: session.scalar(select(Agency).where(Agency.seed_key == seed))
                     for key, seed in (("home", "so-noi-vu"), ("justice", "so-tu-phap"), ("finance", "so-tai-chinh"))}
            for agency in found.values():
                session.expunge(agency)
    finally:
        engine.dispose()
    return found


@pytest.fixture(scope="module")
def officers(live_site: LiveSite, browser, units) -> dict[str, str]:
    """A reform officer (Cán bộ cải cách hành chính) of each unit, created by the province
    administrator on the accounts page: {unit key: username}."""
    page = _desktop(browser)
    log_in(page, live_site.base, "admin")
    tag = uuid.uuid4().hex[:6]
    names = {"home": "Nguyễn Thị Nội Vụ", "justice": "Lê Văn Chủ Trì", "finance": "Phạm Thị Phối Hợp"}
    made = {}
    for key, full_name in names.items():
        username = f"cchc.{key}.{tag}"
        page.goto(f"{live_site.base}/quan-tri/nguoi-dung/moi")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Họ và tên").fill(full_name)
        page.get_by_label(re.compile("^Mật khẩu ban đầu")).fill(PASSWORD)
        page.get_by_label("Cơ quan, đơn vị").select_option(str(units[key].id))
        page.get_by_label("Cán bộ cải cách hành chính", exact=True).check()
        page.get_by_role("button", name="Tạo tài khoản").click()
        page.wait_for_load_state("networkidle")
        assert username in page.content(), page.locator("main").inner_text()[:1000]
        made[key] = username
    page.context.close()
    return made | {f"{key}_name": name for key, name in names.items()}


# ------------------------------------------------------------------ plans, progress, reports


def _plan_file(template: bytes, units: dict[str, Agency], *, bad_day: bool = False) -> bytes:
    """The page's template with its example row replaced by TASKS (codes resolved); with
    `bad_day` the third task's deadline is a day that does not exist."""
    wb = load_workbook(io.BytesIO(template))
    ws = wb.active
    headers = [c.value for c in ws[1]]
    ws.delete_rows(2, ws.max_row)
    for group, number, title, lead, lead_key, coop, coop_key, product, deadline in TASKS:
        if bad_day and title == T_EGOV:
            deadline = f"31/02/{YEAR}"
        values = {"Nhóm nội dung": group, "STT": number, "Nhiệm vụ": title, "Đơn vị chủ trì": lead,
                  "Mã cơ quan chủ trì": units[lead_key].code if lead_key else "", "Đơn vị phối hợp": coop,
                  "Mã cơ quan phối hợp": units[coop_key].code if coop_key else "", "Sản phẩm": product,
                  "Thời hạn hoàn thành": deadline}
        ws.append([values.get(h, "") for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _import(page, content: bytes, name: str) -> None:
    page.get_by_label("Tệp XLSX").set_input_files(
        {"name": name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "buffer": content})
    page.get_by_role("button", name="Nhập kế hoạch").click()
    page.wait_for_load_state("networkidle")


def _report_progress(page, *, content: str, day: date, role: str = "Chủ trì", status: str | None = None,
                     percent: int | None = None, files: tuple[dict, ...] = ()) -> None:
    """Fill the task page's progress form by its labels and send it."""
    form = page.locator("form[action$='/tien-do']")
    form.get_by_label("Báo cáo với vai trò").select_option(label=role)
    form.get_by_label("Tình trạng (đơn vị chủ trì)").select_option(label=status or "—")
    form.get_by_label("Tiến độ (%)").fill("" if percent is None else str(percent))
    form.get_by_label("Ngày báo cáo").fill(day.isoformat())
    form.get_by_label("Nội dung đã thực hiện").fill(content)
    if files:
        form.get_by_label(re.compile("^Tệp minh chứng")).set_input_files(list(files))
    form.get_by_role("button", name="Ghi báo cáo").click()
    page.wait_for_load_state("networkidle")


def _entries(page) -> list[str]:
    return [_words(t) for t in page.locator("section.card ol > li").all_inner_texts()]


def _page_totals(page) -> list[tuple[str, tuple[int, ...]]]:
    """The report page's totals table: (content group or "Tổng cộng", figures)."""
    out = []
    for row in page.locator("#report-totals tbody tr").all():
        cells = [_words(c) for c in row.locator("td").all_inner_texts()]
        out.append((cells[0], tuple(int(v) for v in cells[1:])))
    return out


def _expected(groups: dict, total: tuple) -> list[tuple[str, tuple[int, ...]]]:
    return [(GROUP_LABELS[g], groups[g]) for g in ContentGroup] + [("Tổng cộng", total)]


def _pdf_lines(content: bytes) -> list[str]:
    """The PDF's text line by line as laid out on the page (pdftotext -layout), NFC."""
    out = subprocess.run([require_tool("pdftotext"), "-layout", "-enc", "UTF-8", "-", "-"], input=content,
                         capture_output=True, check=True).stdout
    return [_words(line) for line in unicodedata.normalize("NFC", out.decode("utf-8")).splitlines()]


# A line of the PDF's totals table: the label's first words, then the seven figures.
FIGURES_LINE = re.compile(r"(\S.*?) (\d+(?: \d+){6})")


def _check_exports(page, shown: list[tuple[str, tuple[int, ...]]], tasks: int, shot: str) -> None:
    """The XLSX and the PDF downloaded through the report page's links carry the page's totals."""
    name, content = _downloaded(page, "Tải XLSX")
    assert name.endswith(".xlsx")
    wb = load_workbook(io.BytesIO(content))
    summary = list(wb["Tổng hợp"].iter_rows(values_only=True))
    assert list(summary[2]) == ["Nhóm nội dung", *TOTAL_LABELS.values()]
    assert [(r[0], tuple(r[1:])) for r in summary[3:]] == shown
    assert wb["Nhiệm vụ"].max_row == 1 + tasks
    # The sheet's rows add up to its total line.
    body = [r[1:] for r in summary[3:-1]]
    assert tuple(sum(col) for col in zip(*body, strict=True)) == shown[-1][1]

    name, content = _downloaded(page, "Tải PDF")
    assert name.endswith(".pdf") and content.startswith(b"%PDF")
    lines = _pdf_lines(content)
    # The totals table: a line per content group, in order, with its figures after the first
    # words of its label (a long label wraps below), then the total line.
    total = lines.index(f"Tổng cộng {' '.join(map(str, shown[-1][1]))}")
    header = next(i for i, line in enumerate(lines) if line.startswith("Nhóm nội dung "))
    found = [(m.group(1), tuple(int(v) for v in m.group(2).split()))
             for m in (FIGURES_LINE.fullmatch(line) for line in lines[header:total]) if m]
    assert len(found) == len(shown) - 1, "\n".join(lines[header:total + 1])
    for (start, figures), (label, expected) in zip(found, shown[:-1], strict=True):
        assert label.startswith(start) and figures == expected, (start, figures, label, expected)
    screenshot(page, shot)


def test_reform_officers_report_a_task_with_evidence_and_the_period_reports_agree(live_site, browser, units,
                                                                                 officers):
    base, axe = live_site.base, Axe()

    # The Department of Home Affairs imports the plan from the page's template.
    home = _desktop(browser)
    log_in(home, base, officers["home"], PASSWORD)
    home.goto(f"{base}{BASE}")
    assert home.locator("h1").inner_text() == "Kế hoạch cải cách hành chính"
    plans_before = home.locator("table tbody tr").count()
    axe.check(home)
    template_name, template = _downloaded(home, "tệp mẫu")
    assert template_name == "mau-nhap-ke-hoach-cchc.xlsx"
    decision = f"Quyết định số 3579/QĐ-UBND ngày 28/12/{YEAR - 1} của UBND tỉnh Lạng Sơn"
    title = f"Kế hoạch cải cách hành chính tỉnh Lạng Sơn năm {YEAR}"
    home.get_by_label("Năm").fill(str(YEAR))
    home.get_by_label("Tỉnh").fill("Lạng Sơn")
    home.get_by_label("Quyết định ban hành (số, ngày)").fill(decision)
    home.get_by_label("Tên kế hoạch").fill(title)
    _import(home, _plan_file(template, units, bad_day=True), "ke-hoach-sai.xlsx")
    # Refused: the bad row is named (row 4 as Excel shows it), what was typed stays, no plan.
    summary = _words(home.locator(".error-summary").inner_text())
    assert "Dòng 4, cột “Thời hạn hoàn thành”" in summary, summary
    assert home.get_by_label("Quyết định ban hành (số, ngày)").input_value() == decision
    assert home.get_by_label("Tên kế hoạch").input_value() == title
    assert home.locator("table tbody tr").count() == plans_before
    screenshot(home, "reform-01-import-refused")
    axe.check(home)
    _import(home, _plan_file(template, units), "ke-hoach-cchc.xlsx")
    assert _words(home.locator(".flash").first.inner_text()) == "Đã nhập kế hoạch với 5 nhiệm vụ."
    assert home.locator("h1").inner_text() == title
    plan_url = home.url
    assert re.search(r"/[0-9a-f-]{36}$", plan_url), plan_url
    screenshot(home, "reform-02-plan")
    axe.check(home)

    # The lead unit's reform officer: in progress with a draft, then done with its product.
    lead = _desktop(browser)
    log_in(lead, base, officers["justice"], PASSWORD)
    lead.goto(plan_url)
    # The Department of Justice sees the tasks it leads or co-operates on.
    assert _words(lead.locator("p.muted").first.inner_text()) == "3 nhiệm vụ"
    lead.get_by_role("link", name=T_PROCEDURES).click()
    lead.wait_for_load_state("networkidle")
    assert lead.locator("h1").inner_text() == T_PROCEDURES
    task_url = lead.url
    axe.check(lead)
    _report_progress(lead, status="Đang thực hiện", percent=60, day=date(YEAR, 2, 15),
                     content="Đã xây dựng dự thảo phương án đơn giản hóa 4 thủ tục hộ tịch.",
                     files=({"name": "du-thao-phuong-an.pdf", "mimeType": "application/pdf", "buffer": DRAFT_PDF},))
    _no_error(lead)
    assert _words(lead.locator("#task-status").inner_text()) == "Đang thực hiện (60 %) Quá hạn"
    screenshot(lead, "reform-03-task-in-progress")

    # The co-operating unit adds its part with a table of figures.
    coop = _desktop(browser)
    log_in(coop, base, officers["finance"], PASSWORD)
    coop.goto(task_url)
    _report_progress(coop, role="Phối hợp", day=date(YEAR, 3, 10),
                     content="Sở Tài chính đã cho ý kiến về chi phí tuân thủ của 4 thủ tục.",
                     files=({"name": "so-lieu-chi-phi.xlsx", "buffer": FIGURES_XLSX,
                             "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},))
    _no_error(coop)
    # Its part does not change the task's state (the lead unit's entries do).
    assert _words(coop.locator("#task-status").inner_text()) == "Đang thực hiện (60 %) Quá hạn"
    screenshot(coop, "reform-04-task-cooperating-part")

    # Done without the product is refused, and the form keeps what was typed.
    lead.goto(task_url)
    done_text = "Đã trình UBND tỉnh phương án đơn giản hóa 4 thủ tục hộ tịch."
    _report_progress(lead, status="Đã hoàn thành", day=date(YEAR, 3, 25), content=done_text)
    assert "ít nhất một tệp minh chứng" in lead.locator(".error-summary").inner_text()
    assert lead.get_by_label("Nội dung đã thực hiện").input_value() == done_text
    assert lead.get_by_label("Ngày báo cáo").input_value() == date(YEAR, 3, 25).isoformat()
    assert lead.get_by_label("Tình trạng (đơn vị chủ trì)").input_value() == "done"
    assert len(_entries(lead)) == 2
    screenshot(lead, "reform-05-done-refused-without-evidence")
    axe.check(lead)
    _report_progress(lead, status="Đã hoàn thành", day=date(YEAR, 3, 25), content=done_text,
                     files=({"name": "bao-cao-ket-qua-ra-soat.pdf", "mimeType": "application/pdf",
                             "buffer": PRODUCT_PDF},))
    _no_error(lead)
    assert _words(lead.locator("#task-status").inner_text()) == "Đã hoàn thành (100 %)"
    assert f"Ngày hoàn thành 25/03/{YEAR}" in _words(lead.locator("dl.facts").inner_text())
    y = YEAR
    assert _entries(lead) == [
        f"15/02/{y} · Chủ trì: Sở Tư pháp · Đang thực hiện (60 %) Đã xây dựng dự thảo phương án đơn giản hóa 4 thủ "
        f"tục hộ tịch. du-thao-phuong-an.pdf {officers['justice_name']}",
        f"10/03/{y} · Phối hợp: Sở Tài chính Sở Tài chính đã cho ý kiến về chi phí tuân thủ của 4 thủ tục. "
        f"so-lieu-chi-phi.xlsx {officers['finance_name']}",
        f"25/03/{y} · Chủ trì: Sở Tư pháp · Đã hoàn thành (100 %) {done_text} bao-cao-ket-qua-ra-soat.pdf "
        f"{officers['justice_name']}",
    ]
    # Each evidence file downloads as it was uploaded.
    for name, content in (("du-thao-phuong-an.pdf", DRAFT_PDF), ("so-lieu-chi-phi.xlsx", FIGURES_XLSX),
                          ("bao-cao-ket-qua-ra-soat.pdf", PRODUCT_PDF)):
        assert _downloaded(lead, name) == (name, content)
    screenshot(lead, "reform-06-task-done-with-evidence")
    axe.check(lead)

    # The institutions task: 40 % in the second quarter.
    lead.goto(plan_url)
    lead.get_by_role("link", name=T_INSTITUTIONS).click()
    lead.wait_for_load_state("networkidle")
    _report_progress(lead, status="Đang thực hiện", percent=40, day=date(YEAR, 4, 20),
                     content="Đã lấy ý kiến các sở, ngành về dự thảo quy định.")
    _no_error(lead)

    # The plan's list flags the tasks past their deadline and not done (judged today).
    home.goto(plan_url)
    rows = home.locator("table tbody tr")
    flagged = {_words(r.locator("td").nth(1).inner_text()) for r in rows.all() if r.locator(".badge-warn").count()}
    assert flagged == {T_INSTITUTIONS, T_EGOV, T_CIVIL}
    assert _words(home.locator("p.muted").first.inner_text()) == "5 nhiệm vụ"

    # The province's first quarter: page, XLSX, PDF.
    home.get_by_role("link", name="Quý I", exact=True).click()
    home.wait_for_load_state("networkidle")
    assert _words(home.locator("h1").inner_text()) == (
        f"Báo cáo kết quả thực hiện {title} — Quý I năm {YEAR} (từ 01/01/{YEAR} đến 31/03/{YEAR}; tình trạng tính "
        f"đến 31/03/{YEAR})")
    shown = _page_totals(home)
    assert shown == _expected(PROVINCE_Q1, PROVINCE_Q1_TOTAL)
    axe.check(home)
    _check_exports(home, shown, 5, "reform-07-report-province-q1")

    # The lead unit's six months, asked for on the report page by its agency code.
    lead.goto(plan_url)
    lead.get_by_role("link", name="Quý I", exact=True).click()
    lead.wait_for_load_state("networkidle")
    lead.get_by_label("Kỳ báo cáo").select_option(label="6 tháng đầu năm")
    lead.get_by_label(re.compile("^Đơn vị")).fill(units["justice"].code)
    lead.get_by_role("button", name="Xem").click()
    lead.wait_for_load_state("networkidle")
    assert _words(lead.locator("h1").inner_text()) == (
        f"Báo cáo kết quả thực hiện {title} — 6 tháng đầu năm {YEAR} — Sở Tư pháp (từ 01/01/{YEAR} đến 30/06/{YEAR}; "
        f"tình trạng tính đến 30/06/{YEAR})")
    shown = _page_totals(lead)
    assert shown == _expected(JUSTICE_H1, JUSTICE_H1_TOTAL)
    axe.check(lead)
    _check_exports(lead, shown, 3, "reform-08-report-justice-h1")

    for page in (home, lead, coop):
        page.context.close()
    axe.assert_clean()


# ------------------------------------------------------------------ the satisfaction survey

# One question per SIPAS element, in this order.
ELEMENTS = ("access", "procedure", "servant", "result", "feedback")
# The answers (1–5; 4 and 5 are satisfied): unit, field (None: not given), one per question.
ANSWERS = [
    ("justice", "civil_status", (5, 5, 4, 5, 4)),  # 5 of 5 satisfied
    ("justice", "civil_status", (4, 3, 5, 4, 2)),  # 3 of 5
    ("justice", "civil_status", (5, 4, 4, 5, 5)),  # 5 of 5
    ("justice", "attestation", (5, 5, 5, 4, 4)),  # 5 of 5
    ("finance", None, (2, 4, 3, 5, 4)),  # 3 of 5
]
# What the results page must show: responses, per element (in ELEMENTS' order), overall, target.
EXPECTED_RESULTS = {
    # 25 answers, 21 satisfied: 84,0 % < 90 %.
    "Toàn tỉnh": ["5", "80,0 %", "80,0 %", "80,0 %", "100,0 %", "80,0 %", "84,0 %", "Chưa đạt"],
    # 20 answers, 18 satisfied: exactly 90,0 %, the target met (≥).
    "Sở Tư pháp": ["4", "100,0 %", "75,0 %", "100,0 %", "100,0 %", "75,0 %", "90,0 %", "Đạt"],
    "Sở Tài chính": ["1", "0,0 %", "100,0 %", "0,0 %", "100,0 %", "100,0 %", "60,0 %", "Chưa đạt"],
}


@pytest.fixture(scope="module")
def fields(live_site: LiveSite) -> dict[str, tuple[str, str]]:
    """Two fields of the catalogue (code, name) the answers name."""
    engine = make_engine(live_site.url)
    try:
        with session_scope(make_sessionmaker(engine), write=False) as session:
            rows = {name: code for code, name in session.execute(
                select(CatalogField.code, CatalogField.name).where(CatalogField.name.in_(("Hộ tịch", "Chứng thực")))
            ).all()}
    finally:
        engine.dispose()
    assert set(rows) == {"Hộ tịch", "Chứng thực"}
    return {"civil_status": (rows["Hộ tịch"], "Hộ tịch"), "attestation": (rows["Chứng thực"], "Chứng thực")}


def _create_survey(base: str, username: str, slug: str) -> dict:
    """The Department's reform officer creates the form through the API (the way docs/reform-scoring.md
    gives: there is no page editor)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        token = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD,
                                                         "name": "kiểm thử khảo sát"})
        assert token.status_code == 201, token.text
        created = client.post("/api/v1/reform/surveys", headers={
            "Authorization": f"Bearer {token.json()['access_token']}"}, json={
            "slug": slug, "title": f"Khảo sát sự hài lòng tại Bộ phận Một cửa năm {YEAR + 1}", "year": YEAR + 1,
            "questions": [
                {"element": "access", "text": "Quý vị có dễ dàng tìm được nơi nộp hồ sơ không?"},
                {"element": "procedure", "text": "Thành phần hồ sơ có được niêm yết rõ ràng, đúng quy định không?"},
                {"element": "servant", "text": "Công chức có hướng dẫn tận tình, đầy đủ không?"},
                {"element": "result", "text": "Kết quả có được trả đúng hẹn, đúng quy định không?"},
                {"element": "feedback", "text": "Góp ý, phản ánh của quý vị có được tiếp nhận, trả lời không?"},
            ]})
        assert created.status_code == 201, created.text
        return created.json()


def _answer(citizen, unit_code: str, field_code: str | None, values: tuple[int, ...]) -> None:
    citizen.get_by_label("Cơ quan giải quyết hồ sơ").select_option(unit_code)
    citizen.get_by_label("Lĩnh vực thủ tục (nếu biết)").select_option(field_code or "")
    for n, value in enumerate(values, start=1):
        citizen.locator(f"fieldset#q{n}").get_by_label(SCALE5_LABELS[value], exact=True).check()
    citizen.get_by_role("button", name="Gửi ý kiến").click()
    citizen.wait_for_load_state("networkidle")
    assert citizen.locator("#cam-on h1").inner_text() == "Cảm ơn quý vị đã tham gia khảo sát!", citizen.content()[:2000]


def _results_table(page) -> dict[str, list[str]]:
    """#ket-qua: scope → its cells but the last (the dossier ratings)."""
    out = {}
    for row in page.locator("#ket-qua tbody tr").all():
        out[_words(row.locator("th").inner_text())] = [_words(t) for t in row.locator("td").all_inner_texts()][:-1]
    return out


def test_a_survey_answered_through_its_public_link_is_aggregated_on_the_results_page(live_site, browser, units,
                                                                                     officers, fields):
    base, axe = live_site.base, Axe()
    slug = f"mot-cua-{uuid.uuid4().hex[:8]}"
    survey = _create_survey(base, officers["home"], slug)

    # Citizens at the counter scan the QR code: the public link with the unit; no login.
    citizen = browser.new_context(locale="vi-VN", viewport=PHONE).new_page()
    citizen.set_default_timeout(15_000)
    codes = {key: units[key].code for key in ("justice", "finance")}
    for n, (unit, field, values) in enumerate(ANSWERS, start=1):
        response = citizen.goto(f"{base}/khao-sat/{slug}?co_quan={codes['justice']}")
        assert response.status == 200
        assert citizen.get_by_label("Cơ quan giải quyết hồ sơ").input_value() == codes["justice"]
        if n == 1:
            assert "Không cần đăng nhập" in citizen.locator("main").inner_text()
            no_sideways_scroll(citizen)
            screenshot(citizen, "reform-09-survey-public-390")
        _answer(citizen, codes[unit], fields[field][0] if field else None, values)
    no_sideways_scroll(citizen)
    screenshot(citizen, "reform-10-survey-thanks-390")
    citizen.set_viewport_size(DESKTOP)
    citizen.goto(f"{base}/khao-sat/{slug}")
    axe.check(citizen)
    citizen.context.close()

    # The Department's reform officer: the forms, then the results.
    home = _desktop(browser)
    log_in(home, base, officers["home"], PASSWORD)
    home.goto(f"{base}/quan-tri/cai-cach/khao-sat")
    axe.check(home)
    home.get_by_role("link", name=survey["title"]).click()
    home.wait_for_load_state("networkidle")
    assert survey["id"] in home.url
    intro = _words(home.locator("main h1 + p").inner_text())
    assert "Chỉ tiêu: ≥ 90 % hài lòng (mức 4 trở lên trên thang 5)." in intro, intro
    headers = [_words(t) for t in home.locator("#ket-qua thead th").all_inner_texts()]
    assert headers[2:7] == ["Tiếp cận dịch vụ", "Thủ tục hành chính", "Công chức trực tiếp giải quyết công việc",
                            "Kết quả cung ứng dịch vụ", "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị"]
    assert _results_table(home) == EXPECTED_RESULTS
    # Per field: Hộ tịch 13 of 15 answers satisfied (86,7 %), Chứng thực 5 of 5, none given 3 of 5.
    by_field = {_words(r.locator("th").inner_text()): [_words(t) for t in r.locator("td").all_inner_texts()]
                for r in home.locator("#theo-linh-vuc tbody tr").all()}
    assert by_field == {"Chứng thực": ["1", "100,0 %", "Đạt"], "Hộ tịch": ["3", "86,7 %", "Chưa đạt"],
                        "Không ghi lĩnh vực": ["1", "60,0 %", "Chưa đạt"]}
    screenshot(home, "reform-11-survey-results")
    axe.check(home)
    # The sign for the Department of Justice's counter: its QR code carries the form with the unit.
    home.get_by_role("link", name="mã QR để in, đặt tại quầy").click()
    home.select_option("#co_quan", codes["justice"])
    home.get_by_role("button", name="Tạo mã QR").click()
    home.wait_for_load_state("networkidle")
    assert home.locator("#survey-url").inner_text().endswith(f"/khao-sat/{slug}?co_quan={codes['justice']}")
    assert home.locator("#survey-qr").evaluate("img => img.complete && img.naturalWidth > 0")
    screenshot(home, "reform-11b-survey-counter-qr")
    axe.check(home)

    # The lead unit's officer sees the province and its own unit only.
    lead = _desktop(browser)
    log_in(lead, base, officers["justice"], PASSWORD)
    lead.goto(f"{base}/quan-tri/cai-cach/khao-sat/{survey['id']}")
    assert _results_table(lead) == {k: EXPECTED_RESULTS[k] for k in ("Toàn tỉnh", "Sở Tư pháp")}
    assert lead.locator("#theo-linh-vuc").count() == 0
    screenshot(lead, "reform-12-survey-results-unit")
    for page in (home, lead):
        page.context.close()
    axe.assert_clean()
