"""Accent-insensitive, ranked catalogue search on the folded name.

`procedures.name_folded` holds the folded words of the name joined by single spaces
("dang ky khai sinh"); a query is folded the same way. Ranking tiers (best first):

  7  the query is the procedure's code (also typed with spaces: "btp lsn 276597"), or a
     query word of 5+ digits is the number inside the code ("276597" → BTP-LSN-276597)
  6  the name is exactly the query
  5  the name contains the query as a phrase (whole words, in order)
  4  the name contains the query as a phrase whose last word is a prefix ("dang ky kh")
  3  the name contains every query word as a whole word
  2  every query word starts a word of the name
  1  some query words start a word of the name

then by the number of query words found, then by name, then by code.

Why in memory: the catalogue is reference data of a few thousand rows that changes a few
times a year. Matching ~10 LIKE expressions over every row in SQL costs 5–10 ms on SQLite;
the same ranking over a cached list of folded names costs well under a millisecond on any
backend, which keeps a search within 3× a bare health check (bench/bench_catalog_search.py).
The cache is keyed by a cheap signature query (see `_SIGNATURE_SQL`), so
any write — in this process or another — is seen by the next search.

The home page's figures (procedures in force per level, procedures per field) are derived
from the same index (`catalogue_figures`), and what other modules build from them — the
home page's rendered content — is kept on it (`per_catalogue_state`): one cache, one
invalidation rule.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.catalog.applications import agency_procedures, current_levels
from motcua.catalog.codes import normalize_code
from motcua.catalog.enums import ProcedureLevel, ProcedureStatus
from motcua.catalog.models import Field, Procedure
from motcua.core.text import fold_words
from motcua.org.service import today

MAX_QUERY_WORDS = 12
T = TypeVar("T")


@dataclass
class SearchFilters:
    q: str | None = None
    agency_id: uuid.UUID | None = None
    field_id: uuid.UUID | None = None
    level: str | None = None
    online_level: str | None = None
    status: str | None = None


@dataclass(slots=True)
class ProcedureSummary:
    """What a result list shows about a procedure (held in the in-memory index)."""

    id: uuid.UUID
    code: str
    code_provisional: bool
    name: str
    folded: str
    padded: str  # " dang ky khai sinh ", for whole-word and prefix tests
    level: str
    field_id: uuid.UUID | None
    field_code: str | None
    field_name: str | None
    online_level: str
    status: str
    cross_boundary: bool
    time_limit_days: int | None
    time_limit_hours: int | None
    # Levels of its applications current today (catalog.applications); the seed row's
    # `level` only when it has none, so a procedure at province and commune shows under both.
    levels: frozenset[str] = frozenset()
    # this entry's JSON in the API list (catalog.api fills it in once per catalogue state)
    api_json: bytes | None = field(default=None, compare=False, repr=False)


@dataclass
class SearchPage:
    total: int
    page: int
    page_size: int
    items: list[ProcedureSummary]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True, slots=True)
class FieldCount:
    code: str
    name: str
    count: int  # procedures of the field, whatever their status


@dataclass(frozen=True)
class CatalogueFigures:
    """What the home page counts, derived from the cached index (no GROUP BY per request)."""

    # every level, 0 when it has none in force; a procedure implemented at two levels counts at both
    in_force_by_level: dict[str, int]
    fields: tuple[FieldCount, ...]  # fields with at least one procedure, by folded name
    in_force: int = 0


def _figures(entries: list[ProcedureSummary], field_order: dict[uuid.UUID, str]) -> CatalogueFigures:
    by_level = {level.value: 0 for level in ProcedureLevel}
    per_field: dict[uuid.UUID, list] = {}
    in_force = 0
    for entry in entries:
        if entry.status == ProcedureStatus.in_force.value:
            in_force += 1
            for level in entry.levels:
                by_level[level] = by_level.get(level, 0) + 1
        if entry.field_id is not None:
            slot = per_field.setdefault(entry.field_id, [entry.field_code, entry.field_name, 0])
            slot[2] += 1
    ordered = sorted(per_field, key=lambda fid: (field_order[fid], per_field[fid][0]))
    return CatalogueFigures(
        in_force_by_level=by_level,
        fields=tuple(FieldCount(*per_field[fid]) for fid in ordered),
        in_force=in_force,
    )


@dataclass
class _Index:
    signature: tuple
    entries: list[ProcedureSummary]  # ordered by (folded name, code)
    figures: CatalogueFigures
    by_agency: dict[uuid.UUID, set[uuid.UUID]]
    postings: dict[str, set[int]]  # folded word -> positions in entries
    by_code: dict[str, int]
    # digit runs of 5+ in codes ("276597" of BTP-LSN-276597) -> positions: officials often
    # type only the number of a code
    by_code_number: dict[str, set[int]] = field(default_factory=dict)
    prefix_cache: dict[str, set[int]] = field(default_factory=dict)
    # ranked positions per (words, code): popular queries are ranked once per catalogue state
    ranked_cache: dict[tuple, list[int]] = field(default_factory=dict)
    # values other modules derive from this catalogue state (`per_catalogue_state`)
    derived: dict[Hashable, Any] = field(default_factory=dict)

    def with_prefix(self, word: str) -> set[int]:
        hit = self.prefix_cache.get(word)
        if hit is None:
            hit = set()
            for vocab_word, positions in self.postings.items():
                if vocab_word.startswith(word):
                    hit |= positions
            if len(self.prefix_cache) > 2000:
                self.prefix_cache.clear()
            self.prefix_cache[word] = hit
        return hit


_CODE_NUMBER = re.compile(r"\d{5,}")  # 5+: a year ("2018") is not a code number
_cache: dict[str, _Index] = {}
_lock = threading.Lock()


def query_words(q: str | None) -> list[str]:
    """Distinct folded words of a query, at most MAX_QUERY_WORDS."""
    seen: list[str] = []
    for word in fold_words(q):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_QUERY_WORDS]


# Plain SQL through the driver: the ORM's statement machinery costs more than the query.
# Only index look-ups and ONE scan of the small procedures table (count and max in the same
# pass: two scalar subqueries scanned it twice, ~60 µs more per search on PostgreSQL);
# count(*) over the ~22 000 implementing-agency rows costs milliseconds on PostgreSQL. Ids
# are UUIDv7 (time-ordered), so the largest id moves on every insert (PostgreSQL has no
# max(uuid)); every administrator edit adds a version, so the signature changes even under
# a frozen test clock. Code that deletes or rewires procedure_agencies rows without adding
# any must also touch procedures.updated_at.
_SIGNATURE_SQL = (
    "SELECT count(*), max(updated_at),"
    " (SELECT id FROM procedure_agencies ORDER BY id DESC LIMIT 1),"
    " (SELECT id FROM procedure_versions ORDER BY id DESC LIMIT 1)"
    " FROM procedures"
)


def _signature(session: Session) -> tuple:
    row = session.connection().exec_driver_sql(_SIGNATURE_SQL).one()
    latest = row[1]
    if isinstance(latest, datetime):
        latest = latest.isoformat()
    # today's date: applications start and end at midnight without any write
    return (row[0], str(latest), str(row[2]), str(row[3]), today())


def _cache_key(session: Session) -> str:
    bind = session.get_bind()
    return str(getattr(bind, "engine", bind).url)


def _load_index(session: Session) -> _Index:
    signature = _signature(session)
    key = _cache_key(session)
    index = _cache.get(key)
    if index is not None and index.signature == signature:
        return index
    rows = session.execute(
        select(
            Procedure.id,
            Procedure.code,
            Procedure.code_provisional,
            Procedure.name,
            Procedure.name_folded,
            Procedure.level,
            Procedure.field_id,
            Field.code.label("field_code"),
            Field.name.label("field_name"),
            Field.name_folded.label("field_name_folded"),
            Procedure.online_level,
            Procedure.status,
            Procedure.cross_boundary,
            Procedure.time_limit_days,
            Procedure.time_limit_hours,
        )
        .outerjoin(Field, Field.id == Procedure.field_id)
        .order_by(Procedure.name_folded, Procedure.code)
    )
    rows = rows.all()
    field_order = {r.field_id: r.field_name_folded for r in rows if r.field_id is not None}
    levels = current_levels(session, on=signature[-1])
    entries = [
        ProcedureSummary(
            r.id,
            r.code,
            r.code_provisional,
            r.name,
            r.name_folded,
            f" {r.name_folded} ",
            r.level,
            r.field_id,
            r.field_code,
            r.field_name,
            r.online_level,
            r.status,
            r.cross_boundary,
            r.time_limit_days,
            r.time_limit_hours,
            frozenset(levels.get(r.id) or (r.level,)),
        )
        for r in rows
    ]
    postings: dict[str, set[int]] = {}
    for position, entry in enumerate(entries):
        for word in entry.folded.split():
            postings.setdefault(word, set()).add(position)
    by_agency = agency_procedures(session, on=signature[-1])
    index = _Index(
        signature=signature,
        entries=entries,
        figures=_figures(entries, field_order),
        by_agency=by_agency,
        postings=postings,
        by_code={e.code: i for i, e in enumerate(entries)},
    )
    for position, entry in enumerate(entries):
        for number in _CODE_NUMBER.findall(entry.code):
            index.by_code_number.setdefault(number, set()).add(position)
    with _lock:
        _cache[key] = index
    return index


def _ranked_positions(index: _Index, words: list[str], code: str | None) -> list[int]:
    """Positions of matching entries, best first (see the module docstring for the tiers)."""
    entries = index.entries
    found: dict[int, int] = {}
    prefix_sets = [index.with_prefix(w) for w in words]
    for positions in prefix_sets:
        for position in positions:
            found[position] = found.get(position, 0) + 1
    phrase = " ".join(words)
    n = len(words)
    scored = []
    for position, count in found.items():
        entry = entries[position]
        if count < n:
            tier = 1
        elif entry.folded == phrase:
            tier = 6
        elif f" {phrase} " in entry.padded:
            tier = 5
        elif f" {phrase}" in entry.padded:
            tier = 4
        elif all(position in index.postings.get(w, ()) for w in words):
            tier = 3
        else:
            tier = 2
        scored.append((-tier, -count, position))
    code_hits: dict[int, int] = {}  # position -> 0 for a code number, -1 for the exact code
    for word in words:
        if word.isdigit() and len(word) >= 5:
            for position in index.by_code_number.get(word, ()):
                code_hits[position] = 0
    for candidate in (code, "-".join(words).upper() if len(words) > 1 else None):
        if candidate is not None and candidate in index.by_code:
            code_hits[index.by_code[candidate]] = -1
    if code_hits:
        scored = [s for s in scored if s[2] not in code_hits]
        scored += [(-7, rank, position) for position, rank in code_hits.items()]
    scored.sort()
    return [s[2] for s in scored]


def search_procedures(
    session: Session,
    filters: SearchFilters,
    *,
    page: int = 1,
    page_size: int = 20,
) -> SearchPage:
    """One page of procedures matching the filters, ranked by relevance when `q` is given."""
    index = _load_index(session)
    entries = index.entries
    words = query_words(filters.q)
    code = (
        normalize_code(filters.q) if filters.q and any(ch.isdigit() for ch in filters.q) else None
    )
    if words or code:
        cache_key = (tuple(words), code)
        positions = index.ranked_cache.get(cache_key)
        if positions is None:
            positions = _ranked_positions(index, words, code)
            if len(index.ranked_cache) > 1000:
                index.ranked_cache.clear()
            index.ranked_cache[cache_key] = positions
        ranked = [entries[p] for p in positions]
    elif filters.q and filters.q.strip():
        ranked = []  # only punctuation: nothing can match
    else:
        ranked = entries

    if filters.agency_id is not None:
        allowed = index.by_agency.get(filters.agency_id, set())
        ranked = [e for e in ranked if e.id in allowed]
    if filters.field_id is not None:
        ranked = [e for e in ranked if e.field_id == filters.field_id]
    if filters.level:
        ranked = [e for e in ranked if filters.level in e.levels]
    if filters.online_level:
        ranked = [e for e in ranked if e.online_level == filters.online_level]
    if filters.status:
        ranked = [e for e in ranked if e.status == filters.status]

    start = (page - 1) * page_size
    return SearchPage(
        total=len(ranked), page=page, page_size=page_size, items=ranked[start : start + page_size]
    )


def catalogue_figures(session: Session) -> CatalogueFigures:
    """Procedures in force per level and procedures per field, as of the current catalogue."""
    return _load_index(session).figures


def per_catalogue_state(session: Session, key: Hashable, build: Callable[[CatalogueFigures], T]) -> T:
    """`build(figures)`, made once per catalogue state and `key` (e.g. a rendered fragment).

    Kept on the cached index, so it follows the index's one invalidation rule: the next
    request after any catalogue change (in any process) builds it again. `build` must
    depend only on the figures and on what `key` names. Two threads may build the same
    value at once; the one stored last wins, both are equal.
    """
    index = _load_index(session)
    try:
        return index.derived[key]
    except KeyError:
        value = index.derived[key] = build(index.figures)
        return value


def clear_cache() -> None:
    with _lock:
        _cache.clear()
