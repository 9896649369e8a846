"""The payments part of the dossier page (no pages of its own: the officer's actions are in
the API, docs/payments.md). dossiers does not import payments, so the section is added
through the page's extension point, here, where the payments routers are mounted."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from sqlalchemy.orm import Session

from motcua.dossiers.models import Dossier
from motcua.dossiers.sections import PageSection, register_section
from motcua.payments import service
from motcua.payments.enums import (
    CONFIRMED_VIA_LABELS,
    PAYMENT_STATUS_LABELS,
    ConfirmedVia,
    PaymentStatus,
)
from motcua.payments.models import PaymentRequest

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class PaymentView:
    payment: PaymentRequest
    status_label: str
    via_label: str | None


def dossier_payments(session: Session, dossier: Dossier) -> list[PaymentView]:
    return [PaymentView(p, PAYMENT_STATUS_LABELS[PaymentStatus(p.status)],
                        CONFIRMED_VIA_LABELS[ConfirmedVia(p.confirmed_via)] if p.confirmed_via else None)
            for p in service.payments_of(session, dossier)]


register_section(PageSection("payments.requests", "payments/_dossier_payments.html", dossier_payments))
