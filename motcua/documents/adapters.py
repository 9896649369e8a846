"""Build the plain form data (`views`) from a dossier, its components and its audit trail.

Which forms apply to a dossier (the API answers 404 for the others):
- 01 receipt: the dossier was accepted (it has a code and was not stopped at the counter);
- 02 supplement request: incomplete at the counter, or a supplement was requested later;
- 03 refusal: refused at the counter;
- 03a refusal notice: refused after appraisal (the refusal is the result, handed over or sent);
- 04 apology: a new appointment was given (once, ND 118/2025);
- 05 stop notice: withdrawn at the applicant's request, or processing stopped;
- 06 process-control slip: the dossier was accepted (rendered from the audit trail).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.catalog.service import describe_time_limit
from motcua.core.clock import LOCAL_TZ
from motcua.core.errors import NotFound
from motcua.documents import registers
from motcua.documents.forms import (
    APOLOGY,
    CONTROL_SLIP,
    NUMBER_SUFFIXES,
    RECEIPT,
    REFUSAL,
    REFUSAL_NOTICE,
    STOP_NOTICE,
    SUPPLEMENT_REQUEST,
)
from motcua.documents.views import (
    Applicant,
    BookRow,
    ComponentLine,
    DossierDoc,
    HandOver,
    Issuer,
    TrackingBookDoc,
)
from motcua.dossiers.enums import ACTION_LABELS, STATUS_LABELS, Action, DossierStatus
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, DossierPause
from motcua.org.models import Agency

NOT_ACCEPTED = {DossierStatus.incomplete, DossierStatus.refused_at_receipt, DossierStatus.submitted_online}
STOPPED = {DossierStatus.withdrawn, DossierStatus.stopped}
# Audit actions that move the dossier from one hand to another (rows of form 06).
HAND_OVER_ACTIONS = {
    "receive",
    Action.assign,
    Action.forward,
    Action.send_back,
    Action.consult,
    Action.approve,
    Action.issue_result,
    Action.refuse,
    Action.request_supplement,
    Action.receive_supplement,
    Action.return_result,
    Action.withdraw,
    Action.stop,
}

NOT_APPLICABLE = {
    RECEIPT: "Hồ sơ chưa được tiếp nhận nên chưa có Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
    SUPPLEMENT_REQUEST: "Hồ sơ chưa có yêu cầu bổ sung, hoàn thiện nào.",
    REFUSAL: "Hồ sơ không bị từ chối tiếp nhận nên không có Phiếu từ chối tiếp nhận.",
    REFUSAL_NOTICE: "Hồ sơ không bị từ chối giải quyết nên không có Thông báo từ chối giải quyết hồ sơ.",
    APOLOGY: "Hồ sơ chưa có văn bản xin lỗi và hẹn lại ngày trả kết quả.",
    STOP_NOTICE: "Hồ sơ không bị dừng giải quyết nên không có Thông báo dừng giải quyết.",
    CONTROL_SLIP: "Hồ sơ chưa được tiếp nhận nên chưa có Phiếu kiểm soát quá trình giải quyết.",
}


def _agency(session: Session, agency_id: uuid.UUID | None) -> Agency | None:
    return session.get(Agency, agency_id) if agency_id else None


def issuer_for(session: Session, agency_id: uuid.UUID | None) -> Issuer:
    agency = _agency(session, agency_id)
    if agency is None:
        return Issuer("Bộ phận Tiếp nhận và Trả kết quả")
    parent = _agency(session, agency.parent_id)
    return Issuer(agency.name, parent.name if parent else "", agency.code)


def _events(session: Session, dossier: Dossier) -> list[DossierEvent]:
    return list(
        session.scalars(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id).order_by(DossierEvent.seq))
    )


def _pauses(session: Session, dossier: Dossier, kind: str) -> list[DossierPause]:
    return list(
        session.scalars(
            select(DossierPause)
            .where(DossierPause.dossier_id == dossier.id, DossierPause.kind == kind)
            .order_by(DossierPause.started_at)
        )
    )


def _last_event(session: Session, dossier: Dossier, actions: tuple[str, ...]) -> DossierEvent | None:
    return session.scalar(
        select(DossierEvent)
        .where(DossierEvent.dossier_id == dossier.id, DossierEvent.action.in_(actions))
        .order_by(DossierEvent.seq.desc())
        .limit(1)
    )


def applies(session: Session, dossier: Dossier, key: str) -> bool:
    status = dossier.status
    if key in (RECEIPT, CONTROL_SLIP):
        return status not in NOT_ACCEPTED and dossier.code is not None
    if key == SUPPLEMENT_REQUEST:
        return status == DossierStatus.incomplete or bool(_pauses(session, dossier, "supplement"))
    if key == REFUSAL:
        return status == DossierStatus.refused_at_receipt
    if key == REFUSAL_NOTICE:  # refused, or the refusal already handed over
        return status == DossierStatus.refused or (
            status == DossierStatus.returned and _last_event(session, dossier, (Action.refuse,)) is not None)
    if key == APOLOGY:
        return bool(dossier.reappointed)
    if key == STOP_NOTICE:
        return status in STOPPED
    return False


def ensure_applies(session: Session, dossier: Dossier, key: str) -> None:
    if not applies(session, dossier, key):
        raise NotFound(NOT_APPLICABLE.get(key, "Biểu mẫu không áp dụng cho hồ sơ này."), code="form_not_applicable")


def reference_of(dossier: Dossier) -> str:
    """The dossier code, or a receipt reference for a dossier never accepted (no code)."""
    return dossier.code or f"TN-{dossier.id.hex[:12].upper()}"


def _unit_label(session: Session, unit_id: uuid.UUID | None, step: str | None, person: str | None) -> str:
    agency = _agency(session, unit_id)
    parts = [p for p in [agency.name if agency else "", step or ""] if p]
    label = " — ".join(parts) or "—"
    return f"{label} ({person})" if person else label


def handovers(session: Session, dossier: Dossier, events: list[DossierEvent]) -> list[HandOver]:
    rows = []
    for event in events:
        if event.action not in HAND_OVER_ACTIONS:
            continue
        if event.action == Action.return_result:
            to_label = f"Người nộp hồ sơ ({dossier.applicant_name})"
        else:
            to_label = _unit_label(session, event.to_unit_id, event.to_step, None)
        try:
            action_label = ACTION_LABELS[Action(event.action)]
        except ValueError:
            action_label = "Tiếp nhận hồ sơ" if event.action == "receive" else event.action
        rows.append(
            HandOver(
                from_label=_unit_label(session, event.from_unit_id or event.actor_unit_id, event.from_step, event.actor_name),
                to_label=to_label,
                at=event.at,
                outcome=event.outcome,
                note=event.note or "",
                action_label=action_label,
            )
        )
    return rows


def dossier_doc(session: Session, dossier: Dossier, key: str) -> DossierDoc:
    """Everything form `key` prints about `dossier`."""
    events = _events(session, dossier)
    receiving = _agency(session, dossier.receiving_unit_id)
    competent = _agency(session, dossier.agency_id)
    returning = _agency(session, dossier.return_unit_id)
    at_counter = key in (RECEIPT, SUPPLEMENT_REQUEST, REFUSAL)
    issuer = issuer_for(session, dossier.receiving_unit_id if at_counter else dossier.agency_id)
    officer = session.get(User, dossier.received_by_id) if dossier.received_by_id else None
    components = list(
        session.scalars(
            select(DossierComponent).where(DossierComponent.dossier_id == dossier.id).order_by(DossierComponent.position)
        )
    )
    doc = DossierDoc(
        code=reference_of(dossier),
        lookup_key=dossier.lookup_key or "",
        procedure_name=dossier.procedure_name,
        procedure_code=dossier.procedure_code,
        issuer=issuer,
        applicant=Applicant(
            full_name=dossier.applicant_name,
            kind=dossier.applicant_kind,
            id_number=dossier.applicant_id_number or "",
            phone=dossier.applicant_phone or "",
            email=dossier.applicant_email or "",
            address=dossier.applicant_address or "",
        ),
        competent_agency_name=competent.name if competent else "",
        receiving_unit_name=receiving.name if receiving else "",
        return_place=returning.name if returning else "",
        channel=dossier.channel,
        components=[ComponentLine(c.name, c.kind, c.count) for c in components],
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        time_limit_text=time_limit_text(dossier),
        time_limit_basis=dossier.time_limit_basis or "",
        time_limit_source=time_limit_source(dossier),
        officer_name=officer.full_name if officer else "",
        status_label=STATUS_LABELS.get(DossierStatus(dossier.status), dossier.status),
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        outcome=dossier.outcome,
    )
    if dossier.fees_amount:
        doc.fees_text = f"{dossier.fees_amount:,}".replace(",", ".") + " đ"
    if key in (RECEIPT, REFUSAL, CONTROL_SLIP):
        _book_entry(session, doc, dossier, key)
    if key == RECEIPT and dossier.reappointed:
        _reappointment(doc, dossier, events)
    elif key == SUPPLEMENT_REQUEST:
        pauses = _pauses(session, dossier, "supplement")
        if dossier.status == DossierStatus.incomplete or not pauses:
            doc.missing_items = list(dossier.missing_items or [])
            doc.supplement_note = dossier.note or ""
            doc.contact_text = _contact(doc.receiving_unit_name or issuer.name, officer)
            _book_entry(session, doc, dossier, key)
        else:
            last = pauses[-1]
            doc.missing_items = list(last.missing_items or [])
            doc.supplement_note = last.reason or ""
            _supplement_requester(session, doc, dossier, events)
    elif key == REFUSAL:
        doc.refusal_reasons = _lines(dossier.refusal_reason)
    elif key == REFUSAL_NOTICE:
        refusal = _last(events, (Action.refuse,))
        doc.refusal_reasons = _lines((refusal.note if refusal else None) or dossier.refusal_reason)
        _agency_letter(session, doc, dossier, key, refusal, (Action.refuse,))
        doc.signer_name = (refusal.actor_name if refusal else "") or ""
    elif key == APOLOGY:
        apology = _reappointment(doc, dossier, events)
        doc.apology_reason = dossier.reappointment_reason or (apology.note if apology else "") or ""
        _agency_letter(session, doc, dossier, key, apology, (Action.apologize_reschedule,))
    elif key == STOP_NOTICE:
        stop = _last(events, (Action.withdraw, Action.stop))
        doc.stop_requested_at = stop.at if stop else dossier.finished_at
        doc.stop_reason = (stop.note if stop else "") or ""
        _agency_letter(session, doc, dossier, key, stop, (Action.withdraw, Action.stop))
    elif key == CONTROL_SLIP:
        doc.handovers = handovers(session, dossier, events)
    return doc


def _book_entry(session: Session, doc: DossierDoc, dossier: Dossier, key: str) -> None:
    """A slip given at receipt: the dossier's entry in the receiving unit's book numbers it."""
    doc.book_volume = registers.book_volume(dossier.received_at)
    doc.book_number = registers.book_position(session, dossier)
    doc.doc_number = registers.document_number(doc.book_number, NUMBER_SUFFIXES[key])


def _last(events: list[DossierEvent], actions: tuple[str, ...]) -> DossierEvent | None:
    return next((e for e in reversed(events) if e.action in actions), None)


def _lines(text: str | None) -> list[str]:
    return [r.strip() for r in (text or "").splitlines() if r.strip()]


def _reappointment(doc: DossierDoc, dossier: Dossier, events: list[DossierEvent]) -> DossierEvent | None:
    """Both appointments once the agency apologised: the one given before (`due_at`) and the
    new one (`new_due_at`), with the day of the apology."""
    apology = _last(events, (Action.apologize_reschedule,))
    data = (apology.data or {}) if apology else {}
    doc.new_due_at = _instant(data.get("new_due_at")) or dossier.due_at
    doc.due_at = _instant(data.get("old_due_at")) or dossier.original_due_at or dossier.due_at
    doc.apology_at = apology.at if apology else None
    return apology


def _contact(unit_name: str, person: User | None) -> str:
    """Where the applicant asks: the unit, and the person with their phone and e-mail if known."""
    if person is None:
        return unit_name
    details = [person.full_name]
    if person.phone:
        details.append(f"điện thoại {person.phone}")
    if person.email:
        details.append(f"thư điện tử {person.email}")
    return f"{unit_name} ({', '.join(details)})"


def _supplement_requester(session: Session, doc: DossierDoc, dossier: Dossier, events: list[DossierEvent]) -> None:
    """A supplement asked during handling is the asking unit's letter: issued in its name,
    signed by the person who asked, with their contact — not the counter officer's."""
    event = _last(events, (Action.request_supplement,))
    if event is None:
        doc.issuer = issuer_for(session, dossier.agency_id)
        return
    unit_id = event.actor_unit_id or dossier.agency_id
    doc.issuer = issuer_for(session, unit_id)
    person = session.get(User, event.actor_id) if event.actor_id else None
    doc.officer_name = (person.full_name if person else event.actor_name) or ""
    doc.contact_text = _contact(doc.issuer.name, person)
    by_unit = {"actor_unit_id": event.actor_unit_id} if event.actor_unit_id else {"agency_id": dossier.agency_id}
    number = registers.action_number(session, event, (Action.request_supplement,), **by_unit)
    doc.doc_number = registers.document_number(number, NUMBER_SUFFIXES[SUPPLEMENT_REQUEST])


def _agency_letter(session: Session, doc: DossierDoc, dossier: Dossier, key: str, event: DossierEvent | None,
                   actions: tuple[str, ...]) -> None:
    """Number and "Nơi nhận" of a letter of the competent agency (04, 05, 03a)."""
    if event is not None:
        number = registers.action_number(session, event, actions, agency_id=dossier.agency_id)
        doc.doc_number = registers.document_number(number, NUMBER_SUFFIXES[key])
    doc.recipients = recipients(doc)


def recipients(doc: DossierDoc) -> list[str]:
    """"Nơi nhận" (ND 30/2020): the addressee ("Như trên"), the one-stop section that received
    the dossier and hands the letter over when it is not the issuer itself, the archive."""
    lines = ["Như trên;"]
    if doc.receiving_unit_name and doc.receiving_unit_name != doc.issuer.name:
        lines.append(f"{doc.receiving_unit_name};")
    lines.append("Lưu: VT.")
    return lines


def time_limit_text(dossier: Dossier) -> str:
    """The limit the appointment was computed with, as stored on the dossier (never a default)."""
    return describe_time_limit(dossier.time_limit_days, dossier.time_limit_hours)


def time_limit_source(dossier: Dossier) -> str:
    if dossier.time_limit_days is None and dossier.time_limit_hours is None:
        return ""
    return "entered" if dossier.time_limit_entered else "catalogue"


def _instant(value) -> datetime | None:
    """An instant stored in an audit row's data (ISO text), or None."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def local_day_bounds(day_from: date, day_to: date) -> tuple[datetime, datetime]:
    """[start of day_from, start of the day after day_to) in local time, as aware datetimes."""
    start = datetime.combine(day_from, time.min, tzinfo=LOCAL_TZ)
    end = datetime.combine(day_to + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
    return start, end


def book_rows(session: Session, dossiers: list[Dossier]) -> list[BookRow]:
    """One row per dossier of the tracking book (form 07), with the first transfer time."""
    ids = [d.id for d in dossiers]
    transferred: dict[uuid.UUID, datetime] = {}
    if ids:
        for dossier_id, at in session.execute(
            select(DossierEvent.dossier_id, DossierEvent.at)
            .where(DossierEvent.dossier_id.in_(ids), DossierEvent.action == Action.forward)
            .order_by(DossierEvent.seq)
        ):
            transferred.setdefault(dossier_id, at)
    agency_ids = {d.agency_id for d in dossiers}
    names = {a.id: a.name for a in session.scalars(select(Agency).where(Agency.id.in_(agency_ids)))} if agency_ids else {}
    rows = []
    for d in dossiers:
        note = STATUS_LABELS.get(DossierStatus(d.status), d.status)
        rows.append(
            BookRow(
                code=reference_of(d),
                procedure_name=d.procedure_name,
                applicant_name=d.applicant_name,
                applicant_address=d.applicant_address or "",
                applicant_phone=d.applicant_phone or "",
                competent_agency_name=names.get(d.agency_id, ""),
                received_at=d.received_at,
                due_at=d.due_at,
                transferred_at=transferred.get(d.id),
                # An incomplete or refused receipt ends at the counter: no result, so no
                # "Ngày có kết quả" (its `finished_at` only closes the record).
                finished_at=None if d.status in NOT_ACCEPTED else d.finished_at,
                returned_at=d.returned_at,
                note=note,
            )
        )
    return rows


def tracking_book(session: Session, unit: Agency, day_from: date, day_to: date, dossiers: list[Dossier]) -> TrackingBookDoc:
    return TrackingBookDoc(issuer_for(session, unit.id), day_from, day_to, book_rows(session, dossiers))
