"""Tracking in the browser on a 390 px phone and a 1366 px screen: the public lookup opened by
a slip's QR link (code and key filled in) shows the timeline with what to supplement; a
citizen signed in through the national login simulator finds the dossier in «Hồ sơ của tôi».
No sideways scrolling; screenshots tests/artifacts/tracking-*-<width>.png."""

from __future__ import annotations

import pytest

from tests.browser.dossier_page import WIDTHS, demo_desk, fits_width, shot
from tests.integrations.vneid.fixtures import (  # noqa: F401  (pytest finds fixtures by name)
    CLIENT_ID,
    CLIENT_SECRET,
)

pytestmark = pytest.mark.browser

ID_NUMBER = "020196007788"


@pytest.fixture(params=list(WIDTHS))
def page(browser, request):
    context = browser.new_context(locale="vi-VN", viewport=WIDTHS[request.param])
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_lookup_by_qr_link_and_my_dossiers_on_a_phone(live_server, live_site, page, vneid, monkeypatch):  # noqa: F811
    desk, _world = demo_desk(live_site)
    try:
        applicant = {"kind": "person", "full_name": "Lộc Thị Hạnh", "id_number": ID_NUMBER, "phone": "0912000111"}
        dossier = desk.receive(applicant=applicant)
        asked = desk.act(dossier["id"], "assign", "head", {"assignee": "chuyenvien"})
        assert asked.status_code == 200, asked.text
        asked = desk.act(dossier["id"], "request_supplement", "specialist",
                         {"missing_items": ["Bản sao giấy chứng nhận kết hôn"], "note": "Thiếu trang 2"})
        assert asked.status_code == 200, asked.text
    finally:
        desk.client.close()
    code, key = dossier["code"], dossier["lookup_key"]

    # the slip's QR: /tra-cuu?ma=…&khoa=…
    page.goto(f"{live_server}/tra-cuu?ma={code}&khoa={key}")
    assert page.locator("#ma").input_value() == code and page.locator("#khoa").input_value() == key
    missing = page.locator("#can-bo-sung").inner_text()
    assert "Bản sao giấy chứng nhận kết hôn" in missing and "Thiếu trang 2" in missing
    assert "Yêu cầu bổ sung hồ sơ" in page.locator("#qua-trinh").inner_text()
    assert "Lộc Thị Hạnh" not in page.content()
    fits_width(page)
    shot(page, "tracking-lookup")
    # typed by hand, in lower case with spaces: the same dossier
    page.goto(f"{live_server}/tra-cuu")
    page.get_by_label("Mã hồ sơ").fill(code.lower())
    page.get_by_label("Mã tra cứu hoặc số định danh của người nộp").fill(f"{key[:3].lower()} {key[3:].lower()}")
    page.get_by_role("button", name="Tra cứu").click()
    assert f"Hồ sơ {code}" in page.locator("#ket-qua").inner_text()

    monkeypatch.setenv("VNEID_URL", vneid.url)
    monkeypatch.setenv("VNEID_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("VNEID_CLIENT_SECRET", CLIENT_SECRET)
    # one national account for both widths (the simulator is reset between tests, the site is not)
    vneid.add_identity(sub="sim-tracking", TechID="VNEID-TECH-TRACKING", LoaiTaiKhoan="1", SoDinhDanh=ID_NUMBER,
                       HoVaTen="Lộc Thị Hạnh", GioiTinh="Nữ", DiaChi="Xã Chi Lăng, tỉnh Lạng Sơn")
    page.goto(f"{live_server}/cong-dan/dang-nhap")
    page.click("#vneid-login")
    page.wait_for_url(f"{vneid.url}/oauth2/authorize?*")
    page.locator("form.identity", has_text="Lộc Thị Hạnh").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server}/cong-dan/tai-khoan")
    page.click("#my-dossiers-link")
    page.wait_for_url(f"{live_server}/cong-dan/ho-so")
    fits_width(page)
    shot(page, "tracking-my-dossiers")
    page.get_by_role("link", name=code).click()
    assert "Bản sao giấy chứng nhận kết hôn" in page.locator("#can-bo-sung").inner_text()
    fits_width(page)
    shot(page, "tracking-my-dossier")
