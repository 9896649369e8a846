"""Tables of the national portal domain.

`dvcqg_procedures`: the national catalogue as last pulled from the portal (reference data,
replicated). A cache, not a source of truth: `motcua catalog sync` refreshes it, mapping candidates are
proposed from it (no portal call while a page renders), and the next pull's differences
(added, abolished) are computed against it.

The dossier exchange (issue 11): `dvcqg_outbox` (one row per change to send, written in the
change's transaction), `dvcqg_sync` (the ledger per dossier), `dvcqg_inbound` (submissions and
supplements taken, for idempotency). Outbox and ledger are dossier-scoped (distributed by
dossier id, co-located with the dossier); the inbound keys are looked up by the portal's id.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from motcua.core.clock import now
from motcua.core.db import REFERENCE, Base, IdMixin, distributed
from motcua.dvcqg.enums import SyncState


class NationalProcedureRecord(IdMixin, Base):
    __tablename__ = "dvcqg_procedures"
    __table_args__ = {"info": REFERENCE}

    code: Mapped[str] = mapped_column(String(32), unique=True)  # MATTHC
    name: Mapped[str] = mapped_column(Text)  # TENTTHC
    name_folded: Mapped[str] = mapped_column(Text)
    # From LayThuTuc (pulled for mapped procedures only): the reply record as received.
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    first_seen_at: Mapped[datetime] = mapped_column(default=now)
    last_seen_at: Mapped[datetime] = mapped_column(default=now)
    # Set when a pull no longer lists the code (abolished nationally); cleared if it returns.
    gone_at: Mapped[datetime | None] = mapped_column()


class OutboxEntry(Base):
    """One change of a dossier to send to the portal, written by the audit listener in the
    transaction of the change (motcua.dvcqg.outbox): the record is re-sent whole from the
    dossier's state, and the change becomes a progress entry (`progress`). `sent_at` is set
    when the portal acknowledged it (`error_code` 0). Keyed by the audit row it mirrors."""

    __tablename__ = "dvcqg_outbox"
    __table_args__ = (
        Index("ix_dvcqg_outbox_pending", "dossier_id", "seq", postgresql_where=text("sent_at IS NULL"),
              sqlite_where=text("sent_at IS NULL")),
        {"info": distributed("dossier_id")},
    )

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # the audit row's seq
    action: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    handler: Mapped[str] = mapped_column(String(255))  # NguoiXuLy
    content: Mapped[str] = mapped_column(Text)  # NoiDungXuLy
    status: Mapped[int] = mapped_column(Integer)  # external status after the change
    progress: Mapped[bool] = mapped_column(default=True)  # a processing step (else: the record only)
    created_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]


class SyncLedger(Base):
    """The reconciliation ledger of one dossier: what was sent and acknowledged, and what the
    portal held when last looked up (the sender's TraCuuHoSo, or `motcua dvcqg reconcile`)."""

    __tablename__ = "dvcqg_sync"
    __table_args__ = (
        Index("ix_dvcqg_sync_state_next", "state", "next_attempt_at"),
        {"info": distributed("dossier_id")},
    )

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    code: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(16), default=SyncState.pending)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failures since the last success
    next_attempt_at: Mapped[datetime] = mapped_column(default=now)
    last_error: Mapped[str | None] = mapped_column(String(500))
    # Sent and acknowledged.
    last_sent_at: Mapped[datetime | None]
    acked_seq: Mapped[int] = mapped_column(Integer, default=0)  # audit seq acknowledged up to
    acked_status: Mapped[int | None] = mapped_column(Integer)
    acked_due_at: Mapped[datetime | None]
    acked_progress: Mapped[int] = mapped_column(Integer, default=0)  # progress entries acknowledged
    # What the portal held at the last look-up.
    checked_at: Mapped[datetime | None]
    national_status: Mapped[int | None] = mapped_column(Integer)
    national_due_at: Mapped[datetime | None]
    national_progress: Mapped[int | None] = mapped_column(Integer)


class InboundItem(Base):
    """A citizen's submission or online supplement taken from the portal, keyed by the
    portal's id (MaHoSo, HoSoBoSungId): taking the same one twice creates nothing."""

    __tablename__ = "dvcqg_inbound"
    __table_args__ = {"info": distributed("national_id")}

    national_id: Mapped[str] = mapped_column(String(80), primary_key=True)  # MaHoSo / HoSoBoSungId
    kind: Mapped[str] = mapped_column(String(16))  # submission / supplement
    dossier_ref_id: Mapped[uuid.UUID]  # the local dossier (a lookup, not dossier-scoped)
    pause_id: Mapped[uuid.UUID | None]  # supplement: the request (dossier pause) it answers
    received_at: Mapped[datetime] = mapped_column(default=now)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the submission as received (no file bytes)
