"""The outbox: one row per message to one recipient on one channel (docs/notify.md).

Citus placement: distributed by its idempotency key, like `idempotency_keys` and
`dossier_codes`. Not dossier-scoped: a message may be about no dossier (a password reset,
a sync report), and the sender scans every pending message, not one dossier's. Not a
reference table either: those are copied to every node and meant for small, rarely written
data, while the outbox is written with every alert and updated at every attempt. The key
is the primary key, so "one message per alert" is enforced by the database on any backend.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from motcua.core.clock import now
from motcua.core.db import Base, distributed


class MessageStatus(StrEnum):
    PENDING = "pending"  # waiting for its next attempt (next_attempt_at)
    SENDING = "sending"  # claimed by a sender until next_attempt_at (its lease)
    SENT = "sent"  # accepted by the channel (the SMTP server, the folder)
    FAILED = "failed"  # refused for good, or out of attempts; last_error says why


MESSAGE_STATUS_LABELS = {
    MessageStatus.PENDING: "chờ gửi", MessageStatus.SENDING: "đang gửi",
    MessageStatus.SENT: "đã gửi", MessageStatus.FAILED: "không gửi được",
}


class ChannelKind(StrEnum):
    EMAIL = "email"


class OutboxMessage(Base):
    __tablename__ = "notify_messages"
    __table_args__ = (
        Index("ix_notify_messages_status_next_attempt_at", "status", "next_attempt_at"),
        {"info": distributed("key")},
    )

    # Idempotency key chosen by the writer ("notification:<id>"): the same alert can never
    # produce two messages. The Message-ID header is derived from it (channels.message_id).
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # overdue_alert …
    channel: Mapped[str] = mapped_column(String(16))  # ChannelKind
    recipient: Mapped[str] = mapped_column(String(254))  # e-mail address (or phone …)
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=MessageStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=now)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]
