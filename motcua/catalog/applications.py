"""Applications of procedures (`ProcedureAgency`): who implements a procedure, at which
level, on which date. The one place that says what "current" means for an application;
receipt, the counter's agency list, the level filter and the administrator's list of
procedures without an agency all ask here.

An application is current on day D when D lies within its own validity and within its
agency's (an agency dissolved on D no longer implements anything on D).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from motcua.catalog.enums import ProcedureStatus
from motcua.catalog.models import Procedure, ProcedureAgency
from motcua.core.errors import InvalidInput
from motcua.core.text import nfc
from motcua.org.models import Agency
from motcua.org.service import (
    agency_current_clause,
    current_successor,
    is_current,
    list_commune_committees,
    normalise_code,
    today,
)

# How many agencies a message names before it says "và N cơ quan khác".
NAMED_IN_MESSAGE = 3


def application_current_clause(on: date):
    """SQL: the application (joined with its agency) is current on `on`."""
    return and_(
        or_(ProcedureAgency.valid_from.is_(None), ProcedureAgency.valid_from <= on),
        or_(ProcedureAgency.valid_to.is_(None), ProcedureAgency.valid_to >= on),
        agency_current_clause(on),
    )


def is_current_application(app: ProcedureAgency, on: date | None = None) -> bool:
    """`application_current_clause` for a loaded application (its agency loaded)."""
    on = on or today()
    return (
        (app.valid_from is None or app.valid_from <= on)
        and (app.valid_to is None or app.valid_to >= on)
        and is_current(app.agency, on)
    )


def current_applications(
    session: Session, procedure_ids: Iterable[uuid.UUID], *, on: date | None = None
) -> list[ProcedureAgency]:
    """Applications of these procedures current on `on` (today), agency loaded, by agency name."""
    ids = list(procedure_ids)
    if not ids:
        return []
    stmt = (
        select(ProcedureAgency)
        .join(Agency, Agency.id == ProcedureAgency.agency_id)
        .where(ProcedureAgency.procedure_id.in_(ids), application_current_clause(on or today()))
        .options(selectinload(ProcedureAgency.agency))
        .order_by(Agency.name_folded, Agency.code)
    )
    return list(session.scalars(stmt))


def current_levels(session: Session, *, on: date | None = None) -> dict[uuid.UUID, set[str]]:
    """Procedure id → the levels it is implemented at on `on` (today)."""
    levels: dict[uuid.UUID, set[str]] = {}
    stmt = (
        select(ProcedureAgency.procedure_id, ProcedureAgency.level)
        .join(Agency, Agency.id == ProcedureAgency.agency_id)
        .where(application_current_clause(on or today()))
        .distinct()
    )
    for procedure_id, level in session.execute(stmt):
        levels.setdefault(procedure_id, set()).add(level)
    return levels


def agency_procedures(
    session: Session, *, on: date | None = None, agency_id: uuid.UUID | None = None
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Agency id → ids of the procedures it implements on `on` (today); for an agency no
    longer current (dissolved, merged), those it implemented, so its history stays findable.
    `agency_id`: that agency's only (a few hundred rows, not the ~38 000 of all communes)."""
    on = on or today()
    found: dict[uuid.UUID, set[uuid.UUID]] = {}
    stmt = select(
        ProcedureAgency.agency_id,
        ProcedureAgency.procedure_id,
        application_current_clause(on).label("current"),
        agency_current_clause(on).label("agency_current"),
    ).join(Agency, Agency.id == ProcedureAgency.agency_id)
    if agency_id is not None:
        stmt = stmt.where(ProcedureAgency.agency_id == agency_id)
    for agency, procedure_id, current, agency_current in session.execute(stmt):
        if current or not agency_current:
            found.setdefault(agency, set()).add(procedure_id)
    return found


def procedures_without_current_agency(session: Session, *, on: date | None = None) -> list[Procedure]:
    """Procedures in force that no agency implements on `on` (today), by name."""
    current = (
        select(ProcedureAgency.id)
        .join(Agency, Agency.id == ProcedureAgency.agency_id)
        .where(ProcedureAgency.procedure_id == Procedure.id, application_current_clause(on or today()))
    )
    stmt = (
        select(Procedure)
        .where(Procedure.status == ProcedureStatus.in_force.value, ~exists(current))
        .options(selectinload(Procedure.field))
        .order_by(Procedure.name_folded, Procedure.code)
    )
    return list(session.scalars(stmt))


def describe_agencies(agencies: list[Agency]) -> str:
    """"Sở A, Sở B" / "UBND xã X, UBND xã Y, UBND xã Z và 62 cơ quan khác"."""
    names = [a.name for a in agencies[:NAMED_IN_MESSAGE]]
    rest = len(agencies) - len(names)
    return ", ".join(names) + (f" và {rest} cơ quan khác" if rest > 0 else "")


@dataclass(frozen=True)
class Competence:
    """The answer to "may `agency` implement `procedure` on `on`?" with what to say if not."""

    allowed: bool
    message: str | None = None


def competence(session: Session, procedure: Procedure, agency: Agency, *, on: date | None = None) -> Competence:
    on = on or today()
    current = current_applications(session, [procedure.id], on=on)
    if any(app.agency_id == agency.id for app in current):
        return Competence(True)
    now_by = describe_agencies([app.agency for app in current])
    instead = f" Cơ quan thực hiện hiện nay: {now_by}." if now_by else ""
    if agency.dissolved_on is not None and agency.dissolved_on <= on:
        successor = current_successor(session, agency)
        merged = f", nhiệm vụ chuyển cho {successor.name}" if successor.id != agency.id else ""
        return Competence(
            False,
            f"{agency.name} đã giải thể/sáp nhập từ ngày {agency.dissolved_on:%d/%m/%Y}{merged}; "
            f"không tiếp nhận hồ sơ thủ tục “{procedure.code}”.{instead}",
        )
    ended = session.scalar(
        select(ProcedureAgency.valid_to).where(
            ProcedureAgency.procedure_id == procedure.id,
            ProcedureAgency.agency_id == agency.id,
            ProcedureAgency.valid_to.is_not(None),
            ProcedureAgency.valid_to < on,
        ).order_by(ProcedureAgency.valid_to.desc()).limit(1)
    )
    if ended is not None:
        return Competence(
            False,
            f"{agency.name} thực hiện thủ tục “{procedure.code}” đến hết ngày {ended:%d/%m/%Y}.{instead}",
        )
    return Competence(False, f"{agency.name} không phải cơ quan thực hiện thủ tục “{procedure.code}”.{instead}")


def ensure_competent(session: Session, procedure: Procedure, agency: Agency, *, on: date | None = None) -> None:
    """InvalidInput (Vietnamese, naming who implements it now) unless `agency` implements
    `procedure` on `on` (today)."""
    answer = competence(session, procedure, agency, on=on)
    if not answer.allowed:
        raise InvalidInput(answer.message or "", code="agency_not_competent")


def add_applications(
    session: Session,
    procedure: Procedure,
    *,
    agency_codes: list[str],
    every_commune: bool,
    valid_from: date,
    source: str,
) -> list[ProcedureAgency]:
    """An administrator's resolution: `procedure` is implemented, from `valid_from`, by the
    agencies `agency_codes` and/or every commune People's Committee current on that date,
    on the basis `source` (a decision number). InvalidInput for an unknown or dissolved
    agency, a missing basis, or nothing chosen."""
    basis = (nfc(source) or "").strip()
    if not basis:
        raise InvalidInput("Cần ghi căn cứ (số, ngày quyết định công bố hoặc văn bản giao nhiệm vụ).")
    if len(basis) > 255:
        raise InvalidInput("Căn cứ dài quá 255 ký tự.")
    chosen: list[Agency] = []
    for code in agency_codes:
        agency = session.scalar(select(Agency).where(Agency.code == normalise_code(code)))
        if agency is None:
            raise InvalidInput(f"Không có cơ quan mã “{code[:40]}”.", code="unknown_agency")
        if not is_current(agency, valid_from):
            raise InvalidInput(f"{agency.name} không còn hoạt động vào ngày {valid_from:%d/%m/%Y}.")
        chosen.append(agency)
    if every_commune:
        chosen += [a for a in list_commune_committees(session, include_historical=True) if is_current(a, valid_from)]
    if not chosen:
        raise InvalidInput("Chọn ít nhất một cơ quan thực hiện hoặc “mọi UBND cấp xã”.")
    already = {app.agency_id for app in current_applications(session, [procedure.id], on=valid_from)}
    added = []
    for agency in {a.id: a for a in chosen}.values():
        if agency.id in already:
            continue
        app = ProcedureAgency(
            procedure_id=procedure.id, agency_id=agency.id, level=agency.level,
            valid_from=max(valid_from, agency.valid_from) if agency.valid_from else valid_from, source=basis,
        )
        session.add(app)
        added.append(app)
    session.flush()
    return added
