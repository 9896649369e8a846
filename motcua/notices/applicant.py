"""Notices to the applicant of a dossier, written to the outbox with the change (docs/notify.md).

Hook: `dossiers.audit.on_event` calls `note_event` with every audit row, in the change's
transaction. `notice_kind` decides whether the row tells the applicant something (accepted,
supplement, payment, result ready, apology, returned). Everything the notice needs is read
then (addresses, choices, templates, names: a `Draft`); what is not known yet is filled in
just before that transaction commits (`compose_pending`, a `before_commit` hook of the
session), which renders and inserts the messages: a counter receipt writes its audit row
before the dossier gets its code (allocated last, dossiers.service.receive, so the unit's
counter row stays locked as briefly as possible: after it, only these inserts), and a payment
request creates the platform's transaction (its payment link) after the action's row. The
messages commit with the change or not at all.

One message per event and channel: the outbox key is `applicant:<dossier id>:<seq>:<channel>`
(the audit row's sequence number is unique per dossier). Channels: e-mail to the dossier's
address, SMS to its phone number (the citizen account's, when the dossier has none), less
those the citizen turned off on /cong-dan/thong-bao.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from babel.numbers import format_decimal
from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from motcua.citizens.models import Citizen
from motcua.core.clock import to_local
from motcua.core.config import get_settings
from motcua.documents.render import lookup_url
from motcua.dossiers.audit import on_event
from motcua.dossiers.enums import RETURN_METHOD_LABELS, DossierStatus, ReturnMethod
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.notify import service as outbox
from motcua.notify.models import ChannelKind, ChannelPreference, MessageTemplate, NoticeKind
from motcua.notify.templating import Wording, render_notice
from motcua.org.models import Agency
from motcua.payments.enums import PaymentStatus
from motcua.payments.models import PaymentRequest

log = logging.getLogger("motcua.notify")

PENDING = "notify.applicant.pending"  # session.info: (dossier, event, kind) waiting for the commit
HOOKED = "notify.applicant.hooked"  # session.info: the before_commit hook is on this session


def notice_kind(event: DossierEvent) -> NoticeKind | None:
    """Pure: what the applicant is told about this audit row, if anything."""
    data = event.data or {}
    if event.action == "receive":
        return {"accepted": NoticeKind.ACCEPTED, "incomplete": NoticeKind.SUPPLEMENT}.get(data.get("outcome"))
    if event.action == "request_supplement":
        return NoticeKind.SUPPLEMENT
    if event.action == "request_payment":
        return NoticeKind.PAYMENT
    if event.action == "apologize_reschedule":
        return NoticeKind.APOLOGY
    if event.action == "return_result":
        return NoticeKind.RETURNED
    if event.to_status in (DossierStatus.result_ready, DossierStatus.refused) and event.from_status != event.to_status:
        return NoticeKind.RESULT_READY  # the result issued (or the refusal), to be collected
    return None


@dataclass
class Draft:
    """A notice read at the event, rendered at the commit (`late_values` still to come)."""

    dossier: Dossier
    event: DossierEvent
    kind: NoticeKind
    targets: list[Recipient]
    wordings: dict[ChannelKind, Wording | None]
    values: dict[str, str]


def note_event(session: Session, dossier: Dossier, event: DossierEvent) -> None:
    kind = notice_kind(event)
    if kind is None:
        return
    targets = recipients(session, dossier)
    if not targets:
        return
    wordings = {t.channel: stored_wording(session, kind, t.channel) for t in targets}
    draft = Draft(dossier, event, kind, targets, wordings, notice_values(session, dossier, event, kind))
    session.info.setdefault(PENDING, []).append(draft)
    if not session.info.get(HOOKED):
        sa_event.listen(session, "before_commit", compose_pending)
        session.info[HOOKED] = True


def compose_pending(session: Session) -> None:
    """Queue the notices of this transaction's events (those still in it: an event undone by
    a rolled-back savepoint is no longer pending or persistent, and is skipped)."""
    for draft in session.info.pop(PENDING, []):
        state = inspect(draft.event)
        if state.pending or state.persistent:
            queue_draft(session, draft)


on_event("notify-applicant", note_event)


# --- addresses and choices --------------------------------------------------------------------

PHONE_PUNCTUATION = re.compile(r"[\s.\-()]")


def sms_number(phone: str | None) -> str | None:
    """Pure: a Vietnamese phone number in the international form the gateway takes
    ("0912 345 678" → "84912345678"), or None when it is not one."""
    digits = PHONE_PUNCTUATION.sub("", phone or "")
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("0"):
        digits = "84" + digits[1:]
    return digits if digits.isdigit() and digits.startswith("84") and 11 <= len(digits) <= 12 else None


def citizen_of(session: Session, dossier: Dossier) -> Citizen | None:
    """The citizen account of the dossier's applicant: same identity number (tax code for an
    organisation); a signed-in account before one never used."""
    number = dossier.applicant_id_number
    if not number:
        return None
    column = Citizen.tax_code if dossier.applicant_kind == "organisation" else Citizen.id_number
    return session.scalars(select(Citizen).where(column == number)
                           .order_by(Citizen.tech_id.is_(None), Citizen.created_at).limit(1)).first()


def preference_of(session: Session, citizen: Citizen | None) -> ChannelPreference | None:
    return session.get(ChannelPreference, citizen.id) if citizen is not None else None


@dataclass(frozen=True)
class Recipient:
    channel: ChannelKind
    address: str


def recipients(session: Session, dossier: Dossier) -> list[Recipient]:
    """Where the applicant is told: each channel with an address and not turned off."""
    citizen = citizen_of(session, dossier)
    choice = preference_of(session, citizen)
    email = (dossier.applicant_email or (citizen.email if citizen else None) or "").strip()
    phone = sms_number(dossier.applicant_phone or (citizen.phone if citizen else None))
    found = []
    if email and (choice is None or choice.email):
        found.append(Recipient(ChannelKind.EMAIL, email))
    if phone and (choice is None or choice.sms):
        found.append(Recipient(ChannelKind.SMS, phone))
    return found


# --- the placeholders' values -----------------------------------------------------------------


def vn_date(value) -> str:
    return to_local(value).strftime("%d/%m/%Y") if value is not None else ""


def vn_time(value) -> str:
    return to_local(value).strftime("%H:%M") if value is not None else ""


def dong(amount: int) -> str:
    """1250000 → "1.250.000 đồng"."""
    return f"{format_decimal(amount, locale='vi')} đồng"


def _iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def notice_values(session: Session, dossier: Dossier, event: DossierEvent, kind: NoticeKind) -> dict[str, str]:
    """Every placeholder of `kind` for this dossier and event (templating.placeholders)."""
    data = event.data or {}
    agency = session.get(Agency, dossier.agency_id)
    return_unit = session.get(Agency, dossier.return_unit_id)
    where = return_unit.name if return_unit else ""
    values = {
        "ho_ten": dossier.applicant_name, "ma_ho_so": dossier.code or "", "thu_tuc": dossier.procedure_name,
        "co_quan": agency.name if agency else "", "noi_tra": where,
        "ngay_hen": vn_date(dossier.due_at), "gio_hen": vn_time(dossier.due_at),
    }
    if kind == NoticeKind.SUPPLEMENT:
        items = data.get("missing_items") or dossier.missing_items or []
        values |= {"giay_to_bo_sung": "\n".join(f"- {item}" for item in items),
                   "giay_to_ngan": "; ".join(items),
                   "ghi_chu": event.note if event.action == "request_supplement" and event.note else ""}
    elif kind == NoticeKind.RESULT_READY:
        values |= {"ket_qua": "văn bản từ chối giải quyết" if event.to_status == DossierStatus.refused
                   else "kết quả giải quyết"}
    elif kind == NoticeKind.APOLOGY:
        old, new = _iso(data.get("old_due_at")), _iso(data.get("new_due_at")) or dossier.due_at
        values |= {"ngay_hen_cu": vn_date(old), "ngay_hen_moi": vn_date(new), "gio_hen_moi": vn_time(new),
                   "ly_do": event.note or ""}
    elif kind == NoticeKind.RETURNED:
        method = data.get("method") or dossier.return_method
        values |= {"ngay_tra": vn_date(event.at),
                   "hinh_thuc_tra": RETURN_METHOD_LABELS.get(ReturnMethod(method), "") if method else ""}
    return values


def late_values(session: Session, draft: Draft) -> dict[str, str]:
    """What is known only at the commit: the code (allocated last at a receipt) and the lookup
    link (with the lookup key, as the slip's QR: the message goes to the applicant only); for a payment, the platform's request made after the action (its amount and link)."""
    dossier, values = draft.dossier, {}
    values["ma_ho_so"] = dossier.code or ""
    values["tra_cuu"] = lookup_url(get_settings().public_base_url, dossier.code or "", dossier.lookup_key or "")
    if draft.kind == NoticeKind.PAYMENT:
        amount = int((draft.event.data or {}).get("amount") or 0)
        payment = session.scalars(select(PaymentRequest).where(
            PaymentRequest.dossier_id == dossier.id, PaymentRequest.status == PaymentStatus.pending)
            .order_by(PaymentRequest.requested_at.desc()).limit(1)).first()
        url = payment.payment_url if payment is not None and payment.payment_url else ""
        if payment is not None:
            amount = payment.amount
        how = f"nộp trực tiếp tại {draft.values['noi_tra']}."
        if url:
            how = f"Nộp trực tuyến qua Nền tảng thanh toán quốc gia theo đường dẫn {url}, hoặc {how}"
        values |= {"so_tien": dong(amount), "cach_nop": how[0].upper() + how[1:], "duong_dan_thanh_toan": url}
    return values


# --- composing and queueing -------------------------------------------------------------------


def stored_wording(session: Session, kind: NoticeKind, channel: ChannelKind) -> Wording | None:
    row = session.get(MessageTemplate, (str(kind), str(channel)))
    return Wording(row.subject, row.body) if row is not None else None


def notice_key(dossier: Dossier, event: DossierEvent, channel: ChannelKind) -> str:
    return f"applicant:{dossier.id}:{event.seq}:{channel}"


def queue_draft(session: Session, draft: Draft) -> int:
    """Render and queue the notice on each of the applicant's channels; returns how many were added."""
    values = draft.values | late_values(session, draft)
    added = 0
    for target in draft.targets:
        wording = render_notice(draft.kind, target.channel, draft.wordings[target.channel], values)
        added += outbox.enqueue(
            session, key=notice_key(draft.dossier, draft.event, target.channel), kind=str(draft.kind),
            channel=target.channel, recipient=target.address, recipient_name=draft.dossier.applicant_name,
            subject=wording.subject, body=wording.body, at=draft.event.at)
    return added
