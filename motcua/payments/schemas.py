"""Input and output models of payments (the API's bodies; a page would share them)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from motcua.dossiers.schemas import WholeNumber


class EnteredFeeIn(BaseModel):
    """The amount of a catalogue fee that depends on the case, as the officer determined it,
    with the legal basis of that determination."""

    model_config = ConfigDict(extra="forbid")

    fee_id: uuid.UUID = Field(title="Mã khoản phí, lệ phí (danh mục)")
    amount: WholeNumber = Field(ge=1, le=10**12, title="Số tiền (đồng)")
    basis: str = Field(min_length=3, max_length=1000, title="Căn cứ xác định số tiền")


class PaymentRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entered: list[EnteredFeeIn] = Field(default_factory=list, max_length=50,
                                        title="Số tiền cán bộ xác định cho khoản chưa có mức thu cố định")
    note: str | None = Field(default=None, max_length=4000, title="Ghi chú")


class DueFeeOut(BaseModel):
    fee_id: uuid.UUID
    name: str
    amount: int | None  # None: the officer must enter it with its basis
    basis: str | None
    note: str | None


class FeeLineOut(BaseModel):
    fee_id: uuid.UUID | None
    name: str
    amount: int
    basis: str | None
    kind: str
    entered: bool


class PaymentOut(BaseModel):
    id: uuid.UUID
    dossier_id: uuid.UUID
    lookup_code: str
    transaction_id: str | None
    payment_url: str | None
    amount: int
    fees: list[FeeLineOut]
    status: str
    status_label: str
    requested_at: datetime
    paid_at: datetime | None
    paid_amount: int | None
    receipt_number: str | None
    confirmed_via: str | None


class PlatformLookupOut(BaseModel):
    """What the platform holds for a payment, beside what motcua recorded."""

    payment: PaymentOut
    found: bool
    paid: bool | None
    amount: int | None
    receipt_number: str | None
    paid_at: datetime | None


class ReconcileOut(BaseModel):
    checked: int
    recovered: list[str]  # transaction ids recorded from the platform by this run
    differences: list[str]  # Vietnamese, one per difference left for a person
