# ruff: noqa: F811  (fixtures imported by name are the test's parameters)
"""The online round trip with payment, in the browser: a citizen's submission on the portal
simulator reaches the online queue; the counter accepts it; at the appraisal step the officer
requests payment of the catalogue's fee from the dossier page; the citizen pays on the payment
simulator's page, whose confirmation reaches the application's callback; the page shows it
paid with its e-receipt; the dossier is handled, issued and returned. The portal simulator
then holds status 10, every progress entry in order (6 while payment was awaited) and
DuocThanhToanTrucTuyen 1 with the fee line paid. Screenshots tests/artifacts/online-pay-*.png."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from motcua.catalog.models import Fee, Procedure
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from tests.browser.conftest import screenshot
from tests.browser.test_dossier_flow import act, log_in
from tests.browser.test_online_flow import (  # noqa: F401  (exchange: a fixture)
    PROCEDURE_CODE,
    SERVICE_CENTRE,
    exchange,
    submission,
)
from tests.integrations.dvcqg.fixtures import simulator_server  # noqa: F401  (fixture)
from tests.integrations.payment.fixtures import (  # noqa: F401  (fixtures)
    payment_settings,
    payment_simulator,
    payment_simulator_server,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue_fee(live_database_url) -> Fee:
    """The procedure's fee as the seeded catalogue states it (amount and basis)."""
    engine = make_engine(live_database_url)
    with session_scope(make_sessionmaker(engine), write=False) as session:
        procedure = session.scalars(select(Procedure).where(Procedure.code == PROCEDURE_CODE)).one()
        [fee] = session.scalars(select(Fee).where(Fee.procedure_id == procedure.id)).all()
    engine.dispose()
    assert fee.amount and fee.basis
    return fee


def test_online_submission_paid_on_the_platform_to_returned(
        live_server, page, simulator_server, exchange, payment_settings, payment_simulator, catalogue_fee):
    base, sim = live_server, simulator_server
    payment_simulator.control("PUT", "/_sim/config", json={"callback_url": f"{base}/api/v1/payments/confirm"})
    # Numbered here: each test module gets its own portal simulator, but the live database is
    # shared, so the simulator's own numbering could give a code another test already used.
    code = sim.submit(submission(MaHoSo=f"{SERVICE_CENTRE}-261202-TTP001", ChuHoSo="Đinh Văn Tùng", SoGiayToChuHoSo="020196007788", Email="tung@example.vn",
                                 TrichYeuHoSo="Xin cấp bản sao trích lục kết hôn", MaDoiTuong="VNEID-TECH-000777"))
    exchange()

    # 1. the online queue, then accepted with the catalogue's time limit
    log_in(page, base, "motcua")
    page.goto(f"{base}/quay/truc-tuyen")
    card = page.locator("section.card", has_text=code)
    assert "Mới đăng ký trực tuyến" in card.inner_text()
    screenshot(page, "online-pay-01-queue")
    card.locator("input[name=outcome][value=accepted]").check()
    card.locator("summary").click()
    card.locator("input[name=time_limit_days]").fill("3")
    card.locator("input[name=time_limit_basis]").fill("Khoản 2 Điều 64 Luật Hộ tịch số 60/2014/QH13")
    card.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    dossier_url = page.url
    assert page.locator("#dossier-code").inner_text().strip() == code
    exchange()
    assert sim.held(code)["TrangThaiHoSo"] == "2"
    act(page, base, dossier_url, "lanhdao", "forward", "online-pay-02-assigned")

    # 2. the appraising officer requests payment of the catalogue's fee from the dossier page
    log_in(page, base, "chuyenvien")
    page.goto(f"{dossier_url}#payments")
    section = page.locator("section#payments")
    fee_text = section.locator("table.payment-fees").inner_text()
    assert catalogue_fee.name in fee_text and "8.000 đ" in fee_text and "Thông tư 281/2016/TT-BTC" in fee_text
    screenshot(page, "online-pay-03-fees")
    section.locator("form#payment-request button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".flash-success").inner_text().startswith(
        "Đã gửi yêu cầu thanh toán 8.000 đ đến Nền tảng thanh toán quốc gia")
    assert page.locator("#dossier-status").get_attribute("data-status") == "payment_requested"
    section = page.locator("section#payments")
    assert "Chờ thanh toán" in section.inner_text()
    pay_url = section.locator("a[href*='/_sim/pay/']").get_attribute("href")
    screenshot(page, "online-pay-04-requested")
    exchange()
    assert sim.held(code)["TrangThaiHoSo"] == "6"

    # 3. the citizen pays on the platform's page; its confirmation reaches the application
    page.goto(pay_url)
    assert "8000" in page.content()
    screenshot(page, "online-pay-05-platform")
    page.get_by_role("button", name="Thanh toán").click()
    page.wait_for_load_state("networkidle")
    [delivery] = payment_simulator.callbacks()
    assert delivery["http_status"] == 200
    [held_payment] = payment_simulator.transactions()

    # 4. paid, with its e-receipt, shown on the dossier page; the dossier resumed
    page.goto(f"{dossier_url}#payments")
    section_text = page.locator("section#payments").inner_text()
    assert "Đã thanh toán 8.000 đ" in section_text and held_payment["receipt_number"] in section_text
    assert page.locator("#dossier-status").get_attribute("data-status") == "processing"
    screenshot(page, "online-pay-06-paid")

    # 5. handled, issued and returned
    act(page, base, dossier_url, "chuyenvien", "forward", "online-pay-07-appraised")
    act(page, base, dossier_url, "lanhdao", "approve", "online-pay-08-approved")
    act(page, base, dossier_url, "vanthu", "issue_result", "online-pay-09-issued",
        {"input[name=result_number]": "35/TLHT"})
    act(page, base, dossier_url, "motcua", "return_result", "online-pay-10-returned")
    exchange()

    held = sim.held(code)
    assert held["TrangThaiHoSo"] == "10"
    assert [p["TrangThai"] for p in held["progress"]] == ["1", "2", "4", "6", "4", "4", "4", "9", "10"]
    assert [p["NoiDungXuLy"].split(" — ")[0] for p in held["progress"]][3:5] == [
        "Yêu cầu thực hiện nghĩa vụ tài chính", "Xác nhận đã thực hiện nghĩa vụ tài chính"]
    record = held["record"]
    assert record["DuocThanhToanTrucTuyen"] == "1"
    assert [(f["TenPhiLePhi"], f["Gia"], f["HinhThucThu"]) for f in record["DanhSachLePhi"]] == [
        (catalogue_fee.name, "8000", "Trực tuyến")]
    assert (record["MaDoiTuong"], record["TaiKhoanDuocXacThucVoiVNeID"], record["HoSoCoThanhPhanSoHoa"]) == (
        "VNEID-TECH-000777", "1", "1")
