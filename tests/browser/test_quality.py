"""ISO 9001 quality management in a browser (issue 14, "Done when"), on a 1366 px office PC:

- a unit's quality secretary (an account the administrator opens on its page) records an
  internal audit through the forms: plans it, records it held, adds a nonconformity with its
  root cause, a corrective action with owner and deadline, marks the action done, verifies and
  closes the nonconformity, which ends the audit; the page shows each state;
- the Department of Science and Technology opens the province-wide summary, finds the audit
  held and no nonconformity open for that unit, and downloads the XLSX and the PDF through the
  page's links: every total of the files is the page's;
- the roadmap page shows plan 34's commune targets (50 in 2018, 42 in 2019, ≥ 70 % by 2020);
- axe-core finds no serious or critical violation on each quality page visited.

Screenshots in tests/artifacts/quality-<step>.png. The clock is the live server's (real): the
audit is held, corrected and verified today, so it falls in the current half year.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
import uuid
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from motcua.core.clock import now, to_local
from motcua.quality.reports import FIGURES, SUMMARY_HEADER
from tests.browser.accessibility import assert_accessible, no_sideways_scroll
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.dossier_page import WIDTHS, log_in, pdf_text

pytestmark = pytest.mark.browser

UNIT = "Sở Xây dựng"  # a seeded unit of plan 71 appendix II that no other browser test records for
DEPARTMENT = "Sở Khoa học và Công nghệ"
PASSWORD = "matkhau-iso-2026"


@pytest.fixture
def office(browser):
    context = browser.new_context(locale="vi-VN", viewport=WIDTHS["1366"], accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)  # a missing label fails in seconds
    yield page
    context.close()


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def checked(page, name: str) -> None:
    """A screenshot of the open page, then axe and the sideways-scroll check on it."""
    page.wait_for_load_state("networkidle")
    screenshot(page, f"quality-{name}")
    assert_accessible(page)
    no_sideways_scroll(page)


def open_account(page, base: str, username: str, full_name: str, agency: str, role: str) -> None:
    """The administrator opens a staff account with `role` at the agency named `agency`."""
    log_in(page, base, "admin")
    page.goto(f"{base}/quan-tri/nguoi-dung/moi")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Họ và tên").fill(full_name)
    page.get_by_label(re.compile("^Mật khẩu ban đầu")).fill(PASSWORD)
    box = page.get_by_label("Cơ quan, đơn vị")
    box.select_option(label=next(o for o in box.locator("option").all_inner_texts() if o.startswith(f"{agency} (")))
    page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Tạo tài khoản").click()
    page.wait_for_load_state("networkidle")
    assert username in page.content()


def submit(page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state("networkidle")


def flash_says(page, text: str) -> None:
    assert text in page.locator("main").inner_text(), page.locator("main").inner_text()[:2000]


def pdf_lines(content: bytes) -> list[str]:
    """The PDF's text laid out as printed (a table row on one line, but for wrapped cells)."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout
    return [unicodedata.normalize("NFC", line).strip() for line in out.decode().splitlines()]


def page_total(page) -> list[str]:
    return [c.strip() for c in page.locator("#summary tr.total td").all_inner_texts()]


def unit_row(page, name: str) -> list[str]:
    row = page.locator("#summary tbody tr", has=page.locator("td", has_text=re.compile(f"^{name}$")))
    assert row.count() == 1, f"{name}: {row.count()} rows"
    return [c.strip() for c in row.locator("td").all_inner_texts()]


def test_secretary_records_an_audit_to_closure_and_the_department_exports_the_summary(live_server, office):
    base, page = live_server, office
    today = to_local(now()).date()  # the live server's day
    half = 1 if today.month <= 6 else 2
    secretary, officer = f"tkiso.{uuid.uuid4().hex[:6]}", f"khcn.{uuid.uuid4().hex[:6]}"
    open_account(page, base, secretary, "Lý Thị Thư Ký", UNIT, "Thư ký ISO")
    open_account(page, base, officer, "Hoàng Văn Khoa Học", DEPARTMENT, "Chuyên viên")

    # --- the unit's quality secretary -------------------------------------------------------
    log_in(page, base, secretary, PASSWORD)
    page.goto(f"{base}/chat-luong/danh-gia")
    assert page.locator("h1").inner_text() == "Đánh giá nội bộ và cập nhật theo thay đổi pháp lý"
    assert "Chưa có cuộc đánh giá nội bộ nào." in page.locator("main").inner_text()
    # Only the secretary's own unit can be chosen.
    assert page.get_by_label("Đơn vị").locator("option").all_inner_texts() == [UNIT]
    code = page.get_by_label("Đơn vị").locator("option").first.get_attribute("value")
    checked(page, "01-audits-empty")

    page.get_by_label("Ngày đánh giá dự kiến").fill(dmy(today))
    page.get_by_label("Phạm vi đánh giá").fill("Lĩnh vực hoạt động xây dựng: cấp giấy phép xây dựng")
    page.get_by_label("Chuyên gia đánh giá").fill("Nguyễn Văn Đánh Giá (trưởng đoàn), Phạm Thị Kiểm")
    submit(page, "Lập kế hoạch")
    assert re.search(r"/chat-luong/danh-gia/[0-9a-f-]{36}$", page.url), page.url
    flash_says(page, "Đã lập kế hoạch đánh giá nội bộ.")
    assert page.locator("h1").inner_text() == f"Đánh giá nội bộ – {UNIT}"
    assert page.locator("#audit-status").inner_text() == "Đã lập kế hoạch"
    checked(page, "02-planned")

    page.get_by_label("Ngày đánh giá", exact=True).fill(dmy(today))
    page.get_by_label("Kết luận đánh giá").fill("Hệ thống cơ bản phù hợp; một điểm không phù hợp về kiểm soát hồ sơ.")
    submit(page, "Ghi kết quả")
    flash_says(page, "Đã ghi kết quả cuộc đánh giá.")
    assert page.locator("#audit-status").inner_text() == "Đã đánh giá, đang khắc phục"
    checked(page, "03-held")

    # A nonconformity without its root cause is refused, and what was typed stays.
    page.get_by_label("Loại phát hiện").select_option(label="Điểm không phù hợp")
    page.get_by_label("Điều khoản").fill("7.5.3")
    page.get_by_label("Nội dung phát hiện").fill("Sổ theo dõi hồ sơ thiếu ngày trả kết quả của 3 hồ sơ")
    submit(page, "Ghi phát hiện")
    assert "Điểm không phù hợp phải có nguyên nhân gốc." in page.locator("main").inner_text()
    assert page.get_by_label("Nội dung phát hiện").input_value() == "Sổ theo dõi hồ sơ thiếu ngày trả kết quả của 3 hồ sơ"
    assert page.get_by_label("Điều khoản").input_value() == "7.5.3"
    checked(page, "04-finding-refused")

    page.get_by_label(re.compile("^Nguyên nhân gốc")).fill("Mẫu sổ cũ không có cột ngày trả kết quả")
    submit(page, "Ghi phát hiện")
    flash_says(page, "Đã ghi phát hiện.")
    finding = page.locator("#finding-1")
    assert finding.locator("h3").inner_text() == "1. Điểm không phù hợp (điều khoản 7.5.3) – Đang khắc phục"
    assert "Nguyên nhân gốc: Mẫu sổ cũ không có cột ngày trả kết quả" in finding.inner_text()
    checked(page, "05-nonconformity")

    deadline = today + timedelta(days=30)
    finding.locator("summary", has_text="Thêm hành động khắc phục").click()
    finding.get_by_label("Hành động khắc phục").fill("Ban hành mẫu sổ mới có cột ngày trả kết quả")
    finding.get_by_label("Thời hạn").fill(dmy(deadline))
    finding.get_by_role("button", name="Thêm", exact=True).click()  # no owner: refused
    page.wait_for_load_state("networkidle")
    # The nonconformity's own form comes back open with what was typed, the owner marked and
    # the summary linking to it; the page's other forms stay empty.
    finding = page.locator("#finding-1")
    assert finding.locator("details").get_attribute("open") is not None
    assert finding.get_by_label("Hành động khắc phục").input_value() == "Ban hành mẫu sổ mới có cột ngày trả kết quả"
    assert finding.get_by_label("Thời hạn").input_value() == dmy(deadline)
    owner = finding.get_by_label("Người thực hiện")
    assert owner.get_attribute("aria-invalid") == "true"
    link = page.locator("#error-summary a")
    assert link.all_inner_texts() == ["Người thực hiện"]
    assert link.get_attribute("href") == f"#{owner.get_attribute('id')}"
    assert page.locator(f"#{owner.get_attribute('id')}-error").inner_text() == "Trường này là bắt buộc."
    assert page.get_by_label("Nội dung phát hiện").input_value() == ""
    checked(page, "06-action-refused")
    finding.get_by_label("Người thực hiện").fill("Trần Thị Một Cửa")
    finding.get_by_role("button", name="Thêm", exact=True).click()
    page.wait_for_load_state("networkidle")
    flash_says(page, "Đã thêm hành động khắc phục.")
    action = page.locator("#finding-1 table tbody tr")
    assert action.count() == 1
    assert action.locator("td").all_inner_texts()[:3] == [
        "Ban hành mẫu sổ mới có cột ngày trả kết quả", "Trần Thị Một Cửa", dmy(deadline)]
    checked(page, "07-action")

    finding = page.locator("#finding-1")
    finding.get_by_label("Ngày hoàn thành").fill(dmy(today))
    finding.get_by_label("Kết quả thực hiện").fill("Đã dùng mẫu sổ mới từ hôm nay")
    submit(page, "Ghi hoàn thành")
    flash_says(page, "Đã ghi hoàn thành hành động khắc phục.")
    assert page.locator("#finding-1 table tbody tr td").nth(3).inner_text() == f"{dmy(today)}: Đã dùng mẫu sổ mới từ hôm nay"
    assert page.locator("#finding-1 h3").inner_text().endswith("– Đang khắc phục")
    checked(page, "08-action-done")

    finding = page.locator("#finding-1")
    finding.get_by_label("Ngày kiểm tra hiệu lực").fill(dmy(today))
    finding.get_by_label("Kết quả kiểm tra hiệu lực").fill("Kiểm tra 20 hồ sơ: đều ghi đủ ngày trả kết quả")
    submit(page, "Đóng điểm không phù hợp")
    flash_says(page, "Đã kiểm tra hiệu lực và đóng điểm không phù hợp.")
    assert page.locator("#finding-1 h3").inner_text() == "1. Điểm không phù hợp (điều khoản 7.5.3) – Đã đóng"
    assert (f"Kiểm tra hiệu lực {dmy(today)} ({secretary}): Kiểm tra 20 hồ sơ: đều ghi đủ ngày trả kết quả"
            in page.locator("#finding-1").inner_text())
    # The audit ends the day its last nonconformity closes; nothing is left to record.
    assert page.locator("#audit-status").inner_text() == f"Đã kết thúc ({dmy(today)})"
    assert page.locator("main form[method=post]").count() == 0
    checked(page, "09-closed")

    page.goto(f"{base}/chat-luong/danh-gia")
    cells = page.locator("table.list").first.locator("tbody tr td").all_inner_texts()
    assert cells == [UNIT, dmy(today), dmy(today), "Đã kết thúc", "0"]
    checked(page, "10-audits-list")
    # The unit's own yearly report counts the audit and its nonconformity, none left open.
    page.goto(f"{base}/chat-luong/don-vi/{code}/bao-cao?loai=year&nam={today.year}")
    assert page.locator("h1").inner_text() == f"Báo cáo năm {today.year} – {UNIT}"
    # Section II of the report (its figures; section I is the objectives): indicator → result.
    rows = page.locator("#unit-report tbody tr:not(.section)")
    report = {r.locator("th").inner_text(): r.locator("td").nth(1).inner_text() for r in rows.all()
              if r.locator("th").inner_text() in FIGURES.values()}
    assert report == {"Công bố trong kỳ": "0", "Đánh giá nội bộ đã thực hiện": "1", "Họp xem xét của lãnh đạo": "0",
                      "Điểm không phù hợp phát hiện": "1", "Điểm không phù hợp chưa đóng": "0",
                      "Điểm không phù hợp quá hạn khắc phục": "0", "Thay đổi pháp lý phải cập nhật": "0",
                      "Cập nhật theo thay đổi pháp lý chưa xong": "0", "Cập nhật quá 3 tháng": "0"}
    checked(page, "10-unit-report")
    assert page.goto(f"{base}/chat-luong/don-vi/{code}").status == 200  # the unit's system, with its forms
    assert page.locator("h1").inner_text().startswith(UNIT)
    checked(page, "10-unit")
    assert page.goto(f"{base}/chat-luong/bao-cao").status == 403  # a unit's secretary: no province view

    # --- the Department of Science and Technology ------------------------------------------
    log_in(page, base, officer, PASSWORD)
    page.goto(f"{base}/chat-luong/bao-cao")
    # Opened without a period, the page shows the half year running today.
    assert page.get_by_label("Kỳ (6 tháng)").input_value() == str(half)
    page.get_by_label("Loại báo cáo").select_option("half")
    page.get_by_label("Năm").fill(str(today.year))
    page.get_by_label("Kỳ (6 tháng)").select_option(str(half))
    submit(page, "Xem")
    assert f"loai=half&nam={today.year}&ky={half}" in page.url
    start, end = (date(today.year, 1, 1), date(today.year, 6, 30)) if half == 1 else (
        date(today.year, 7, 1), date(today.year, 12, 31))
    assert page.locator("h2").first.inner_text() == (
        f"Báo cáo 6 tháng {'đầu' if half == 1 else 'cuối'} năm {today.year} (từ {dmy(start)} đến {dmy(end)})")
    assert [h.strip() for h in page.locator("#summary thead th").all_inner_texts()] == SUMMARY_HEADER
    row = unit_row(page, UNIT)
    figures = dict(zip(FIGURES, row[5:], strict=True))
    # The seeded system (stage maintain, no announcement decision in the seeds) with the one
    # audit held in the half year, its one nonconformity found and closed.
    assert row[3:5] == ["Duy trì, cải tiến", "Chưa"]
    assert figures == {"announced_in_period": "0", "audits_held": "1", "reviews_held": "0", "ncs_found": "1",
                       "ncs_open": "0", "ncs_overdue": "0", "legal_opened": "0", "legal_pending": "0",
                       "legal_overdue": "0"}
    total = page_total(page)
    assert total[:3] == ["", "", "Tổng cộng"]
    body = page.locator("#summary tbody tr:not(.total)")
    assert int(total[4]) == sum(1 for r in body.locator("td:nth-child(5)").all_inner_texts() if r == "Có")
    for i in range(5, len(SUMMARY_HEADER)):  # each total is its column's sum on the page
        assert int(total[i]) == sum(int(v) for v in body.locator(f"td:nth-child({i + 1})").all_inner_texts())
    assert int(total[6]) >= 1 and int(total[8]) >= 1  # this audit and its nonconformity are counted
    checked(page, "11-summary")

    with page.expect_download() as info:
        page.get_by_role("link", name="Excel (XLSX)").click()
    xlsx = info.value
    xlsx.save_as(ARTIFACTS / "quality-summary.xlsx")
    assert xlsx.suggested_filename == f"iso-tong-hop-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    rows = list(load_workbook(io.BytesIO(open(xlsx.path(), "rb").read())).active.iter_rows(values_only=True))
    assert list(rows[2]) == SUMMARY_HEADER
    as_text = [["" if v is None else str(v) for v in r] for r in rows[3:]]
    assert as_text[-1] == total  # the file's total row is the page's, cell for cell
    assert next(r for r in as_text if r[2] == UNIT) == row
    assert len(as_text) - 1 == body.count()
    for i in range(5, len(SUMMARY_HEADER)):  # and the sums of the file's own rows
        assert sum(int(r[i]) for r in as_text[:-1]) == int(total[i])

    with page.expect_download() as info:
        page.get_by_role("link", name="PDF").click()
    pdf = info.value
    pdf.save_as(ARTIFACTS / "quality-summary.pdf")
    assert pdf.suggested_filename == f"iso-tong-hop-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
    content = open(pdf.path(), "rb").read()
    heading = page.locator("h2").first.inner_text()
    text = pdf_text(content)
    assert heading.upper() in text  # the title is set in capitals
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in text  # the issuer, under the province
    lines = pdf_lines(content)
    # The total row, and the unit's row (its first line: number, code and name wrap below).
    assert [line.split("Tổng cộng")[1].split() for line in lines if "Tổng cộng" in line] == [total[4:]]
    unit_line = [line for line in lines if re.match(rf"{row[0]}\s+{re.escape(row[1][:10])}", line)]
    assert len(unit_line) == 1 and unit_line[0].split()[-10:] == row[4:]

    # The Department keeps the plans' roadmap: the same page with its form to record an activity.
    page.goto(f"{base}/chat-luong/lo-trinh")
    assert page.locator("#record-activity h3").inner_text() == "Ghi nhận nội dung đã thực hiện"
    checked(page, "12-roadmap-department")

def test_roadmap_shows_plan_34_commune_targets(live_server, office):
    page = office
    page.context.clear_cookies()  # the roadmap is public
    assert page.goto(f"{live_server}/chat-luong/lo-trinh").status == 200
    targets = [t.split(" — ") for t in page.locator("#commune-targets li").all_inner_texts()]
    assert [t[0] for t in targets] == ["Năm 2018: 50 đơn vị cấp xã", "Năm 2019: 42 đơn vị cấp xã",
                                       "Đến hết năm 2020: ít nhất 70% đơn vị cấp xã"]
    # Each with its source in the plan's text.
    assert [t[1].split(":")[0] for t in targets] == ["34/KH-UBND, mục III.3.2", "34/KH-UBND, mục III.3.2",
                                                     "34/KH-UBND, mục II.2.2"]
    by_year = {r.locator("td").first.inner_text(): r.locator("td").nth(3).inner_text()
               for r in page.locator("#roadmap-years tbody tr").all()}
    assert (by_year["2018"], by_year["2019"], by_year["2020"]) == ("50 xã", "42 xã", "ít nhất 70% số xã")
    checked(page, "13-roadmap")


@pytest.mark.parametrize("path", ["/chat-luong/don-vi", "/chat-luong/don-vi?nhom=I&nam=2018"])
def test_register_pages_are_accessible(live_server, office, path):
    page = office
    page.context.clear_cookies()
    assert page.goto(f"{live_server}{path}").status == 200
    checked(page, "14-register" + ("-filtered" if "?" in path else ""))
