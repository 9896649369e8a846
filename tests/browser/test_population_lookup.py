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


def test_a_dossier_is_compared_with_the_population_database(live_server, page, lgsp_env):  # noqa: F811
    log_in(page, live_server, "motcua")
    listing = page.request.get(f"{live_server}/api/v1/dossiers", params={"page_size": 50}).json()["items"]
    details = (page.request.get(f"{live_server}/api/v1/dossiers/{item['id']}").json() for item in listing)
    dossier = next(d for d in details if d["applicant"]["kind"] == "person"
                   and len(d["applicant"]["id_number"] or "") == 12)
    applicant = dossier["applicant"]
    lgsp_env.control("POST", "/_sim/citizens", json={
        "SoDinhDanh": applicant["id_number"], "HoVaTen": applicant["full_name"], "NgayThangNamSinh": "19800000",
        "GioiTinh": "1", "DanToc": "Tày", "QuocTich": "Việt Nam",
        "NoiThuongTru": {"ChiTiet": "Thôn Pò Mã", "MaXa": "06193", "TenXa": "Xã Cao Lộc", "MaTinh": "20",
                         "TenTinh": "Lạng Sơn"}})
    page.goto(f"{live_server}/ho-so/{dossier['id']}")
    box = page.locator("#population-check")
    assert box.is_visible()
    box.locator("button").click()
    result = box.locator("[data-population-result]")
    result.filter(has_not_text="Đang tra cứu").wait_for()
    assert result.inner_text() == (f"{applicant['full_name']}; sinh 1980; Nam; "
                                   "thường trú: Thôn Pò Mã, Xã Cao Lộc, Lạng Sơn")
    screenshot(page, "population-03-dossier-check")
    (sent,) = lgsp_env.lookups()
    assert (sent["SoDinhDanh"], sent["MaHoSo"], sent["NguoiTraCuu"]) == (applicant["id_number"], dossier["code"],
                                                                         "motcua")
