"""Dossier codes `<receiving unit code>-<YYMMDD>-<XXXX>` (DOMAIN.md §4, TT 03/2025 Art. 13).

The daily sequence lives in `dossier_code_counters`, one row per scope (the code without
its sequence, e.g. "000.00.53.H48-220921"). It is bumped with one
`INSERT … ON CONFLICT (scope) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq`
inside the caller's transaction: on PostgreSQL the row lock makes a second counter wait
until the first commits (or rolls back, which also undoes its increment, so sequences stay
consecutive); on SQLite every unit of work that may write — every POST/PUT/PATCH/DELETE
request and every `session_scope` not marked `write=False` — begins with BEGIN IMMEDIATE
(core.db), so writers hold the single write lock from their first statement to their
commit and are serialised anyway. Reads (GET requests, `write=False`) begin DEFERRED and
never take that lock; code allocation never happens in one (it would fail with
SQLITE_BUSY_SNAPSHOT under load rather than interleave). The code is also written to `dossier_codes` (primary key
`code`), so a code can never be handed out twice, whatever happens to the counters.

Allocate last. On PostgreSQL the counter row stays locked from the bump to the commit, and
every other receipt at the same unit that day queues behind it: the lock is what keeps the
sequence consecutive (an aborted receipt gives its number back), so it cannot be released
early, only taken late. `receive_dossier` therefore validates, reads the calendar and the
process, and inserts the dossier, its components, steps and audit row first, and bumps the
counter as its last statements (receive._assign_code; the dossier row gets its code by an
UPDATE). Nothing before needs the code: the audit hash covers the dossier id, not the code.
Callers should commit soon after (the API only stores its idempotency key). On SQLite this
changes nothing — the request holds the single write lock throughout anyway. The other
counters are the throttle rows (core.throttle), each bumped in a unit of work that ends
right after it (the public lookup's own write; a login's write after its hash check), and
the per-dossier audit sequence, which locks nothing shared.

The pattern is configurable (`DOSSIER_CODE_PATTERN`, see core.config) as a `str.format` template with
`unit` (receiving unit code), `date` (local receipt date), `seq` (daily sequence) and
`prefix` (a static prefix, for TT 04/2025 style codes). The scope of the counter is
everything the pattern renders before `{seq`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from motcua.core.clock import to_local
from motcua.core.config import get_settings
from motcua.core.errors import InvalidInput
from motcua.dossiers.models import DossierCode, DossierCodeCounter

DEFAULT_PATTERN = "{unit}-{date:%y%m%d}-{seq:04d}"
MAX_DAILY_SEQ = 9999


def code_pattern() -> str:
    return get_settings().dossier_code_pattern or DEFAULT_PATTERN


def render_code(unit_code: str, day: date, seq: int, pattern: str | None = None, prefix: str = "") -> str:
    """Pure: the code for the `seq`-th dossier of `day` at the unit `unit_code`."""
    return (pattern or code_pattern()).format(unit=unit_code, date=day, seq=seq, prefix=prefix)


def code_scope(unit_code: str, day: date, pattern: str | None = None, prefix: str = "") -> str:
    """Pure: the counter scope — what the pattern renders before the sequence."""
    pattern = pattern or code_pattern()
    head = pattern.split("{seq", 1)[0]
    return head.format(unit=unit_code, date=day, prefix=prefix).rstrip("-") or unit_code


def _bump_statement(dialect: str):
    """`INSERT … ON CONFLICT (scope) DO UPDATE SET last_seq = last_seq + :n RETURNING …`:
    the new row starts at n, an existing one moves up by n, atomically."""
    if dialect == "postgresql":
        stmt = pg_insert(DossierCodeCounter)
    elif dialect == "sqlite":
        stmt = sqlite_insert(DossierCodeCounter)
    else:  # pragma: no cover - other back-ends are not supported
        raise RuntimeError(f"unsupported database {dialect}")
    return stmt.on_conflict_do_update(
        index_elements=[DossierCodeCounter.scope],
        set_={"last_seq": DossierCodeCounter.last_seq + stmt.excluded.last_seq},
    ).returning(DossierCodeCounter.scope, DossierCodeCounter.last_seq)


def next_sequence(session: Session, scope: str) -> int:
    """Bump and return the daily sequence of `scope`, atomically, in the session's transaction."""
    stmt = _bump_statement(session.get_bind().dialect.name).values(scope=scope, last_seq=1)
    return int(session.execute(stmt).one()[1])


def reserve_sequences(session: Session, counts: dict[str, int]) -> dict[str, int]:
    """Reserve `counts[scope]` consecutive sequences of each scope at once (bulk writers such
    as `motcua demo`); returns each scope's last sequence, so the reserved ones are
    `last - n + 1 … last`. Same atomic bump as `next_sequence`, same transaction rules."""
    result: dict[str, int] = {}
    if not counts:
        return result
    stmt = _bump_statement(session.get_bind().dialect.name)
    items = sorted(counts.items())  # a fixed lock order: two bulk writers cannot deadlock
    for start in range(0, len(items), 500):
        chunk = items[start:start + 500]
        rows = session.execute(stmt.values([{"scope": s, "last_seq": n} for s, n in chunk]))
        result.update({scope: int(last) for scope, last in rows})
    return result


def allocate_code(session: Session, *, unit_code: str, received_at: datetime, dossier_id: uuid.UUID) -> str:
    """Allocate the next code of the receiving unit for the local date of `received_at`."""
    day = to_local(received_at).date()
    pattern = code_pattern()
    seq = next_sequence(session, code_scope(unit_code, day, pattern))
    if seq > MAX_DAILY_SEQ and "{seq:04d}" in pattern:
        raise InvalidInput(f"Đơn vị {unit_code} đã dùng hết {MAX_DAILY_SEQ} số hồ sơ trong ngày {day:%d/%m/%Y}.")
    code = render_code(unit_code, day, seq, pattern)
    session.execute(insert(DossierCode).values(code=code, dossier_ref_id=dossier_id, created_at=received_at))
    return code
