"""A dossier's whole life in the browser: received at the counter, receipt printed, walked
through the Department of Justice's process to "returned" — screenshots in tests/artifacts/."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.dossier_page import log_in, pdf_text

pytestmark = pytest.mark.browser

PROCEDURE_SEARCH = "cap ban sao trich luc ho tich"
PROCEDURE_CODE = "T-LSN-285002-TT"  # Cấp bản sao trích lục hộ tịch, provincial level (Sở Tư pháp)


def act(page, base: str, dossier_url: str, username: str, action: str, shot: str, fill: dict | None = None) -> None:
    """`username` presses the action named `action` (its button's label) on the dossier page."""
    log_in(page, base, username)
    page.goto(dossier_url)
    form = page.locator(f"form.action-form[data-action='{action}']")
    assert form.count() == 1, f"{username} sees no “{action}” button"
    listed = page.locator(f"details[data-action='{action}']")  # a secondary action: opened first
    if listed.count():
        listed.locator("summary").click()
    for selector, value in (fill or {}).items():
        form.locator(selector).fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".flash-error").count() == 0, page.locator(".flash-error").inner_text()
    screenshot(page, shot)


def receive_at_counter(page, base: str, *, shots: bool = False) -> tuple[str, str]:
    """The counter officer receives a dossier of PROCEDURE_CODE; its page's URL and code."""
    log_in(page, base, "motcua")
    page.goto(f"{base}/quay")
    page.fill("input[name=q]", PROCEDURE_SEARCH)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    if shots:
        screenshot(page, "dossier-01-counter-search")
    page.locator(f"a[href='/quay?ma_tt={PROCEDURE_CODE}']").click()
    page.wait_for_load_state("networkidle")
    page.select_option("#agency_id", label="Sở Tư pháp")
    page.fill("#full_name", "Nguyễn Thị Hoà")
    page.fill("#id_number", "020190001234")
    page.fill("#phone", "0912345678")
    page.fill("#address", "Phường Đông Kinh, tỉnh Lạng Sơn")
    page.fill("input[name='extra-0-name']", "Tờ khai cấp bản sao trích lục hộ tịch")
    page.fill("input[name='extra-1-name']", "Căn cước công dân")
    page.select_option("select[name='extra-1-kind']", "copy")
    # The catalogue holds no time limit for this procedure: the officer enters one and its basis
    # (nothing is printed as "theo quy định" that the catalogue does not hold).
    page.fill("#time_limit_days", "3")
    page.fill("#time_limit_basis", "Khoản 2 Điều 64 Luật Hộ tịch số 60/2014/QH13")
    if shots:
        screenshot(page, "dossier-02-counter-form")
    page.click("#submit-receipt")
    page.wait_for_load_state("networkidle")
    assert re.search(r"/ho-so/[0-9a-f-]{36}$", page.url), page.url
    code = page.locator("#dossier-code").inner_text().strip()
    assert re.fullmatch(r"000\.00\.02\.H37-\d{6}-\d{4}", code), code
    return page.url, code


def test_receive_print_and_walk_to_returned(live_server, page):
    base = live_server

    # 1. the counter officer of the provincial centre receives the dossier
    dossier_url, code = receive_at_counter(page, base, shots=True)
    assert page.locator("#dossier-status").get_attribute("data-status") == "awaiting_assignment"
    screenshot(page, "dossier-03-received")

    # 2. the printable receipt (form 01): the PDF behind "In phiếu", and its screen view
    link = page.locator("#forms a", has_text="Mẫu 01")
    href = link.get_attribute("href")
    assert href.endswith("/bieu-mau/01?pdf=1")
    pdf = page.request.get(f"{base}{href}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.body())
    assert code in text and "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    page.goto(f"{base}{href.split('?')[0]}")
    assert code in page.content()
    screenshot(page, "dossier-04-receipt-form-01")

    # 3. through the Department of Justice's internal process
    act(page, base, dossier_url, "lanhdao", "forward", "dossier-05-assigned")
    act(page, base, dossier_url, "chuyenvien", "forward", "dossier-06-appraised", {"[name=note]": "Hồ sơ hợp lệ"})
    act(page, base, dossier_url, "lanhdao", "approve", "dossier-07-approved")
    act(page, base, dossier_url, "vanthu", "issue_result", "dossier-08-result-issued",
        {"input[name=result_number]": "15/TLHT"})

    # 4. back at the counter: the result is returned to the applicant
    log_in(page, base, "motcua")
    page.goto(f"{base}/xu-ly?hop=all&q={code}")
    assert code in page.content()
    screenshot(page, "dossier-09-counter-inbox")
    act(page, base, dossier_url, "motcua", "return_result", "dossier-10-returned")
    page.goto(dossier_url)
    assert page.locator("#dossier-status").get_attribute("data-status") == "returned"
    assert page.locator("#timeline li").count() == 6
    screenshot(page, "dossier-11-final")

    # 5. the public lookup shows the status, without personal data
    lookup_key = page.locator("#lookup-key").inner_text().strip()
    page.context.clear_cookies()
    page.goto(f"{base}/tra-cuu?ma={code}&khoa={lookup_key}")
    assert "Đã trả kết quả" in page.content()
    assert "Nguyễn Thị Hoà" not in page.content()
    screenshot(page, "dossier-12-public-lookup")


@pytest.mark.parametrize("width", [1366, 390])
def test_withdraw_asks_for_a_reason_and_a_confirmation(live_server, page, width):
    base = live_server
    page.set_viewport_size({"width": width, "height": 900})
    dossier_url, code = receive_at_counter(page, base)
    # the only action on a new dossier sits in the actions list, not among the print links
    assert page.locator("#forms form").count() == 0
    page.locator("details[data-action='withdraw'] summary").click()
    form = page.locator("form.action-form[data-action='withdraw']")
    screenshot(page, f"withdraw-{width}-01-listed")
    page.evaluate("document.querySelector(\"form[data-action='withdraw'] textarea\").removeAttribute('required')")
    form.locator("button[type=submit]").click()  # no reason: refused at the field
    page.wait_for_load_state("networkidle")
    assert page.locator("#note-withdraw-error").inner_text() == "Cần ghi rõ lý do khi rút hồ sơ theo yêu cầu."
    screenshot(page, f"withdraw-{width}-02-no-reason")
    form.locator("[name=note]").fill("Công dân có đơn xin rút hồ sơ")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Xác nhận: Rút hồ sơ theo yêu cầu"
    assert page.locator("#confirm-note").input_value() == "Công dân có đơn xin rút hồ sơ"
    screenshot(page, f"withdraw-{width}-03-confirm")
    page.locator("#confirm button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.goto(dossier_url)
    assert page.locator("#dossier-status").get_attribute("data-status") == "withdrawn"
    assert "Công dân có đơn xin rút hồ sơ" in page.locator("#timeline").inner_text()
    screenshot(page, f"withdraw-{width}-04-withdrawn")
