"""A citizen's whole journey in the browser (issue 12, "Done when"): signed in through the
national login simulator, the citizen submits online on the province's own service with
uploads; the counter accepts it in the online queue; the acceptance e-mail reaches a real SMTP
server (aiosmtpd) through the worker's sender; the citizen follows the timeline in «Hồ sơ của
tôi»; the Department of Justice handles it, issues and returns the result; the citizen rates
the service once and sends feedback that the agency classifies, answers and publishes; the
answer is found in the public search. Screenshots tests/artifacts/journey-*.png."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from sqlalchemy import exists, select

from motcua.auth.service import find_user
from motcua.catalog.applications import current_applications
from motcua.catalog.models import DossierComponentSpec, Procedure
from motcua.core.config import get_settings
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.dossiers.models import Dossier
from motcua.eservice.models import OnlineService
from motcua.eservice.offers import ONLINE_LEVELS
from motcua.notices.applicant import vn_date, vn_time
from motcua.notify.jobs import send_messages
from motcua.ratings.models import Rating
from tests.browser.conftest import screenshot
from tests.browser.dossier_page import (
    RESULT_PDF,
    answer_and_publish_feedback,
    log_in,
    sign_in_citizen,
)
from tests.browser.test_dossier_flow import act
from tests.eservice.support import AN
from tests.integrations.lgsp.fixtures import lgsp, lgsp_env, lgsp_server  # noqa: F401  (fixtures)
from tests.integrations.vneid.fixtures import (  # noqa: F401  (pytest finds fixtures by name)
    CITIZEN,
    CLIENT_ID,
    CLIENT_SECRET,
)
from tests.notify.conftest import smtp_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}
EMAIL = "nguyen.van.an.hanh-trinh@example.vn"
BASIS = "Danh sách thủ tục nộp trực tuyến của tỉnh (kiểm thử hành trình công dân)"
ANSWER = "Sở đã bổ sung hướng dẫn tải giấy tờ lên Cổng dịch vụ công của tỉnh."


def png_bytes() -> bytes:
    """A real 1×1 white PNG (signature, IHDR, IDAT, IEND with their CRCs)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
            + chunk(b"IEND", b""))


@pytest.fixture
def offered(live_site) -> tuple[str, str]:
    """(code, name) of a procedure of the Department of Justice (where the demo officers work)
    that the province offers online itself: one the catalogue marks online, with components,
    put on the province's list (/quan-tri/nop-truc-tuyen) when it is not there yet."""
    engine = make_engine(live_site.url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            dept = next(r.agency for r in find_user(session, "chuyenvien").roles if r.role == "specialist")
            candidates = session.scalars(
                select(Procedure).where(
                    Procedure.status == "in_force", Procedure.online_level.in_(ONLINE_LEVELS),
                    exists().where(DossierComponentSpec.procedure_id == Procedure.id))
                .order_by(Procedure.time_limit_days.is_(None), Procedure.code)).all()
            mine = {a.procedure_id for a in current_applications(session, [p.id for p in candidates])
                    if a.agency_id == dept.id}
            procedure = next(p for p in candidates if p.id in mine)
            if session.scalar(select(OnlineService.id).where(OnlineService.procedure_id == procedure.id)) is None:
                session.add(OnlineService(procedure_id=procedure.id, basis=BASIS, added_by="admin"))
            return procedure.code, procedure.name
    finally:
        engine.dispose()


@pytest.fixture
def outbox_sender(live_database_url, smtp_server, monkeypatch):  # noqa: F811
    """`motcua worker`'s notify-send pass on the live server's database, configured (as the
    worker is, through the environment) to send through the test's SMTP server."""
    monkeypatch.setenv("MOTCUA_SMTP_URL", smtp_server.url)
    get_settings.cache_clear()
    engine = make_engine(live_database_url)
    factory = make_sessionmaker(engine)
    yield lambda: send_messages(factory)
    engine.dispose()
    get_settings.cache_clear()


def read_dossier(url: str, code: str) -> Dossier:
    engine = make_engine(url)
    try:
        with session_scope(make_sessionmaker(engine), write=False) as session:
            dossier = session.scalars(select(Dossier).where(Dossier.code == code)).one()
            session.expunge(dossier)
            return dossier
    finally:
        engine.dispose()


def ratings_of(url: str, dossier_id) -> list[Rating]:
    engine = make_engine(url)
    try:
        with session_scope(make_sessionmaker(engine), write=False) as session:
            rows = list(session.scalars(select(Rating).where(Rating.dossier_id == dossier_id)))
            session.expunge_all()
            return rows
    finally:
        engine.dispose()


def mails_to(server, address: str) -> list:
    return [m for m in server.messages if address in m["To"]]


def test_citizen_journey(live_site, browser, vneid, lgsp_env, smtp_server, outbox_sender, offered,  # noqa: F811
                         monkeypatch):
    base = live_site.base
    procedure_code, _procedure_name = offered
    monkeypatch.setenv("VNEID_URL", vneid.url)
    monkeypatch.setenv("VNEID_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("VNEID_CLIENT_SECRET", CLIENT_SECRET)
    lgsp_env.control("POST", "/_sim/citizens", json=AN)  # Nguyễn Văn An, as the population database holds him

    citizen = browser.new_context(locale="vi-VN", viewport=PHONE).new_page()
    officer = browser.new_context(locale="vi-VN", viewport=DESK).new_page()
    for page in (citizen, officer):
        page.set_default_timeout(15_000)

    # 1. The citizen signs in with the national identity and starts from the procedure page.
    sign_in_citizen(citizen, base, vneid.url, CITIZEN)
    citizen.goto(f"{base}/thu-tuc/{procedure_code}")
    assert citizen.locator("#phan-anh a").get_attribute("href") == "/phan-anh-kien-nghi"
    citizen.click("#online-submit-link")
    citizen.wait_for_url(f"{base}/cong-dan/nop-truc-tuyen/thu-tuc/*")
    screenshot(citizen, "journey-01-start")
    agency = citizen.locator("#agency_id")
    if agency.count():
        agency.select_option(label=next(o for o in agency.locator("option").all_inner_texts() if "Tư pháp" in o))
    citizen.get_by_role("button", name="Bắt đầu khai hồ sơ").click()
    citizen.wait_for_url(f"{base}/cong-dan/nop-truc-tuyen/ban-nhap/*")

    # 2. Declared once: name and number from the national identity, the address from the
    # population lookup; the citizen gives an e-mail and uploads each paper.
    declared = citizen.locator("#applicant-declared").inner_text()
    assert "Nguyễn Văn An" in declared and AN["SoDinhDanh"] in declared
    assert "Số 5 đường Trần Đăng Ninh" in citizen.get_by_label("Địa chỉ liên hệ").input_value()
    citizen.get_by_label("Thư điện tử").fill(EMAIL)
    citizen.get_by_label("Số điện thoại").fill("0912 345 678")
    uploads = citizen.locator("#online-form input[type=file]")
    assert uploads.count() >= 1
    for i in range(uploads.count()):
        name, mime, content = (("to-khai.pdf", "application/pdf", RESULT_PDF) if i % 2 == 0
                               else ("ban-sao.png", "image/png", png_bytes()))
        uploads.nth(i).set_input_files({"name": name, "mimeType": mime, "buffer": content})
    screenshot(citizen, "journey-02-form")
    citizen.click("#submit-dossier")
    citizen.wait_for_url(f"{base}/cong-dan/nop-truc-tuyen/da-nop/*")
    code = citizen.locator("#submitted-dossier strong").first.inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z.]+-\d{6}-\d{4}", code), code
    assert "Mới đăng ký trực tuyến" in citizen.locator("#submitted-dossier").inner_text()
    screenshot(citizen, "journey-03-submitted")
    submitted = read_dossier(live_site.url, code)
    assert (submitted.channel, submitted.status, submitted.applicant_email) == ("local_online", "submitted_online", EMAIL)

    # 3. The counter accepts it from the online queue.
    log_in(officer, base, "motcua")
    officer.goto(f"{base}/quay/truc-tuyen")
    card = officer.locator("section.card", has_text=code)
    assert card.count() == 1 and "Mới đăng ký trực tuyến" in card.inner_text()
    card.locator("input[name=outcome][value=accepted]").check()
    if read_limit_missing(live_site.url, procedure_code):
        card.locator("summary").click()
        card.locator("input[name=time_limit_days]").fill("5")
        card.locator("input[name=time_limit_basis]").fill("Quyết định công bố thủ tục (kiểm thử)")
    screenshot(officer, "journey-04-queue")
    card.get_by_role("button", name="Ghi quyết định").click()
    officer.wait_for_load_state("networkidle")
    assert officer.locator("#dossier-code").inner_text().strip() == code
    assert officer.locator("#dossier-status").get_attribute("data-status") == "awaiting_assignment"
    dossier_url = officer.url
    accepted = read_dossier(live_site.url, code)
    assert accepted.due_at is not None
    appointment = vn_date(accepted.due_at)

    # 4. The worker's sender delivers the acceptance e-mail, once.
    outbox_sender()
    mails = mails_to(smtp_server, EMAIL)
    assert len(mails) == 1, [m["Subject"] for m in mails]
    mail = mails[0]
    assert mail["Subject"] == f"Hồ sơ {code} đã được tiếp nhận"
    body = mail.get_content()
    assert f"Mã hồ sơ: {code}" in body and f"Ngày hẹn trả kết quả: {appointment}" in body
    assert f"/tra-cuu?ma={code}" in body and "Kính gửi Ông/Bà Nguyễn Văn An" in body
    outbox_sender()
    assert len(mails_to(smtp_server, EMAIL)) == 1  # delivered exactly once

    # 5. The citizen follows the timeline in «Hồ sơ của tôi»: the acceptance and its appointment.
    citizen.goto(f"{base}/cong-dan/ho-so")
    citizen.get_by_role("link", name=code).click()
    citizen.wait_for_url(f"{base}/cong-dan/ho-so/*")
    titles = citizen.locator("#qua-trinh li .timeline-title strong").all_inner_texts()
    assert titles[:2] == ["Nộp hồ sơ trực tuyến", "Tiếp nhận hồ sơ"], titles
    assert f"Hẹn trả kết quả: {vn_time(accepted.due_at)} {appointment}" in citizen.locator("#qua-trinh li.step-receive").inner_text()
    assert citizen.locator("#danh-gia").count() == 0  # nothing to rate before the result
    screenshot(citizen, "journey-05-timeline")

    # 6. Handled by the Department of Justice, issued and returned (the officers' own pages).
    act(officer, base, dossier_url, "lanhdao", "forward", "journey-06-assigned")
    act(officer, base, dossier_url, "chuyenvien", "forward", "journey-07-appraised")
    act(officer, base, dossier_url, "lanhdao", "approve", "journey-08-approved")
    act(officer, base, dossier_url, "vanthu", "issue_result", "journey-09-issued",
        {"input[name=result_number]": "35/HT-HTCD"})
    act(officer, base, dossier_url, "motcua", "return_result", "journey-10-returned")
    assert read_dossier(live_site.url, code).status == "returned"
    outbox_sender()
    subjects = [m["Subject"] for m in mails_to(smtp_server, EMAIL)]
    assert subjects[0] == f"Hồ sơ {code} đã được tiếp nhận" and f"Hồ sơ {code} đã có kết quả" in subjects

    # 7. The citizen finds «Đánh giá» on the dossier's page and rates the service, once.
    citizen.goto(f"{base}/cong-dan/ho-so/{code}")
    assert "Trả kết quả" in citizen.locator("#qua-trinh").inner_text()
    citizen.get_by_role("link", name="Đánh giá việc giải quyết hồ sơ").click()
    citizen.wait_for_url(f"{base}/cong-dan/ho-so/{code}/danh-gia")
    citizen.check("#time_score")
    citizen.check("#contacts_score")
    citizen.check("#attitude_score")
    citizen.check("#satisfaction")
    citizen.fill("#comment", "Nộp trực tuyến thuận tiện, không phải đến quầy.")
    screenshot(citizen, "journey-11-rating")
    citizen.click("#rating-submit")
    citizen.wait_for_load_state("networkidle")
    assert "Cảm ơn ông/bà đã đánh giá" in citizen.content()
    assert citizen.locator("#rating-submit").count() == 0
    ratings = ratings_of(live_site.url, accepted.id)
    assert [(r.channel, r.satisfaction, r.time_score, r.contacts_score, r.attitude_score) for r in ratings] == [
        ("online", "very_satisfied", 2, 2, 2)]
    citizen.goto(f"{base}/cong-dan/ho-so/{code}")
    assert "Đã đánh giá — xem đánh giá" in citizen.locator("#danh-gia").inner_text()
    screenshot(citizen, "journey-12-rated")

    # 8. The citizen sends feedback about the dossier (from the footer's link).
    citizen.get_by_role("link", name="Phản ánh, kiến nghị về thủ tục hành chính").click()
    citizen.wait_for_url(f"{base}/phan-anh-kien-nghi")
    citizen.get_by_role("link", name="Gửi phản ánh, kiến nghị").click()
    citizen.get_by_label("Hồ sơ (theo mã hồ sơ)").check()
    citizen.get_by_role("textbox", name=re.compile("^Mã hồ sơ")).fill(code.lower())  # typed as it comes: the case does not matter
    citizen.get_by_label("Tiêu đề").fill("Hướng dẫn tải giấy tờ lên chưa rõ")
    citizen.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Trang nộp trực tuyến không nói rõ giấy tờ nào cần bản chụp màu. Đề nghị bổ sung hướng dẫn.")
    citizen.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    citizen.get_by_label("Thư điện tử").fill(EMAIL)
    screenshot(citizen, "journey-13-feedback")
    citizen.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    citizen.wait_for_load_state("networkidle")
    feedback = citizen.locator("#ma-pakn").inner_text()
    assert re.fullmatch(r"PAKN-\d{6}-[A-Z2-9]{6}", feedback), feedback

    # 9. The agency's specialist classifies, answers and publishes it.
    log_in(officer, base, "chuyenvien")
    officer.goto(f"{base}/quan-tri/phan-anh-kien-nghi")
    officer.get_by_role("link", name=feedback).click()
    assert "Sở Tư pháp" in officer.content() and code in officer.content()
    answer_and_publish_feedback(officer, ANSWER)
    screenshot(officer, "journey-14-published")

    # 10. The published answer is found in the public search, without the sender's name.
    citizen.goto(f"{base}/phan-anh-kien-nghi?q=huong dan tai giay to")
    found = citizen.locator("main").inner_text()
    assert feedback in found and ANSWER in found and "Nguyễn Văn An" not in found
    screenshot(citizen, "journey-15-public-answer")


def read_limit_missing(url: str, procedure_code: str) -> bool:
    """Whether the catalogue holds no time limit for the procedure (the counter then gives one)."""
    engine = make_engine(url)
    try:
        with session_scope(make_sessionmaker(engine), write=False) as session:
            procedure = session.scalars(select(Procedure).where(Procedure.code == procedure_code)).one()
            return procedure.time_limit_days is None and procedure.time_limit_hours is None
    finally:
        engine.dispose()

