"""The payments part of the dossier page, and the officer's request and look-up from it.

dossiers does not import payments, so the section is added through the page's extension
point, here, where the payments routers are mounted. The section lists the catalogue's fees
with their basis, each payment with its status and e-receipt, a look-up at the platform, and —
for an officer who may request payment at this step — the request form (the amounts the
catalogue gives none for, with their basis). A refused request shows the form again, as typed,
on the dossier's payment page (`/ho-so/{id}/thanh-toan`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from motcua.auth.deps import CurrentUser
from motcua.core.db import DbSession
from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import get_dossier
from motcua.dossiers.sections import PageSection, register_section
from motcua.dossiers.service import available_actions
from motcua.payments import service
from motcua.payments.enums import (
    CALLBACK_OUTCOME_LABELS,
    CONFIRMED_VIA_LABELS,
    PAYMENT_STATUS_LABELS,
    CallbackOutcome,
    ConfirmedVia,
    PaymentStatus,
)
from motcua.payments.gateway import Platform
from motcua.payments.inputs import amount_field, basis_field, request_form_input
from motcua.payments.models import PaymentRequest
from motcua.payments.service import DueFee
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.templating import templates, vn_money

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)


@dataclass(frozen=True)
class PaymentView:
    payment: PaymentRequest
    status_label: str
    via_label: str | None


@dataclass(frozen=True)
class PaymentSection:
    fees: list[DueFee]  # the catalogue's fees of the procedure, with their basis
    payments: list[PaymentView]

    def __bool__(self) -> bool:  # nothing to show: no section
        return bool(self.fees or self.payments)

    @property
    def pending(self) -> bool:
        return any(v.payment.status == PaymentStatus.pending for v in self.payments)

    @property
    def to_enter(self) -> list[tuple[DueFee, str, str]]:
        """The fees whose amount the officer determines, with the names of their two inputs."""
        return [(f, amount_field(f), basis_field(f)) for f in self.fees if f.amount is None]

    @property
    def collectable(self) -> bool:
        """Something to collect: a fee with an amount above 0, or one the officer determines."""
        return any(f.amount is None or f.amount > 0 for f in self.fees)


def dossier_payments(session: Session, dossier: Dossier) -> PaymentSection:
    return PaymentSection(
        service.due_fees(session, dossier),
        [PaymentView(p, PAYMENT_STATUS_LABELS[PaymentStatus(p.status)],
                     CONFIRMED_VIA_LABELS[ConfirmedVia(p.confirmed_via)] if p.confirmed_via else None)
         for p in service.payments_of(session, dossier)])


register_section(PageSection("payments.requests", "payments/_dossier_payments.html", dossier_payments))


def _back(dossier_id: uuid.UUID) -> RedirectResponse:
    return RedirectResponse(f"/ho-so/{dossier_id}#payments", status_code=303)


def _page_context(session: Session, dossier: Dossier, user, values: dict | None = None) -> dict:
    return {"d": dossier, "section": dossier_payments(session, dossier), "payment_typed": values or {},
            "p": {"actions": available_actions(session, dossier, user)}}


@router.get("/ho-so/{dossier_id}/thanh-toan")
def payment_page(request: Request, session: DbSession, user: CurrentUser, dossier_id: uuid.UUID):
    """The dossier's payments on a page of their own (where a refused request is shown again)."""
    dossier = get_dossier(session, dossier_id, user)
    return templates.TemplateResponse(request, "payments/dossier_payments.html",
                                      _page_context(session, dossier, user))


@router.post("/ho-so/{dossier_id}/thanh-toan")
def request_payment(request: Request, form: PageForm, session: DbSession, user: CurrentUser,
                    dossier_id: uuid.UUID, platform: Platform) -> Response:
    dossier = get_dossier(session, dossier_id, user)
    try:
        data = request_form_input(form, service.due_fees(session, dossier))
        payment = service.request_payment(session, dossier, user=user, data=data, platform=platform)
    except DomainError as exc:
        return form_again(request, session, exc, "payments/dossier_payments.html", lambda: _page_context(
            session, get_dossier(session, dossier_id, user), user, typed_values(form)))
    flash(request, f"Đã gửi yêu cầu thanh toán {vn_money(payment.amount)} đến Nền tảng thanh toán quốc gia "
                   f"(giao dịch {payment.transaction_id}); hồ sơ chờ người nộp thanh toán.", "success")
    return _back(dossier_id)


@router.post("/ho-so/{dossier_id}/thanh-toan/{payment_id}/tra-cuu")
def lookup_payment(request: Request, form: PageForm, session: DbSession, user: CurrentUser,
                   dossier_id: uuid.UUID, payment_id: uuid.UUID, platform: Platform) -> Response:
    """What the platform holds for the payment; a payment it holds whose confirmation never
    arrived is recorded (service.check_payment)."""
    payment = service.get_payment(session, get_dossier(session, dossier_id, user), payment_id)
    try:
        held, outcome = service.check_payment(session, payment, platform)
    except DomainError as exc:
        session.rollback()
        flash(request, exc.message, "error")
        return _back(dossier_id)
    tx = payment.transaction_id
    if held is None:
        text, kind = f"Nền tảng thanh toán không có giao dịch {tx}.", "error"
    elif not held.paid:
        text, kind = f"Nền tảng thanh toán: giao dịch {tx} chưa được thanh toán.", "success"
    else:
        receipt = f", biên lai điện tử số {held.receipt_number}" if held.receipt_number else ""
        text, kind = f"Nền tảng thanh toán: giao dịch {tx} đã thanh toán {vn_money(held.amount)}{receipt}.", "success"
        if outcome == CallbackOutcome.recorded:
            text += " Xác nhận chưa về trước đó: nay đã ghi nhận thanh toán."
        elif outcome is not None and outcome != CallbackOutcome.replayed:
            text, kind = f"{text} {CALLBACK_OUTCOME_LABELS[outcome]}.", "error"
    flash(request, text, kind)
    return _back(dossier_id)

