"""The counter kiosk in the browser: the officer pairs a device, returns a result at the counter,
the device offers that dossier, the citizen answers with the keyboard, the device thanks and waits
again; the kiosk fits 390 and 1366 px — screenshots tests/artifacts/rating-kiosk-*.png."""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.dossier_page import log_in

pytestmark = pytest.mark.browser


def no_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def return_one_at_the_counter(page, base: str) -> dict:
    """The signed-in officer returns, at the counter, a demo dossier whose result is ready."""
    token = json.loads(page.get_attribute("body", "hx-headers"))["X-CSRF-Token"]
    ready = page.request.get(f"{base}/api/v1/dossiers", params={"status": "result_ready", "page_size": 50})
    for item in ready.json()["items"]:
        answer = page.request.post(f"{base}/api/v1/dossiers/{item['id']}/actions/return_result",
                                   data={"method": "counter"}, headers={"X-CSRF-Token": token})
        if answer.status == 200:
            return answer.json()
    raise AssertionError("no demo dossier the counter officer may return")


def test_kiosk_pairing_offer_rating_by_keyboard(live_server, page, browser):
    log_in(page, live_server, "motcua")
    page.goto(f"{live_server}/quay/thiet-bi-danh-gia")
    page.fill("#label", "Máy đánh giá quầy 1")
    page.locator("form[action='/quay/thiet-bi-danh-gia'] button[type=submit]").click()
    link = page.locator("#pairing-link").inner_text()
    screenshot(page, "rating-kiosk-01-pairing-link")

    device_context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}, has_touch=True)
    device = device_context.new_page()
    device.goto(link)
    device.click("#kiosk-pair-submit")
    device.wait_for_load_state("networkidle")
    assert "Đã ghép nối thiết bị “Máy đánh giá quầy 1”." in device.locator(".flash").inner_text()
    # (The demo data may hold dossiers this officer returned minutes ago: they are offered too.)

    dossier = return_one_at_the_counter(page, live_server)
    device.reload()
    assert dossier["code"] in device.locator("#kiosk-dossier").inner_text()
    screenshot(device, "rating-kiosk-03-offered-1366")
    assert no_overflow(device)
    device.set_viewport_size({"width": 390, "height": 844})
    assert no_overflow(device)
    screenshot(device, "rating-kiosk-04-offered-390")

    # Keyboard only: Space picks an answer, arrows move within a question, Tab to the next one.
    device.focus("#time_score")
    device.keyboard.press("Space")
    device.keyboard.press("Tab")
    device.keyboard.press("ArrowRight")  # contacts: the second answer (2 lần, 1 point)
    device.keyboard.press("Tab")
    device.keyboard.press("Space")
    device.keyboard.press("Tab")
    device.keyboard.press("Space")  # very satisfied
    device.keyboard.press("Tab")
    device.keyboard.type("Nhanh gọn")
    assert device.is_checked("#time_score") and device.is_checked("#contacts_score-1")
    assert device.is_checked("#attitude_score") and device.is_checked("#satisfaction")
    device.keyboard.press("Tab")
    device.keyboard.press("Enter")
    device.locator("#kiosk-thanks").wait_for()
    screenshot(device, "rating-kiosk-05-thanks")
    device.wait_for_url(re.compile(r"/kiosk/danh-gia$"), timeout=15000)  # back by itself (motcua.js)
    device.wait_for_load_state("networkidle")
    assert dossier["code"] not in device.content()  # rated: never offered again
    screenshot(device, "rating-kiosk-06-after")
    device_context.close()
