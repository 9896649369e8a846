"""Catalogue changesets: procedures added, amended and abolished by a decision, all or nothing.

A publication decision (Quyết định công bố TTHC, Nghị định 63/2010/NĐ-CP Art. 15 as amended
by Nghị định 92/2017/NĐ-CP) or a national-catalogue sync gives a list of `Entry`s — procedure
records in the format of `service.procedure_record` / `schemas.ProcedureRecord`. `diff`
checks every entry against the catalogue and returns a `Changeset` (each change with the
record before and after), or raises `InvalidInput` with one Vietnamese message per bad
entry and changes nothing. `apply` writes a changeset under a `Decision` in the caller's
unit of work: one `ProcedureVersion` per changed procedure (decision number and dates, full
snapshot), abolished procedures marked (status, `abolished_on`) and kept, since dossiers
refer to them.

Amendments take effect on the decision's effective date, not on the day they are typed in:
a decision effective later is stored `pending` and applied by the worker
(`apply_due_decisions`, catalog/jobs.py) on that date. Until then the catalogue keeps the
current record, so a dossier received before the effective date gets the time limit in force
when it was received; dossiers keep the limit and deadline computed at receipt in any case.
The pending entries are diffed again when applied (the catalogue may have changed since),
and if they no longer fit the decision is marked `failed` with its messages, changing nothing.

Partial amendments: an amended entry changes only the keys it gives (absent keys keep their
value; components or fees given replace the whole list). So a record format with more keys
(sources of legal content, …) needs no change here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from motcua.catalog.applications import is_current_application
from motcua.catalog.enums import ChangeKind, DecisionStatus, ProcedureStatus
from motcua.catalog.models import (
    CatalogDecision,
    Field,
    Procedure,
    ProcedureAgency,
)
from motcua.catalog.schemas import ProcedureRecord
from motcua.catalog.service import apply_record, normalize_code, procedure_record, record_version
from motcua.catalog.transfer import validation_messages
from motcua.core.clock import now, to_local
from motcua.core.db import session_scope
from motcua.core.errors import Conflict, InvalidInput
from motcua.org.models import Agency

# Keys of a record that are not procedure content: the code identifies it, the rest follow
# from the kind of change or are managed elsewhere.
_NOT_CONTENT = {"code", "code_provisional"}
MAX_ENTRIES = 5000


@dataclass(frozen=True)
class Decision:
    """The decision that publishes a changeset."""

    number: str  # "123/QĐ-UBND"
    signed_on: date
    effective_on: date
    issuer: str  # "Chủ tịch UBND tỉnh Lạng Sơn"
    source_file: str | None = None


@dataclass(frozen=True)
class Entry:
    """One procedure of a decision or sync. `record` holds ProcedureRecord keys (only those
    given change an existing procedure); `kind` None means added when the code is new and
    amended otherwise; `where` says where it was read ("Trang “Thủ tục” dòng 5")."""

    record: Mapping[str, Any]
    kind: ChangeKind | None = None
    where: str | None = None


def _has_value(value: Any) -> bool:
    return value is not None and value is not False and value != "" and value != []


@dataclass(frozen=True)
class ProcedureChange:
    kind: ChangeKind
    code: str
    before: dict[str, Any] | None  # procedure_record (with agency_codes) now; None when added
    after: dict[str, Any]
    given: dict[str, Any]  # the keys the entry gave, validated (what is stored when pending)
    where: str | None = None

    @property
    def name(self) -> str:
        return self.after.get("name") or self.code

    @property
    def changed_fields(self) -> list[str]:
        """Record keys whose value changes (for an added procedure: those with a value)."""
        if self.before is None:
            return [k for k, v in self.after.items() if k not in _NOT_CONTENT and _has_value(v)]
        return [k for k in self.after if k not in _NOT_CONTENT and self.after[k] != self.before.get(k)]


@dataclass(frozen=True)
class RowError:
    where: str
    code: str | None
    errors: list[str]

    def text(self) -> str:
        shown = f" (mã {self.code})" if self.code else ""
        return f"{self.where}{shown}: {'; '.join(e.rstrip('.') for e in self.errors)}."


@dataclass
class Changeset:
    changes: list[ProcedureChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # codes given that change nothing

    def of(self, kind: ChangeKind) -> list[ProcedureChange]:
        return [c for c in self.changes if c.kind == kind]

    def summary(self) -> dict[str, int]:
        return {kind.value: len(self.of(kind)) for kind in ChangeKind}

    def entries(self) -> list[dict[str, Any]]:
        """The changes as stored with a pending decision (re-diffed when applied)."""
        return [{"kind": c.kind.value, "record": c.given, "where": c.where} for c in self.changes]

    def digest(self) -> str:
        """A fingerprint of exactly these changes: a confirmation applies what was previewed."""
        body = [(c.kind.value, c.code, c.before, c.after) for c in self.changes]
        return hashlib.sha256(
            json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()
        ).hexdigest()[:32]


def entries_from_stored(stored: Iterable[Mapping[str, Any]]) -> list[Entry]:
    return [
        Entry(record=e["record"], kind=ChangeKind(e["kind"]), where=e.get("where"))
        for e in stored
    ]


# --- diff ---------------------------------------------------------------------------------


def _load_procedures(session: Session, codes: set[str]) -> dict[str, Procedure]:
    if not codes:
        return {}
    stmt = (
        select(Procedure)
        .where(Procedure.code.in_(codes))
        .options(
            selectinload(Procedure.field),
            selectinload(Procedure.components),
            selectinload(Procedure.fees),
            selectinload(Procedure.agency_links).selectinload(ProcedureAgency.agency),
        )
    )
    return {p.code: p for p in session.scalars(stmt)}


def _current_record(procedure: Procedure) -> dict[str, Any]:
    # The agencies implementing it today: a decision speaks of the current applications, not
    # of those the 2025 reorganisation closed (they stay as history).
    return procedure_record(
        procedure, [link.agency.code for link in procedure.agency_links if is_current_application(link)]
    )


def _agency_codes(value: Any) -> Any:
    """Agency codes as a sorted list, from a list or one text ("a; b, c")."""
    if isinstance(value, str):
        value = [part for part in value.replace(",", ";").split(";")]
    if isinstance(value, list):
        return sorted({str(v).strip() for v in value if v is not None and str(v).strip()})
    return value


@dataclass
class _Context:
    procedures: dict[str, Procedure]
    fields: dict[str, Field]
    agencies: dict[str, Agency]
    require_agencies: bool


def _check_entry(entry: Entry, ctx: _Context, code: str) -> tuple[ProcedureChange | None, list[str]]:
    """The change of one entry (None: changes nothing) and its problems."""
    existing = ctx.procedures.get(code)
    kind = entry.kind or (ChangeKind.amended if existing else ChangeKind.added)
    if kind == ChangeKind.added and existing is not None:
        return None, [f"thủ tục mã “{code}” đã có trong danh mục (dùng loại “Sửa đổi, bổ sung”)"]
    if kind != ChangeKind.added and existing is None:
        verb = "sửa đổi" if kind == ChangeKind.amended else "bãi bỏ"
        return None, [f"không có thủ tục mã “{code}” trong danh mục để {verb}"]
    if existing is not None and existing.status == ProcedureStatus.abolished.value:
        return None, [f"thủ tục mã “{code}” đã bị bãi bỏ trước đó"]
    before = _current_record(existing) if existing is not None else None
    if kind == ChangeKind.abolished:
        assert before is not None
        after = before | {"status": ProcedureStatus.abolished.value}
        return ProcedureChange(kind, code, before, after, {"code": code}, entry.where), []

    given = {k: v for k, v in entry.record.items() if k not in _NOT_CONTENT}
    if "agency_codes" in given:
        given["agency_codes"] = _agency_codes(given["agency_codes"])
    problems: list[str] = []
    if given.get("status", ProcedureStatus.in_force.value) != ProcedureStatus.in_force.value:
        problems.append("để bãi bỏ thủ tục, dùng loại thay đổi “Bãi bỏ”")
    merged = (before or {}) | given | {"code": code}
    try:
        valid = ProcedureRecord.model_validate(merged).model_dump(mode="json")
    except ValidationError as exc:
        return None, problems + validation_messages(exc)
    if valid["field_code"] and valid["field_code"] not in ctx.fields:
        problems.append(f"không có lĩnh vực mã “{valid['field_code']}”")
    agency_codes = valid.get("agency_codes")
    unknown = [c for c in given.get("agency_codes") or [] if c not in ctx.agencies]
    if unknown:
        problems.append("không có cơ quan mã " + ", ".join(f"“{c}”" for c in unknown))
    if kind == ChangeKind.added and ctx.require_agencies and not agency_codes:
        problems.append("thủ tục thêm mới phải có ít nhất một cơ quan thực hiện (mã cơ quan)")
    if problems:
        return None, problems
    keep = set(given) | {"code"}
    given_valid = {k: valid[k] for k in keep if k in valid}
    if before is None:
        after = procedure_record_shape(valid)
    else:
        after = dict(before)
        for key in given_valid:
            if key in after or key == "agency_codes":
                after[key] = given_valid[key]
    if before is not None and after == before:
        return None, []
    return ProcedureChange(kind, code, before, after, given_valid, entry.where), []


def procedure_record_shape(valid: dict[str, Any]) -> dict[str, Any]:
    """A validated new record in the shape `procedure_record` gives (key order and keys)."""
    record = {k: v for k, v in valid.items() if k != "agency_codes"}
    record["code_provisional"] = False
    record["agency_codes"] = valid.get("agency_codes") or []
    return record


def diff(
    session: Session,
    records: Sequence[Entry | Mapping[str, Any]],
    *,
    require_agencies: bool = True,
) -> Changeset:
    """The changes `records` make to the catalogue as it is now; InvalidInput (with one
    `RowError` per bad entry in `details`) when any entry is invalid. Plain mappings are
    entries of unknown kind. `require_agencies`: an added procedure must name its
    implementing agencies (a decision must; a national sync may map them later)."""
    entries = [r if isinstance(r, Entry) else Entry(record=r) for r in records]
    if not entries:
        raise InvalidInput("Không có thủ tục nào để thay đổi.")
    if len(entries) > MAX_ENTRIES:
        raise InvalidInput(f"Quá nhiều thủ tục (tối đa {MAX_ENTRIES}).")
    codes = {
        normalize_code(str(e.record.get("code"))) or ""
        for e in entries
        if isinstance(e.record, Mapping) and e.record.get("code") is not None
    }
    needed_agencies = {
        code
        for e in entries
        if isinstance(e.record, Mapping)
        for code in (_agency_codes(e.record.get("agency_codes")) or [])
        if isinstance(code, str)
    }
    ctx = _Context(
        procedures=_load_procedures(session, codes - {""}),
        fields={f.code: f for f in session.scalars(select(Field))},
        agencies={
            a.code: a
            for a in session.scalars(select(Agency).where(Agency.code.in_(needed_agencies)))
        }
        if needed_agencies
        else {},
        require_agencies=require_agencies,
    )
    changeset = Changeset()
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        where = entry.where or f"Bản ghi {number}"
        if not isinstance(entry.record, Mapping):
            errors.append(RowError(where, None, ["bản ghi phải là một đối tượng"]))
            continue
        raw_code = entry.record.get("code")
        code = normalize_code(str(raw_code)) if raw_code is not None else None
        if code is None:
            shown = str(raw_code)[:64] if raw_code is not None else None
            problem = "thiếu mã thủ tục" if not shown else "mã thủ tục chỉ gồm chữ, số, dấu “-” hoặc “.”"
            errors.append(RowError(where, shown, [problem]))
            continue
        if code in seen:
            errors.append(RowError(where, code, [f"mã thủ tục trùng với {seen[code].lower()}"]))
            continue
        seen[code] = where
        change, problems = _check_entry(entry, ctx, code)
        if problems:
            errors.append(RowError(where, code, problems))
        elif change is None:
            changeset.unchanged.append(code)
        else:
            changeset.changes.append(change)
    if errors:
        raise InvalidInput(
            f"Không áp dụng: {len(errors)} thủ tục có lỗi; chưa thay đổi dữ liệu nào. "
            + " ".join(e.text() for e in errors[:5]),
            details=[e.text() for e in errors],
            code="changes_invalid",
        )
    return changeset


# --- apply --------------------------------------------------------------------------------


def today() -> date:
    return to_local(now()).date()


def check_decision(session: Session, decision: Decision, *, row: CatalogDecision | None = None) -> None:
    problems = []
    if not decision.number.strip():
        problems.append("Thiếu số quyết định.")
    if not decision.issuer.strip():
        problems.append("Thiếu cơ quan ban hành.")
    if decision.effective_on < decision.signed_on:
        problems.append("Ngày hiệu lực không được trước ngày ký quyết định.")
    same = session.scalars(
        select(CatalogDecision).where(
            CatalogDecision.number == decision.number,
            CatalogDecision.signed_on == decision.signed_on,
            CatalogDecision.status != DecisionStatus.draft.value,
        )
    ).first()
    if same is not None and same is not row:
        problems.append(
            f"Quyết định số {decision.number} ngày {decision.signed_on:%d/%m/%Y} đã được nhập "
            f"({to_local(same.created_at):%d/%m/%Y})."
        )
    if problems:
        raise InvalidInput(" ".join(problems), details=problems, code="decision_invalid")


def _decision_row(decision: Decision, changeset: Changeset, status: DecisionStatus, actor: str | None):
    return CatalogDecision(
        number=decision.number,
        signed_on=decision.signed_on,
        effective_on=decision.effective_on,
        issuer=decision.issuer,
        source_file=decision.source_file,
        status=status.value,
        entries=changeset.entries(),
        summary=changeset.summary(),
        created_by=actor,
        created_at=now(),
    )


def save_draft(session: Session, changeset: Changeset, decision: Decision, *, actor: str | None):
    """A previewed decision, kept until confirmed (`confirm_draft`)."""
    check_decision(session, decision)
    row = _decision_row(decision, changeset, DecisionStatus.draft, actor)
    session.add(row)
    session.flush()
    return row


def decision_of(row: CatalogDecision) -> Decision:
    return Decision(row.number, row.signed_on, row.effective_on, row.issuer, row.source_file)


def confirm_draft(
    session: Session, row: CatalogDecision, *, digest: str, actor: str | None
) -> tuple[CatalogDecision, Changeset]:
    """Apply (or schedule) a draft exactly as previewed: Conflict when the catalogue changed
    in between so that the changes differ from the preview (the page shows the new ones)."""
    if row.status != DecisionStatus.draft.value:
        raise Conflict(f"Quyết định số {row.number} đã được xác nhận trước đó.")
    changeset = diff(session, entries_from_stored(row.entries))
    if changeset.digest() != digest:
        raise Conflict(
            "Danh mục đã thay đổi từ lúc xem trước; hãy xem lại các thay đổi rồi xác nhận.",
            code="preview_outdated",
        )
    return apply(session, changeset, decision_of(row), actor=actor, row=row), changeset


def apply(
    session: Session,
    changeset: Changeset,
    decision: Decision,
    *,
    actor: str | None,
    row: CatalogDecision | None = None,
) -> CatalogDecision:
    """Record `decision` with `changeset`: applied now when effective today or earlier,
    otherwise pending until its effective date. All in the caller's unit of work.

    `row`: the draft being confirmed (else a new decision row is made)."""
    check_decision(session, decision, row=row)
    if not changeset.changes:
        raise InvalidInput("Quyết định không làm thay đổi thủ tục nào trong danh mục.")
    if row is None:
        row = _decision_row(decision, changeset, DecisionStatus.draft, actor)
        session.add(row)
    row.entries = changeset.entries()
    row.summary = changeset.summary()
    row.created_by = actor
    if decision.effective_on > today():
        row.status = DecisionStatus.pending.value
        session.flush()
        return row
    session.flush()
    _write_changes(session, row, changeset, actor=actor)
    return row


NOTES = {
    ChangeKind.added: "Công bố mới theo Quyết định số {}",
    ChangeKind.amended: "Sửa đổi, bổ sung theo Quyết định số {}",
    ChangeKind.abolished: "Bãi bỏ theo Quyết định số {}",
}


def _write_changes(session: Session, row: CatalogDecision, changeset: Changeset, *, actor: str | None) -> None:
    procedures = _load_procedures(
        session, {c.code for c in changeset.changes if c.kind != ChangeKind.added}
    )
    fields = {f.code: f for f in session.scalars(select(Field))}
    meta = {
        "decision_number": row.number,
        "decision_date": row.signed_on,
        "effective_date": row.effective_on,
    }
    for change in changeset.changes:
        procedure = procedures.get(change.code)
        if procedure is None:
            procedure = Procedure(code=change.code, code_provisional=False, name=change.after["name"],
                                  name_folded="", components=[], fees=[], agency_links=[])
            procedure.field = None
            session.add(procedure)
        data = ProcedureRecord.model_validate(change.after).model_dump(
            exclude={"code", "code_provisional", "agency_codes", "field_code"}
        )
        if change.kind == ChangeKind.abolished:
            procedure.abolished_on = row.effective_on
        version = apply_record(
            session,
            procedure,
            data,
            field=fields.get(change.after.get("field_code") or ""),
            version_meta=meta | {"note": NOTES[change.kind].format(row.number)},
            created_by=actor,
        )
        if change.kind != ChangeKind.abolished and "agency_codes" in change.given:
            _set_agencies(session, procedure, change.after["agency_codes"], row)
        if version is None:  # only the agencies changed: still a version of this decision
            version = record_version(
                session, procedure, note=NOTES[change.kind].format(row.number), created_by=actor, **meta
            )
        version.decision_id = row.id
    row.status = DecisionStatus.applied.value
    row.applied_at = now()
    row.errors = None
    session.flush()


def _set_agencies(session: Session, procedure: Procedure, codes: list[str], row: CatalogDecision) -> None:
    """Make the agencies implementing the procedure from the decision's effective date exactly
    `codes`: applications not named end the day before (kept, so old dossiers keep their
    agency), new ones open on the effective date at their agency's level, citing the decision."""
    agencies = {a.code: a for a in session.scalars(select(Agency).where(Agency.code.in_(codes)))}
    on = row.effective_on
    wanted = {agencies[c].id for c in codes}
    current = {link.agency_id: link for link in procedure.agency_links if is_current_application(link, on)}
    for agency_id, link in current.items():
        if agency_id not in wanted:
            link.valid_to = on - timedelta(days=1)
    for code in codes:
        agency = agencies[code]
        if agency.id not in current:
            procedure.agency_links.append(ProcedureAgency(
                agency_id=agency.id, agency=agency, level=agency.level, valid_from=on,
                source=f"Quyết định số {row.number} ngày {row.signed_on:%d/%m/%Y}",
            ))
    session.flush()


# --- pending decisions (worker) -------------------------------------------------------------


def apply_pending(session: Session, row: CatalogDecision, *, actor: str | None = None) -> bool:
    """Apply a pending decision now (its effective date has come): True when applied; when its
    entries no longer fit the catalogue it is marked failed with the messages, nothing changed."""
    try:
        with session.begin_nested():
            changeset = diff(session, entries_from_stored(row.entries))
            _write_changes(session, row, changeset, actor=actor or row.created_by)
    except InvalidInput as exc:
        row.status = DecisionStatus.failed.value
        row.errors = [str(d) for d in exc.details] if isinstance(exc.details, list) else [exc.message]
        session.flush()
        return False
    return True


def apply_due_decisions(factory: sessionmaker[Session]) -> list[tuple[str, bool]]:
    """Apply every pending decision whose effective date has come, oldest first, each in its
    own short write unit (re-checked under lock, so two workers apply a decision once)."""
    with session_scope(factory, write=False) as session:
        due = session.execute(
            select(CatalogDecision.id, CatalogDecision.number)
            .where(
                CatalogDecision.status == DecisionStatus.pending.value,
                CatalogDecision.effective_on <= today(),
            )
            .order_by(CatalogDecision.effective_on, CatalogDecision.created_at)
        ).all()
    done = []
    for decision_id, number in due:
        with session_scope(factory) as session:
            row = session.scalars(
                select(CatalogDecision).where(CatalogDecision.id == decision_id).with_for_update()
            ).one()
            if row.status != DecisionStatus.pending.value:
                continue
            done.append((number, apply_pending(session, row)))
    return done
