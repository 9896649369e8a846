"""The outbox: write a message with the change, then claim, send and record it (docs/notify.md).

Exactly once, as far as a network allows: a sender claims due messages in a short write
unit of work (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the single write lock), marking
them `sending` with a lease (next_attempt_at = now + SEND_LEASE); sends outside any
transaction; then records the outcome in another short write. Two senders never claim the
same message, so none is sent twice while both run. The one at-least-once window: a sender
that dies (or hangs past its lease) after the channel accepted a message but before the
outcome was recorded; the message is claimed again once its lease ends and sent again,
with the same Message-ID so a receiving server can drop the repeat.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from motcua.core.clock import now
from motcua.core.db import session_scope
from motcua.notify.channels import Channel, ChannelDown, Outgoing, PermanentFailure
from motcua.notify.models import ChannelKind, MessageStatus, OutboxMessage

log = logging.getLogger("motcua.notify")

# Retries: 1 min, 2, 4 … capped at an hour; after MAX_ATTEMPTS the message is `failed`
# (about seven hours of trying, a working day's outage of the mail server).
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=1)
MAX_ATTEMPTS = 12
# How long a claim holds a message: well past a stalled SMTP conversation (channels.SMTP_TIMEOUT)
# so a live sender always records its outcome first; a dead sender's claims expire.
SEND_LEASE = timedelta(minutes=5)
# Messages claimed per write unit of work, and sent per run of the job at most.
CLAIM_BATCH = 20
RUN_LIMIT = 500


def retry_delay(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failed attempt: doubling from FIRST_RETRY, capped."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), MAX_RETRY)


def enqueue(session: Session, *, key: str, kind: str, recipient: str, subject: str, body: str,
            recipient_name: str = "", channel: ChannelKind = ChannelKind.EMAIL, at: datetime | None = None) -> bool:
    """Add a message in the caller's unit of work, once per `key`: the same key again adds
    nothing (INSERT … ON CONFLICT DO NOTHING, so even two writers racing add one). Returns
    whether this call added it."""
    at = at or now()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(OutboxMessage).values(
        key=key, kind=kind, channel=channel, recipient=recipient, recipient_name=recipient_name[:200],
        subject=subject[:300], body=body, status=MessageStatus.PENDING, attempts=0, next_attempt_at=at,
        created_at=at,
    ).on_conflict_do_nothing(index_elements=["key"]).returning(OutboxMessage.key)
    # RETURNING, not rowcount: the ORM's bulk insert reports no row count on psycopg.
    return session.execute(stmt).first() is not None


def claim(session: Session, *, at: datetime, limit: int = CLAIM_BATCH) -> list[Outgoing]:
    """Take up to `limit` due messages (pending and due, or sending with an expired lease),
    oldest first, for this sender only; counts the attempt now, so a crash counts too."""
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status.in_([MessageStatus.PENDING, MessageStatus.SENDING]),
               OutboxMessage.next_attempt_at <= at)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.key)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    claimed = []
    for row in rows:
        row.status, row.attempts, row.next_attempt_at = MessageStatus.SENDING, row.attempts + 1, at + SEND_LEASE
        claimed.append(Outgoing(row.key, row.channel, row.recipient, row.recipient_name, row.subject, row.body,
                                row.created_at, row.attempts))
    session.flush()
    return claimed


def _record(session: Session, message: Outgoing, **values) -> bool:
    """Compare-and-set on this claim (status `sending`, this attempt): a sender whose lease
    ran out and whose message another sender claimed since records nothing."""
    done = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.key == message.key, OutboxMessage.status == MessageStatus.SENDING,
               OutboxMessage.attempts == message.attempts)
        .values(**values)
    ).rowcount == 1
    if not done:
        log.warning("outbox message %s: claim lost before its outcome was recorded", message.key)
    return done


def record_sent(session: Session, message: Outgoing, *, at: datetime) -> bool:
    return _record(session, message, status=MessageStatus.SENT, sent_at=at, last_error=None)


def record_failure(session: Session, message: Outgoing, error: str, *, at: datetime,
                   permanent: bool = False) -> str:
    """Back to `pending` after retry_delay, or `failed` for good; returns the new status."""
    status = MessageStatus.FAILED if permanent or message.attempts >= MAX_ATTEMPTS else MessageStatus.PENDING
    _record(session, message, status=status, last_error=error[:500],
            next_attempt_at=at + retry_delay(message.attempts))
    return status


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"gửi {self.sent} thông báo, {self.retrying} chờ gửi lại, {self.failed} không gửi được"


def _outcome(factory: sessionmaker[Session], message: Outgoing, report: SendReport, error: str | None = None,
             *, permanent: bool = False) -> None:
    with session_scope(factory) as session:
        if error is None:
            record_sent(session, message, at=now())
            report.sent += 1
            return
        status = record_failure(session, message, error, at=now(), permanent=permanent)
    log.warning("outbox message %s, attempt %d: %s", message.key, message.attempts, error)
    if status == MessageStatus.FAILED:
        report.failed += 1
    else:
        report.retrying += 1


def send_due(factory: sessionmaker[Session], channels: Channel | Mapping[str, Channel], *,
             limit: int = RUN_LIMIT) -> SendReport:
    """The sender: claim a batch (short write), send each outside any transaction, record
    each outcome (short write); until nothing is due, `limit` messages, or every channel of
    the batch is down. `channels`: one channel for every message, or one per `ChannelKind`
    (a channel that is down holds back only its own messages)."""
    report = SendReport()
    handled = 0
    down: dict[str, str] = {}  # channel → why it is down, for the rest of this run
    while handled < limit:
        with session_scope(factory) as session:
            batch = claim(session, at=now(), limit=min(CLAIM_BATCH, limit - handled))
        if not batch:
            break
        handled += len(batch)
        for message in batch:
            if message.channel in down:  # not tried: it would have met the same dead server
                _outcome(factory, message, report, down[message.channel])
                continue
            channel = channels.get(message.channel) if isinstance(channels, Mapping) else channels
            if channel is None:
                _outcome(factory, message, report, f"không có kênh gửi “{message.channel}”", permanent=True)
                continue
            try:
                channel.send(message)
            except PermanentFailure as exc:
                _outcome(factory, message, report, str(exc), permanent=True)
            except ChannelDown as exc:
                down[message.channel] = str(exc)
                _outcome(factory, message, report, down[message.channel])
            except Exception as exc:  # noqa: BLE001 - any other failure is retried later
                _outcome(factory, message, report, f"{type(exc).__name__}: {exc}")
            else:
                _outcome(factory, message, report)
        if down and all(m.channel in down for m in batch):
            break
    return report


def status_counts(session: Session) -> dict[str, int]:
    """Messages per status, every status listed (for `motcua notify status`)."""
    counts = dict(session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).tuples().all())
    return {status.value: counts.get(status.value, 0) for status in MessageStatus}


def recent_failures(session: Session, limit: int = 20) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.status == MessageStatus.FAILED)
                                .order_by(OutboxMessage.next_attempt_at.desc()).limit(limit)))
