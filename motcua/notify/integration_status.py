"""What the operations page (`/quan-tri/tich-hop`) shows of the SMS gateway from the outbox
(found by the registry: `PROVIDERS`, see integrations.status): the text messages waiting, the
oldest of them, and the last error of a message that could not be sent."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from motcua.integrations.status import QueueStatus
from motcua.notify.models import ChannelKind, MessageStatus, OutboxMessage


class OutboxChannelStatus:
    def __init__(self, system: str, channel: ChannelKind, label: str):
        self.system, self.channel, self.label = system, channel, label

    def status(self, session: Session) -> QueueStatus:
        mine = OutboxMessage.channel == self.channel
        pending, oldest = session.execute(
            select(func.count(), func.min(OutboxMessage.created_at)).where(
                mine, OutboxMessage.status.in_([MessageStatus.PENDING, MessageStatus.SENDING]))
        ).one()
        last = session.scalars(
            select(OutboxMessage).where(mine, OutboxMessage.last_error.is_not(None))
            .order_by(OutboxMessage.next_attempt_at.desc()).limit(1)
        ).first()
        return QueueStatus(system=self.system, label=self.label, pending=pending or 0, oldest_unsent_at=oldest,
                           last_error=last.last_error if last else None)


PROVIDERS = [OutboxChannelStatus("sms", ChannelKind.SMS, "Tin nhắn SMS chờ gửi cho người nộp hồ sơ")]
