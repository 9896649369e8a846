"""The 2025 reorganisation applied to the catalogue, as data (`data/reorganisation_2025.json`).

Each rule names the agencies whose applications end (one agency by seed key, or every agency
of a kind dissolved on the rule's date), the date the new applications start, where they go
(an agency by seed key, or every agency of a kind current on that date, e.g. the 65 commune
People's Committees) and the legal text it rests on. A department that was split has `split`
entries: a procedure whose field name (else its own name) contains one of the `match`
phrases (folded) goes to that entry's target instead. A split entry with `codes` names the
procedures themselves (by catalogue code): it comes first, for a procedure whose place the
national procedure database or a sector decree settles one by one (a former district
procedure now done by a provincial department), or whose commune-level basis it cites. The old application ends the day
before (28/02/2025 or 30/06/2025) and keeps its row, so dossiers received before keep their
agency; the new one records the rule's basis in `source`.

Idempotent: a second run finds every application already ended and every new one present.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from motcua.catalog.models import Field, Procedure, ProcedureAgency
from motcua.core.ids import new_id
from motcua.core.text import fold_words
from motcua.org.models import Agency
from motcua.org.service import is_current

RULES_FILE = Path(__file__).resolve().parent / "data" / "reorganisation_2025.json"
_CHUNK = 500


@dataclass
class ReorganisationReport:
    ended: int = 0
    created: int = 0


def load_rules(path: Path = RULES_FILE) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["rules"]


def _folded(text: str | None) -> str:
    return " " + " ".join(fold_words(text)) + " "


def _matches(phrases: list[str], text: str) -> bool:
    return any(f" {phrase} " in text for phrase in phrases)


class _Agencies:
    def __init__(self, session: Session):
        self.all = list(session.scalars(select(Agency)))
        self.by_key = {a.seed_key: a for a in self.all if a.seed_key}

    def sources(self, spec: dict[str, str], on: date) -> list[Agency]:
        if "agency" in spec:
            agency = self.by_key.get(spec["agency"])
            return [agency] if agency is not None else []
        return [a for a in self.all if a.kind == spec["kind"] and a.dissolved_on == on]

    def targets(self, spec: dict[str, str], on: date) -> list[Agency]:
        if "agency" in spec:
            agency = self.by_key.get(spec["agency"])
            return [agency] if agency is not None and is_current(agency, on) else []
        return sorted(
            (a for a in self.all if a.kind == spec["kind"] and is_current(a, on)), key=lambda a: a.code
        )


def apply_reorganisation(session: Session, rules: list[dict[str, Any]] | None = None) -> ReorganisationReport:
    """Apply the reorganisation rules to the applications in the database (see module doc)."""
    rules = load_rules() if rules is None else rules
    report = ReorganisationReport()
    agencies = _Agencies(session)
    # (procedure, agency) pairs with an application open on some later date: not created twice.
    open_pairs: dict[tuple[uuid.UUID, uuid.UUID], list[tuple[date | None, date | None]]] = {}
    for procedure_id, agency_id, start, end in session.execute(
        select(
            ProcedureAgency.procedure_id, ProcedureAgency.agency_id, ProcedureAgency.valid_from, ProcedureAgency.valid_to
        )
    ):
        open_pairs.setdefault((procedure_id, agency_id), []).append((start, end))

    def covered(key: tuple[uuid.UUID, uuid.UUID], on: date) -> bool:
        return any((s is None or s <= on) and (e is None or e >= on) for s, e in open_pairs.get(key, ()))

    for rule in sorted(rules, key=lambda r: r["on"]):
        on = date.fromisoformat(rule["on"])
        last = on - timedelta(days=1)
        sources = agencies.sources(rule["from"], on)
        if not sources:
            continue
        rows = session.execute(
            select(
                ProcedureAgency.id,
                ProcedureAgency.procedure_id,
                ProcedureAgency.valid_to,
                Procedure.code,
                Procedure.name_folded,
                Field.name_folded.label("field_folded"),
            )
            .join(Procedure, Procedure.id == ProcedureAgency.procedure_id)
            .outerjoin(Field, Field.id == Procedure.field_id)
            .where(
                ProcedureAgency.agency_id.in_([a.id for a in sources]),
                or_(ProcedureAgency.valid_from.is_(None), ProcedureAgency.valid_from <= last),
                or_(ProcedureAgency.valid_to.is_(None), ProcedureAgency.valid_to >= last),
            )
        ).all()
        to_end = [r.id for r in rows if r.valid_to is None or r.valid_to > last]
        for i in range(0, len(to_end), _CHUNK):
            session.execute(
                update(ProcedureAgency)
                .where(ProcedureAgency.id.in_(to_end[i : i + _CHUNK]))
                .values(valid_to=last)
                .execution_options(synchronize_session=False)
            )
        report.ended += len(to_end)
        default = (agencies.targets(rule["to"], on), rule["basis"])
        by_code = {
            code: (agencies.targets(s["to"], on), s["basis"])
            for s in rule.get("split", ()) for code in s.get("codes", ())
        }
        splits = [(s["match"], agencies.targets(s["to"], on), s["basis"]) for s in rule.get("split", ()) if "match" in s]
        new_rows: list[dict[str, Any]] = []
        for row in rows:
            field_text, name_text = _folded(row.field_folded), _folded(row.name_folded)
            targets, basis = by_code.get(row.code) or next(
                ((t, b) for phrases, t, b in splits if _matches(phrases, field_text)),
                next(((t, b) for phrases, t, b in splits if _matches(phrases, name_text)), default),
            )
            for target in targets:
                key = (row.procedure_id, target.id)
                if covered(key, on):
                    continue
                start = max(on, target.valid_from) if target.valid_from else on
                open_pairs.setdefault(key, []).append((start, target.valid_to))
                new_rows.append(
                    {
                        "id": new_id(),
                        "procedure_id": row.procedure_id,
                        "agency_id": target.id,
                        "level": target.level,
                        "valid_from": start,
                        "valid_to": target.valid_to,
                        "source": basis[:255],
                        "source_rows": None,
                    }
                )
        for i in range(0, len(new_rows), _CHUNK):
            session.execute(insert(ProcedureAgency), new_rows[i : i + _CHUNK])
        report.created += len(new_rows)
    session.flush()
    return report
