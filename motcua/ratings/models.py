"""Tables of the ratings domain.

`ratings`: one row per dossier (the primary key is the dossier: a second rating cannot be
stored, whatever the channel). `rating_outbox`: the rating to send to the national portal,
written in the rating's transaction when the dossier's procedure has a national code, with
the sender's state (attempts, next attempt, last error). Both are dossier-scoped and co-located
with the dossier. `rating_kiosks`: the counter devices paired to an officer (reference).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from motcua.core.clock import now
from motcua.core.db import REFERENCE, Base, IdMixin, distributed


class Rating(Base):
    __tablename__ = "ratings"
    __table_args__ = (
        Index("ix_ratings_agency_rated", "agency_id", "rated_at"),
        {"info": distributed("dossier_id")},
    )

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    # Copied from the dossier so that the statistics count without joining it.
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    procedure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("procedures.id"))
    channel: Mapped[str] = mapped_column(String(16))  # enums.RatingChannel
    citizen_id: Mapped[uuid.UUID | None]  # online: the signed-in applicant
    kiosk_id: Mapped[uuid.UUID | None]  # kiosk: the device
    officer_id: Mapped[uuid.UUID | None]  # kiosk: the officer who returned the result
    # TT 01/2018 indices 1, 3 and 7, each 2 / 1 / 0 points (enums.INDICES).
    time_score: Mapped[int] = mapped_column(SmallInteger)
    contacts_score: Mapped[int] = mapped_column(SmallInteger)
    attitude_score: Mapped[int] = mapped_column(SmallInteger)
    satisfaction: Mapped[str] = mapped_column(String(16))  # enums.Satisfaction
    comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[datetime] = mapped_column(default=now)


class RatingOutbox(Base):
    """A rating to send with DongBoDanhGia; `sent_at` once the portal acknowledged it."""

    __tablename__ = "rating_outbox"
    __table_args__ = (
        Index("ix_rating_outbox_due", "next_attempt_at", postgresql_where=text("sent_at IS NULL"),
              sqlite_where=text("sent_at IS NULL")),
        {"info": distributed("dossier_id")},
    )

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failures in a row
    next_attempt_at: Mapped[datetime] = mapped_column(default=now)
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None]


class RatingKiosk(IdMixin, Base):
    """A rating device at a counter, paired to the officer who returns results there.

    The officer creates it signed in on their own screen and gets a one-time pairing link; the
    device that opens the link gets a long device token in a cookie. Only hashes are kept."""

    __tablename__ = "rating_kiosks"
    __table_args__ = {"info": REFERENCE}

    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    pairing_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    pairing_expires_at: Mapped[datetime | None]
    device_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    paired_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
