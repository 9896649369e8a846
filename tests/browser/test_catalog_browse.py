"""A citizen opens the home page, searches without diacritics and opens a procedure."""

import re

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_search_without_diacritics_and_open_a_procedure(live_server, page):
    page.goto(f"{live_server}/")
    assert "Thủ tục" in page.content()
    screenshot(page, "catalog-01-home")

    page.fill("input[name=q]", "dang ky khai sinh")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "dang ky khai sinh" in page.url.replace("+", " ").replace("%20", " ")
    screenshot(page, "catalog-02-results")

    first = page.get_by_role("link", name=re.compile(r"^Đăng ký khai sinh")).first
    with page.expect_navigation():
        first.click()
    assert re.search(r"/thu-tuc/[^/?]+$", page.url)
    assert "Đăng ký khai sinh" in page.locator("h1").inner_text()
    screenshot(page, "catalog-03-detail")


def test_home_page_has_no_broken_static_assets(live_server, page):
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{live_server}/thu-tuc?q=dat")
    page.wait_for_load_state("networkidle")
    assert failed == []
    assert "đất" in page.content().lower()
