"""QA: signed in, the header navigation wrapped to 2–3 lines on a 1366×768 counter PC."""

import pytest

from tests.browser.conftest import screenshot
from tests.browser.dossier_page import log_in

pytestmark = pytest.mark.browser


def _line_count(page, selector: str) -> int:
    """Distinct rows (by top edge) that the links and buttons inside `selector` sit on."""
    return page.eval_on_selector(
        selector,
        "el => new Set([...el.querySelectorAll('a, button')].map(e => Math.round(e.getBoundingClientRect().top))).size",
    )


def test_signed_in_header_fits_on_two_compact_lines_at_1366(live_server, page):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server}/thu-tuc")
    assert _line_count(page, ".main-nav") == 1

    log_in(page, live_server, "admin")
    page.goto(f"{live_server}/thu-tuc")
    # every link of the signed-in navigation (public, staff, sign out) on one row under the brand
    assert _line_count(page, ".main-nav") == 1
    assert page.locator(".nav-staff a[href='/quan-tri']").count() == 1
    assert page.get_by_role("button", name="Đăng xuất").count() == 1
    height = page.eval_on_selector(".site-header", "el => el.getBoundingClientRect().height")
    assert height <= 90, height
    screenshot(page, "header-1366-signed-in")


def test_staff_pages_fit_a_390px_phone_without_sideways_scrolling(live_server, page):
    """QA: the inbox table widened the whole page to 689 px on a 390 px phone."""
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "admin")
    for path in ("/xu-ly", "/so-theo-doi", "/quay", "/tra-cuu"):
        page.goto(f"{live_server}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    screenshot(page, "lookup-390")
