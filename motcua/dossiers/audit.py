"""Append-only, hash-chained audit trail: one `DossierEvent` per transition.

hash = sha256(canonical JSON of the row's facts + prev_hash); the first row of a dossier
chains from 64 zeros. Rows are written by the service in the transaction of the change
they record (no triggers: Citus has none on distributed tables). `verify_chains` walks
every dossier's chain and reports the dossiers whose history was altered.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from motcua.dossiers.models import Dossier, DossierEvent

GENESIS = "0" * 64
HASHED_FIELDS = (
    "dossier_id", "seq", "at", "actor_id", "actor_name", "actor_role", "actor_unit_id", "action",
    "from_status", "to_status", "from_step", "to_step", "from_unit_id", "to_unit_id", "outcome", "note", "data",
)


def _plain(value):
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def event_hash(fields: dict, prev_hash: str) -> str:
    """Pure: the hash of an audit row given its facts and the previous row's hash."""
    canonical = json.dumps(
        {k: _plain(fields.get(k)) for k in HASHED_FIELDS},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256((canonical + prev_hash).encode("utf-8")).hexdigest()


def _facts(event: DossierEvent) -> dict:
    return {k: getattr(event, k) for k in HASHED_FIELDS}


def last_event(session: Session, dossier_id: uuid.UUID) -> DossierEvent | None:
    return session.scalars(
        select(DossierEvent).where(DossierEvent.dossier_id == dossier_id).order_by(DossierEvent.seq.desc()).limit(1)
    ).first()


def append_event(session: Session, dossier: Dossier, *, first: bool = False, **fields) -> DossierEvent:
    """Write the next audit row of `dossier` (fields: at, actor_*, action, from/to …);
    `first` skips the look-up of the previous row for a dossier created in this transaction."""
    previous = None if first else last_event(session, dossier.id)
    seq = previous.seq + 1 if previous else 1
    prev_hash = previous.hash if previous else GENESIS
    event = DossierEvent(**chained_event(dossier.id, seq, prev_hash, fields))
    session.add(event)
    return event


def chained_event(dossier_id: uuid.UUID, seq: int, prev_hash: str, fields: dict) -> dict:
    """Pure: the column values of the `seq`-th audit row of a dossier, hash included.

    Used by `append_event` and by the bulk writer of `motcua demo` (dossiers.demo), so a
    row is hashed the same way whoever writes it."""
    at: datetime = fields["at"]
    # Stored precision is microseconds on both back-ends; hash what will be read back.
    facts = {**fields, "at": at.astimezone(UTC), "dossier_id": dossier_id, "seq": seq}
    return {**facts, "prev_hash": prev_hash, "hash": event_hash(facts, prev_hash)}


def dossier_events(session: Session, dossier_id: uuid.UUID) -> list[DossierEvent]:
    return list(
        session.scalars(select(DossierEvent).where(DossierEvent.dossier_id == dossier_id).order_by(DossierEvent.seq))
    )


@dataclass(frozen=True)
class ChainProblem:
    dossier_id: uuid.UUID
    code: str | None
    seq: int
    reason: str  # Vietnamese


def verify_chain(events: list[DossierEvent]) -> tuple[int, str] | None:
    """Pure: None when the chain is intact, else (seq, reason) of the first broken row."""
    prev = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return event.seq, f"thiếu hoặc trùng bản ghi (mong đợi số thứ tự {expected_seq})"
        if event.prev_hash != prev:
            return event.seq, "liên kết với bản ghi trước không khớp"
        if event_hash(_facts(event), event.prev_hash) != event.hash:
            return event.seq, "nội dung bản ghi đã bị sửa đổi"
        prev = event.hash
    return None


def verify_chains(session: Session, *, batch: int = 500) -> tuple[int, list[ChainProblem]]:
    """Check every dossier's chain; returns (dossiers checked, problems)."""
    problems: list[ChainProblem] = []
    checked = 0
    ids = list(session.execute(select(DossierEvent.dossier_id).group_by(DossierEvent.dossier_id)).scalars())
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        rows = session.scalars(
            select(DossierEvent).where(DossierEvent.dossier_id.in_(chunk)).order_by(DossierEvent.dossier_id, DossierEvent.seq)
        )
        grouped: dict[uuid.UUID, list[DossierEvent]] = {}
        for row in rows:
            grouped.setdefault(row.dossier_id, []).append(row)
        codes = dict(session.execute(select(Dossier.id, Dossier.code).where(Dossier.id.in_(chunk))).tuples().all())
        for dossier_id, events in grouped.items():
            checked += 1
            broken = verify_chain(events)
            if broken:
                problems.append(ChainProblem(dossier_id, codes.get(dossier_id), broken[0], broken[1]))
    return checked, problems


def count_events(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DossierEvent)) or 0
