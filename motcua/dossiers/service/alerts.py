"""Overdue alerts (ND 61/2018, ND 118/2025; DOMAIN.md §2.5): at least one working day before
the appointment (here: ALERT_WORKING_DAYS), the handler and the head of the competent agency are notified: a row
in `dossier_notifications` per person, and in the same unit of work an e-mail in the notify outbox for each who
has an address (sent by `motcua worker`, docs/notify.md). Each dossier is alerted once, when it becomes "due soon"
(dossiers.deadlines: the same rule as the inbox's box)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from motcua.auth.models import User, UserRole
from motcua.core.clock import now, to_local
from motcua.core.db import session_scope
from motcua.dossiers.deadlines import due_soon_until
from motcua.dossiers.enums import ALERT_EXCLUDED_FILTER
from motcua.dossiers.models import Dossier, Notification
from motcua.dossiers.policies import system_actor
from motcua.dossiers.service.common import load_calendar, record
from motcua.notify import service as outbox

# Dossiers alerted per write unit of work by `run_overdue_alerts`: each batch holds the write
# lock (SQLite) or its dossier rows (PostgreSQL) for a few milliseconds per dossier, so a
# receipt or an action never waits long behind the job, however many alerts fall due.
ALERT_BATCH = 50


@dataclass(frozen=True)
class Due:
    """A dossier whose alert instant has come, as seen by the read (`alert_candidates`)."""

    dossier_id: uuid.UUID
    due_at: datetime
    heads: frozenset[uuid.UUID]  # active heads of the competent agency


def alert_candidates(session: Session, at: datetime) -> list[Due]:
    """Reads only: the dossiers to alert at `at`, by the partial index, oldest due first.

    The candidates are the running dossiers not yet alerted that are due soon or overdue
    (`due_at` up to `deadlines.due_soon_until`, ALERT_WORKING_DAYS working days ahead), read
    through ix_dossiers_alert_due (same predicate) whatever the size of the history; three
    columns each (not the dossiers), and each agency's heads once.
    """
    until = due_soon_until(load_calendar(session), at)
    rows = session.execute(select(Dossier.id, Dossier.agency_id, Dossier.due_at).where(
        Dossier.overdue_alerted_at.is_(None),
        Dossier.status.not_in(ALERT_EXCLUDED_FILTER),
        Dossier.due_at <= until,
    ).order_by(Dossier.due_at)).all()
    heads_of: dict[uuid.UUID, frozenset[uuid.UUID]] = {}
    due: list[Due] = []
    for dossier_id, agency_id, due_at in rows:
        if agency_id not in heads_of:
            heads_of[agency_id] = frozenset(session.scalars(
                select(User.id).join(UserRole, UserRole.user_id == User.id).where(
                    UserRole.role == "head", UserRole.agency_id == agency_id, User.is_active.is_(True)
                )
            ))
        due.append(Due(dossier_id, due_at, heads_of[agency_id]))
    return due


def _send(session: Session, due: list[Due], at: datetime) -> list[Dossier]:
    """Writes: the alerts of `due` that still hold, each dossier once.

    The dossiers are re-read in this unit of work, locked on PostgreSQL (FOR UPDATE; SQLite
    serialises writers anyway), with the alert predicate again: a dossier another worker
    alerted meanwhile, or that finished or paused, is skipped; one whose appointment moved
    since the read (`due_at` changed) is left for the next pass, which judges it anew.
    """
    if not due:
        return []
    seen = {d.dossier_id: d for d in due}
    stmt = select(Dossier).where(
        Dossier.id.in_(list(seen)),
        Dossier.overdue_alerted_at.is_(None),
        Dossier.status.not_in(ALERT_EXCLUDED_FILTER),
    ).order_by(Dossier.due_at, Dossier.id).with_for_update()
    alerted = []
    written: list[tuple[Dossier, list[Notification]]] = []
    for dossier in session.scalars(stmt).all():
        candidate = seen[dossier.id]
        if dossier.due_at != candidate.due_at:
            continue
        recipients = set(candidate.heads)
        if dossier.current_assignee_id:
            recipients.add(dossier.current_assignee_id)
        due_text = to_local(dossier.due_at).strftime("%H:%M ngày %d/%m/%Y")
        late = at > dossier.due_at
        message = (
            f"Hồ sơ {dossier.code} ({dossier.procedure_name[:120]}) "
            + ("đã quá hạn" if late else "sắp đến hạn") + f" trả kết quả lúc {due_text}. "
            "Đề nghị xử lý hoặc gửi văn bản xin lỗi, hẹn lại ngày trả kết quả (mẫu 04)."
        )
        notes = [Notification(dossier_id=dossier.id, recipient_id=recipient, recipient_unit_id=dossier.agency_id,
                              kind="overdue_alert", message=message, created_at=at)
                 for recipient in sorted(recipients, key=str) or [None]]
        session.add_all(notes)
        written.append((dossier, notes))
        dossier.overdue_alerted_at = at
        record(session, dossier, actor=system_actor(), action="overdue_alert", at=at, from_status=dossier.status,
               from_step=dossier.current_step_name, from_unit_id=dossier.current_unit_id, note=message,
               data={"recipients": [str(r) for r in sorted(recipients, key=str)]})
        alerted.append(dossier)
    session.flush()  # the notifications' ids, which key their messages
    _queue_messages(session, written, at=at)
    return alerted


def _queue_messages(session: Session, written: list[tuple[Dossier, list[Notification]]], *, at: datetime) -> None:
    """Hand alerts to the notify outbox: an e-mail per recipient who is active and has an
    address (read once for the batch), keyed by the notification (so never two for one
    alert); each note is marked handed (`sent_at`), with or without an e-mail."""
    ids = {n.recipient_id for _, notes in written for n in notes if n.recipient_id is not None}
    users = {u.id: u for u in session.scalars(select(User).where(
        User.id.in_(ids), User.is_active.is_(True), User.email.is_not(None), User.email != ""))} if ids else {}
    for dossier, notes in written:
        _queue_dossier(session, dossier, notes, users, at=at)


def _queue_dossier(session: Session, dossier: Dossier, notes: list[Notification], users: dict[uuid.UUID, User],
                   *, at: datetime) -> None:
    due_text = to_local(dossier.due_at).strftime("%d/%m/%Y %H:%M")
    for note in notes:
        note.sent_at = at
        user = users.get(note.recipient_id)
        if user is None:
            continue
        state = "đã quá hạn" if note.created_at > dossier.due_at else "sắp đến hạn"
        body = (f"Kính gửi {user.full_name},\n\n{note.message}\n\n"
                f"Mã hồ sơ: {dossier.code}\nThủ tục: {dossier.procedure_name}\nHạn trả kết quả: {due_text}\n\n"
                "Thư gửi tự động từ hệ thống một cửa; xin không trả lời thư này.\n")
        outbox.enqueue(session, key=f"notification:{note.id}", kind=note.kind, recipient=user.email,
                       recipient_name=user.full_name, subject=f"Hồ sơ {dossier.code} {state} trả kết quả ({due_text})",
                       body=body, at=at)


def queue_unsent_alerts(session: Session, *, at: datetime, limit: int = ALERT_BATCH) -> int:
    """Writes: hand to the outbox up to `limit` alerts written before it existed (sent_at NULL,
    read through ix_dossier_notifications_unsent), oldest first; returns how many were handed.
    Those of a dossier no longer running are marked handed without an e-mail: it is finished
    or paused, so the warning has no use any more."""
    rows = session.execute(
        select(Notification, Dossier).join(Dossier, Dossier.id == Notification.dossier_id)
        .where(Notification.sent_at.is_(None)).order_by(Notification.created_at, Notification.id)
        .limit(limit).with_for_update(of=Notification)
    ).all()
    by_dossier: dict[uuid.UUID, tuple[Dossier, list[Notification]]] = {}
    for note, dossier in rows:
        by_dossier.setdefault(dossier.id, (dossier, []))[1].append(note)
    running = []
    for dossier, notes in by_dossier.values():
        if dossier.status in ALERT_EXCLUDED_FILTER:
            for note in notes:
                note.sent_at = at
        else:
            running.append((dossier, notes))
    _queue_messages(session, running, at=at)
    session.flush()
    return len(rows)


def send_overdue_alerts(session: Session, *, at: datetime | None = None) -> list[Dossier]:
    """Alert on every active dossier whose alert instant (ALERT_WORKING_DAYS before due) has
    come, in the caller's unit of work. The worker uses `run_overdue_alerts`, which does the
    same in a read and short write batches."""
    at = at or now()
    return _send(session, alert_candidates(session, at), at)


def run_overdue_alerts(
    factory: sessionmaker[Session], *, at: datetime | None = None, batch: int = ALERT_BATCH
) -> list[str]:
    """`send_overdue_alerts` for the worker and the CLI: the candidates in a read unit of
    work (on SQLite it never takes the write lock), then the alerts in write units of work
    of `batch` dossiers each. Returns the codes alerted.

    Idempotent like the single unit of work: each batch re-checks and claims its dossiers
    (`_send`), so two workers running at once alert each dossier once. A batch that fails
    rolls back alone; the batches before it stay sent and the rest wait for the next pass.
    """
    at = at or now()
    with session_scope(factory, write=False) as session:
        due = alert_candidates(session, at)
        backlog = session.scalar(select(Notification.id).where(Notification.sent_at.is_(None)).limit(1))
    codes: list[str] = []
    for start in range(0, len(due), batch):
        with session_scope(factory) as session:
            codes.extend(d.code for d in _send(session, due[start:start + batch], at))
    while backlog is not None:  # alerts written before the outbox existed (docs/notify.md)
        with session_scope(factory) as session:
            backlog = backlog if queue_unsent_alerts(session, at=at, limit=batch) == batch else None
    return codes
