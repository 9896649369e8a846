"""Local procedure ↔ national code (MaTTHC): candidates by name similarity, confirmation by
an administrator (shared/reference/dvcqg.md §11).

The national names come from the caller (the portal domain's cache of the national list):
the catalogue keeps the confirmed pairs and knows nothing of the portal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from motcua.catalog.enums import ProcedureStatus
from motcua.catalog.models import NationalCode, Procedure
from motcua.catalog.policies import ensure_can_edit_procedure
from motcua.core.clock import now
from motcua.core.errors import InvalidInput
from motcua.core.text import fold

NATIONAL_CODE = re.compile(r"^\d\.\d{6}$")  # 1.001193
MIN_SCORE = 60.0


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    score: float  # 0–100, accent-insensitive similarity of the whole names


def normalize_national_code(value: str | None) -> str:
    code = (value or "").strip()
    if not NATIONAL_CODE.match(code):
        raise InvalidInput(f"Mã thủ tục quốc gia “{code}” không đúng dạng (ví dụ 1.001193).")
    return code


def suggest_candidates(
    name: str, national: Sequence[tuple[str, str]], *, limit: int = 5, min_score: float = MIN_SCORE,
    folded: Sequence[str] | None = None,
) -> list[Candidate]:
    """The national procedures whose names are closest to `name`, best first.

    Whole-name similarity (normalised Indel distance on folded names), not word overlap:
    "Đăng ký khai sinh" must rank itself above "Đăng ký khai sinh lưu động", which contains
    every one of its words. `folded`: the names already folded (a page ranking many
    procedures against the same list folds it once)."""
    choices = folded if folded is not None else [fold(n) for _, n in national]
    found = process.extract(fold(name), choices, scorer=fuzz.ratio, limit=limit, score_cutoff=min_score)
    return [Candidate(national[i][0], national[i][1], round(score, 1)) for _, score, i in found]


def national_codes_by_procedure(session: Session, procedures: Iterable[Procedure]) -> dict:
    ids = [p.id for p in procedures]
    if not ids:
        return {}
    rows = session.scalars(select(NationalCode).where(NationalCode.procedure_id.in_(ids)))
    return {row.procedure_id: row for row in rows}


def mapped_procedures(session: Session) -> list[tuple[Procedure, NationalCode]]:
    """Every mapped procedure (field, components and fees loaded: ready for a version)."""
    rows = session.execute(
        select(Procedure, NationalCode)
        .join(NationalCode, NationalCode.procedure_id == Procedure.id)
        .options(selectinload(Procedure.field), selectinload(Procedure.components),
                 selectinload(Procedure.fees))
        .order_by(Procedure.code)
    ).all()
    return [(p, m) for p, m in rows]


def confirm_national_code(
    session: Session, procedure: Procedure, *, national_code: str, national_name: str, user
) -> NationalCode:
    """Record (or replace) the national code of `procedure`, confirmed by `user`."""
    ensure_can_edit_procedure(session, user, procedure)
    code = normalize_national_code(national_code)
    mapping = session.scalar(select(NationalCode).where(NationalCode.procedure_id == procedure.id))
    if mapping is None:
        mapping = NationalCode(procedure_id=procedure.id)
        session.add(mapping)
    mapping.national_code = code
    mapping.national_name = national_name
    mapping.confirmed_by = user.username
    mapping.confirmed_at = now()
    session.flush()
    return mapping


def remove_national_code(session: Session, procedure: Procedure, *, user) -> bool:
    ensure_can_edit_procedure(session, user, procedure)
    mapping = session.scalar(select(NationalCode).where(NationalCode.procedure_id == procedure.id))
    if mapping is None:
        return False
    session.delete(mapping)
    session.flush()
    return True


# --- the administrator's mapping list ----------------------------------------------------------


@dataclass(frozen=True)
class MappingPage:
    procedures: list[Procedure]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def mapping_page(
    session: Session, *, mapped: bool, query: str = "", page: int = 1, per_page: int = 20
) -> MappingPage:
    """Procedures in force with (`mapped`) or without a confirmed national code, by code;
    `query` narrows them to a code or to names holding every folded word."""
    has_code = select(NationalCode.id).where(NationalCode.procedure_id == Procedure.id).exists()
    where = [Procedure.status == ProcedureStatus.in_force.value, has_code if mapped else ~has_code]
    for word in fold(query).split()[:10]:
        where.append(Procedure.name_folded.contains(word) | Procedure.code.ilike(f"%{word}%"))
    total = session.scalar(select(func.count()).select_from(Procedure).where(*where)) or 0
    rows = session.scalars(
        select(Procedure).where(*where).options(selectinload(Procedure.field))
        .order_by(Procedure.code).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return MappingPage(list(rows), total, page, per_page)
