"""The online channel at the one-stop section (DOMAIN.md §2; Decree 118/2025): a dossier
submitted on the National Public Service Portal waits in the online queue with status
`submitted_online` (external 1) under the portal's code (MaHoSo, kept as the dossier code),
until a counter officer of the receiving unit decides on it like a counter receipt:

- accepted: the time limit, appointment and process start at the acceptance (receive.schedule
  and receive.open_handling, the counter's own code);
- incomplete: unlike the counter (where the applicant takes the papers back and the record
  ends in status 3), the online dossier waits for the applicant's online supplement: a
  supplement pause whose resume status is `submitted_online`, so the dossier shows external
  status 5 and, when the counter receives the supplement (the ordinary `receive_supplement`
  action), is back in the online queue for a decision;
- refused: `refused_at_receipt` (external 3), as at the counter.

Who brings dossiers and supplements in (the portal exchange, motcua.dvcqg.inbound) is not
known here: these functions take plain values.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import has_role
from motcua.catalog.applications import ensure_competent
from motcua.catalog.models import Procedure
from motcua.catalog.service import ensure_receivable, get_procedure_by_code
from motcua.core.clock import now
from motcua.core.errors import Forbidden, InvalidInput, TransitionNotAllowed
from motcua.core.ids import new_id
from motcua.core.text import fold, nfc
from motcua.dossiers.codes import allocate_code
from motcua.dossiers.enums import ONLINE_CHANNELS, Channel, DossierStatus, PauseKind, ReceiptOutcome
from motcua.dossiers.models import (
    Dossier,
    DossierAttachment,
    DossierCode,
    DossierComponent,
    DossierPause,
)
from motcua.dossiers.policies import Actor
from motcua.dossiers.service.common import open_pause, record, set_status
from motcua.dossiers.service.receive import (
    ApplicantData,
    ComponentData,
    ReceiptData,
    check_receiving_unit,
    counter_actor,
    open_handling,
    receipt_limit,
    schedule,
    validate_receipt,
)
from motcua.dossiers.storage import name_for, store_bytes
from motcua.org.models import Agency

CODE_MAX = Dossier.__table__.c.code.type.length  # the portal's MaHoSo is kept as the dossier code
# The actor of the audit rows the portal's messages write (no person of the province acted).
PORTAL_ACTOR = Actor(None, "Cổng Dịch vụ công quốc gia", None, None)


@dataclass(frozen=True)
class OnlineFile:
    name: str
    content: bytes


@dataclass(frozen=True)
class OnlineComponent:
    name: str
    count: int = 1
    files: tuple[OnlineFile, ...] = ()
    spec_id: uuid.UUID | None = None  # the catalogue's component, when the form was built from it


@dataclass
class OnlineDecision:
    """The counter's decision on an online submission (the fields of a counter receipt that
    are not already in the submission)."""

    outcome: str  # ReceiptOutcome
    missing_items: list[str] | None = None
    refusal_reason: str | None = None
    note: str | None = None
    time_limit_days: int | None = None
    time_limit_hours: int | None = None
    time_limit_basis: str | None = None
    components: list[ComponentData] = field(default_factory=list)


def _store_files(session: Session, dossier: Dossier, component: DossierComponent, files, at: datetime,
                 root: Path | None) -> list[str]:
    """The portal's files of a component, stored like counter scans; a file the store refuses
    (empty, wrong type, too large) is reported, not fatal: the officer sees the list."""
    refused = []
    for f in files:
        try:
            digest, kind, size = store_bytes(f.content, root=root)
        except InvalidInput as exc:
            refused.append(f"{f.name}: {exc.message}")
            continue
        session.add(DossierAttachment(dossier_id=dossier.id, purpose="scan", component_id=component.id,
                                      filename=name_for(f.name, kind), content_type=kind, size=size, sha256=digest,
                                      uploaded_by_id=None, created_at=at))
    return refused


def _add_online_components(session: Session, dossier: Dossier, components: list[OnlineComponent], *, start: int,
                           supplemented: bool, at: datetime, root: Path | None = None) -> list[str]:
    refused = []
    for i, c in enumerate(components, start=start):
        component = DossierComponent(id=new_id(), dossier_id=dossier.id, position=i, name=nfc(c.name) or "Tài liệu",
                                     kind="copy", count=max(1, min(c.count, 1000)), spec_id=c.spec_id,
                                     supplemented=supplemented)
        session.add(component)
        session.flush([component])
        refused += _store_files(session, dossier, component, c.files, at, root)
    return refused


def register_online(
    session: Session, *, code: str | None, procedure: Procedure, agency: Agency, receiving_unit: Agency,
    applicant: ApplicantData, components: list[OnlineComponent], submitted_at: datetime | None,
    note: str | None = None, channel: Channel = Channel.online, actor: Actor = PORTAL_ACTOR,
    storage_root: Path | None = None,
) -> Dossier:
    """An online submission into the online queue (status submitted_online), under the
    portal's `code`; the caller makes this idempotent on the code (a code already used is
    refused by `dossier_codes`). `code` None (the province's own online service): the
    receiving unit's next code, allocated like a counter receipt's."""
    if code is not None and (not code or len(code) > CODE_MAX):
        raise InvalidInput(f"Mã hồ sơ trực tuyến phải có từ 1 đến {CODE_MAX} ký tự.")
    ensure_receivable(procedure)
    ensure_competent(session, procedure, agency)
    check_receiving_unit(session, procedure=procedure, agency=agency, receiving_unit=receiving_unit)
    at = now()
    name = nfc(applicant.full_name) or ""
    if not name:
        raise InvalidInput("Hồ sơ trực tuyến không có tên chủ hồ sơ.")
    dossier = Dossier(
        id=new_id(), code=code, procedure_id=procedure.id, procedure_code=procedure.code,
        procedure_name=procedure.name, agency_id=agency.id, receiving_unit_id=receiving_unit.id,
        return_unit_id=receiving_unit.id, channel=channel, applicant_kind=applicant.kind,
        applicant_name=name, applicant_name_folded=fold(name), applicant_id_number=nfc(applicant.id_number) or None,
        applicant_phone=nfc(applicant.phone) or None, applicant_email=nfc(applicant.email) or None,
        applicant_address=nfc(applicant.address) or None, received_by_id=None,
        received_at=submitted_at or at, fees_amount=0, note=nfc(note) or None, created_at=at, updated_at=at,
        current_unit_id=receiving_unit.id, current_role="counter_officer",
    )
    set_status(dossier, DossierStatus.submitted_online)
    session.add(dossier)
    session.flush()
    if code is None:
        code = dossier.code = allocate_code(session, unit_code=receiving_unit.code, received_at=dossier.received_at,
                                            dossier_id=dossier.id)
    else:
        session.execute(insert(DossierCode).values(code=code, dossier_ref_id=dossier.id, created_at=at))
    refused = _add_online_components(session, dossier, components, start=1, supplemented=False, at=at,
                                     root=storage_root)
    record(session, dossier, actor=actor, action="submit_online", at=at, from_status=None, first=True,
           note=dossier.note, data={"code": code, "files_refused": refused} if refused else {"code": code})
    session.flush()
    return dossier


def decide_online(session: Session, dossier: Dossier, *, user: User, decision: OnlineDecision) -> Dossier:
    """The counter's decision on a dossier of the online queue (see the module's docstring)."""
    if dossier.status != DossierStatus.submitted_online:
        raise TransitionNotAllowed(f"Hồ sơ {dossier.code} không còn chờ tiếp nhận trực tuyến.")
    receiving_unit = session.get(Agency, dossier.receiving_unit_id)
    if not has_role(user, "counter_officer", agency_id=receiving_unit.id):
        raise Forbidden(f"Bạn không phải công chức Bộ phận Một cửa của {receiving_unit.name}.")
    procedure = get_procedure_by_code(session, dossier.procedure_code, full=True)
    agency = session.get(Agency, dossier.agency_id)
    data = ReceiptData(
        applicant=ApplicantData(dossier.applicant_kind, dossier.applicant_name),
        components=decision.components or [ComponentData("Hồ sơ nộp trực tuyến")], channel=Channel.online,
        outcome=decision.outcome, missing_items=decision.missing_items, refusal_reason=decision.refusal_reason,
        note=decision.note, time_limit_days=decision.time_limit_days, time_limit_hours=decision.time_limit_hours,
        time_limit_basis=decision.time_limit_basis,
    )
    validate_receipt(data)
    at = now()
    actor = counter_actor(user, receiving_unit.id)
    outcome = ReceiptOutcome(data.outcome)
    from_status = dossier.status
    dossier.updated_at = at
    if outcome is ReceiptOutcome.accepted:
        ensure_receivable(procedure)
        ensure_competent(session, procedure, agency)
        limit = receipt_limit(procedure, data)
        dossier.time_limit_days, dossier.time_limit_hours = limit.days, limit.hours
        dossier.time_limit_basis, dossier.time_limit_entered = limit.basis, limit.entered
        dossier.received_by_id, dossier.received_at = user.id, at
        dossier.note = nfc(decision.note) or dossier.note
        dossier.missing_items = None
        handling = schedule(session, dossier, procedure=procedure, agency=agency, at=at)
        session.flush()
        open_handling(session, dossier, handling, receiving_unit=receiving_unit, user=user, actor=actor, at=at,
                      from_status=from_status, first=False)
        session.flush()
        return dossier
    if outcome is ReceiptOutcome.incomplete:
        items = [nfc(m) for m in data.missing_items or [] if nfc(m)]
        session.add(DossierPause(dossier_id=dossier.id, kind=PauseKind.supplement, started_at=at,
                                 reason=nfc(decision.note) or None, missing_items=items,
                                 resume_status=DossierStatus.submitted_online, requested_by_id=user.id))
        dossier.missing_items = items
        set_status(dossier, DossierStatus.supplement_requested)
        note = "; ".join(items)
    else:
        dossier.refusal_reason = nfc(data.refusal_reason) or None
        dossier.received_by_id, dossier.finished_at = user.id, at
        dossier.current_role = None
        set_status(dossier, DossierStatus.refused_at_receipt)
        note = dossier.refusal_reason
    record(session, dossier, actor=actor, action="receive", at=at, from_status=from_status,
           from_unit_id=receiving_unit.id, note=note, data={"outcome": outcome.value, "channel": "online"})
    session.flush()
    return dossier


def online_supplement_arrived(
    session: Session, dossier: Dossier, *, components: list[OnlineComponent], note: str | None,
) -> DossierPause:
    """The applicant's supplement sent online, for a dossier asked to complete it: its papers
    join the dossier (marked supplemented); the counter then receives it with the ordinary
    `receive_supplement` action, which resumes the dossier. Returns the request it answers."""
    pause = open_pause(session, dossier)
    if dossier.status != DossierStatus.supplement_requested or pause is None or pause.kind != PauseKind.supplement:
        raise TransitionNotAllowed(f"Hồ sơ {dossier.code} không có yêu cầu bổ sung đang chờ.")
    at = now()
    start = (session.scalar(select(func.max(DossierComponent.position)).where(
        DossierComponent.dossier_id == dossier.id)) or 0) + 1
    refused = _add_online_components(session, dossier, components, start=start, supplemented=True, at=at)
    record(session, dossier, actor=PORTAL_ACTOR, action="online_supplement", at=at, from_status=dossier.status,
           from_step=dossier.current_step_name, from_unit_id=dossier.current_unit_id, note=nfc(note) or None,
           data={"pause_id": str(pause.id), "files_refused": refused})
    session.flush()
    return pause


def online_dossier_id(session: Session, code: str) -> uuid.UUID | None:
    """The dossier with this code (the portal's MaHoSo)."""
    row = session.get(DossierCode, code)
    return row.dossier_ref_id if row else None


def online_queue(session: Session, units: set[uuid.UUID] | None, *, limit: int = 100) -> list[Dossier]:
    """The online queue of one-stop sections (`units`; None: every section): submissions
    waiting for the counter's decision, and those asked for completion before acceptance
    (still without a receipt), oldest first."""
    stmt = (select(Dossier)
            .where(Dossier.channel.in_(ONLINE_CHANNELS), Dossier.received_by_id.is_(None),
                   Dossier.status.in_([DossierStatus.submitted_online, DossierStatus.supplement_requested]))
            .order_by(Dossier.received_at).limit(limit))
    if units is not None:
        stmt = stmt.where(Dossier.receiving_unit_id.in_(units))
    return list(session.scalars(stmt))
