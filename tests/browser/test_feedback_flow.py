"""A citizen sends feedback on a phone (390 px), the agency's specialist classifies, answers
and publishes it, the answer is found in the public search, and the sender rates it once."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.dossier_page import answer_and_publish_feedback, log_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _fits(page) -> None:
    """Nothing wider than the screen (no horizontal scrolling of the page)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_feedback_sent_answered_published_and_rated(live_server, browser):
    base = live_server
    phone = browser.new_context(locale="vi-VN", viewport=PHONE).new_page()
    phone.set_default_timeout(10_000)
    phone.goto(f"{base}/phan-anh-kien-nghi/gui")
    _fits(phone)
    phone.get_by_label("Cơ quan", exact=True).check()
    justice = phone.locator("#agency_code option", has_text="Sở Tư pháp").first.get_attribute("value")
    phone.locator("#agency_code").select_option(justice)
    phone.get_by_label("Tiêu đề").fill("Hướng dẫn tại quầy chưa rõ")
    phone.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Cán bộ tại quầy không hướng dẫn đủ giấy tờ, tôi phải đi lại ba lần.\nĐề nghị niêm yết danh mục giấy tờ.")
    phone.get_by_label("Họ và tên").fill("Hoàng Thị Phản Ánh")
    phone.get_by_label("Số điện thoại").fill("0911222333")
    screenshot(phone, "feedback-01-form-390")
    phone.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    phone.wait_for_load_state("networkidle")
    code, key = phone.locator("#ma-pakn").inner_text(), phone.locator("#ma-danh-gia").inner_text()
    assert re.fullmatch(r"PAKN-\d{6}-[A-Z2-9]{6}", code)
    _fits(phone)
    screenshot(phone, "feedback-02-sent-390")

    officer = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}).new_page()
    officer.set_default_timeout(10_000)
    log_in(officer, base, "chuyenvien")
    officer.goto(f"{base}/quan-tri/phan-anh-kien-nghi")
    officer.get_by_role("link", name=code).click()
    answer_and_publish_feedback(officer, "Sở đã niêm yết danh mục giấy tờ tại quầy và nhắc nhở cán bộ.")
    screenshot(officer, "feedback-03-published-1366")

    phone.goto(f"{base}/phan-anh-kien-nghi?q=niem yet danh muc")
    assert code in phone.content() and "Hoàng Thị Phản Ánh" not in phone.content()
    _fits(phone)
    screenshot(phone, "feedback-04-public-390")
    phone.goto(f"{base}/phan-anh-kien-nghi/danh-gia?ma={code}")
    phone.get_by_label("Mã đánh giá").fill(key)
    phone.get_by_label("Có giúp ích").check()
    phone.get_by_role("button", name="Gửi đánh giá").click()
    phone.wait_for_load_state("networkidle")
    assert "Cảm ơn bạn đã đánh giá" in phone.content()
    screenshot(phone, "feedback-05-rated-390")
