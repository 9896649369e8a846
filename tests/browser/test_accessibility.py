"""WCAG 2.1 AA on the public and citizen pages (issue 12, item 6): axe-core finds no serious
or critical violation on a 1366 px counter PC and a 390 px phone, nothing scrolls sideways
on the phone, and the keyboard reaches the content (skip link, visible focus). Staff pages
are checked the same way. Screenshots in tests/artifacts/a11y-<page>-<width>.png.

A new page is one line in PAGES: its name, its path (with a value of `demo_values`:
`{procedure}`, `{dossier_id}`, `{dossier_code}` and its `{lookup_key}` for a demo procedure or
dossier, `{online_procedure}` offered online, `{citizen_dossier}` the citizen's dossier), who signs in first (a demo officer's
user name, `Citizen(sub)` for a citizen of the national login simulator, or a function
`(page, site)`), the HTTP status expected, and what to do on the page before the check
(`then`, e.g. `refused("Gửi")`: a form sent empty, to check its error messages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from motcua.auth.service import find_user
from motcua.catalog.models import Procedure
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.dossiers.enums import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.dossiers.seed import demo_procedures
from motcua.eservice.models import OnlineService
from tests.browser.accessibility import assert_accessible, no_sideways_scroll
from tests.browser.conftest import LiveSite
from tests.browser.dossier_page import WIDTHS, demo_desk, log_in, shot, sign_in_citizen
from tests.eservice.support import AN
from tests.integrations.vneid.fixtures import (  # noqa: F401  (pytest finds fixtures by name)
    CITIZEN,
    CLIENT_ID,
    CLIENT_SECRET,
)

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Citizen:
    """Signed in through the national login simulator as its identity `sub`."""
    sub: str = CITIZEN


@dataclass(frozen=True)
class Checked:
    name: str
    path: str  # may name {procedure}, {dossier_id}, {dossier_code}
    signed_in: str | Citizen | Callable | None = None  # a demo officer's user name, a citizen, or fn(page, site)
    status: int = 200
    then: Callable | None = None  # fn(page): what to do on the page before it is checked


def refused(button: str) -> Callable:
    """Send the form of the button named `button` as it is (the browser's own checks off),
    to check the page that refuses it: its error summary and the fields it marks."""
    def send(page) -> None:
        button_ = page.get_by_role("button", name=button, exact=True).first
        button_.evaluate("b => { b.form.noValidate = true; }")
        button_.click()
        page.wait_for_load_state("networkidle")
        assert page.locator("#error-summary, .flash-error, .field-error").count() > 0, f"{page.url}: not refused"
    return send


PAGES = [
    # Public and citizen pages.
    Checked("home", "/"),
    Checked("catalogue", "/thu-tuc"),
    Checked("search", "/thu-tuc?q=dang+ky+khai+sinh"),
    Checked("procedure", "/thu-tuc/{procedure}"),
    Checked("lookup", "/tra-cuu"),
    Checked("lookup-found", "/tra-cuu?ma={dossier_code}&khoa={lookup_key}"),
    Checked("lookup-unknown", "/tra-cuu?ma=000.00.00.H00-000000-0000&khoa=ABCD2345", status=404),
    Checked("agencies", "/co-quan"),
    Checked("due-date", "/tinh-han"),
    Checked("due-date-result", "/tinh-han?procedure={procedure}&received_date=01/12/2026&received_time=09:00&calc=1"),
    Checked("citizen-login", "/cong-dan/dang-nhap"),
    Checked("staff-login", "/dang-nhap"),
    Checked("citizen-account", "/cong-dan/tai-khoan", signed_in=Citizen()),
    Checked("my-dossiers", "/cong-dan/ho-so", signed_in=Citizen()),
    Checked("my-dossier", "/cong-dan/ho-so/{citizen_dossier}", signed_in=Citizen()),
    Checked("rating", "/cong-dan/ho-so/{citizen_dossier}/danh-gia", signed_in=Citizen()),
    Checked("rating-refused", "/cong-dan/ho-so/{citizen_dossier}/danh-gia", signed_in=Citizen(),
            then=refused("Gửi đánh giá")),
    Checked("notification-choices", "/cong-dan/thong-bao", signed_in=Citizen()),
    Checked("online-list", "/cong-dan/nop-truc-tuyen", signed_in=Citizen()),
    Checked("online-start", "/cong-dan/nop-truc-tuyen/thu-tuc/{online_procedure}", signed_in=Citizen()),
    Checked("online-draft", "/cong-dan/nop-truc-tuyen/thu-tuc/{online_procedure}", signed_in=Citizen(),
            then=lambda page: start_draft(page)),
    Checked("online-refused-upload", "/cong-dan/nop-truc-tuyen/thu-tuc/{online_procedure}", signed_in=Citizen(),
            then=lambda page: refused_upload(page)),
    Checked("kiosk-unpaired", "/kiosk/danh-gia"),
    Checked("kiosk-waiting", "/kiosk/danh-gia", signed_in=lambda page, site: pair_kiosk(page, site)),
    Checked("kiosk-offered", "/kiosk/danh-gia", signed_in=lambda page, site: pair_kiosk(page, site, offer=True)),
    Checked("feedback-send", "/phan-anh-kien-nghi/gui"),
    Checked("feedback-refused", "/phan-anh-kien-nghi/gui", then=refused("Gửi phản ánh, kiến nghị")),
    Checked("feedback-published", "/phan-anh-kien-nghi"),
    Checked("feedback-search", "/phan-anh-kien-nghi?q=thu+tuc"),
    Checked("feedback-track", "/phan-anh-kien-nghi/tra-cuu"),
    # Staff pages.
    Checked("counter", "/quay?ma_tt={procedure}", signed_in="motcua"),
    Checked("counter-refused", "/quay?ma_tt={procedure}", signed_in="motcua", then=refused("Ghi nhận")),
    Checked("online-queue", "/quay/truc-tuyen", signed_in="motcua"),
    Checked("kiosk-devices", "/quay/thiet-bi-danh-gia", signed_in="motcua"),
    Checked("inbox", "/xu-ly?hop=all", signed_in="lanhdao"),
    Checked("dossier", "/ho-so/{dossier_id}", signed_in="lanhdao"),
]


def start_draft(page) -> None:
    """From the online start page, the draft form (the agency chosen when there is a choice)."""
    agency = page.locator("#agency_id")
    if agency.count():
        agency.select_option(index=1)
    page.get_by_role("button", name="Bắt đầu khai hồ sơ").click()
    page.wait_for_url("**/cong-dan/nop-truc-tuyen/ban-nhap/*")
    page.wait_for_load_state("networkidle")


def refused_upload(page) -> None:
    """A draft saved with a text file named .pdf: refused at its field."""
    start_draft(page)
    page.locator("input[type=file]").first.set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": b"khong phai PDF"})
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".error-summary").is_visible(), page.url


def pair_kiosk(page, site: LiveSite, offer: bool = False) -> None:
    """The counter officer pairs this browser as a kiosk (and, with `offer`, returns a dossier
    at the counter so that the kiosk offers it; the demo's own ready dossiers are left to
    test_rating_kiosk)."""
    log_in(page, site.base, "motcua")
    page.goto(f"{site.base}/quay/thiet-bi-danh-gia")
    page.fill("#label", "Máy đánh giá (kiểm tra trợ năng)")
    page.locator("form[action='/quay/thiet-bi-danh-gia'] button[type=submit]").click()
    link = page.locator("#pairing-link").inner_text()
    if offer:  # a dossier of its own, returned at the counter by this officer just now
        desk, _world = demo_desk(site)
        try:
            ready = desk.dossier_in(DossierStatus.result_ready)
            returned = desk.act(ready["id"], "return_result", "counter", {"method": "counter"})
            assert returned.status_code == 200, returned.text
        finally:
            desk.client.close()
    page.goto(link)
    page.click("#kiosk-pair-submit")
    page.wait_for_load_state("networkidle")


@pytest.fixture(scope="session")
def demo_values(live_site: LiveSite) -> dict[str, str]:
    """The demo procedure and dossier that PAGES' paths name: the Department of Justice's
    (where the demo officers work); a procedure offered online; a dossier of the national
    login simulator's citizen (Nguyễn Văn An) whose result is ready."""
    engine = make_engine(live_site.url)
    try:
        with session_scope(make_sessionmaker(engine), write=False) as session:
            dept = next(r.agency for r in find_user(session, "chuyenvien").roles if r.role == "specialist")
            procedure = demo_procedures(session, dept)[0]
            dossier = session.scalars(
                select(Dossier).where(Dossier.agency_id == dept.id, Dossier.code.is_not(None)).order_by(Dossier.code)
            ).first()
            online = session.scalars(select(Procedure.code).join(OnlineService).order_by(Procedure.code)).first()
            values = {"procedure": procedure.code, "dossier_id": str(dossier.id), "dossier_code": dossier.code,
                      "lookup_key": dossier.lookup_key, "online_procedure": online}
    finally:
        engine.dispose()
    desk, _world = demo_desk(live_site)
    try:
        mine = desk.dossier_in(DossierStatus.result_ready, applicant={
            "kind": "person", "full_name": "Nguyễn Văn An", "id_number": AN["SoDinhDanh"], "phone": "0912345678"})
    finally:
        desk.client.close()
    return values | {"citizen_dossier": mine["code"]}


@pytest.fixture(params=list(WIDTHS), ids=lambda w: f"{w}px")
def sized_page(request, browser):
    context = browser.new_context(locale="vi-VN", viewport=WIDTHS[request.param])
    yield context.new_page()
    context.close()


def _sign_in_citizen(page, site: LiveSite, request, sub: str) -> None:
    """The citizen's way in: the VNeID button, the simulator's page, the identity `sub`."""
    simulator = request.getfixturevalue("vneid")
    monkeypatch = request.getfixturevalue("monkeypatch")
    # The live app makes its national login client at the first login, from these variables.
    monkeypatch.setenv("VNEID_URL", simulator.url)
    monkeypatch.setenv("VNEID_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("VNEID_CLIENT_SECRET", CLIENT_SECRET)
    sign_in_citizen(page, site.base, simulator.url, sub)


def _open(page, site: LiveSite, target: Checked, values: dict[str, str], request) -> None:
    if isinstance(target.signed_in, str):
        log_in(page, site.base, target.signed_in)
    elif isinstance(target.signed_in, Citizen):
        _sign_in_citizen(page, site, request, target.signed_in.sub)
    elif target.signed_in is not None:
        target.signed_in(page, site)
    path = target.path.format(**values)
    response = page.goto(site.base + path)
    assert response.status == target.status, f"{page.url}: {response.status}"
    assert urlsplit(page.url).path == urlsplit(path).path, f"sent to {page.url} instead of {path}"
    page.wait_for_load_state("networkidle")
    if target.then is not None:
        target.then(page)


@pytest.mark.parametrize("target", PAGES, ids=lambda t: t.name)
def test_no_serious_accessibility_violation(live_site, demo_values, sized_page, target, request):
    page = sized_page
    _open(page, live_site, target, demo_values, request)
    shot(page, f"a11y-{target.name}")
    assert_accessible(page)
    no_sideways_scroll(page)


def test_keyboard_skips_to_the_content_and_shows_the_focus(live_server, page):
    """The first Tab reaches a visible «skip» link that moves the focus past the header to the
    content; every focused control is outlined; the page says it is in Vietnamese."""
    page.set_viewport_size(WIDTHS["390"])
    page.goto(f"{live_server}/thu-tuc")
    assert page.evaluate("document.documentElement.lang") == "vi"

    skip = page.locator(".skip-link")
    assert skip.bounding_box()["y"] < 0, "the skip link shows before it has the focus"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.inner_text() == "Bỏ qua, đến nội dung chính"
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["width"] > 0, "the skip link stays off screen when focused"
    shot(page, "a11y-keyboard-skip-link")

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the first control of the content: the search box
    focused = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return {inMain: !!e.closest('main'), style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }""")
    assert focused["inMain"], "Tab after the skip link left the content"
    assert focused["style"] != "none" and focused["width"] >= 2, f"focus not visible: {focused}"


def test_a_table_on_a_phone_is_cards_that_stay_a_table(live_server, page):
    """At 390 px each result is a card whose values are shown under their column's name, the
    header row is out of sight, and a screen reader still finds a table with its headers."""
    page.set_viewport_size(WIDTHS["390"])
    page.goto(f"{live_server}/thu-tuc?q=dang+ky+khai+sinh")
    table = page.locator("#results table")
    assert "stack" in table.get_attribute("class")
    first = table.locator("tbody tr").first
    cell = first.locator("td").nth(1)
    assert cell.get_attribute("data-label") == "Tên thủ tục"
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Tên thủ tục"', label
    assert not table.locator("thead").is_visible() or table.locator("thead").bounding_box()["height"] <= 1
    assert page.get_by_role("table").get_by_role("columnheader", name="Tên thủ tục").count() == 1
    assert page.get_by_role("table").get_by_role("row").count() > 2
    card, wide = first.bounding_box(), page.viewport_size["width"]
    assert card["x"] >= 0 and card["x"] + card["width"] <= wide

    page.set_viewport_size(WIDTHS["1366"])  # a wide screen: the same table as rows and columns
    assert table.locator("thead").bounding_box()["height"] > 10
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == "none"
