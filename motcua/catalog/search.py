"""Accent-insensitive, ranked catalogue search on the folded name.

`procedures.name_folded` holds the folded words of the name joined by single spaces
("dang ky khai sinh"); a query is folded the same way and read as *terms*
(`parse_query`): each typed word is a term, matched as the start of a word of the name
("kha" finds "khai"); a phrase of `data/search_terms.json` ("gpxd", "so do", "giay khai
sinh") is one term that also matches the phrases it stands for ("giấy phép xây dựng"), as
whole words in order; words people add to a question ("thu tuc", "xin", "o dau") are
optional terms.

**Every required term must match.** Those procedures are the results (`SearchPage.items`,
`total`). Procedures that match more than half of the terms but not all are *approximate*
matches: offered separately ("Kết quả gần đúng", `SearchPage.approximate`) and only when
the full matches are few (fewer than `APPROXIMATE_BELOW`), so "cap phep xay dung" lists
the building permits, not every name with "cấp" in it.

Order of the results (best first):

  1. the query is the procedure's code (also typed with spaces: "btp lsn 276597"), or a
     query word of 5+ digits is the number inside a code ("276597" → BTP-LSN-276597)
  2. the name is exactly the query
  3. then by the smallest stretch of the name holding every term (a phrase first: "cap
     phep xay dung" puts "Cấp giấy phép xây dựng …", one word apart, before "Cấp giấy
     phép khai thác khoáng sản làm vật liệu xây dựng"), whole words before prefixes,
     the earliest start, the shortest name, then by name and code.

Why in memory: the catalogue is reference data of a few thousand rows that changes a few
times a year. Matching ~10 LIKE expressions over every row in SQL costs 5–10 ms on SQLite;
the same ranking over a cached list of folded names costs well under a millisecond on any
backend, which keeps a search within 3× a bare health check (bench/bench_catalog_search.py).
The cache is keyed by a cheap signature query (see `_SIGNATURE_SQL`), so
any write — in this process or another — is seen by the next search. Ranked positions are
cached per query too, so the ranking above runs once per query and catalogue state.

The home page's figures (procedures in force per level, procedures per field) are derived
from the same index (`catalogue_figures`), and what other modules build from them — the
home page's rendered content — is kept on it (`per_catalogue_state`): one cache, one
invalidation rule.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
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
# Approximate matches are offered only when the full matches are fewer than this.
APPROXIMATE_BELOW = 5
APPROXIMATE_LIMIT = 10
SEARCH_TERMS_FILE = Path(__file__).parent / "data" / "search_terms.json"
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
    words: tuple[str, ...]  # the folded words, for the stretch that holds the query
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
    total: int  # procedures matching every term (and the filters)
    page: int
    page_size: int
    items: list[ProcedureSummary]
    # matches of some terms, offered apart when the full matches are few (module docstring)
    approximate: list[ProcedureSummary] = field(default_factory=list)

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
    # agency id -> its procedures, filled per agency on first use: all agencies at once
    # (~38 000 applications of the communes) would make up most of the build time
    by_agency: dict[uuid.UUID, frozenset[uuid.UUID]]
    postings: dict[str, set[int]]  # folded word -> positions in entries
    by_code: dict[str, int]
    # digit runs of 5+ in codes ("276597" of BTP-LSN-276597) -> positions: officials often
    # type only the number of a code
    by_code_number: dict[str, set[int]] = field(default_factory=dict)
    prefix_cache: dict[str, set[int]] = field(default_factory=dict)
    # (full, approximate) positions per (words, code): popular queries are ranked once per
    # catalogue state
    ranked_cache: dict[tuple, tuple[list[int], list[int]]] = field(default_factory=dict)
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
_build_lock = threading.Lock()


def query_words(q: str | None) -> list[str]:
    """Distinct folded words of a query, at most MAX_QUERY_WORDS."""
    seen: list[str] = []
    for word in fold_words(q):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_QUERY_WORDS]


@dataclass(frozen=True, slots=True)
class Term:
    """One thing the query asks for.

    A typed word (`words`, one word) matches a word of the name that it starts, when it is
    the last word of the query (still being typed) or no name has it as a whole word;
    otherwise it matches whole words only ("tu" is a word: it does not find "tục").
    A known phrase (`phrases`: itself and what it stands for) matches any of its phrases
    as whole words in order ("so do" finds "giấy chứng nhận quyền sử dụng đất").
    """

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    optional: bool = False
    last: bool = False


@dataclass(frozen=True)
class SearchTerms:
    abbreviations: dict[tuple[str, ...], tuple[str, ...]]
    optional: frozenset[tuple[str, ...]]
    longest: int


def _folded_phrase(text: str) -> tuple[str, ...]:
    return tuple(fold_words(text))


@cache
def search_terms() -> SearchTerms:
    """The abbreviations and optional words of data/search_terms.json, folded."""
    data = json.loads(SEARCH_TERMS_FILE.read_text(encoding="utf-8"))
    abbreviations = {
        _folded_phrase(key): tuple(" ".join(_folded_phrase(v)) for v in values)
        for key, values in data["abbreviations"].items()
    }
    optional = frozenset(_folded_phrase(o) for o in data["optional"])
    longest = max(len(k) for k in [*abbreviations, *optional])
    return SearchTerms(abbreviations, optional, longest)


def parse_query(words: list[str]) -> list[Term]:
    """The terms of a folded query: longest known phrase first, then single words."""
    table = search_terms()
    terms: list[Term] = []
    i = 0
    while i < len(words):
        for size in range(min(table.longest, len(words) - i), 0, -1):
            key = tuple(words[i : i + size])
            if key in table.abbreviations:
                terms.append(Term(phrases=(" ".join(key), *table.abbreviations[key])))
                break
            if key in table.optional:
                terms.append(Term(key, optional=True))
                break
        else:
            size = 1
            terms.append(Term((words[i],), last=i == len(words) - 1))
        i += size
    if all(t.optional for t in terms):  # "thu tuc" alone: then it is what they look for
        terms = [Term(t.words, last=True) for t in terms]
    return terms


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
    # One build at a time: after a restart or a catalogue change every concurrent search would
    # otherwise build its own copy (about 0.5 s each with the ~38 000 applications), and eight
    # at once on two cores made the first searches take seconds. The others wait for the first
    # build and use it.
    with _build_lock:
        index = _cache.get(key)
        if index is not None and index.signature == signature:
            return index
        return _build_index(session, key, signature)


def _build_index(session: Session, key: str, signature: tuple) -> _Index:
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
            tuple(r.name_folded.split()),
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
    index = _Index(
        signature=signature,
        entries=entries,
        figures=_figures(entries, field_order),
        by_agency={},
        postings=postings,
        by_code={e.code: i for i, e in enumerate(entries)},
    )
    for position, entry in enumerate(entries):
        for number in _CODE_NUMBER.findall(entry.code):
            index.by_code_number.setdefault(number, set()).add(position)
    with _lock:
        _cache[key] = index
    return index


def _term_positions(index: _Index, term: Term) -> set[int]:
    """Entries that hold the term: all its typed words as word starts, or one of its phrases."""
    typed = [
        index.postings[w] if w in index.postings and not term.last else index.with_prefix(w)
        for w in term.words
    ]
    hit = set.intersection(*typed) if typed else set()
    for phrase in term.phrases:
        words = phrase.split()
        candidates = set.intersection(*(index.postings.get(w, set()) for w in words))
        padded = f" {phrase} "
        hit |= {p for p in candidates if padded in index.entries[p].padded}
    return hit


def _spans(words: tuple[str, ...], term: Term) -> list[tuple[int, int, bool]]:
    """Where a term sits in a name: (first word, last word, whole words?) per occurrence.
    Typed words count one by one (the stretch then covers them all)."""
    spans = []
    for phrase in term.phrases:
        parts = phrase.split()
        size = len(parts)
        for i in range(len(words) - size + 1):
            if words[i : i + size] == tuple(parts):
                spans.append((i, i + size - 1, True))
    return spans


def _units(words: tuple[str, ...], terms: list[Term]) -> list[list[tuple[int, int, bool]]]:
    """Per matched unit (a typed word, or a term matched by one of its phrases), the places
    it occurs in the name. A unit that does not occur is left out (optional terms)."""
    units = []
    for term in terms:
        by_phrase = _spans(words, term)
        by_word = [
            [(i, i, w == typed) for i, w in enumerate(words) if w.startswith(typed)]
            for typed in term.words
        ]
        if by_word and all(by_word):
            units.extend(by_word)
        elif by_phrase:
            units.append(by_phrase)
    return units


def _stretch(words: tuple[str, ...], terms: list[Term]) -> tuple[int, int, int, int]:
    """(words between the terms, prefixes used, first word, terms missing) for the smallest
    stretch of the name holding one occurrence of every unit."""
    units = _units(words, terms)
    missing = len(terms) - sum(1 for t in terms if _term_in(words, t))
    if not units:
        return (len(words), 0, len(words), missing)
    needed = sum(min(e - s + 1 for s, e, _ in unit) for unit in units)
    best = None
    for start in sorted({s for unit in units for s, _, _ in unit}):
        end = start
        prefixes = 0
        for unit in units:
            after = [(e, not whole) for s, e, whole in unit if s >= start]
            if not after:
                break
            e, prefix = min(after)
            end = max(end, e)
            prefixes += prefix
        else:
            candidate = (end - start + 1 - needed, prefixes, start, missing)
            if best is None or candidate < best:
                best = candidate
    return best or (len(words), 0, len(words), missing)


def _term_in(words: tuple[str, ...], term: Term) -> bool:
    if _spans(words, term):
        return True
    return bool(term.words) and all(any(w.startswith(t) for w in words) for t in term.words)


def _ranked_positions(
    index: _Index, words: list[str], code: str | None
) -> tuple[list[int], list[int]]:
    """(full matches, approximate matches) as positions, best first (module docstring)."""
    entries = index.entries
    terms = parse_query(words)
    required = [t for t in terms if not t.optional]
    matched: dict[int, int] = {}
    for term in required:
        for position in _term_positions(index, term):
            matched[position] = matched.get(position, 0) + 1
    phrase = " ".join(words)

    def key(position: int) -> tuple:
        entry = entries[position]
        exact = 0 if entry.folded == phrase else 1
        return (exact, *_stretch(entry.words, terms), len(entry.words), entry.folded, entry.code)

    full = [p for p, n in matched.items() if n == len(required)]
    full.sort(key=key)
    # codes first: the exact code, then codes holding a typed number of 5+ digits
    code_hits: dict[int, int] = {}
    for word in words:
        if word.isdigit() and len(word) >= 5:
            for position in index.by_code_number.get(word, ()):
                code_hits[position] = 1
    for candidate in (code, "-".join(words).upper() if len(words) > 1 else None):
        if candidate is not None and candidate in index.by_code:
            code_hits[index.by_code[candidate]] = 0
    if code_hits:
        by_code = sorted(code_hits, key=lambda p: (code_hits[p], entries[p].folded, entries[p].code))
        full = by_code + [p for p in full if p not in code_hits]
    approximate: list[int] = []
    if len(required) > 2:
        more_than_half = len(required) // 2 + 1
        approximate = [
            p
            for p, n in matched.items()
            if more_than_half <= n < len(required) and p not in code_hits
        ]
        approximate.sort(key=lambda p: (-matched[p], key(p)))
    return full, approximate


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
    approximate: list[ProcedureSummary] = []
    if words or code:
        cache_key = (tuple(words), code)
        ranked_positions = index.ranked_cache.get(cache_key)
        if ranked_positions is None:
            ranked_positions = _ranked_positions(index, words, code)
            if len(index.ranked_cache) > 1000:
                index.ranked_cache.clear()
            index.ranked_cache[cache_key] = ranked_positions
        full, near = ranked_positions
        ranked = [entries[p] for p in full]
        approximate = [entries[p] for p in near]
    elif filters.q and filters.q.strip():
        ranked = []  # only punctuation: nothing can match
    else:
        ranked = entries

    if filters.agency_id is not None and filters.agency_id not in index.by_agency:
        found = agency_procedures(session, on=index.signature[-1], agency_id=filters.agency_id)
        with _lock:
            index.by_agency[filters.agency_id] = frozenset(found.get(filters.agency_id, ()))
    ranked = _filtered(index, ranked, filters)
    if approximate and len(ranked) < APPROXIMATE_BELOW and page == 1:
        approximate = _filtered(index, approximate, filters)[:APPROXIMATE_LIMIT]
    else:
        approximate = []
    start = (page - 1) * page_size
    return SearchPage(
        total=len(ranked),
        page=page,
        page_size=page_size,
        items=ranked[start : start + page_size],
        approximate=approximate,
    )


def _filtered(
    index: _Index, ranked: list[ProcedureSummary], filters: SearchFilters
) -> list[ProcedureSummary]:
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
    return ranked


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
