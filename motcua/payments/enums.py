"""Vocabularies of payments and their Vietnamese labels (written once, here)."""

from __future__ import annotations

from enum import StrEnum


class PaymentStatus(StrEnum):
    pending = "pending"  # sent to the platform, waiting for the citizen to pay
    paid = "paid"  # a verified confirmation recorded it, with its e-receipt


PAYMENT_STATUS_LABELS: dict[PaymentStatus, str] = {
    PaymentStatus.pending: "Chờ thanh toán",
    PaymentStatus.paid: "Đã thanh toán",
}


class ConfirmedVia(StrEnum):
    callback = "callback"  # the platform's confirmation callback
    reconcile = "reconcile"  # the reconciliation found it at the platform (the callback was missed)
    lookup = "lookup"  # an officer's look-up on the dossier page found it (the callback was missed)


CONFIRMED_VIA_LABELS: dict[ConfirmedVia, str] = {
    ConfirmedVia.callback: "Xác nhận từ nền tảng thanh toán",
    ConfirmedVia.reconcile: "Đối soát với nền tảng thanh toán",
    ConfirmedVia.lookup: "Cán bộ tra cứu tại nền tảng thanh toán",
}


class CallbackOutcome(StrEnum):
    """What became of one confirmation received (every one is stored with its outcome)."""

    recorded = "recorded"  # verified, the payment recorded and the dossier resumed
    replayed = "replayed"  # verified, but already recorded: nothing changed
    not_paid = "not_paid"  # verified, the platform says not paid: nothing changed
    forged = "forged"  # the checksum does not verify: refused
    unknown = "unknown"  # verified, but no payment request has this transaction: refused
    mismatch = "mismatch"  # verified, but amount or attempt differ from what was requested: refused


CALLBACK_OUTCOME_LABELS: dict[CallbackOutcome, str] = {
    CallbackOutcome.recorded: "Đã ghi nhận thanh toán",
    CallbackOutcome.replayed: "Xác nhận lặp lại (đã ghi nhận trước đó, không thay đổi gì)",
    CallbackOutcome.not_paid: "Nền tảng báo chưa thanh toán",
    CallbackOutcome.forged: "Sai mã kiểm tra: từ chối",
    CallbackOutcome.unknown: "Không có giao dịch tương ứng: từ chối",
    CallbackOutcome.mismatch: "Số tiền hoặc mã tra cứu không khớp yêu cầu: từ chối",
}
# Outcomes answered to the platform as refused (HTTP 400).
REFUSED_OUTCOMES = frozenset({CallbackOutcome.forged, CallbackOutcome.unknown, CallbackOutcome.mismatch})


class FeeKind(StrEnum):
    """`LoaiPhiLePhi` as OpenCPS codes it."""

    charge = "1"  # phí
    fee = "2"  # lệ phí
