"""Each unit's quality-management system: its record, lifecycle, scope (with gaps) and
the 2025 handover of a dissolved or merged unit's system to its successor.

Lifecycle (QĐ 19/2014 art. 4; DOMAIN.md §7): build → apply → announce → maintain. From
maintain a unit re-announces (back to announce) when its scope changes. Converting to
TCVN ISO 9001:2015 starts the lifecycle again at build with the new standard.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from motcua.auth.models import User
from motcua.catalog.applications import application_current_clause
from motcua.catalog.models import Procedure, ProcedureAgency
from motcua.core.clock import now
from motcua.core.errors import InvalidInput, NotFound, TransitionNotAllowed
from motcua.core.text import nfc
from motcua.org.models import Agency, QmsRolloutUnit
from motcua.org.service import today
from motcua.quality import policies
from motcua.quality.enums import DocumentKind, Stage, Standard, UnitEventKind, VersionStatus
from motcua.quality.models import (
    QualityDocument,
    QualityDocumentVersion,
    QualityScopeItem,
    QualityUnit,
    QualityUnitEvent,
)

# Allowed moves of the lifecycle, besides starting over for a new standard.
NEXT_STAGES: dict[Stage, frozenset[Stage]] = {
    Stage.build: frozenset({Stage.apply}),
    Stage.apply: frozenset({Stage.announce}),
    Stage.announce: frozenset({Stage.maintain}),
    Stage.maintain: frozenset({Stage.announce}),
}
# A unit applies its system once its quality policy and objectives are approved.
REQUIRED_TO_APPLY = (DocumentKind.policy, DocumentKind.objectives)


def _with_relations(stmt):
    return stmt.options(selectinload(QualityUnit.agency), selectinload(QualityUnit.rollout))


def unit_by_code(session: Session, agency_code: str) -> QualityUnit:
    unit = session.scalar(
        _with_relations(select(QualityUnit).join(Agency, Agency.id == QualityUnit.agency_id)).where(
            Agency.code == (agency_code or "").strip()
        )
    )
    if unit is None:
        raise NotFound(f"Không có hệ thống quản lý chất lượng của đơn vị mã “{agency_code}”.")
    return unit


def unit_of_agency(session: Session, agency_id: uuid.UUID) -> QualityUnit | None:
    return session.scalar(_with_relations(select(QualityUnit)).where(QualityUnit.agency_id == agency_id))


@dataclass
class UnitPage:
    items: list[QualityUnit]
    total: int
    page: int
    page_size: int


def _plan_order():
    # "I.1" .. "VI.23": group numeral, then row number; units outside the plan last
    return (QmsRolloutUnit.id.is_(None), QmsRolloutUnit.year, QmsRolloutUnit.source_row, Agency.name_folded)


def list_units(
    session: Session,
    user: User | None,
    *,
    public: bool = False,
    stage: Stage | None = None,
    plan_group: str | None = None,
    plan_year: int | None = None,
    current_only: bool = False,
    page: int = 1,
    page_size: int = 50,
) -> UnitPage:
    """Units the user may see; in the order of appendix II (by year, then group and row),
    units outside the plan last. `current_only` leaves out systems handed over in 2025.
    `public`: the register everyone may read (status and announcement are public)."""
    stmt = (
        select(QualityUnit)
        .join(Agency, Agency.id == QualityUnit.agency_id)
        .outerjoin(QmsRolloutUnit, QmsRolloutUnit.id == QualityUnit.rollout_id)
    )
    scope = None if public else policies.visible_agency_ids(session, user)
    if scope is not None:
        stmt = stmt.where(QualityUnit.agency_id.in_(scope))
    if stage is not None:
        stmt = stmt.where(QualityUnit.stage == stage)
    if plan_group:
        stmt = stmt.where(QmsRolloutUnit.source_row.like(f"{plan_group}.%"))
    if plan_year is not None:
        stmt = stmt.where(QmsRolloutUnit.year == plan_year)
    if current_only:
        stmt = stmt.where(QualityUnit.handed_over_to_id.is_(None))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = session.scalars(
        _with_relations(stmt).order_by(*_plan_order()).offset((page - 1) * page_size).limit(page_size)
    )
    return UnitPage(list(items), total, page, page_size)


def get_unit(session: Session, user: User | None, agency_code: str) -> QualityUnit:
    unit = unit_by_code(session, agency_code)
    policies.ensure_can_view_unit(session, user, unit)
    return unit


def _event(session: Session, unit: QualityUnit, kind: UnitEventKind, actor: User | None, *,
           from_value: str | None = None, to_value: str | None = None,
           other: QualityUnit | None = None, note: str | None = None) -> None:
    session.add(QualityUnitEvent(
        unit_id=unit.id, kind=kind, actor_id=actor.id if actor else None, from_value=from_value,
        to_value=to_value, other_unit_id=other.id if other else None, note=note,
    ))
    unit.updated_at = now()


def events_of(session: Session, unit: QualityUnit) -> list[QualityUnitEvent]:
    return list(session.scalars(
        select(QualityUnitEvent).where(QualityUnitEvent.unit_id == unit.id)
        .order_by(QualityUnitEvent.at, QualityUnitEvent.id)
    ))


def create_unit(
    session: Session, agency: Agency, *, standard: Standard, stage: Stage,
    rollout_id: uuid.UUID | None = None, actor: User | None = None, note: str | None = None,
) -> QualityUnit:
    unit = QualityUnit(agency_id=agency.id, rollout_id=rollout_id, standard=standard, stage=stage, note=note)
    session.add(unit)
    session.flush()
    _event(session, unit, UnitEventKind.created, actor, to_value=stage, note=note)
    return unit


# --- lifecycle ---------------------------------------------------------------------------


def _approved_kinds(session: Session, unit: QualityUnit) -> set[str]:
    return set(session.scalars(
        select(QualityDocument.kind).join(QualityDocumentVersion)
        .where(QualityDocument.unit_id == unit.id, QualityDocumentVersion.status == VersionStatus.approved)
    ))


def move_to_stage(session: Session, user: User | None, unit: QualityUnit, target: Stage | str) -> QualityUnit:
    """Advance the lifecycle one step. Announcing needs `announce` (the decision)."""
    policies.ensure_can_act(user, unit)
    target = Stage(target)
    current = Stage(unit.stage)
    if target not in NEXT_STAGES[current]:
        allowed = ", ".join(s.label for s in NEXT_STAGES[current])
        raise TransitionNotAllowed(
            f"Không thể chuyển hệ thống từ giai đoạn “{current.label}” sang “{target.label}”; "
            f"giai đoạn tiếp theo hợp lệ: {allowed}."
        )
    if target == Stage.apply:
        missing = [k.label for k in REQUIRED_TO_APPLY if k not in _approved_kinds(session, unit)]
        if missing:
            raise TransitionNotAllowed(
                "Chưa thể áp dụng hệ thống: chưa ban hành " + ", ".join(m.lower() for m in missing) + "."
            )
    if target == Stage.announce:
        raise TransitionNotAllowed("Công bố hệ thống bằng quyết định công bố (số, ngày, tệp quyết định).")
    _event(session, unit, UnitEventKind.stage, user, from_value=current, to_value=target)
    unit.stage = target
    session.flush()
    return unit


def announce(
    session: Session, user: User | None, unit: QualityUnit, *, number: str, on: date, file: str | None = None
) -> QualityUnit:
    """Record the announcement decision (công bố HTQLCL phù hợp TCVN ISO 9001): apply → announce,
    or maintain → announce when the scope changed. Every implemented procedure must be covered."""
    policies.ensure_can_act(user, unit)
    current = Stage(unit.stage)
    if Stage.announce not in NEXT_STAGES[current]:
        raise TransitionNotAllowed(
            f"Chỉ công bố được hệ thống đang ở giai đoạn “{Stage.apply.label}” hoặc “{Stage.maintain.label}”."
        )
    number = nfc(number) or ""
    if not number:
        raise InvalidInput("Nhập số quyết định công bố.")
    if on > today():
        raise InvalidInput("Ngày quyết định công bố không được sau ngày hôm nay.")
    gaps = scope_gaps(session, unit)
    if gaps:
        names = "; ".join(p.code for p in gaps[:5])
        raise TransitionNotAllowed(
            f"Chưa thể công bố: còn {len(gaps)} thủ tục đơn vị thực hiện chưa đưa vào phạm vi áp dụng ({names})."
        )
    unit.announcement_number, unit.announcement_date, unit.announcement_file = number, on, nfc(file) or None
    _event(session, unit, UnitEventKind.announced, user, from_value=current, to_value=Stage.announce,
           note=f"Quyết định {number} ngày {on:%d/%m/%Y}")
    unit.stage = Stage.announce
    session.flush()
    return unit


def convert_standard(session: Session, user: User | None, unit: QualityUnit, standard: Standard | str) -> QualityUnit:
    """Start over under a newer standard (plan 71: TCVN ISO 9001:2008 → 9001:2015): back to build."""
    policies.ensure_can_act(user, unit)
    standard = Standard(standard)
    if list(Standard).index(standard) <= list(Standard).index(Standard(unit.standard)):
        raise TransitionNotAllowed(f"Hệ thống đã áp dụng {Standard(unit.standard).label}; chỉ chuyển sang phiên bản mới hơn.")
    _event(session, unit, UnitEventKind.standard, user, from_value=unit.standard, to_value=standard,
           note=f"Giai đoạn “{Stage(unit.stage).label}” → “{Stage.build.label}”")
    unit.standard, unit.stage = standard, Stage.build
    session.flush()
    return unit


def secretary_by_username(session: Session, username: str | None) -> uuid.UUID | None:
    if not (username or "").strip():
        return None
    found = session.scalar(select(User.id).where(User.username == username.strip()))
    if found is None:
        raise InvalidInput(f"Không có tài khoản “{username.strip()}”.")
    return found


@dataclass(frozen=True)
class UnitDetails:
    consultant: str | None = None
    budget_vnd: int | None = None
    leader_name: str | None = None
    secretary_id: uuid.UUID | None = None
    note: str | None = None


def update_details(session: Session, user: User | None, unit: QualityUnit, details: UnitDetails) -> QualityUnit:
    policies.ensure_can_act(user, unit)
    if details.budget_vnd is not None and details.budget_vnd < 0:
        raise InvalidInput("Kinh phí không được âm.")
    secretary = session.scalar(
        select(User).where(User.id == details.secretary_id).options(selectinload(User.roles))
    ) if details.secretary_id is not None else None
    if details.secretary_id is not None and not policies.is_secretary_of(secretary, unit):
        raise InvalidInput("Thư ký ISO phải là tài khoản giữ vai trò Thư ký ISO tại đơn vị.")
    unit.consultant = nfc(details.consultant) or None
    unit.budget_vnd = details.budget_vnd
    unit.leader_name = nfc(details.leader_name) or None
    unit.secretary_id = details.secretary_id
    unit.note = nfc(details.note) or None
    _event(session, unit, UnitEventKind.details, user)
    session.flush()
    return unit


# --- scope -------------------------------------------------------------------------------


def implemented_procedures(session: Session, agency_id: uuid.UUID, on: date | None = None) -> list[Procedure]:
    """Procedures the agency implements today (catalogue applications current on `on`)."""
    current = (
        select(ProcedureAgency.procedure_id).join(Agency, Agency.id == ProcedureAgency.agency_id)
        .where(ProcedureAgency.agency_id == agency_id, application_current_clause(on or today()))
    )
    return list(session.scalars(select(Procedure).where(Procedure.id.in_(current)).order_by(Procedure.code)))


def covered_procedure_ids(session: Session, unit: QualityUnit) -> set[uuid.UUID]:
    return set(session.scalars(select(QualityScopeItem.procedure_id).where(QualityScopeItem.unit_id == unit.id)))


def scope_gaps(session: Session, unit: QualityUnit) -> list[Procedure]:
    """Procedures the unit implements that its system does not cover (must be none to announce)."""
    covered = covered_procedure_ids(session, unit)
    return [p for p in implemented_procedures(session, unit.agency_id) if p.id not in covered]


def scope_items(session: Session, unit: QualityUnit) -> list[tuple[QualityScopeItem, Procedure]]:
    return list(session.execute(
        select(QualityScopeItem, Procedure).join(Procedure, Procedure.id == QualityScopeItem.procedure_id)
        .where(QualityScopeItem.unit_id == unit.id).order_by(Procedure.code)
    ).tuples())


def cover_codes(session: Session, user: User | None, unit: QualityUnit, codes: list[str], *, all_gaps: bool = False) -> int:
    """`cover` by procedure codes as typed (page and API), or every gap at once."""
    implemented = {p.code: p.id for p in implemented_procedures(session, unit.agency_id)}
    if all_gaps:
        return cover(session, user, unit, [p.id for p in scope_gaps(session, unit)])
    wanted = [c.strip() for c in codes if c.strip()]
    unknown = [c for c in wanted if c not in implemented]
    if unknown:
        raise InvalidInput(f"Đơn vị không thực hiện thủ tục: {', '.join(unknown[:5])}.")
    if not wanted:
        raise InvalidInput("Nhập mã thủ tục cần đưa vào phạm vi áp dụng.")
    return cover(session, user, unit, [implemented[c] for c in wanted])


def cover(session: Session, user: User | None, unit: QualityUnit, procedure_ids: list[uuid.UUID]) -> int:
    """Add procedures to the scope. Only procedures the unit implements can be covered."""
    policies.ensure_can_act(user, unit)
    implemented = {p.id: p for p in implemented_procedures(session, unit.agency_id)}
    unknown = [pid for pid in procedure_ids if pid not in implemented]
    if unknown:
        raise InvalidInput("Chỉ đưa vào phạm vi áp dụng các thủ tục đơn vị đang thực hiện.")
    covered = covered_procedure_ids(session, unit)
    added = [pid for pid in dict.fromkeys(procedure_ids) if pid not in covered]
    for pid in added:
        session.add(QualityScopeItem(unit_id=unit.id, procedure_id=pid, added_on=today()))
    if added:
        codes = ", ".join(implemented[pid].code for pid in added)
        _event(session, unit, UnitEventKind.scope, user, note=f"Thêm vào phạm vi: {codes}")
    session.flush()
    return len(added)


# --- 2025 reorganisation -----------------------------------------------------------------


def final_successor(session: Session, agency: Agency) -> Agency:
    """Follow successor links to the agency that exists now (a merge can be merged again)."""
    seen = {agency.id}
    while agency.successor_id is not None and agency.successor_id not in seen:
        seen.add(agency.successor_id)
        agency = session.get(Agency, agency.successor_id)
    return agency


def hand_over(session: Session, unit: QualityUnit, *, actor: User | None = None) -> QualityUnit | None:
    """A dissolved or merged unit's system goes to its successor: scope and controlled
    documents move, the old record stays with `handed_over_to_id` and both histories say so.
    A successor without a system of its own gets one, at the predecessor's standard and stage."""
    agency = session.get(Agency, unit.agency_id)
    if unit.handed_over_to_id is not None or agency is None or agency.successor_id is None:
        return None
    successor_agency = final_successor(session, agency)
    successor = unit_of_agency(session, successor_agency.id) or create_unit(
        session, successor_agency, standard=Standard(unit.standard), stage=Stage(unit.stage), actor=actor,
        note=f"Tạo khi nhận hệ thống của {agency.name} (sắp xếp tổ chức bộ máy 2025).",
    )
    on = agency.dissolved_on or today()
    covered = covered_procedure_ids(session, successor)
    for item in session.scalars(select(QualityScopeItem).where(QualityScopeItem.unit_id == unit.id)):
        if item.procedure_id not in covered:
            session.add(QualityScopeItem(unit_id=successor.id, procedure_id=item.procedure_id, added_on=on, from_unit_id=unit.id))
    codes = set(session.scalars(select(QualityDocument.code).where(QualityDocument.unit_id == successor.id)))
    for document in session.scalars(select(QualityDocument).where(QualityDocument.unit_id == unit.id)):
        document.unit_id = successor.id
        if document.code in codes:  # the successor has its own document with that code
            document.code = f"{document.code}-{agency.code}"[:40]
    unit.handed_over_to_id, unit.handed_over_on = successor.id, on
    note = f"Theo sắp xếp tổ chức bộ máy, ngày {on:%d/%m/%Y}."
    _event(session, unit, UnitEventKind.handed_over, actor, other=successor, note=note)
    _event(session, successor, UnitEventKind.received, actor, other=unit, note=note)
    session.flush()
    return successor


@dataclass(frozen=True)
class UnitView:
    unit: QualityUnit
    covered: list[Procedure]
    gaps: list[Procedure]
    events: list[QualityUnitEvent]
    successor: Agency | None  # the agency whose system now holds this one (2025)
    predecessors: list[QualityUnit]


def unit_view(session: Session, unit: QualityUnit) -> UnitView:
    successor = None
    if unit.handed_over_to_id is not None:
        successor = session.scalar(
            select(Agency).join(QualityUnit, QualityUnit.agency_id == Agency.id).where(QualityUnit.id == unit.handed_over_to_id)
        )
    predecessors = list(session.scalars(
        _with_relations(select(QualityUnit)).where(QualityUnit.handed_over_to_id == unit.id)
    ))
    return UnitView(
        unit=unit,
        covered=[p for _item, p in scope_items(session, unit)],
        gaps=scope_gaps(session, unit),
        events=events_of(session, unit),
        successor=successor,
        predecessors=predecessors,
    )
