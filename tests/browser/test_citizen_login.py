"""A citizen signs in with the national identity in a real browser: the public site's VNeID
button, the national login simulator's page (a real server), back to «Tài khoản của tôi»,
with no CSP violation on the way (the start is a link: `form-action 'self'` would block a
form redirected to another origin). Screenshots in tests/artifacts/."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.integrations.vneid.fixtures import (  # noqa: F401  (pytest finds fixtures by name)
    CLIENT_ID,
    CLIENT_SECRET,
)

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def test_citizen_signs_in_with_vneid_and_out(live_server, page, vneid, monkeypatch):  # noqa: F811
    # The live app makes its national login client at the first login, from these variables.
    monkeypatch.setenv("VNEID_URL", vneid.url)
    monkeypatch.setenv("VNEID_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("VNEID_CLIENT_SECRET", CLIENT_SECRET)
    vneid.add_identity(sub="sim-trinh-duyet", LoaiTaiKhoan="1", SoDinhDanh="020195004321",
                       HoVaTen="Đinh Thị Mai", GioiTinh="Nữ", DiaChi="Xã Chi Lăng, tỉnh Lạng Sơn")
    page.add_init_script(RECORD_VIOLATIONS)

    page.goto(f"{live_server}/")
    page.click("text=Đăng nhập bằng VNeID")
    page.wait_for_url(f"{live_server}/cong-dan/dang-nhap")
    assert page.evaluate("window.__csp") == []
    screenshot(page, "citizen-login-1-public-site")

    page.click("#vneid-login")
    page.wait_for_url(f"{vneid.url}/oauth2/authorize?*")
    screenshot(page, "citizen-login-2-national-login")
    page.locator("form.identity", has_text="Đinh Thị Mai").get_by_role("button", name="Đăng nhập").click()

    page.wait_for_url(f"{live_server}/cong-dan/tai-khoan")
    assert page.evaluate("window.__csp") == []
    assert page.locator("h1").inner_text() == "Tài khoản của tôi"
    account = page.locator("#citizen-account").inner_text()
    assert "Đinh Thị Mai" in account and "020******321" in account and "020195004321" not in account
    assert page.locator(".site-header").get_by_text("Đinh Thị Mai").is_visible()
    screenshot(page, "citizen-login-3-my-account")

    page.click("#citizen-logout")
    page.wait_for_url(f"{live_server}/")
    assert page.locator(".site-header").get_by_text("Đăng nhập bằng VNeID").is_visible()
