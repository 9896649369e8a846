"""The one interface callers use to talk to the national payment platform
(shared/reference/dvcqg.md §9, OpenCPS pay-gate operated by Keypay).

`wire.py` holds the payload shape and the checksum; `http.py` the transport. A newer
platform schema is a second implementation of `PaymentPlatform`, with no change to the
callers (the payments domain stores what it is told; it never sees a wire field).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from motcua.core.errors import DomainError


class PaymentError(DomainError):
    """The platform could not be reached or refused the call. Nothing was changed locally."""

    status_code = 502
    code = "payment_platform_error"


class InvalidConfirmation(DomainError):
    """A confirmation (callback or look-up reply) whose checksum does not verify, or that
    lacks a field the checksum covers: it is not from the platform and is never trusted."""

    status_code = 400
    code = "payment_confirmation_invalid"


@dataclass(frozen=True)
class FeeLine:
    """One `PhiLePhi` row: a fee or charge as the catalogue states it, in đồng."""

    kind: str  # LoaiPhiLePhi: "1" phí (charge), "2" lệ phí (fee) — as OpenCPS codes them
    code: str  # MaPhiLePhi
    name: str  # TenPhiLePhi
    amount: int  # SoTien


@dataclass(frozen=True)
class Payer:
    name: str  # HoTenNguoiNop
    id_number: str = ""  # SoCMNDNguoiNop
    address: str = ""  # DiaChiNguoiNop
    district: str = ""  # HuyenNguoiNop
    province: str = ""  # TinhNguoiNop


@dataclass(frozen=True)
class PaymentOrder:
    """What a dossier owes, as sent to the platform to start one payment attempt."""

    dossier_code: str  # MaHoSo
    lookup_code: str  # MaTraCuuTT: unique per attempt
    procedure_code: str  # MaTTHC (national code when mapped, else the local code)
    procedure_name: str  # TenTTHC
    unit_code: str  # MaDonVi: the agency that collects
    unit_name: str  # TenDonVi
    fees: tuple[FeeLine, ...]
    payer: Payer
    description: str  # NoiDungThanhToan

    @property
    def total(self) -> int:
        return sum(f.amount for f in self.fees)


@dataclass(frozen=True)
class CreatedTransaction:
    transaction_id: str
    lookup_code: str
    payment_url: str  # where the citizen pays (the platform's page)


@dataclass(frozen=True)
class Confirmation:
    """A checksum-verified statement of the platform about one transaction (its callback
    or its look-up reply)."""

    transaction_id: str
    lookup_code: str
    paid: bool  # status 0
    status: str  # as sent, for the record
    amount: int | None
    receipt_number: str | None  # the e-receipt (biên lai điện tử) the platform issued
    paid_at: datetime | None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


class PaymentPlatform(Protocol):
    """What motcua asks of the payment platform. Transport failures raise `PaymentError`
    (a Vietnamese message), never an httpx exception."""

    def create_transaction(self, order: PaymentOrder) -> CreatedTransaction: ...

    def verify_confirmation(self, body: dict[str, Any]) -> Confirmation:
        """The confirmation `body` once its checksum verifies; `InvalidConfirmation` otherwise."""
        ...

    def lookup(self, transaction_id: str) -> Confirmation | None:
        """What the platform holds for `transaction_id` (None: it knows no such transaction)."""
        ...
