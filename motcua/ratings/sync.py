"""Sending ratings to the national portal (`DongBoDanhGia`), with the dossier exchange's transport
and back-off (motcua.dvcqg.outbound).

A rating of a dossier whose procedure has a national code gets a `rating_outbox` row in the
rating's transaction (service.record_rating). Each pass of the sender (worker job
`ratings-dvcqg-sync`, or `motcua ratings sync`): read the due rows (read unit) → for each, claim
it (a conditional UPDATE moving its next attempt past a lease, so two workers never send it
together) → with no transaction open, `DongBoDanhGia` → one short write: acknowledged
(`sent_at`), or the failure counted and the next attempt set by the dossier exchange's back-off.
A rating waits while the portal does not hold the dossier's record yet (its ledger has no
acknowledged change): a rating of an unknown dossier would be refused or lost.

Idempotent: one rating per dossier, sent whole; the portal keeps one rating per MaHoSo (the
simulator replaces it; [U] on the real portal), so a call that timed out on our side but was
carried out on the portal's is harmlessly repeated.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from motcua.core.clock import now
from motcua.core.db import session_scope
from motcua.dossiers.models import Dossier
from motcua.dvcqg.models import SyncLedger
from motcua.dvcqg.outbound import LEASE, backoff
from motcua.integrations.dvcqg.portal import NationalPortal, PortalError
from motcua.integrations.dvcqg.portal import Rating as PortalRating
from motcua.ratings.enums import INDICES, SATISFACTION_POINTS, Satisfaction
from motcua.ratings.models import Rating, RatingOutbox


@dataclass
class RatingSendReport:
    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    waiting: list[str] = field(default_factory=list)  # the dossier's record is not on the portal yet

    def summary(self) -> str:
        text = f"đồng bộ {len(self.sent)} đánh giá"
        if self.failed:
            text += f", {len(self.failed)} đánh giá gửi lỗi (thử lại sau)"
        if self.waiting:
            text += f", {len(self.waiting)} đánh giá chờ hồ sơ được đồng bộ trước"
        return text


def portal_rating(code: str, rating: Rating) -> PortalRating:
    return PortalRating(code=code, score=SATISFACTION_POINTS[Satisfaction(rating.satisfaction)],
                        rated_at=rating.rated_at, comment=rating.comment or "",
                        indices=tuple((i.number, getattr(rating, i.field)) for i in INDICES))


@dataclass(frozen=True)
class _Due:
    dossier_id: uuid.UUID
    code: str
    on_portal: bool
    rating: PortalRating


def _due(session: Session, at: datetime | None, limit: int) -> list[_Due]:
    stmt = (select(RatingOutbox.dossier_id, Dossier.code, SyncLedger.acked_seq, Rating)
            .join(Rating, Rating.dossier_id == RatingOutbox.dossier_id)
            .join(Dossier, Dossier.id == RatingOutbox.dossier_id)
            .outerjoin(SyncLedger, SyncLedger.dossier_id == RatingOutbox.dossier_id)
            .where(RatingOutbox.sent_at.is_(None))
            .order_by(RatingOutbox.created_at).limit(limit))
    if at is not None:
        stmt = stmt.where(RatingOutbox.next_attempt_at <= at)
    return [_Due(dossier_id, code or str(dossier_id), bool(acked) and code is not None,
                 portal_rating(code or "", rating))
            for dossier_id, code, acked, rating in session.execute(stmt).tuples()]


def _claim(factory: sessionmaker[Session], dossier_id: uuid.UUID, at: datetime, force: bool) -> bool:
    with session_scope(factory) as session:
        stmt = update(RatingOutbox).where(RatingOutbox.dossier_id == dossier_id, RatingOutbox.sent_at.is_(None))
        if not force:
            stmt = stmt.where(RatingOutbox.next_attempt_at <= at)
        return session.execute(stmt.values(next_attempt_at=at + LEASE)).rowcount == 1


def _settle(factory: sessionmaker[Session], dossier_id: uuid.UUID, error: str | None) -> None:
    with session_scope(factory) as session:
        row = session.get(RatingOutbox, dossier_id)
        at = now()
        if error is None:
            row.sent_at, row.attempts, row.last_error, row.next_attempt_at = at, 0, None, at
        else:
            row.attempts += 1
            row.last_error = error[:500]
            row.next_attempt_at = at + backoff(row.attempts)


def _release(factory: sessionmaker[Session], dossier_id: uuid.UUID) -> None:
    with session_scope(factory) as session:
        session.execute(update(RatingOutbox).where(RatingOutbox.dossier_id == dossier_id).values(
            next_attempt_at=now()))


def send_ratings(factory: sessionmaker[Session], portal: NationalPortal, *, at: datetime | None = None,
                 limit: int = 200, ignore_backoff: bool = False) -> RatingSendReport:
    """One pass over the ratings due at `at` (default now; `ignore_backoff`: every unsent one)."""
    at = at or now()
    report = RatingSendReport()
    with session_scope(factory, write=False) as session:
        due = _due(session, None if ignore_backoff else at, limit)
    for item in due:
        if not item.on_portal:
            report.waiting.append(item.code)
            continue
        if not _claim(factory, item.dossier_id, at, ignore_backoff):
            continue
        try:
            portal.push_rating(item.rating)
        except PortalError as exc:
            _settle(factory, item.dossier_id, exc.message)
            report.failed[item.code] = exc.message
            continue
        except BaseException:
            _release(factory, item.dossier_id)
            raise
        _settle(factory, item.dossier_id, None)
        report.sent.append(item.code)
    return report
