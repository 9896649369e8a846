"""Reconciliation: what motcua says each dossier is, against what the national portal holds.

Read from the ledger and the outbox (no portal call): `out_of_sync` lists the dossiers the
page shows (unsent changes, failures, unmapped procedures, or a portal state that differs
from the dossier's at the last look-up). `reconcile` looks every synced dossier up on the
portal (`TraCuuHoSo`), stores what it holds in the ledger and reports the differences
(`motcua dvcqg reconcile`): 0 when the portal holds each dossier's status, appointment and
every step.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, cast, func, or_, select, true
from sqlalchemy.orm import Session, sessionmaker

from motcua.catalog.models import NationalCode
from motcua.core.clock import now
from motcua.core.db import session_scope
from motcua.dossiers.enums import EXTERNAL_LABELS, ExternalStatus
from motcua.dossiers.models import Dossier
from motcua.dvcqg.enums import SyncState
from motcua.dvcqg.models import OutboxEntry, SyncLedger
from motcua.dvcqg.outbound import note_held
from motcua.integrations.dvcqg.portal import NationalDossier, NationalPortal, PortalError


@dataclass(frozen=True)
class Expected:
    dossier_id: uuid.UUID
    code: str | None
    status: int
    due_at: datetime | None
    steps: int  # progress entries written for it
    unsent: int  # changes not acknowledged
    mapped: bool


@dataclass(frozen=True)
class Difference:
    code: str
    reasons: tuple[str, ...]  # Vietnamese


@dataclass
class ReconcileReport:
    checked: int = 0
    differences: list[Difference] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def _status(code: int | None) -> str:
    if code is None:
        return "(không có)"
    try:
        return f"{code} {EXTERNAL_LABELS[ExternalStatus(code)]}"
    except ValueError:
        return str(code)


def _seconds(value: datetime | None) -> datetime | None:
    return value.replace(microsecond=0) if value else None


def compare(expected: Expected, held: NationalDossier | None) -> tuple[str, ...]:
    """Pure: why the portal's copy differs from the dossier (empty: in sync)."""
    if held is None:
        return ("Cổng DVCQG chưa có hồ sơ",)
    reasons = []
    if expected.unsent:
        reasons.append(f"còn {expected.unsent} thay đổi chưa gửi được")
    if held.status != expected.status:
        reasons.append(f"trạng thái trên Cổng {_status(held.status)}, tại một cửa {_status(expected.status)}")
    if _seconds(held.due_at) != _seconds(expected.due_at):
        reasons.append("ngày hẹn trả khác nhau")
    if held.progress is not None and len(held.progress) != expected.steps:
        reasons.append(f"Cổng có {len(held.progress)} bước xử lý, tại một cửa {expected.steps}")
    return tuple(reasons)


def expected_states(session: Session, dossier_ids: list[uuid.UUID] | None = None) -> list[Expected]:
    """Every dossier with a change in the outbox (or those of `dossier_ids`)."""
    counts = (select(OutboxEntry.dossier_id, func.sum(cast(OutboxEntry.progress, Integer)).label("steps"),
                     func.count().filter(OutboxEntry.sent_at.is_(None)).label("unsent"))
              .group_by(OutboxEntry.dossier_id))
    if dossier_ids is not None:
        counts = counts.where(OutboxEntry.dossier_id.in_(dossier_ids))
    sub = counts.subquery()
    rows = session.execute(
        select(Dossier.id, Dossier.code, Dossier.external_status, Dossier.due_at, NationalCode.national_code,
               sub.c.steps, sub.c.unsent)
        .join(sub, sub.c.dossier_id == Dossier.id)
        .outerjoin(NationalCode, NationalCode.procedure_id == Dossier.procedure_id)
        .order_by(Dossier.code))
    return [Expected(i, code, status, due, int(steps or 0), int(unsent or 0), national is not None)
            for i, code, status, due, national, steps, unsent in rows]


def reconcile(factory: sessionmaker[Session], portal: NationalPortal) -> ReconcileReport:
    """Look every dossier up on the portal; the ledger keeps what it holds. A dossier whose
    procedure has no national code is listed apart (never sent, so not a difference)."""
    report = ReconcileReport()
    with session_scope(factory, write=False) as session:
        expected = expected_states(session)
    held_by_id: dict[uuid.UUID, NationalDossier | None] = {}
    for e in expected:
        if not e.mapped or e.code is None:
            report.unmapped.append(e.code or str(e.dossier_id))
            continue
        try:
            held = portal.lookup_dossier(e.code)
        except PortalError as exc:
            report.errors[e.code] = exc.message
            continue
        report.checked += 1
        held_by_id[e.dossier_id] = held
        reasons = compare(e, held)
        if reasons:
            report.differences.append(Difference(e.code, reasons))
    at = now()
    with session_scope(factory) as session:
        for dossier_id, held in held_by_id.items():
            ledger = session.get(SyncLedger, dossier_id)
            if ledger is not None:
                note_held(ledger, held, at)
    return report


@dataclass(frozen=True)
class OutOfSync:
    dossier_id: uuid.UUID
    code: str | None
    procedure_name: str
    status: int
    state: str  # SyncState
    unsent: int
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    national_status: int | None
    checked_at: datetime | None


def out_of_sync(session: Session, *, agencies: set[uuid.UUID] | None = None, limit: int = 200) -> list[OutOfSync]:
    """The dossiers the page lists: unsent changes, a failed or unmapped ledger, or a portal
    status that differed from the dossier's at the last look-up. From the database only.
    `agencies`: only dossiers received, handled or returned by one of them (None: all)."""
    unsent = (select(OutboxEntry.dossier_id, func.count().label("n")).where(OutboxEntry.sent_at.is_(None))
              .group_by(OutboxEntry.dossier_id).subquery())
    rows = session.execute(
        select(Dossier.id, Dossier.code, Dossier.procedure_name, Dossier.external_status, SyncLedger.state,
               func.coalesce(unsent.c.n, 0), SyncLedger.attempts, SyncLedger.last_error, SyncLedger.next_attempt_at,
               SyncLedger.national_status, SyncLedger.checked_at)
        .select_from(Dossier)
        .outerjoin(SyncLedger, SyncLedger.dossier_id == Dossier.id)
        .outerjoin(unsent, unsent.c.dossier_id == Dossier.id)
        .where((unsent.c.n > 0) | SyncLedger.state.in_([SyncState.failed, SyncState.unmapped])
               | ((SyncLedger.national_status.is_not(None)) & (SyncLedger.national_status != Dossier.external_status)))
        .where(true() if agencies is None else or_(
            Dossier.agency_id.in_(agencies), Dossier.receiving_unit_id.in_(agencies),
            Dossier.return_unit_id.in_(agencies)))
        .order_by(Dossier.code).limit(limit))
    return [OutOfSync(i, code, name, status, state or SyncState.pending, int(n), attempts or 0, error, next_at,
                      national, checked)
            for i, code, name, status, state, n, attempts, error, next_at, national, checked in rows]


@dataclass(frozen=True)
class SyncRatio:
    """QĐ 766 indicator 1.4 as far as this system sees it: of the dossiers received in a period
    (NgayTiepNhan in it), how many the portal holds (acknowledged at least once). The national
    denominator is the larger of this and the portal's own count (qd766.md §4), not known here."""

    received: int
    synced: int
    up_to_date: int  # of `synced`: nothing left to send

    @property
    def percent(self) -> float:
        return 100.0 * self.synced / self.received if self.received else 100.0


def portal_holds() -> ColumnElement[bool]:
    """The portal holds the dossier: its record was acknowledged at least once (QĐ 766 1.4).
    Over an outer join a dossier with no ledger row (never sent) is not held."""
    return SyncLedger.acked_status.is_not(None)


def sync_ratio(session: Session, start: datetime, end: datetime) -> SyncRatio:
    unsent = select(OutboxEntry.dossier_id).where(OutboxEntry.sent_at.is_(None)).distinct().subquery()
    received = (select(Dossier.id).where(Dossier.received_by_id.is_not(None), Dossier.received_at >= start,
                                         Dossier.received_at < end).subquery())
    total = session.scalar(select(func.count()).select_from(received)) or 0
    synced = (select(SyncLedger.dossier_id).join(received, received.c.id == SyncLedger.dossier_id)
              .where(portal_holds()).subquery())
    n_synced = session.scalar(select(func.count()).select_from(synced)) or 0
    n_current = session.scalar(select(func.count()).select_from(synced).where(
        synced.c.dossier_id.not_in(select(unsent.c.dossier_id)))) or 0
    return SyncRatio(total, n_synced, n_current)
