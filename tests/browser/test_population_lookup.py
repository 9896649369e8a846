"""The counter form's "Tra cứu CSDL dân cư" button in the browser, against the LGSP simulator:
the applicant's fields filled from the population database, an unknown number and a platform
that is down told in Vietnamese, the form kept — screenshots in tests/artifacts/."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_dossier_flow import PROCEDURE_CODE, log_in
from tests.integrations.lgsp.fixtures import (  # noqa: F401  (pytest finds fixtures by name)
    lgsp,
    lgsp_env,
    lgsp_server,
)

pytestmark = pytest.mark.browser


def look_up(page, id_number: str) -> str:
    page.fill("#id_number", id_number)
    page.click("button[data-population-lookup]")
    result = page.locator("[data-population-result]")
    result.filter(has_not_text="Đang tra cứu").wait_for()
    page.wait_for_function("!document.querySelector('button[data-population-lookup]').disabled")
    return result.inner_text()


def test_the_counter_fills_the_applicant_from_the_population_database(live_server, page, lgsp_env):  # noqa: F811
    log_in(page, live_server, "motcua")
    page.goto(f"{live_server}/quay?ma_tt={PROCEDURE_CODE}")
    assert page.locator("button[data-population-lookup]").is_visible()

    assert look_up(page, "020 192 004 567") == "Đã lấy thông tin công dân từ Cơ sở dữ liệu quốc gia về dân cư."
    assert page.input_value("#full_name") == "Lộc Thị Hương"
    assert page.input_value("#id_number") == "020192004567"
    assert page.input_value("#address") == "Số 45 đường Lê Lợi, Phường Lương Văn Tri, Lạng Sơn"
    assert page.input_value("#applicant_kind") == "person"
    screenshot(page, "population-01-counter-prefilled")

    page.fill("#phone", "0912345678")
    assert look_up(page, "020199999999") == (
        "Cơ sở dữ liệu quốc gia về dân cư không có công dân mang số định danh 020199999999.")
    assert page.input_value("#full_name") == "Lộc Thị Hương" and page.input_value("#phone") == "0912345678"

    lgsp_env.fault("http", "503", service="TraCuuThongTinCongDan")
    assert look_up(page, "020070009876") == (
        "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP) trả lỗi HTTP 503 khi tra cứu "
        "Cơ sở dữ liệu quốc gia về dân cư.")
    screenshot(page, "population-02-counter-service-down")
    assert [body["NguoiTraCuu"] for body in lgsp_env.lookups()] == ["motcua"] * 3
