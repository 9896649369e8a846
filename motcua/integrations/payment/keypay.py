"""`PaymentPlatform` over HTTP/JSON (the Keypay-operated pay-gate of §9).

Every request is signed with the shared hash key (`wire.CREATE_FIELDS`, `LOOKUP_FIELDS`)
and every confirmation or look-up record is verified with it before a value is read. Every
failure (connection, timeout, HTTP error, a reply that is not JSON, a non-zero
`error_code`, a reply whose checksum does not verify) becomes a `PaymentError` in
Vietnamese.
"""

from __future__ import annotations

from typing import Any

import httpx

from motcua.integrations.payment import wire
from motcua.integrations.payment.config import PaymentSettings
from motcua.integrations.payment.platform import (
    Confirmation,
    CreatedTransaction,
    InvalidConfirmation,
    PaymentError,
    PaymentOrder,
)

PLATFORM = "Nền tảng thanh toán quốc gia"
UNKNOWN_TRANSACTION_CODE = "404"  # simulator; [U] on the real platform


class KeypayPlatform:
    def __init__(self, settings: PaymentSettings, *, transport: httpx.BaseTransport | None = None):
        self.settings = settings
        self._client = httpx.Client(
            base_url=settings.url.rstrip("/"),
            timeout=httpx.Timeout(settings.timeout_seconds, connect=settings.connect_timeout_seconds),
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> KeypayPlatform:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _key(self) -> str:
        if not self.settings.hash_key:
            raise PaymentError(f"Chưa cấu hình khoá bí mật dùng chung với {PLATFORM} (MOTCUA_PAYMENT_HASH_KEY).")
        return self.settings.hash_key

    def _post(self, path: str, body: dict[str, Any], what: str) -> dict[str, Any]:
        try:
            response = self._client.post(path, json=body)
        except httpx.TimeoutException as exc:
            raise PaymentError(f"{PLATFORM} không trả lời khi {what} trong {self.settings.timeout_seconds:g} giây.") \
                from exc
        except httpx.HTTPError as exc:
            raise PaymentError(f"Không kết nối được {PLATFORM} ({self.settings.url}) khi {what}: {exc}.") from exc
        if response.status_code >= 400:
            raise PaymentError(f"{PLATFORM} trả lỗi HTTP {response.status_code} khi {what}.")
        try:
            reply = response.json()
        except ValueError as exc:
            raise PaymentError(f"{PLATFORM} trả về dữ liệu không đọc được (không phải JSON) khi {what}.") from exc
        if not isinstance(reply, dict):
            raise PaymentError(f"{PLATFORM} trả về dữ liệu không đúng định dạng khi {what}.")
        return reply

    @staticmethod
    def _refused(reply: dict[str, Any], what: str) -> PaymentError:
        return PaymentError(f"{PLATFORM} từ chối {what} (mã lỗi {wire.text(reply.get('error_code')) or 'trống'}): "
                            f"{wire.text(reply.get('message')) or 'không có thông báo'}.")

    # --- PaymentPlatform -----------------------------------------------------------------

    def create_transaction(self, order: PaymentOrder) -> CreatedTransaction:
        what = "tạo giao dịch thanh toán"
        payload = wire.order_payload(order, merchant_code=self.settings.merchant_code,
                                     service_suffix=self.settings.service_suffix)
        reply = self._post(self.settings.create_endpoint, wire.signed(self._key(), payload, wire.CREATE_FIELDS), what)
        if not wire.is_success(reply.get("error_code")):
            raise self._refused(reply, what)
        transaction_id, url = wire.text(reply.get("transaction_id")), wire.text(reply.get("payment_url"))
        if not transaction_id or not url:
            raise PaymentError(f"{PLATFORM} không trả mã giao dịch hoặc đường dẫn thanh toán khi {what}.")
        return CreatedTransaction(transaction_id, order.lookup_code, url)

    def verify_confirmation(self, body: dict[str, Any]) -> Confirmation:
        if not self.settings.hash_key:
            raise InvalidConfirmation("Chưa cấu hình khoá bí mật dùng chung: không thể xác minh xác nhận thanh toán.")
        return wire.read_confirmation(self.settings.hash_key, body)

    def lookup(self, transaction_id: str) -> Confirmation | None:
        what = f"tra cứu giao dịch {transaction_id}"
        body = {"merchant_code": self.settings.merchant_code, "transaction_id": transaction_id}
        reply = self._post(self.settings.lookup_endpoint, wire.signed(self._key(), body, wire.LOOKUP_FIELDS), what)
        code = wire.text(reply.get("error_code"))
        if code == UNKNOWN_TRANSACTION_CODE:
            return None
        if not wire.is_success(code):
            raise self._refused(reply, what)
        records = reply.get("result")
        if not isinstance(records, list) or not records or not isinstance(records[0], dict):
            return None
        try:
            return wire.read_confirmation(self._key(), records[0])
        except InvalidConfirmation as exc:
            # A look-up reply that does not verify is not the platform's word: nothing is recorded.
            raise PaymentError(f"{PLATFORM} trả kết quả {what} sai mã kiểm tra; không tin cậy.") from exc
