"""JSON API of payments: an officer requests payment of a dossier's fees, reads its payments
and what the platform holds; the platform posts its confirmations (no bearer: the checksum
is the authentication)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse

from motcua.auth.deps import CurrentUser
from motcua.core.db import DbSession
from motcua.dossiers.queries import get_dossier
from motcua.payments import service
from motcua.payments.enums import PAYMENT_STATUS_LABELS, PaymentStatus
from motcua.payments.gateway import Platform
from motcua.payments.models import PaymentRequest
from motcua.payments.schemas import (
    DueFeeOut,
    FeeLineOut,
    PaymentOut,
    PaymentRequestIn,
    PlatformLookupOut,
)

router = APIRouter(prefix="/api/v1", tags=["Thanh toán"])


def payment_out(payment: PaymentRequest) -> PaymentOut:
    return PaymentOut(
        id=payment.id, dossier_id=payment.dossier_id, lookup_code=payment.lookup_code,
        transaction_id=payment.transaction_id, payment_url=payment.payment_url, amount=payment.amount,
        fees=[FeeLineOut(**line) for line in payment.fees], status=payment.status,
        status_label=PAYMENT_STATUS_LABELS[PaymentStatus(payment.status)], requested_at=payment.requested_at,
        paid_at=payment.paid_at, paid_amount=payment.paid_amount, receipt_number=payment.receipt_number,
        confirmed_via=payment.confirmed_via,
    )


@router.get("/dossiers/{dossier_id}/fees", response_model=list[DueFeeOut])
def dossier_fees(dossier_id: uuid.UUID, session: DbSession, user: CurrentUser):
    """The fees and charges of the dossier's procedure as the catalogue states them."""
    dossier = get_dossier(session, dossier_id, user)
    return [DueFeeOut(**vars(fee)) for fee in service.due_fees(session, dossier)]


@router.post("/dossiers/{dossier_id}/payments", response_model=PaymentOut, status_code=201)
def request_payment(dossier_id: uuid.UUID, data: PaymentRequestIn, session: DbSession, user: CurrentUser,
                    platform: Platform):
    dossier = get_dossier(session, dossier_id, user)
    return payment_out(service.request_payment(session, dossier, user=user, data=data, platform=platform))


@router.get("/dossiers/{dossier_id}/payments", response_model=list[PaymentOut])
def list_payments(dossier_id: uuid.UUID, session: DbSession, user: CurrentUser):
    dossier = get_dossier(session, dossier_id, user)
    return [payment_out(p) for p in service.payments_of(session, dossier)]


@router.get("/dossiers/{dossier_id}/payments/{payment_id}/platform", response_model=PlatformLookupOut)
def lookup_payment(dossier_id: uuid.UUID, payment_id: uuid.UUID, session: DbSession, user: CurrentUser,
                   platform: Platform):
    payment = service.get_payment(session, get_dossier(session, dossier_id, user), payment_id)
    held = service.lookup_payment(payment, platform)
    return PlatformLookupOut(
        payment=payment_out(payment), found=held is not None, paid=held.paid if held else None,
        amount=held.amount if held else None, receipt_number=held.receipt_number if held else None,
        paid_at=held.paid_at if held else None,
    )


@router.post("/payments/confirm", responses={400: {"description": "Xác nhận không hợp lệ (bị từ chối)"}})
def confirm_payment(request: Request, session: DbSession, platform: Platform,
                    body: Any = Body(...)):  # noqa: B008
    """The platform's confirmation callback (`transaction_id`, `status`, `check_sum` …).
    Answered `error_code` "0" when recorded or already recorded; 400 when refused. Every
    call is stored either way (the answer is returned, not raised, so it is committed)."""
    result = service.confirm_payment(session, body, platform=platform,
                                     remote_addr=request.client.host if request.client else None)
    return JSONResponse({"error_code": "0" if result.accepted else "1", "message": result.message,
                         "outcome": result.outcome.value}, status_code=200 if result.accepted else 400)
