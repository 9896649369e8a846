"""Pages run under the Content-Security-Policy: HTMX and /static/motcua.js load, and the
browser reports no violation (inline script or style blocked, frames refused)."""

from __future__ import annotations

import pytest

from tests.browser.dossier_page import demo_lookup, log_in

pytestmark = pytest.mark.browser

PAGES = ["/", "/thu-tuc", "/co-quan", "/tra-cuu?ma={code}&khoa={key}", "/tinh-han", "/quay", "/xu-ly",
         "/quan-tri", "/quan-tri/lich", "/quan-tri/nguoi-dung", "/quan-tri/thu-tuc", "/quan-tri/quy-trinh",
         "/tai-khoan", "/khong-co-trang-nay"]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def test_pages_load_htmx_and_report_no_violation(live_site, live_server, page):
    code, key = demo_lookup(live_site)  # a dossier's code and the key printed on its slip
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, live_server, "admin")
    for path in PAGES:
        path = path.format(code=code, key=key)
        response = page.goto(f"{live_server}{path}")
        assert response.status == (404 if path == "/khong-co-trang-nay" else 200), path
        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof window.htmx") == "object", path
        assert page.evaluate("window.__csp") == [], path
    assert console == []


def test_the_site_refuses_to_be_framed(live_server, page):
    console = []
    page.on("console", lambda m: console.append(m.text))
    page.set_content(f'<iframe src="{live_server}/dang-nhap"></iframe>')
    page.wait_for_timeout(500)
    frame = page.frames[-1]
    assert "Đăng nhập" not in frame.content()
