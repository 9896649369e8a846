"""Periodic job of the ratings domain, run by `motcua worker`."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from motcua.core.jobs import Job
from motcua.dvcqg.jobs import NO_ACCOUNT
from motcua.integrations.dvcqg.config import DvcqgSettings
from motcua.integrations.dvcqg.legacy import LegacyPortal
from motcua.ratings.sync import send_ratings


def send_ratings_to_portal(factory: sessionmaker[Session]) -> str:
    """The ratings waiting for DongBoDanhGia (sync.send_ratings); a failure waits for its back-off."""
    settings = DvcqgSettings()
    if not settings.password:
        return f"{NO_ACCOUNT}: không gửi đánh giá"
    with LegacyPortal(settings) as portal:
        return send_ratings(factory, portal).summary()


# Every minute, like the dossier exchange it follows.
JOBS = [Job("ratings-dvcqg-sync", 60, send_ratings_to_portal)]
