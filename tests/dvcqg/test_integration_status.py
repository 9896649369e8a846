"""The portal's line on the operations page: the dossier changes still waiting in the outbox
(written in the same transaction as each change), the oldest of them, and nothing failed yet."""

from __future__ import annotations

from sqlalchemy import func, select

from motcua.dvcqg.integration_status import DossierSyncStatus
from motcua.dvcqg.models import OutboxEntry
from tests.dossiers.world import build_world, receive


def test_the_outbox_waiting_for_the_portal_is_reported(db):
    assert DossierSyncStatus().status(db).pending == 0
    world = build_world(db)
    receive(db, world)
    receive(db, world)
    db.flush()
    waiting = db.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.sent_at.is_(None)))
    oldest = db.scalar(select(func.min(OutboxEntry.created_at)).where(OutboxEntry.sent_at.is_(None)))
    status = DossierSyncStatus().status(db)
    assert waiting >= 2  # one change per receipt at least
    assert (status.system, status.pending, status.oldest_unsent_at, status.last_error) == (
        "dvcqg", waiting, oldest, None)
