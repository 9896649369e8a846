"""Canonical fields (lĩnh vực): the list of data/fields.json applied to the database.

The seed spells one sector several ways ("…Thương binh và Xã hội" / "…Thương binh, Xã hội"),
with typos ("Lĩnh Dầu khí", "thệ nạn xã hội") and with procedure groups entered as fields
("Cấp giấy phép xây dựng"). The data file names each sector once, as officials name it,
with its national code where there is one; every seed spelling is an alias: the importer
files a procedure under the canonical field of its spelling, and an alias's name or old
code still finds the field (filters, API).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from motcua.catalog.models import Field, FieldAlias, Procedure
from motcua.core.clock import now
from motcua.core.ids import new_id
from motcua.core.text import fold_words

FIELDS_FILE = Path(__file__).parent / "data" / "fields.json"


def fold_name(name: str | None) -> str:
    return " ".join(fold_words(name))


def field_code_for(name: str) -> str:
    """Stable code of a field from its name: "Lĩnh vực Đất đai" → "dat-dai"."""
    words = fold_words(name)
    if words[:2] == ["linh", "vuc"]:
        words = words[2:]
    elif words[:1] == ["linh"]:  # "Lĩnh Dầu khí" (a typo in the seed)
        words = words[1:]
    return "-".join(words)[:80] or "khac"


@cache
def canonical_fields() -> tuple[dict[str, Any], ...]:
    """The canonical fields of data/fields.json: code, name, national_code, aliases."""
    return tuple(json.loads(FIELDS_FILE.read_text(encoding="utf-8"))["fields"])


@dataclass
class FieldResolver:
    """Field ids by folded name (canonical or alias) and by code (canonical or alias slug)."""

    by_name: dict[str, uuid.UUID] = field(default_factory=dict)
    by_code: dict[str, uuid.UUID] = field(default_factory=dict)

    def id_for(self, name: str) -> uuid.UUID | None:
        return self.by_name.get(fold_name(name)) or self.by_code.get(field_code_for(name))


def apply_canonical_fields(session: Session) -> FieldResolver:
    """Make the database hold the canonical fields and their aliases (idempotent).

    A field whose code is an alias's slug (made by an earlier import from that spelling) is
    merged: its procedures move to the canonical field (their `updated_at` is touched so
    the search index sees it) and the old row is deleted; its code stays an alias code.
    """
    existing = {f.code: f for f in session.scalars(select(Field))}
    resolver = FieldResolver()
    # folded alias name -> its row (None: inserted by this run)
    aliases_present: dict[str, FieldAlias | None] = {
        a.name_folded: a for a in session.scalars(select(FieldAlias))
    }
    new_aliases: list[dict[str, Any]] = []
    for spec in canonical_fields():
        current = existing.get(spec["code"])
        values = {
            "name": spec["name"],
            "name_folded": fold_name(spec["name"]),
            "national_code": spec["national_code"],
        }
        if current is None:
            current = Field(id=new_id(), code=spec["code"], **values)
            session.add(current)
            session.flush()
            existing[spec["code"]] = current
        else:
            for key, value in values.items():
                if getattr(current, key) != value:
                    setattr(current, key, value)
        resolver.by_code[spec["code"]] = current.id
        resolver.by_name[values["name_folded"]] = current.id
        if spec["national_code"]:
            resolver.by_code[spec["national_code"]] = current.id
        for alias in spec["aliases"]:
            slug, folded = field_code_for(alias), fold_name(alias)
            legacy = existing.get(slug)
            if legacy is not None and legacy.id != current.id:
                session.execute(
                    update(Procedure)
                    .where(Procedure.field_id == legacy.id)
                    .values(field_id=current.id, updated_at=now())
                )
                session.execute(delete(FieldAlias).where(FieldAlias.field_id == legacy.id))
                aliases_present = {
                    k: a for k, a in aliases_present.items() if a is None or a.field_id != legacy.id
                }
                session.delete(legacy)
                session.flush()
                del existing[slug]
            resolver.by_code.setdefault(slug, current.id)
            resolver.by_name[folded] = current.id
            if folded not in aliases_present:
                new_aliases.append(
                    {"id": new_id(), "field_id": current.id, "name": alias, "name_folded": folded,
                     "code": slug}
                )
                aliases_present[folded] = None
            elif (present := aliases_present[folded]) is not None and present.field_id != current.id:
                present.field_id = current.id
    if new_aliases:
        session.execute(insert(FieldAlias), new_aliases)
    for code, other in existing.items():  # fields not in the list (an administrator's, a new seed's)
        resolver.by_code.setdefault(code, other.id)
        resolver.by_name.setdefault(other.name_folded, other.id)
    session.flush()
    return resolver


def find_field(session: Session, text: str | None) -> Field | None:
    """The canonical field for a code, an alias's old code, a national code ("G15-TP07"),
    a name or an alias's name; None when nothing matches."""
    value = (text or "").strip()
    if not value or len(value) > 255:
        return None
    folded = fold_name(value)
    found = session.scalars(
        select(Field).where(
            or_(Field.code == value, Field.national_code == value.upper(), Field.name_folded == folded)
        )
    ).first()
    if found is not None:
        return found
    alias = session.scalars(
        select(FieldAlias).where(or_(FieldAlias.code == value, FieldAlias.name_folded == folded))
    ).first()
    return session.get(Field, alias.field_id) if alias is not None else None


def fields_by_any_code(session: Session) -> dict[str, Field]:
    """Every field by its code, and the canonical field by each alias's old code and by its
    national code: what a record file may name a field by."""
    fields = {f.code: f for f in session.scalars(select(Field))}
    by_id = {f.id: f for f in fields.values()}
    found = dict(fields)
    for field_obj in fields.values():
        if field_obj.national_code:
            found.setdefault(field_obj.national_code, field_obj)
    for code, field_id in session.execute(select(FieldAlias.code, FieldAlias.field_id)):
        found.setdefault(code, by_id[field_id])
    return found
