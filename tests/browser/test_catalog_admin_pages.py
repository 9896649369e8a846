"""The catalogue administrator's pages of issue 10 (decisions, coverage, procedures without an
agency, national-code mapping) at a counter PC's 1366 px and a phone's 390 px: each renders
its heading, and none makes the page scroll sideways on the phone."""

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dossier_flow import log_in

pytestmark = pytest.mark.browser

PAGES = {
    "/quan-tri/thu-tuc": "Quản trị danh mục thủ tục hành chính",
    "/quan-tri/thu-tuc/quyet-dinh": "Quyết định công bố",
    "/quan-tri/thu-tuc/do-phu": "Độ phủ",
    "/quan-tri/thu-tuc/chua-co-co-quan": "Thủ tục đang có hiệu lực chưa có cơ quan thực hiện",
    "/quan-tri/thu-tuc/ma-quoc-gia": "Ghép mã thủ tục quốc gia",
}


@pytest.mark.parametrize("width", [1366, 390])
def test_catalogue_admin_pages_fit_the_screen(live_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "admin")
    for path, heading in PAGES.items():
        response = page.goto(f"{live_server}{path}")
        assert response.status == 200, path
        assert heading in page.locator("h1").first.inner_text(), path
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        # The first screen only: the coverage page lists every field and is many screens long.
        name = path.replace("/quan-tri/thu-tuc", "").replace("/", "-") or "-list"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"catalog-admin{name}-{width}.png"))
