"""Append-only, hash-chained audit trail: one `DossierEvent` per transition.

hash = sha256(canonical JSON of the row's facts + prev_hash); the first row of a dossier
chains from 64 zeros. Rows are written by the service in the transaction of the change
they record (no triggers: Citus has none on distributed tables). `verify_chains` walks
every dossier's chain and reports the dossiers whose history was altered.

Every change of a dossier passes through `append_event`, so it is also where other domains
learn of changes: a listener registered with `on_event` is called with each new row, in the
same session and transaction (the national portal's outbox, motcua.dvcqg.outbox, is written
this way and commits or rolls back with the change). Dossiers imports none of them; they
register themselves. The bulk writer of `motcua demo` (chained_event) calls no listener.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from motcua.core.clock import now
from motcua.dossiers.models import AuditCheckpoint, Dossier, DossierEvent

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


# The canonical JSON: what json.dumps(..., sort_keys=True, ensure_ascii=False,
# separators=(",", ":"), default=str) writes, with the encoder built once (json.dumps builds
# one per call with these options; `motcua demo` hashes millions of rows).
_canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode
_AS_IS = (str, int, type(None))  # exact types that _plain returns unchanged


def event_hash(fields: dict, prev_hash: str) -> str:
    """Pure: the hash of an audit row given its facts and the previous row's hash."""
    get = fields.get
    facts = {}
    for k in HASHED_FIELDS:
        value = get(k)
        facts[k] = value if type(value) in _AS_IS else _plain(value)
    return hashlib.sha256((_canonical(facts) + prev_hash).encode("utf-8")).hexdigest()


def _facts(event) -> dict:
    return {k: getattr(event, k) for k in HASHED_FIELDS}


# name → listener(session, dossier, event); a name registered again replaces its listener.
EventListener = Callable[[Session, Dossier, DossierEvent], None]
_LISTENERS: dict[str, EventListener] = {}


def on_event(name: str, listener: EventListener) -> None:
    """Call `listener` with every audit row appended from now on, in the change's transaction
    (it may add rows to the session; an exception it raises undoes the change)."""
    _LISTENERS[name] = listener


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
    for listener in _LISTENERS.values():
        listener(session, dossier, event)
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


def verify_chain(events: list) -> tuple[int, str] | None:
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


def _verify_batch(session: Session, ids: list[uuid.UUID]) -> tuple[int, list[ChainProblem]]:
    # Plain rows, not entities: nothing enters the session's identity map, so memory stays
    # bounded by one batch (the rows have the attributes verify_chain reads).
    table = DossierEvent.__table__
    rows = session.execute(
        select(table).where(table.c.dossier_id.in_(ids)).order_by(table.c.dossier_id, table.c.seq)
    )
    grouped: dict[uuid.UUID, list] = {}
    for row in rows:
        grouped.setdefault(row.dossier_id, []).append(row)
    codes = dict(session.execute(select(Dossier.id, Dossier.code).where(Dossier.id.in_(ids))).tuples().all())
    problems = []
    for dossier_id, events in grouped.items():
        broken = verify_chain(events)
        if broken:
            problems.append(ChainProblem(dossier_id, codes.get(dossier_id), broken[0], broken[1]))
    return len(grouped), problems


def verify_chains(session: Session, *, batch: int = 500) -> tuple[int, list[ChainProblem]]:
    """Check every dossier's chain; returns (dossiers checked, problems).

    Streams: dossier ids are read in key order a batch at a time (the (dossier_id, seq)
    unique index), so memory stays bounded by one batch at any history size.
    """
    problems: list[ChainProblem] = []
    checked = 0
    after: uuid.UUID | None = None
    while True:
        stmt = select(DossierEvent.dossier_id).group_by(DossierEvent.dossier_id).order_by(DossierEvent.dossier_id)
        if after is not None:
            stmt = stmt.where(DossierEvent.dossier_id > after)
        ids = list(session.scalars(stmt.limit(batch)))
        if not ids:
            break
        n, found = _verify_batch(session, ids)
        checked += n
        problems += found
        after = ids[-1]
    return checked, problems


# Rows written by a transaction that was still open when the previous run started carry an
# earlier `at`; the next incremental run looks back this far to include them.
CHECKPOINT_SLACK = timedelta(minutes=10)


@dataclass(frozen=True)
class VerifyRun:
    mode: str  # full / incremental
    since: datetime | None  # incremental: audit rows written from here on were checked
    checked: int
    problems: list[ChainProblem]
    started_at: datetime | None = None
    finished_at: datetime | None = None


def verify_audit(session: Session, *, incremental: bool, batch: int = 500) -> VerifyRun:
    """Run `audit verify` (reads only; `record_checkpoint` stores the run).

    Full: every chain. Incremental: the whole chain of every dossier with an audit row
    written (`at`) since the last run started, less CHECKPOINT_SLACK; with no earlier run it is
    a full run. Rows bulk-loaded with past timestamps (imports, `motcua demo`) are seen by a
    full run only; an alteration of an old row too, which is why the full run stays.
    Reading and recording are apart so that a long check runs in a read unit of work (on
    SQLite it then never holds the write lock) and only the checkpoint is a short write.
    """
    started = now()
    last = session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.started_at.desc()).limit(1))
    since = last.started_at - CHECKPOINT_SLACK if incremental and last is not None else None
    if since is None:
        checked, problems = verify_chains(session, batch=batch)
    else:
        checked, problems = 0, []
        ids = list(session.scalars(select(DossierEvent.dossier_id).where(DossierEvent.at >= since).distinct()))
        for start in range(0, len(ids), batch):
            n, found = _verify_batch(session, ids[start:start + batch])
            checked += n
            problems += found
    mode = "incremental" if since is not None else "full"
    return VerifyRun(mode, since, checked, problems, started, now())


def record_checkpoint(session: Session, run: VerifyRun) -> None:
    """Store a finished run: the next incremental run starts from its start."""
    session.add(AuditCheckpoint(mode=run.mode, started_at=run.started_at, since=run.since,
                                finished_at=run.finished_at, checked=run.checked, problems=len(run.problems)))
    session.flush()


def count_events(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DossierEvent)) or 0
