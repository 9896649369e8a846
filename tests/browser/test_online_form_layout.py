"""The local online service's pages in a real browser at a phone's width (390 px): the list,
the start page and the draft form fit without horizontal scrolling, and a refused upload is
shown at its field with what was typed kept. The live site's demo data lists a few
procedures (eservice.seed). Screenshots `online-form-*.png` in tests/artifacts/."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.integrations.vneid.fixtures import (  # noqa: F401  (pytest finds fixtures by name)
    CLIENT_ID,
    CLIENT_SECRET,
)

pytestmark = pytest.mark.browser

WIDTH = 390


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_online_form_at_390_px(live_server, browser, vneid, monkeypatch, tmp_path):  # noqa: F811
    monkeypatch.setenv("VNEID_URL", vneid.url)
    monkeypatch.setenv("VNEID_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("VNEID_CLIENT_SECRET", CLIENT_SECRET)
    context = browser.new_context(locale="vi-VN", viewport={"width": WIDTH, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{live_server}/cong-dan/dang-nhap/vneid")
        page.locator("form.identity", has_text="Nguyễn Văn An").get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{live_server}/cong-dan/tai-khoan")

        page.goto(f"{live_server}/cong-dan/nop-truc-tuyen")
        assert fits(page)
        screenshot(page, "online-form-1-list")
        page.locator("#online-procedures a").first.click()
        page.wait_for_url(f"{live_server}/cong-dan/nop-truc-tuyen/thu-tuc/*")
        assert fits(page)
        screenshot(page, "online-form-2-start")
        if page.locator("#agency_id").count():
            page.locator("#agency_id").select_option(index=1)
        page.get_by_role("button", name="Bắt đầu khai hồ sơ").click()
        page.wait_for_url(f"{live_server}/cong-dan/nop-truc-tuyen/ban-nhap/*")
        assert page.get_by_role("button", name="Nộp hồ sơ").is_visible()
        assert fits(page)
        screenshot(page, "online-form-3-draft")

        # A text file named .pdf for the first component: refused at its field, typing kept.
        fake = tmp_path / "to-khai-rat-dai-ten-tep-cua-cong-dan-nop-truc-tuyen.pdf"
        fake.write_bytes(b"khong phai PDF")
        page.locator("input[type=file]").first.set_input_files(str(fake))
        page.get_by_label("Số điện thoại").fill("0912 345 678")
        page.get_by_role("button", name="Lưu nháp").click()
        assert page.locator(".error-summary").is_visible()
        assert page.locator(".field-error").first.inner_text().startswith("Tệp “to-khai-rat-dai-ten-tep")
        assert page.get_by_label("Số điện thoại").input_value() == "0912 345 678"
        assert fits(page)
        screenshot(page, "online-form-4-refused-upload")
    finally:
        context.close()
