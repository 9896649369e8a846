"""Sending the outbox to the national portal, and reconciling with what it holds.

Per dossier, in audit order (docs/dvcqg.md "Outbound sync"):
1. read the dossier, its pending outbox rows and its procedure's national code (read unit);
   no national code → nothing is sent, the ledger says `unmapped` (reported), tried again later;
2. with no transaction open: `TraCuuHoSo` (found → `isUpdating` "True", else "False"),
   `DongBoHoSoMC` with the whole record as it is now, then — only after that succeeded —
   `CapNhatTienDoHoSoMC` with the pending steps the portal does not already hold;
3. one short write: the rows sent are marked acknowledged and the ledger updated; on any
   failure nothing is marked, the ledger counts the attempt and sets the next one (back-off).

Idempotent: the record is an overwrite, and a step the portal already lists (a call that
timed out on our side but was carried out on the portal's) is not appended again. Steps are
compared with the portal's list when `TraCuuHoSo` gives one (the simulator does; the portal
[U]); a later change of the dossier waits behind an earlier one that failed.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from motcua.catalog.models import NationalCode
from motcua.citizens.models import Citizen
from motcua.core.clock import now
from motcua.core.db import session_scope
from motcua.dossiers.enums import ONLINE_CHANNELS, DossierStatus, ReturnMethod
from motcua.dossiers.models import (
    Dossier,
    DossierAttachment,
    DossierComponent,
    DossierPause,
    DossierResult,
)
from motcua.dvcqg.enums import SyncState
from motcua.dvcqg.models import InboundItem, OutboxEntry, SyncLedger
from motcua.integrations.dvcqg import wire
from motcua.integrations.dvcqg.portal import (
    DossierFile,
    DossierRecord,
    FeeLine,
    NationalDossier,
    NationalPortal,
    NationalProcedure,
    PortalError,
    ProgressEntry,
    ResultPaper,
    SupplementRound,
)
from motcua.org.models import Agency
from motcua.payments.service import paid_online

# Seconds to wait after the n-th failure in a row (the last value repeats): a portal that is
# down for an hour is tried a dozen times, not thousands.
BACKOFF_SECONDS = (30, 60, 120, 300, 600, 1800, 3600)
UNMAPPED_RETRY = timedelta(hours=1)
# A sender holds a dossier this long (its claim on the ledger row): longer than the four calls
# of one attempt can take at the adapter's timeouts, so two workers never send one dossier at once.
LEASE = timedelta(minutes=5)
# KenhThucHien: a dossier submitted on the province's own online service is online too.
CHANNEL_CODES = {"counter": 1, "online": 2, "local_online": 2, "post": 3}


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=BACKOFF_SECONDS[min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1])


@dataclass
class Outgoing:
    """What one attempt for one dossier sends (read in one unit of work)."""

    dossier_id: uuid.UUID
    code: str | None
    national_code: str | None
    record: Callable[[NationalProcedure], DossierRecord]
    entries: list[OutboxEntry]


@dataclass
class SendReport:
    synced: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    steps: int = 0

    def summary(self) -> str:
        text = f"đồng bộ {len(self.synced)} hồ sơ ({self.steps} bước xử lý)"
        if self.failed:
            text += f", {len(self.failed)} hồ sơ gửi lỗi (thử lại sau)"
        if self.unmapped:
            text += f", {len(self.unmapped)} hồ sơ có thủ tục chưa ghép mã quốc gia (không gửi)"
        return text


def national_code_of(session: Session, procedure_id: uuid.UUID) -> str | None:
    return session.scalar(select(NationalCode.national_code).where(NationalCode.procedure_id == procedure_id))


def _supplement_rounds(session: Session, dossier: Dossier) -> tuple[SupplementRound, ...]:
    pauses = session.scalars(select(DossierPause).where(
        DossierPause.dossier_id == dossier.id, DossierPause.kind == "supplement").order_by(DossierPause.started_at))
    online = dict(session.execute(select(InboundItem.pause_id, InboundItem.national_id).where(
        InboundItem.dossier_ref_id == dossier.id, InboundItem.kind == "supplement")).tuples().all())
    return tuple(
        SupplementRound(round_id=online.get(p.id, str(p.id)), requested_by="", content="; ".join(
            p.missing_items or []) or (p.reason or ""), requested_at=p.started_at, received_at=p.ended_at)
        for p in pauses
    )


def _fees(session: Session, dossier: Dossier) -> dict:
    """`DanhSachLePhi` and `DuocThanhToanTrucTuyen`: the lines paid through the national payment
    platform (payments domain), each fee with its amount, and 1; else the total fixed at
    receipt (đồng) and 0 — a total of 0 says "no fee" (such dossiers leave the 766
    online-payment denominator)."""
    paid = paid_online(session, dossier.id)
    lines = tuple(FeeLine(name=line["name"], amount=int(line["amount"]),
                          kind=line.get("kind", ""), collection="Trực tuyến")
                  for payment in paid for line in payment.fees)
    if lines:
        return {"fees": lines, "paid_online": 1}
    return {"fees": (FeeLine(name="Phí, lệ phí", amount=dossier.fees_amount or 0),), "paid_online": 0}


def _files(session: Session, dossier: Dossier, submission: dict | None) -> tuple[DossierFile, ...]:
    """`TaiLieuNop`: every scan held (a component scanned at the counter, or a file the citizen
    sent online), each digitised (`DuocSoHoa` 1: the component is held as an electronic file, which
    is what the 766 digitisation indicator counts). Nothing is reused from an earlier result or
    taken from the national data store (`DuocTaiSuDung`, `DuocLayTuKhoDMQG` 0): motcua has no
    such store yet. `MaThanhPhanHoSo` is the portal's code of the component when it came with
    the online submission."""
    codes = {wire.text(c.get("TenThanhPhanHoSo")): wire.text(c.get("MaThanhPhanHoSo"))
             for c in (submission or {}).get("ThanhPhanHoSo") or [] if isinstance(c, dict)}
    rows = session.execute(
        select(DossierAttachment.id, DossierAttachment.filename, DossierComponent.name)
        .outerjoin(DossierComponent, (DossierComponent.dossier_id == DossierAttachment.dossier_id)
                   & (DossierComponent.id == DossierAttachment.component_id))
        .where(DossierAttachment.dossier_id == dossier.id, DossierAttachment.purpose == "scan")
        .order_by(DossierAttachment.created_at, DossierAttachment.id))
    return tuple(DossierFile(file_id=str(att_id), name=filename, component_code=codes.get(component, ""),
                             digitised=True) for att_id, filename, component in rows)


def _submitter(session: Session, dossier: Dossier, submission: dict | None) -> tuple[str, bool]:
    """`MaDoiTuong` and `TaiKhoanDuocXacThucVoiVNeID`: the national account of whoever submitted
    the dossier online (§3, §8), never of the applicant of a counter or postal dossier, who
    submitted nothing through an account (docs/dvcqg.md "Submitter's account").
    - taken from the portal: the account the portal names; verified as the portal states it,
      else because it has a national account id at all (the portal's login is the national
      identity, VNeID);
    - another online dossier (the province's own online channel, where citizens sign in only
      with VNeID and the applicant's identifier is the account's own, prefilled, not typed):
      the linked citizen account holding the applicant's identifier."""
    if dossier.channel not in ONLINE_CHANNELS:
        return "", False
    if submission is not None:
        sent = wire.submission_in(submission)
        account = sent.submitter_account
        return account, sent.submitter_verified if sent.submitter_verified is not None else bool(account)
    number = dossier.applicant_id_number
    if not number:
        return "", False
    held_by = ((Citizen.id_number == number) | (Citizen.old_id_number == number)
               if dossier.applicant_kind == "person" else
               (Citizen.tax_code == number) | (Citizen.business_code == number))
    accounts = session.scalars(select(Citizen.tech_id).where(held_by, Citizen.tech_id.is_not(None))).all()
    # Two linked accounts with one identifier cannot say who submitted: claim neither.
    return (accounts[0], True) if len(accounts) == 1 else ("", False)


def record_builder(session: Session, dossier: Dossier) -> Callable[[NationalProcedure], DossierRecord]:
    """Everything of the record but the national procedure's names (from LayThuTuc at send time)."""
    agency = session.get(Agency, dossier.agency_id)
    results = session.scalars(select(DossierResult).where(DossierResult.dossier_id == dossier.id)).all()
    supplements = _supplement_rounds(session, dossier)
    submission = session.scalar(select(InboundItem.payload).where(
        InboundItem.dossier_ref_id == dossier.id, InboundItem.kind == "submission"))
    # An online submission the counter has not accepted or refused yet has no receipt time.
    registered = dossier.received_by_id is None
    account, verified = _submitter(session, dossier, submission)
    values = dict(
        code=dossier.code or "", owner_name=dossier.applicant_name, owner_kind=1 if dossier.applicant_kind == "person"
        else 2, email=dossier.applicant_email or "", phone=dossier.applicant_phone or "",
        summary=f"{dossier.procedure_name} — {dossier.applicant_name}", status=dossier.external_status,
        received_at=None if registered else dossier.received_at, due_at=dossier.due_at,
        handling_unit=agency.name if agency else "", channel=CHANNEL_CODES.get(dossier.channel, 1),
        delivery=1 if dossier.return_method == ReturnMethod.post else 0,
        submitter_account=account, vneid_verified=verified, owner_id_number=dossier.applicant_id_number or "",
        submitted_at=dossier.created_at if CHANNEL_CODES.get(dossier.channel) == 2 else None, returned_at=dossier.returned_at,
        finished_at=dossier.finished_at,
        refused_at=dossier.finished_at if dossier.status == DossierStatus.refused_at_receipt else None,
        results=tuple(ResultPaper(paper_id=str(r.id), name=f"{'Kết quả' if r.kind == 'result' else 'Văn bản từ chối'}"
                                  f"{' số ' + r.number if r.number else ''}") for r in results),
        supplements=supplements, files=_files(session, dossier, submission),
        **_fees(session, dossier),
    )

    def build(national: NationalProcedure) -> DossierRecord:
        return DossierRecord(national_procedure_code=national.code, procedure_name=national.name,
                             field_code=national.field_code or "", field_name=national.field_name or "", **values)

    return build


def pending_dossiers(session: Session, at: datetime | None, limit: int) -> list[uuid.UUID]:
    """Dossiers with unsent changes whose next attempt is due at `at` (None: all of them,
    back-off ignored), oldest change first."""
    stmt = (select(OutboxEntry.dossier_id, OutboxEntry.created_at)
            .outerjoin(SyncLedger, SyncLedger.dossier_id == OutboxEntry.dossier_id)
            .where(OutboxEntry.sent_at.is_(None))
            .order_by(OutboxEntry.created_at, OutboxEntry.seq))
    if at is not None:
        stmt = stmt.where((SyncLedger.dossier_id.is_(None)) | (SyncLedger.next_attempt_at <= at))
    rows = session.execute(stmt)
    seen: dict[uuid.UUID, None] = {}
    for dossier_id, _ in rows:
        seen.setdefault(dossier_id)
        if len(seen) >= limit:
            break
    return list(seen)


def _read(session: Session, dossier_id: uuid.UUID) -> Outgoing:
    dossier = session.get(Dossier, dossier_id)
    entries = list(session.scalars(select(OutboxEntry).where(
        OutboxEntry.dossier_id == dossier_id, OutboxEntry.sent_at.is_(None)).order_by(OutboxEntry.seq)))
    return Outgoing(dossier_id, dossier.code, national_code_of(session, dossier.procedure_id),
                    record_builder(session, dossier), entries)


def _entry_key(e: ProgressEntry) -> tuple:
    return e.code, e.handler[:50], e.at.replace(microsecond=0), e.content, e.status


def progress_entries(code: str, entries: list[OutboxEntry]) -> list[ProgressEntry]:
    return [ProgressEntry(code=code, handler=e.handler, at=e.at, content=e.content, status=e.status)
            for e in entries if e.progress]


def not_yet_held(wanted: list[ProgressEntry], held: NationalDossier | None) -> list[ProgressEntry]:
    """Pure: the entries of `wanted` the portal does not list yet (each listed one counted once)."""
    if held is None or held.progress is None:
        return wanted
    listed = Counter(_entry_key(e) for e in held.progress)
    missing = []
    for entry in wanted:
        key = _entry_key(entry)
        if listed[key]:
            listed[key] -= 1
        else:
            missing.append(entry)
    return missing


def _ledger(session: Session, dossier_id: uuid.UUID, code: str | None) -> SyncLedger:
    ledger = session.get(SyncLedger, dossier_id)
    if ledger is None:
        ledger = SyncLedger(dossier_id=dossier_id, code=code, state=SyncState.pending, attempts=0,
                            next_attempt_at=now(), acked_seq=0, acked_progress=0)
        session.add(ledger)
    ledger.code = code
    return ledger


def note_held(ledger: SyncLedger, held: NationalDossier | None, at: datetime) -> None:
    ledger.checked_at = at
    ledger.national_status = held.status if held else None
    ledger.national_due_at = held.due_at if held else None
    ledger.national_progress = (len(held.progress) if held.progress is not None else None) if held else None


def claim(factory: sessionmaker[Session], dossier_id: uuid.UUID, *, at: datetime, force: bool = False) -> bool:
    """Take the dossier for one attempt (its ledger's next attempt moved past the lease);
    False when another sender holds it, or (unless `force`) its back-off is not over."""
    try:
        with session_scope(factory) as session:
            if session.get(SyncLedger, dossier_id) is None:
                session.add(SyncLedger(dossier_id=dossier_id, state=SyncState.pending, attempts=0,
                                       next_attempt_at=at + LEASE, acked_seq=0, acked_progress=0))
                session.flush()
                return True
            stmt = update(SyncLedger).where(SyncLedger.dossier_id == dossier_id)
            if not force:
                stmt = stmt.where(SyncLedger.next_attempt_at <= at)
            return session.execute(stmt.values(next_attempt_at=at + LEASE)).rowcount == 1
    except IntegrityError:  # another sender created the row first: it holds the dossier
        return False


def _release(factory: sessionmaker[Session], dossier_id: uuid.UUID) -> None:
    with session_scope(factory) as session:
        session.execute(update(SyncLedger).where(SyncLedger.dossier_id == dossier_id).values(next_attempt_at=now()))


def send_one(factory: sessionmaker[Session], portal: NationalPortal, dossier_id: uuid.UUID, *,
             procedures: dict[str, NationalProcedure], report: SendReport, at: datetime | None = None,
             force: bool = False) -> None:
    if not claim(factory, dossier_id, at=at or now(), force=force):
        return
    with session_scope(factory, write=False) as session:
        out = _read(session, dossier_id)
    if not out.entries:  # sent meanwhile by another sender
        _release(factory, dossier_id)
        return
    code = out.code or str(dossier_id)
    if out.national_code is None or out.code is None:
        with session_scope(factory) as session:
            ledger = _ledger(session, dossier_id, out.code)
            ledger.state, ledger.next_attempt_at = SyncState.unmapped, now() + UNMAPPED_RETRY
            ledger.last_error = "Thủ tục chưa được ghép mã thủ tục quốc gia: hồ sơ không được đồng bộ."
        report.unmapped.append(code)
        return
    wanted = progress_entries(out.code, out.entries)
    try:
        if out.national_code not in procedures:
            procedures[out.national_code] = portal.get_procedure(out.national_code)
        record = out.record(procedures[out.national_code])
        held = portal.lookup_dossier(out.code)
        portal.push_dossier(record, updating=held is not None)
        missing = not_yet_held(wanted, held)
        portal.push_progress(missing)
    except PortalError as exc:
        with session_scope(factory) as session:
            ledger = _ledger(session, dossier_id, out.code)
            ledger.attempts += 1
            ledger.state, ledger.last_error = SyncState.failed, exc.message[:500]
            ledger.last_sent_at = now()
            ledger.next_attempt_at = now() + backoff(ledger.attempts)
        report.failed[code] = exc.message
        return
    sent_at = now()
    seqs = [e.seq for e in out.entries]
    with session_scope(factory) as session:
        for entry in session.scalars(select(OutboxEntry).where(
                OutboxEntry.dossier_id == dossier_id, OutboxEntry.seq.in_(seqs), OutboxEntry.sent_at.is_(None))):
            entry.sent_at = sent_at
        ledger = _ledger(session, dossier_id, out.code)
        ledger.state, ledger.attempts, ledger.last_error = SyncState.synced, 0, None
        ledger.last_sent_at, ledger.next_attempt_at = sent_at, sent_at
        ledger.acked_seq = max(seqs)
        ledger.acked_status, ledger.acked_due_at = record.status, record.due_at
        ledger.acked_progress += len(wanted)
        # What the portal holds now: the record just written and the steps it had plus those appended.
        ledger.checked_at, ledger.national_status, ledger.national_due_at = sent_at, record.status, record.due_at
        if held is not None and held.progress is not None:
            ledger.national_progress = len(held.progress) + len(missing)
    report.synced.append(out.code)
    report.steps += len(missing)


def send_pending(factory: sessionmaker[Session], portal: NationalPortal, *, at: datetime | None = None,
                 limit: int = 200, ignore_backoff: bool = False) -> SendReport:
    """One pass of the sender over the dossiers whose changes are due (at `at`, default now;
    `ignore_backoff`: every dossier with unsent changes, as an operator's retry does)."""
    report = SendReport()
    with session_scope(factory, write=False) as session:
        ids = pending_dossiers(session, None if ignore_backoff else at or now(), limit)
    procedures: dict[str, NationalProcedure] = {}
    for dossier_id in ids:
        send_one(factory, portal, dossier_id, procedures=procedures, report=report, at=at, force=ignore_backoff)
    return report
