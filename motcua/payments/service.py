"""Payment of a dossier's fees and charges through the national payment platform.

- `request_payment` (an officer, at a step that allows it): the fee lines come from the
  catalogue with their basis; a fee the catalogue gives no amount for needs the amount the
  officer determined and its basis, never a made-up figure. The dossier moves to
  "payment requested" (external status 6) through the dossier service, then the platform
  creates the transaction; if it cannot, nothing is written (the unit of work rolls back).
- `confirm_payment` (the platform's callback): every confirmation is stored with what became
  of it; one whose checksum does not verify is refused and logged; a verified one is
  recorded once, under a lock on its payment request, so a replay changes nothing; the
  e-receipt is recorded and the dossier resumes (a system action of the dossier service).
- `reconcile`: asks the platform about every pending request (and recently paid ones) and
  records a payment whose callback never arrived, through the same `record_confirmation`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from motcua.auth.models import User
from motcua.catalog.models import Fee, NationalCode
from motcua.core.clock import now
from motcua.core.db import session_scope
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.core.text import fold, nfc
from motcua.dossiers.enums import Action, DossierStatus
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import ensure_visible
from motcua.dossiers.service import ActionParams, perform_action, perform_system_action
from motcua.integrations.payment import wire
from motcua.integrations.payment.platform import (
    Confirmation,
    FeeLine,
    InvalidConfirmation,
    Payer,
    PaymentError,
    PaymentOrder,
    PaymentPlatform,
)
from motcua.org.models import Agency
from motcua.payments.enums import (
    REFUSED_OUTCOMES,
    CallbackOutcome,
    ConfirmedVia,
    FeeKind,
    PaymentStatus,
)
from motcua.payments.models import PaymentCallback, PaymentRequest
from motcua.payments.schemas import EnteredFeeIn, PaymentRequestIn
from motcua.web.templating import vn_money

log = logging.getLogger("motcua.payments")

PLATFORM_ACTOR = "Nền tảng thanh toán quốc gia"
# Paid requests the reconciliation checks again at the platform (a reversal shows there).
RECHECK_PAID = timedelta(days=30)


@dataclass(frozen=True)
class DueFee:
    """A fee or charge of the dossier's procedure as the catalogue states it."""

    fee_id: uuid.UUID
    name: str
    amount: int | None  # None: depends on the case (the officer determines it)
    basis: str | None
    note: str | None


def due_fees(session: Session, dossier: Dossier) -> list[DueFee]:
    rows = session.scalars(select(Fee).where(Fee.procedure_id == dossier.procedure_id).order_by(Fee.position))
    return [DueFee(f.id, f.name, f.amount, f.basis, f.note) for f in rows]


def fee_kind(name: str) -> FeeKind:
    """Lệ phí or phí, read from the catalogue's name of the fee (it has no separate kind)."""
    return FeeKind.fee if fold(name).startswith("le phi") else FeeKind.charge


def fee_lines(due: list[DueFee], entered: Iterable[EnteredFeeIn]) -> list[dict[str, Any]]:
    """The lines to pay: catalogue amounts as they are, entered amounts for the fees the
    catalogue has none for (each with its basis); fees of 0 đồng are not collected."""
    entered = list(entered)
    typed = {e.fee_id: e for e in entered}
    if len(typed) != len(entered):
        raise InvalidInput("Mỗi khoản phí, lệ phí chỉ được nhập số tiền một lần.")
    unknown = set(typed) - {d.fee_id for d in due}
    if unknown:
        raise InvalidInput("Khoản phí, lệ phí đã nhập không có trong danh mục của thủ tục này.")
    lines, missing = [], []
    for d in due:
        e = typed.get(d.fee_id)
        if d.amount is not None:
            if e is not None:
                raise InvalidInput(f"Khoản “{d.name}” đã có mức thu trong danh mục ({vn_money(d.amount)}); "
                                   "không nhập lại số tiền.")
            if d.amount > 0:
                lines.append({"fee_id": str(d.fee_id), "name": d.name, "amount": d.amount, "basis": d.basis,
                              "kind": fee_kind(d.name).value, "entered": False})
        elif e is None:
            missing.append(d.name)
        else:
            lines.append({"fee_id": str(d.fee_id), "name": d.name, "amount": e.amount, "basis": nfc(e.basis),
                          "kind": fee_kind(d.name).value, "entered": True})
    if missing:
        raise InvalidInput("Danh mục không có mức thu cố định cho: " + "; ".join(missing)
                           + ". Cần nhập số tiền đã xác định và căn cứ.")
    if not lines:
        raise InvalidInput("Thủ tục này không có khoản phí, lệ phí phải nộp theo danh mục.")
    return lines


def lookup_code(dossier: Dossier) -> str:
    """MaTraCuuTT: the dossier number and the local time of the attempt (§9), unique per attempt."""
    return f"{dossier.code or dossier.id.hex[:16]}{wire.format_date(now())}"


def _order(session: Session, dossier: Dossier, lines: list[dict[str, Any]], code: str) -> PaymentOrder:
    agency = session.get(Agency, dossier.agency_id)
    national = session.scalar(select(NationalCode.national_code).where(
        NationalCode.procedure_id == dossier.procedure_id))
    return PaymentOrder(
        dossier_code=dossier.code or str(dossier.id), lookup_code=code,
        procedure_code=national or dossier.procedure_code, procedure_name=dossier.procedure_name,
        unit_code=agency.code if agency else "", unit_name=agency.name if agency else "",
        fees=tuple(FeeLine(line["kind"], line["fee_id"], line["name"], line["amount"]) for line in lines),
        payer=Payer(dossier.applicant_name, dossier.applicant_id_number or "", dossier.applicant_address or ""),
        description=f"Nộp phí, lệ phí hồ sơ {dossier.code or ''}: {dossier.procedure_name}"[:500],
    )


def payments_of(session: Session, dossier: Dossier) -> list[PaymentRequest]:
    return list(session.scalars(select(PaymentRequest).where(PaymentRequest.dossier_id == dossier.id)
                                .order_by(PaymentRequest.requested_at, PaymentRequest.id)))


def paid_online(session: Session, dossier_id: uuid.UUID) -> list[PaymentRequest]:
    """The dossier's payments recorded from the platform: what the portal sync reports as
    `DuocThanhToanTrucTuyen` = 1 and the paid `DanhSachLePhi` rows (each request's `fees`)."""
    return list(session.scalars(select(PaymentRequest).where(
        PaymentRequest.dossier_id == dossier_id, PaymentRequest.status == PaymentStatus.paid,
    ).order_by(PaymentRequest.paid_at)))


def get_payment(session: Session, dossier: Dossier, payment_id: uuid.UUID) -> PaymentRequest:
    found = session.get(PaymentRequest, (dossier.id, payment_id))
    if found is None:
        raise NotFound("Không tìm thấy yêu cầu thanh toán của hồ sơ này.")
    return found


def request_payment(session: Session, dossier: Dossier, *, user: User, data: PaymentRequestIn,
                    platform: PaymentPlatform) -> PaymentRequest:
    ensure_visible(session, dossier, user)
    pending = [p for p in payments_of(session, dossier) if p.status == PaymentStatus.pending]
    if pending:
        raise Conflict(f"Hồ sơ đang chờ thanh toán giao dịch {pending[0].transaction_id}; "
                       "không tạo yêu cầu thanh toán thứ hai.")
    lines = fee_lines(due_fees(session, dossier), data.entered)
    total = sum(line["amount"] for line in lines)
    note = nfc(data.note) or "Nộp phí, lệ phí qua Nền tảng thanh toán quốc gia"
    # The dossier's own rules decide whether payment may be requested now, and by whom.
    perform_action(session, dossier, user=user, action=Action.request_payment,
                   params=ActionParams(note=note, amount=total))
    code = lookup_code(dossier)
    created = platform.create_transaction(_order(session, dossier, lines, code))
    payment = PaymentRequest(
        dossier_id=dossier.id, lookup_code=code, transaction_id=created.transaction_id,
        payment_url=created.payment_url, amount=total, fees=lines, status=PaymentStatus.pending,
        requested_by_id=user.id, requested_at=now(),
    )
    session.add(payment)
    session.flush()
    return payment


def _pending_for(session: Session, transaction_id: str) -> PaymentRequest | None:
    """The payment request of `transaction_id`, locked: two confirmations of one transaction
    are recorded one after the other, and the second finds it paid."""
    return session.scalars(select(PaymentRequest).where(PaymentRequest.transaction_id == transaction_id)
                           .with_for_update()).first()


def record_confirmation(session: Session, payment: PaymentRequest, confirmation: Confirmation,
                        via: ConfirmedVia) -> CallbackOutcome:
    """Record a verified confirmation once: the payment, its e-receipt, the dossier resumed.
    Anything else (already recorded, not paid, not what was asked) changes nothing."""
    if payment.status == PaymentStatus.paid:
        return CallbackOutcome.replayed
    if not confirmation.paid:
        return CallbackOutcome.not_paid
    if confirmation.amount != payment.amount or (confirmation.lookup_code
                                                 and confirmation.lookup_code != payment.lookup_code):
        return CallbackOutcome.mismatch
    at = now()
    payment.status = PaymentStatus.paid
    payment.paid_at = confirmation.paid_at or at
    payment.paid_amount = confirmation.amount
    payment.receipt_number = confirmation.receipt_number
    payment.confirmed_via = via
    payment.confirmed_at = at
    payment.confirmation = confirmation.raw
    dossier = session.get(Dossier, payment.dossier_id)
    if dossier is not None and dossier.status == DossierStatus.payment_requested:
        receipt = f"biên lai điện tử số {confirmation.receipt_number}" if confirmation.receipt_number else "không có số biên lai"
        perform_system_action(session, dossier, action=Action.confirm_payment, actor_name=PLATFORM_ACTOR,
                              note=f"Đã thanh toán {vn_money(payment.amount)} qua {PLATFORM_ACTOR} "
                                   f"(giao dịch {payment.transaction_id}, {receipt}).")
    else:
        # Paid after the dossier moved on (withdrawn, resumed by hand): recorded, not resumed.
        log.warning("payment %s recorded for dossier %s in status %s", payment.transaction_id,
                    payment.dossier_id, dossier.status if dossier else None)
    session.flush()
    return CallbackOutcome.recorded


@dataclass(frozen=True)
class CallbackResult:
    outcome: CallbackOutcome
    message: str

    @property
    def accepted(self) -> bool:
        return self.outcome not in REFUSED_OUTCOMES


def confirm_payment(session: Session, body: Any, *, platform: PaymentPlatform,
                    remote_addr: str | None = None) -> CallbackResult:
    """The platform's confirmation callback. Never raises for a bad confirmation: it is
    stored with its outcome (the caller commits), and the result says whether to refuse."""
    transaction_id = wire.text(body.get("transaction_id"))[:64] if isinstance(body, dict) else ""
    entry = PaymentCallback(received_at=now(), transaction_id=transaction_id or None, body=body,
                            remote_addr=remote_addr, outcome=CallbackOutcome.forged)
    session.add(entry)
    try:
        confirmation = platform.verify_confirmation(body if isinstance(body, dict) else {})
    except InvalidConfirmation as exc:
        log.warning("payment confirmation refused (%s) for transaction %r from %s", exc.message,
                    transaction_id, remote_addr)
        entry.message = exc.message
        return CallbackResult(CallbackOutcome.forged, exc.message)
    payment = _pending_for(session, confirmation.transaction_id)
    if payment is None:
        outcome, message = CallbackOutcome.unknown, f"Không có yêu cầu thanh toán với giao dịch {transaction_id}."
    else:
        outcome = record_confirmation(session, payment, confirmation, ConfirmedVia.callback)
        message = {
            CallbackOutcome.recorded: f"Đã ghi nhận thanh toán giao dịch {transaction_id}.",
            CallbackOutcome.replayed: f"Giao dịch {transaction_id} đã được ghi nhận trước đó; không thay đổi.",
            CallbackOutcome.not_paid: f"Giao dịch {transaction_id} chưa được thanh toán; không thay đổi.",
            CallbackOutcome.mismatch: f"Số tiền hoặc mã tra cứu của giao dịch {transaction_id} không khớp "
                                      "yêu cầu thanh toán; không ghi nhận.",
        }[outcome]
    if outcome in REFUSED_OUTCOMES:
        log.warning("payment confirmation refused: %s", message)
    entry.outcome, entry.message = outcome, message
    return CallbackResult(outcome, message)


def lookup_payment(payment: PaymentRequest, platform: PaymentPlatform) -> Confirmation | None:
    """What the platform holds for `payment` (None: it knows no such transaction)."""
    if not payment.transaction_id:
        return None
    return platform.lookup(payment.transaction_id)


def check_payment(session: Session, payment: PaymentRequest,
                  platform: PaymentPlatform) -> tuple[Confirmation | None, CallbackOutcome | None]:
    """An officer's look-up: what the platform holds for `payment` and, when it says paid and
    nothing was recorded (the callback never came), the payment recorded as the
    reconciliation would (the same `record_confirmation`, under the same lock: once)."""
    held = lookup_payment(payment, platform)
    if held is None or not held.paid or payment.status != PaymentStatus.pending:
        return held, None
    return held, record_confirmation(session, _pending_for(session, payment.transaction_id), held,
                                     ConfirmedVia.lookup)


@dataclass
class ReconcileReport:
    checked: int = 0
    recovered: list[str] = field(default_factory=list)  # transaction ids recorded by this run
    differences: list[str] = field(default_factory=list)


def reconcile(factory: sessionmaker[Session], platform: PaymentPlatform) -> ReconcileReport:
    """Compare local payment requests with the platform: a payment the platform holds and
    the callback never brought is recorded (once: `record_confirmation` under the lock);
    anything else that differs is reported for a person to look at."""
    report = ReconcileReport()
    with session_scope(factory, write=False) as session:
        rows = session.execute(select(PaymentRequest.transaction_id, PaymentRequest.status).where(
            PaymentRequest.transaction_id.is_not(None),
            (PaymentRequest.status == PaymentStatus.pending) | (PaymentRequest.confirmed_at >= now() - RECHECK_PAID),
        ).order_by(PaymentRequest.requested_at)).all()
    for transaction_id, status in rows:
        report.checked += 1
        try:
            held = platform.lookup(transaction_id)
        except PaymentError as exc:
            report.differences.append(f"Giao dịch {transaction_id}: không tra cứu được ({exc.message})")
            continue
        if held is None:
            report.differences.append(f"Giao dịch {transaction_id}: nền tảng thanh toán không có giao dịch này")
        elif status == PaymentStatus.paid and not held.paid:
            report.differences.append(f"Giao dịch {transaction_id}: đã ghi nhận thanh toán nhưng nền tảng báo "
                                      f"chưa thanh toán (trạng thái {held.status})")
        elif status == PaymentStatus.pending and held.paid:
            with session_scope(factory) as session:
                payment = _pending_for(session, transaction_id)
                outcome = record_confirmation(session, payment, held, ConfirmedVia.reconcile)
            if outcome == CallbackOutcome.recorded:
                report.recovered.append(transaction_id)
            elif outcome == CallbackOutcome.mismatch:
                report.differences.append(f"Giao dịch {transaction_id}: số tiền đã thanh toán ({held.amount}) "
                                          "không khớp yêu cầu thanh toán")
    return report
