"""The outbox: one row per message to one recipient on one channel (docs/notify.md).

Citus placement: distributed by its idempotency key, like `idempotency_keys` and
`dossier_codes`. Not dossier-scoped: a message may be about no dossier (a password reset,
a sync report), and the sender scans every pending message, not one dossier's. Not a
reference table either: those are copied to every node and meant for small, rarely written
data, while the outbox is written with every alert and updated at every attempt. The key
is the primary key, so "one message per alert" is enforced by the database on any backend.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from motcua.core.clock import now
from motcua.core.db import REFERENCE, Base, distributed


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
    SMS = "sms"  # a Zalo official account (ZNS) would be one more member, behind the same Channel


CHANNEL_LABELS = {ChannelKind.EMAIL: "Thư điện tử", ChannelKind.SMS: "Tin nhắn SMS"}


class NoticeKind(StrEnum):
    """What the applicant is told (applicant.py decides which dossier event is which)."""

    ACCEPTED = "accepted"  # received: code, appointment, lookup link
    SUPPLEMENT = "supplement"  # what to bring to complete the dossier
    PAYMENT = "payment"  # amount in đồng and how to pay
    RESULT_READY = "result_ready"  # the result (or the refusal) waits to be collected
    APOLOGY = "apology"  # the agency apologises and gives a new appointment
    RETURNED = "returned"  # the result was handed over


NOTICE_KIND_LABELS = {
    NoticeKind.ACCEPTED: "Tiếp nhận hồ sơ",
    NoticeKind.SUPPLEMENT: "Yêu cầu bổ sung hồ sơ",
    NoticeKind.PAYMENT: "Yêu cầu thực hiện nghĩa vụ tài chính",
    NoticeKind.RESULT_READY: "Đã có kết quả",
    NoticeKind.APOLOGY: "Xin lỗi và hẹn lại ngày trả kết quả",
    NoticeKind.RETURNED: "Đã trả kết quả",
}


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


class MessageTemplate(Base):
    """The wording of one kind of notice on one channel, edited by an administrator
    (/quan-tri/thong-bao/mau); seeded with the defaults of notify.templating. A reference
    table: a dozen rows, read at every notice, written by hand."""

    __tablename__ = "notify_templates"
    __table_args__ = {"info": REFERENCE}

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)  # NoticeKind
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)  # ChannelKind
    subject: Mapped[str] = mapped_column(String(300), default="")  # e-mail only
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    updated_by_id: Mapped[uuid.UUID | None]


class ChannelPreference(Base):
    """A signed-in citizen's choice of channels (/cong-dan/thong-bao). No row: every channel
    the dossier has an address for. A reference table like `citizens`, whose rows it extends."""

    __tablename__ = "notify_preferences"
    __table_args__ = {"info": REFERENCE}

    citizen_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[bool] = mapped_column(default=True)
    sms: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=now)
