"""What the operations page (`/quan-tri/tich-hop`) shows of the National Public Service Portal
from this domain (found by the registry: `PROVIDERS`, see integrations.status): the dossier
changes waiting in the outbox, the oldest of them, and the last failed send."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from motcua.dvcqg.enums import SyncState
from motcua.dvcqg.models import OutboxEntry, SyncLedger
from motcua.integrations.status import QueueStatus


class DossierSyncStatus:
    system = "dvcqg"

    def status(self, session: Session) -> QueueStatus:
        pending, oldest = session.execute(
            select(func.count(), func.min(OutboxEntry.created_at)).where(OutboxEntry.sent_at.is_(None))
        ).one()
        failed = session.scalars(
            select(SyncLedger).where(SyncLedger.state == SyncState.failed.value)
            .order_by(SyncLedger.next_attempt_at.desc()).limit(1)
        ).first()
        unmapped = session.scalar(
            select(func.count()).select_from(SyncLedger).where(SyncLedger.state == SyncState.unmapped.value)
        ) or 0
        return QueueStatus(
            system=self.system, label="Đồng bộ hồ sơ lên Cổng DVC quốc gia",
            pending=pending or 0, oldest_unsent_at=oldest,
            last_error=failed.last_error if failed else None,
            note=f"{unmapped} hồ sơ thuộc thủ tục chưa ghép mã quốc gia (không gửi)" if unmapped else "",
        )


PROVIDERS = [DossierSyncStatus()]
