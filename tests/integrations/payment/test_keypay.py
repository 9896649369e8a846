"""The payment adapter against the simulator over real HTTP: a signed order creates one
transaction per attempt, paying issues an e-receipt once, confirmations and look-ups are
verified with the shared key, a forged one is refused, faults become Vietnamese errors."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from motcua.integrations.payment import wire
from motcua.integrations.payment.config import PaymentSettings
from motcua.integrations.payment.keypay import KeypayPlatform
from motcua.integrations.payment.platform import (
    FeeLine,
    InvalidConfirmation,
    Payer,
    PaymentError,
    PaymentOrder,
)
from tests.integrations.payment.fixtures import MERCHANT


def order(lookup_code: str = "000.00.01.H99-261202-000120261202101500", amount: int = 100000) -> PaymentOrder:
    return PaymentOrder(
        dossier_code="000.00.01.H99-261202-0001", lookup_code=lookup_code, procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh", unit_code="000.00.01.H99", unit_name="UBND xã Thử Nghiệm",
        fees=(FeeLine("2", "fee-1", "Lệ phí đăng ký", amount), FeeLine("1", "fee-2", "Phí cấp bản sao", 8000)),
        payer=Payer("Nguyễn Văn An", "012345678901", "Số 1 Lê Lợi"), description="Nộp lệ phí hồ sơ",
    )


def test_the_checksum_is_hmac_sha256_over_the_documented_canonical_string():
    body = {"transaction_id": "KP1", "MaTraCuuTT": "HS120261202101500", "status": "0", "SoTien": "108000",
            "MaBienLai": "BLDT-2026-0000001", "NgayThanhToan": "20261202101600"}
    expected = hmac.new(b"k", b"KP1|HS120261202101500|0|108000|BLDT-2026-0000001|20261202101600",
                        hashlib.sha256).hexdigest()
    assert wire.checksum("k", body) == expected
    assert wire.checksum_valid("k", wire.signed("k", body))
    assert not wire.checksum_valid("k", wire.signed("k", body) | {"SoTien": "1"})
    assert not wire.checksum_valid("", wire.signed("", body))  # no key, nothing verifies


def test_create_pay_confirm_and_look_up(platform, payment_simulator):
    created = platform.create_transaction(order())

    assert created.payment_url == f"{payment_simulator.url}/_sim/pay/{created.transaction_id}"
    [call] = payment_simulator.calls()
    body = call["body"]
    assert body["merchant_code"] == MERCHANT
    assert (body["MaHoSo"], body["MaTraCuuTT"], body["MaTTHC"], body["MaDonVi"], body["TongTien"]) == (
        "000.00.01.H99-261202-0001", "000.00.01.H99-261202-000120261202101500", "1.001193", "000.00.01.H99",
        "108000")
    assert body["PhiLePhi"] == [
        {"LoaiPhiLePhi": "2", "MaPhiLePhi": "fee-1", "TenPhiLePhi": "Lệ phí đăng ký", "SoTien": "100000"},
        {"LoaiPhiLePhi": "1", "MaPhiLePhi": "fee-2", "TenPhiLePhi": "Phí cấp bản sao", "SoTien": "8000"}]
    assert (body["HoTenNguoiNop"], body["SoCMNDNguoiNop"]) == ("Nguyễn Văn An", "012345678901")
    assert platform.lookup(created.transaction_id).paid is False

    page = payment_simulator.control("GET", f"/_sim/pay/{created.transaction_id}").text
    assert "Lệ phí đăng ký: 100000 đồng" in page and "Tổng: 108000 đồng" in page
    paid = payment_simulator.pay(created.transaction_id)
    confirmation = platform.verify_confirmation(paid["confirmation"])
    assert paid["delivered"] is False and paid["already_paid"] is False
    assert (confirmation.transaction_id, confirmation.paid, confirmation.amount) == (created.transaction_id, True,
                                                                                     108000)
    assert confirmation.receipt_number.startswith("BLDT-") and confirmation.paid_at is not None

    again = payment_simulator.pay(created.transaction_id)
    assert again["already_paid"] is True and again["confirmation"] == paid["confirmation"]
    held = platform.lookup(created.transaction_id)
    assert (held.paid, held.amount, held.receipt_number) == (True, 108000, confirmation.receipt_number)
    assert platform.lookup("KP-NO-SUCH") is None


def test_one_transaction_per_attempt(platform, payment_simulator):
    first = platform.create_transaction(order())
    assert platform.create_transaction(order()) == first  # the same attempt sent twice
    with pytest.raises(PaymentError, match="đã dùng cho một giao dịch khác"):
        platform.create_transaction(order(amount=1))
    assert platform.create_transaction(order(lookup_code="other-attempt")).transaction_id != first.transaction_id
    assert len(payment_simulator.transactions()) == 2


@pytest.mark.parametrize("tamper", ["checksum", "amount", "status"])
def test_a_forged_confirmation_does_not_verify(platform, payment_simulator, tamper):
    created = platform.create_transaction(order())
    forged = payment_simulator.confirmation(created.transaction_id, tamper=tamper)["confirmation"]
    with pytest.raises(InvalidConfirmation, match="sai mã kiểm tra"):
        platform.verify_confirmation(forged)


def test_a_wrong_key_or_merchant_is_refused(payment_settings, payment_simulator):
    for wrong in ({"hash_key": "sai-khoa"}, {"merchant_code": "KHAC"}):
        with KeypayPlatform(payment_settings.model_copy(update=wrong)) as adapter, \
                pytest.raises(PaymentError, match="mã lỗi 401"):
            adapter.create_transaction(order())
    with KeypayPlatform(payment_settings.model_copy(update={"hash_key": ""})) as adapter:
        with pytest.raises(PaymentError, match="MOTCUA_PAYMENT_HASH_KEY"):
            adapter.create_transaction(order())
        with pytest.raises(InvalidConfirmation):
            adapter.verify_confirmation({"transaction_id": "KP1", "status": "0", "check_sum": "x"})
    assert payment_simulator.transactions() == []


def test_faults_become_vietnamese_errors(platform, payment_simulator):
    payment_simulator.fault("create", "http", "503")
    with pytest.raises(PaymentError, match="HTTP 503 khi tạo giao dịch"):
        platform.create_transaction(order())
    payment_simulator.fault("create", "delay", "3.5")
    with pytest.raises(PaymentError, match="không trả lời khi tạo giao dịch"):
        platform.create_transaction(order())
    payment_simulator.fault("lookup", "error_code", "99")
    with pytest.raises(PaymentError, match="mã lỗi 99"):
        platform.lookup("KP1")
    created = platform.create_transaction(order(lookup_code="after-faults"))
    assert platform.lookup(created.transaction_id).paid is False


def test_unreachable_platform(payment_settings):
    with KeypayPlatform(payment_settings.model_copy(update={"url": "http://127.0.0.1:9"})) as adapter, \
            pytest.raises(PaymentError, match="Không kết nối được Nền tảng thanh toán quốc gia"):
        adapter.create_transaction(order())


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PAYMENT_URL", "https://pay.example.vn")
    monkeypatch.setenv("MOTCUA_PAYMENT_HASH_KEY", "k")
    settings = PaymentSettings()
    assert (settings.url, settings.hash_key) == ("https://pay.example.vn", "k")
    monkeypatch.delenv("PAYMENT_URL")
    monkeypatch.setenv("MOTCUA_PAYMENT_URL", "https://pay2.example.vn")
    assert PaymentSettings().url == "https://pay2.example.vn"
