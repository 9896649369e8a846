"""What is stored of payments: each request sent to the platform (with the fee lines it was
computed from, and its e-receipt once paid) and every confirmation received."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from motcua.core.clock import now
from motcua.core.db import Base, distributed
from motcua.core.ids import new_id


class PaymentRequest(Base):
    """One payment attempt for a dossier: what it owes (fee lines from the catalogue, or entered
    by an officer with their basis), the platform's transaction and, once paid, the e-receipt."""

    __tablename__ = "payment_requests"
    __table_args__ = (
        # MaTraCuuTT is unique per attempt (the dossier code is part of it).
        UniqueConstraint("dossier_id", "lookup_code"),
        Index("ix_payment_requests_transaction_id", "transaction_id"),
        Index("ix_payment_requests_status", "status"),
        {"info": distributed("dossier_id")},
    )

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    lookup_code: Mapped[str] = mapped_column(String(64))  # MaTraCuuTT
    transaction_id: Mapped[str | None] = mapped_column(String(64))
    payment_url: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[int] = mapped_column(BigInteger)  # đồng, the sum of `fees`
    # [{fee_id, name, amount, basis, kind, entered}]: `entered` when an officer typed the amount
    # and its basis (the catalogue gives none for this case).
    fees: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))  # enums.PaymentStatus
    requested_by_id: Mapped[uuid.UUID | None]
    requested_at: Mapped[datetime] = mapped_column(default=now)
    paid_at: Mapped[datetime | None]
    paid_amount: Mapped[int | None] = mapped_column(BigInteger)
    receipt_number: Mapped[str | None] = mapped_column(String(64))  # biên lai điện tử
    confirmed_via: Mapped[str | None] = mapped_column(String(16))  # enums.ConfirmedVia
    confirmed_at: Mapped[datetime | None]
    # The verified platform message the payment was recorded from, as received.
    confirmation: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class PaymentCallback(Base):
    """Every confirmation the platform (or anyone) posted, verified or not, with what became of
    it: the reconciliation and any dispute start here (OpenCPS lost payments for want of it).
    Not dossier-scoped: a forged one names no dossier we know."""

    __tablename__ = "payment_callbacks"
    __table_args__ = {"info": distributed("id")}

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    received_at: Mapped[datetime] = mapped_column(default=now, index=True)
    transaction_id: Mapped[str | None] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # enums.CallbackOutcome
    message: Mapped[str | None] = mapped_column(Text)
    body: Mapped[Any] = mapped_column(JSON)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
