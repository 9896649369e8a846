"""`motcua catalog sync`: the national catalogue pulled through the portal, compared with the
mapped local procedures, and applied as a publication decision (catalog.changes).

Three steps, so that no database transaction waits on the network and a failing portal
changes nothing:
1. `pull(portal, codes)`: the national lists and `LayThuTuc` for every mapped code (network
   only; any `PortalError` stops here);
2. `compare(session, pulled)`: the cache of the national list refreshed (`store_pull`:
   codes new since the last pull, codes no longer listed) and one `changes.Entry` per mapped
   procedure whose national record differs (name, field, time limits) or that the national
   database no longer holds (abolished), diffed by `changes.diff` (all or nothing);
3. `changes.apply` under the decision the administrator names (number, effective date): one
   `ProcedureVersion` per procedure, pending until the effective date if that is later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from motcua.catalog import national_codes
from motcua.catalog.changes import Changeset, Decision, Entry, apply, diff
from motcua.catalog.enums import ChangeKind, ProcedureStatus
from motcua.catalog.models import CatalogDecision, Field, NationalCode
from motcua.core.clock import now
from motcua.core.db import session_scope
from motcua.core.text import fold
from motcua.dvcqg.models import NationalProcedureRecord
from motcua.integrations.dvcqg.portal import (
    NationalField,
    NationalPortal,
    NationalProcedure,
    NationalProcedureItem,
    NationalTimeLimit,
    UnknownNationalProcedure,
)

COUNTER, ONLINE = "1", "2"  # KENH
WORKING_DAYS, WORKING_HOURS = "ngay lam viec", "gio lam viec"
_FIELD_PREFIX = re.compile(r"^linh vuc\s+")


@dataclass
class Pulled:
    """What the portal said, before anything is written."""

    items: list[NationalProcedureItem]
    fields: list[NationalField]
    details: dict[str, NationalProcedure]  # LayThuTuc of every mapped code it knows
    unknown: set[str]  # mapped codes LayThuTuc does not know


def pull(portal: NationalPortal, mapped_codes: set[str]) -> Pulled:
    items = portal.list_procedures()
    fields = portal.list_fields()
    details: dict[str, NationalProcedure] = {}
    unknown: set[str] = set()
    for code in sorted(mapped_codes):
        try:
            details[code] = portal.get_procedure(code)
        except UnknownNationalProcedure:
            unknown.add(code)
    return Pulled(items, fields, details, unknown)


def mapped_codes(session: Session) -> set[str]:
    return set(session.scalars(select(NationalCode.national_code).distinct()))


# --- the cache of the national list ----------------------------------------------------------


@dataclass
class PullChanges:
    first: bool  # the cache was empty: every code is new, none reported as added
    added: list[NationalProcedureItem] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # codes listed last time, not any more


def store_pull(session: Session, pulled: Pulled) -> PullChanges:
    moment = now()
    cached = {r.code: r for r in session.scalars(select(NationalProcedureRecord))}
    result = PullChanges(first=not cached)
    listed = {item.code: item for item in pulled.items}
    for code, item in listed.items():
        record = cached.get(code)
        if record is None:
            record = NationalProcedureRecord(code=code, first_seen_at=moment)
            session.add(record)
            if not result.first:
                result.added.append(item)
        record.name = item.name
        record.name_folded = fold(item.name)
        record.last_seen_at = moment
        record.gone_at = None
        if code in pulled.details:
            record.detail = pulled.details[code].raw
    for code, record in cached.items():
        if code not in listed and record.gone_at is None:
            record.gone_at = moment
            result.gone.append(code)
    session.flush()
    return result


def national_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every national procedure currently listed, for mapping candidates."""
    rows = session.execute(
        select(NationalProcedureRecord.code, NationalProcedureRecord.name)
        .where(NationalProcedureRecord.gone_at.is_(None))
        .order_by(NationalProcedureRecord.code)
    ).all()
    return [(c, n) for c, n in rows]


@dataclass(frozen=True)
class NationalList:
    """The cached national list: (code, name) pairs, their folded names, when last pulled."""

    choices: list[tuple[str, str]]
    folded: list[str]
    pulled_at: datetime | None


def national_list(session: Session) -> NationalList:
    rows = session.execute(
        select(NationalProcedureRecord.code, NationalProcedureRecord.name, NationalProcedureRecord.name_folded)
        .where(NationalProcedureRecord.gone_at.is_(None))
        .order_by(NationalProcedureRecord.code)
    ).all()
    pulled_at = session.scalar(select(func.max(NationalProcedureRecord.last_seen_at)))
    return NationalList([(c, n) for c, n, _ in rows], [f for _, _, f in rows], pulled_at)


def refresh_list(factory: sessionmaker[Session], portal: NationalPortal) -> PullChanges:
    """The national list pulled (no details) and the cache refreshed: what the mapping page
    suggests from. The portal is called with no transaction open."""
    pulled = Pulled(portal.list_procedures(), [], {}, set())
    with session_scope(factory) as session:
        return store_pull(session, pulled)


def national_name(session: Session, code: str) -> str | None:
    return session.scalar(
        select(NationalProcedureRecord.name).where(
            NationalProcedureRecord.code == code, NationalProcedureRecord.gone_at.is_(None)
        )
    )


# --- national record → local record keys ------------------------------------------------------


def _unit(limit: NationalTimeLimit) -> str:
    return fold(limit.unit)


def time_limit_keys(detail: NationalProcedure, notes: list[str]) -> dict[str, Any]:
    """The counter limit (KENH 1) and, when it differs, the online one (KENH 2), in the
    catalogue's keys. Only working days and working hours with a whole value are taken:
    other units (calendar days, "0,5 ngày") are reported in `notes` for a person to decide,
    never converted by guess."""
    by_channel = {c.channel: c.time_limits[0] for c in detail.channels if c.time_limits}
    keys: dict[str, Any] = {}

    def read(limit: NationalTimeLimit) -> tuple[int | None, int | None] | None:
        if limit.value is None or limit.value != int(limit.value):
            notes.append(f"{detail.code}: thời hạn “{limit.value} {limit.unit}” không phải số nguyên, chưa áp dụng")
            return None
        if _unit(limit) == WORKING_DAYS:
            return int(limit.value), None
        if _unit(limit) == WORKING_HOURS:
            return None, int(limit.value)
        notes.append(f"{detail.code}: thời hạn tính bằng “{limit.unit}”, chưa áp dụng")
        return None

    counter = read(by_channel[COUNTER]) if COUNTER in by_channel else None
    if counter is not None:
        keys["time_limit_days"], keys["time_limit_hours"] = counter
        source = by_channel[COUNTER].description
        keys["time_limit_note"] = (
            f"Theo Cơ sở dữ liệu quốc gia về TTHC, thủ tục {detail.code}" + (f": {source}" if source else "")
        )
        online = read(by_channel[ONLINE]) if ONLINE in by_channel else None
        if online is not None and online != counter:
            keys["online_time_limit_days"], keys["online_time_limit_hours"] = online
    return keys


def local_field(fields: list[Field], detail: NationalProcedure) -> Field | None:
    """The local field of a national one: same code, else the same name once "Lĩnh vực" and
    accents are set aside (the seed writes "Lĩnh vực Hộ tịch", the national list "Hộ tịch")."""
    if not detail.field_code and not detail.field_name:
        return None
    for f in fields:
        if detail.field_code and f.code == detail.field_code:
            return f
    wanted = _FIELD_PREFIX.sub("", fold(detail.field_name))
    for f in fields:
        if _FIELD_PREFIX.sub("", f.name_folded or fold(f.name)) == wanted:
            return f
    return None


@dataclass
class SyncReport:
    pull: PullChanges
    changeset: Changeset
    national: dict[str, str]  # local code → national code of every change
    notes: list[str]


def entries(session: Session, pulled: Pulled, notes: list[str]) -> tuple[list[Entry], dict[str, str]]:
    fields = list(session.scalars(select(Field)))
    listed = {item.code for item in pulled.items}
    out: list[Entry] = []
    codes: dict[str, str] = {}
    for procedure, mapping in national_codes.mapped_procedures(session):
        if procedure.status == ProcedureStatus.abolished.value:
            continue
        code = mapping.national_code
        where = f"Thủ tục {procedure.code} (mã quốc gia {code})"
        codes[procedure.code] = code
        if code in pulled.unknown or code not in listed:
            out.append(Entry(record={"code": procedure.code}, kind=ChangeKind.abolished, where=where))
            continue
        detail = pulled.details.get(code)
        if detail is None:
            continue
        record: dict[str, Any] = {"code": procedure.code, "name": detail.name}
        found = local_field(fields, detail)
        if found is not None:
            record["field_code"] = found.code
        elif detail.field_name:
            notes.append(f"{procedure.code}: lĩnh vực quốc gia “{detail.field_name}” "
                         f"({detail.field_code or 'không mã'}) chưa có trong danh mục lĩnh vực, giữ lĩnh vực hiện tại")
        record |= time_limit_keys(detail, notes)
        out.append(Entry(record=record, kind=ChangeKind.amended, where=where))
    return out, codes


def compare(session: Session, pulled: Pulled) -> SyncReport:
    """Refresh the cache and diff the mapped procedures (InvalidInput: nothing to keep)."""
    pull_changes = store_pull(session, pulled)
    notes: list[str] = []
    found, codes = entries(session, pulled, notes)
    changeset = diff(session, found, require_agencies=False) if found else Changeset()
    return SyncReport(pull_changes, changeset, codes, notes)


@dataclass
class SyncOutcome:
    pulled: Pulled
    mapped: set[str]
    report: SyncReport
    decision: CatalogDecision | None  # None: compared only, or nothing to apply


def run_sync(
    factory: sessionmaker[Session], portal: NationalPortal, *, decision: Decision | None = None,
    actor: str | None = None,
) -> SyncOutcome:
    """Pull, compare and (with `decision`) apply, each step in its own unit of work; the
    portal is called with no transaction open. A `PortalError` or an invalid changeset
    raises before anything is written (the cache refresh and the apply commit together)."""
    with session_scope(factory, write=False) as session:
        codes = mapped_codes(session)
    pulled = pull(portal, codes)
    with session_scope(factory) as session:
        report = compare(session, pulled)
        row = None
        if decision is not None and report.changeset.changes:
            row = apply(session, report.changeset, decision, actor=actor)
    return SyncOutcome(pulled, codes, report, row)
