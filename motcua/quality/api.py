"""JSON API of the quality domain's units, controlled documents and roadmap.

A unit's system, its announcement and the plans' roadmap are public (QĐ 19/2014 requires
the announcement to be posted); documents and every change need a signed-in user whom
`quality.policies` allows (the unit's secretary or head; the Department sees all).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from motcua.auth.deps import require_user
from motcua.auth.models import User
from motcua.catalog.service import find_procedure_by_code
from motcua.core.db import DbSession
from motcua.core.errors import InvalidInput
from motcua.org.service import today
from motcua.quality import audit_api, documents, roadmap, units
from motcua.quality.enums import Stage, UnitEventKind
from motcua.quality.schemas import (
    ActivityDoneIn,
    ActivityOut,
    AnnounceIn,
    ApproveIn,
    DetailsIn,
    DocumentIn,
    DocumentOut,
    ProcedureRefOut,
    RoadmapOut,
    ScopeIn,
    StageIn,
    UnitDetailOut,
    UnitEventOut,
    UnitOut,
    UnitPageOut,
    VersionIn,
    YearProgressOut,
)

router = APIRouter(prefix="/api/v1/quality", tags=["quản lý chất lượng ISO 9001"])
SignedIn = Annotated[User, Depends(require_user)]
PROBLEM = {"content": {"application/problem+json": {}}}
INVALID = {422: {"description": "Dữ liệu không hợp lệ", **PROBLEM}}
NOT_FOUND = {404: {"description": "Không tìm thấy", **PROBLEM}}
DENIED = {401: {"description": "Chưa đăng nhập", **PROBLEM}, 403: {"description": "Không có quyền", **PROBLEM}}
REFUSED = {409: {"description": "Không thực hiện được ở trạng thái hiện tại", **PROBLEM}}
AgencyCode = Annotated[str, Path(max_length=40, description="Mã QCVN 102 của đơn vị")]
MAX_PAGE_SIZE = 200


@router.get("/units", response_model=UnitPageOut, summary="Các đơn vị và hệ thống quản lý chất lượng", responses=INVALID)
def list_units(
    session: DbSession,
    stage: Annotated[Stage | None, Query(description="Giai đoạn: build, apply, announce, maintain")] = None,
    plan_group: Annotated[str | None, Query(pattern="^(I|II|III|IV|V|VI)$", description="Nhóm ở Phụ lục II (I–VI)")] = None,
    plan_year: Annotated[int | None, Query(ge=2018, le=2020, description="Năm theo lộ trình KH 71/KH-UBND")] = None,
    current_only: Annotated[bool, Query(description="Bỏ các hệ thống đã bàn giao cho đơn vị kế thừa")] = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> UnitPageOut:
    result = units.list_units(
        session, None, public=True, stage=stage, plan_group=plan_group, plan_year=plan_year,
        current_only=current_only, page=page, page_size=page_size,
    )
    return UnitPageOut(total=result.total, page=result.page, page_size=result.page_size,
                       items=[UnitOut.of(u) for u in result.items])


def unit_detail_out(session: Session, unit) -> UnitDetailOut:
    view = units.unit_view(session, unit)
    return UnitDetailOut(
        **UnitOut.of(unit).model_dump(),
        announcement_file=unit.announcement_file,
        consultant=unit.consultant,
        budget_vnd=unit.budget_vnd,
        leader_name=unit.leader_name,
        handed_over_to=view.successor.code if view.successor else None,
        handed_over_on=unit.handed_over_on,
        covered=[ProcedureRefOut(code=p.code, name=p.name) for p in view.covered],
        gaps=[ProcedureRefOut(code=p.code, name=p.name) for p in view.gaps],
        history=[UnitEventOut(kind=e.kind, label=UnitEventKind(e.kind).label, at=e.at, from_value=e.from_value,
                              to_value=e.to_value, note=e.note) for e in view.events],
    )


@router.get("/units/{agency_code}", response_model=UnitDetailOut, summary="Hệ thống quản lý chất lượng của một đơn vị",
            responses=NOT_FOUND)
def get_unit(session: DbSession, agency_code: AgencyCode) -> UnitDetailOut:
    return unit_detail_out(session, units.unit_by_code(session, agency_code))


@router.post("/units/{agency_code}/stage", response_model=UnitDetailOut, summary="Chuyển giai đoạn của hệ thống",
             responses={**NOT_FOUND, **DENIED, **INVALID, **REFUSED})
def move_stage(session: DbSession, user: SignedIn, agency_code: AgencyCode, body: StageIn) -> UnitDetailOut:
    unit = units.move_to_stage(session, user, units.unit_by_code(session, agency_code), body.stage)
    return unit_detail_out(session, unit)


@router.post("/units/{agency_code}/announcement", response_model=UnitDetailOut, summary="Ghi quyết định công bố hệ thống",
             responses={**NOT_FOUND, **DENIED, **INVALID, **REFUSED})
def announce(session: DbSession, user: SignedIn, agency_code: AgencyCode, body: AnnounceIn) -> UnitDetailOut:
    unit = units.announce(session, user, units.unit_by_code(session, agency_code), number=body.number, on=body.on, file=body.file)
    return unit_detail_out(session, unit)


@router.post("/units/{agency_code}/details", response_model=UnitDetailOut, summary="Cập nhật thông tin hệ thống",
             responses={**NOT_FOUND, **DENIED, **INVALID})
def update_details(session: DbSession, user: SignedIn, agency_code: AgencyCode, body: DetailsIn) -> UnitDetailOut:
    unit = units.unit_by_code(session, agency_code)
    units.update_details(session, user, unit, units.UnitDetails(
        consultant=body.consultant, budget_vnd=body.budget_vnd, leader_name=body.leader_name,
        secretary_id=units.secretary_by_username(session, body.secretary_username), note=body.note,
    ))
    return unit_detail_out(session, unit)


@router.post("/units/{agency_code}/scope", response_model=UnitDetailOut, summary="Đưa thủ tục vào phạm vi áp dụng",
             responses={**NOT_FOUND, **DENIED, **INVALID})
def cover(session: DbSession, user: SignedIn, agency_code: AgencyCode, body: ScopeIn) -> UnitDetailOut:
    unit = units.unit_by_code(session, agency_code)
    units.cover_codes(session, user, unit, body.procedure_codes, all_gaps=body.all_gaps)
    return unit_detail_out(session, unit)


@router.post("/roadmap/{source_row}/done", response_model=ActivityOut, summary="Ghi nhận đã thực hiện nội dung của lộ trình",
             responses={**NOT_FOUND, **DENIED, **INVALID})
def activity_done(
    session: DbSession, user: SignedIn, source_row: Annotated[str, Path(max_length=20)], body: ActivityDoneIn
) -> ActivityOut:
    return ActivityOut.model_validate(roadmap.record_activity_done(session, user, source_row, on=body.on, note=body.note))


def _document_out(document, unit) -> DocumentOut:
    return DocumentOut.of(document, unit.agency.code, documents.version_in_force(document, today()))


@router.get("/units/{agency_code}/documents", response_model=list[DocumentOut], summary="Tài liệu của hệ thống",
            responses={**NOT_FOUND, **DENIED})
def list_documents(session: DbSession, user: SignedIn, agency_code: AgencyCode) -> list[DocumentOut]:
    unit = units.unit_by_code(session, agency_code)
    return [_document_out(d, unit) for d in documents.list_documents(session, user, unit)]


@router.post("/units/{agency_code}/documents", response_model=DocumentOut, status_code=201, summary="Tạo tài liệu",
             responses={**NOT_FOUND, **DENIED, **INVALID, **REFUSED})
def create_document(session: DbSession, user: SignedIn, agency_code: AgencyCode, body: DocumentIn) -> DocumentOut:
    unit = units.unit_by_code(session, agency_code)
    procedure_id = None
    if body.procedure_code:
        procedure = find_procedure_by_code(session, body.procedure_code)
        if procedure is None:
            raise InvalidInput(f"Không có thủ tục mã “{body.procedure_code}”.")
        procedure_id = procedure.id
    document = documents.create_document(
        session, user, unit, documents.NewDocument(kind=body.kind, code=body.code, title=body.title, procedure_id=procedure_id)
    )
    return _document_out(document, unit)


@router.get("/documents/{document_id}", response_model=DocumentOut, summary="Một tài liệu và các phiên bản",
            responses={**NOT_FOUND, **DENIED})
def get_document(session: DbSession, user: SignedIn, document_id: uuid.UUID) -> DocumentOut:
    document, unit = documents.get_document(session, user, document_id)
    return _document_out(document, unit)


@router.post("/documents/{document_id}/versions", response_model=DocumentOut, status_code=201,
             summary="Soạn phiên bản mới (dự thảo)", responses={**NOT_FOUND, **DENIED, **INVALID, **REFUSED})
def add_version(session: DbSession, user: SignedIn, document_id: uuid.UUID, body: VersionIn) -> DocumentOut:
    document, unit = documents.get_document(session, user, document_id)
    documents.add_version(session, user, document, unit, documents.NewVersion(**body.model_dump()))
    return _document_out(document, unit)


@router.post("/documents/{document_id}/approve", response_model=DocumentOut, summary="Phê duyệt, ban hành dự thảo",
             responses={**NOT_FOUND, **DENIED, **INVALID, **REFUSED})
def approve(session: DbSession, user: SignedIn, document_id: uuid.UUID, body: ApproveIn) -> DocumentOut:
    document, unit = documents.get_document(session, user, document_id)
    documents.approve(session, user, document, unit, effective_from=body.effective_from)
    return _document_out(document, unit)


@router.get("/roadmap", response_model=RoadmapOut, summary="Lộ trình KH 71/KH-UBND và chỉ tiêu cấp xã KH 34/KH-UBND")
def get_roadmap(session: DbSession) -> RoadmapOut:
    result = roadmap.roadmap(session)
    return RoadmapOut(
        activities=[ActivityOut.model_validate(a) for a in result.activities],
        years=[YearProgressOut(**vars(y)) for y in result.years],
    )


# Audits, nonconformities, actions, reviews, legal-change tasks, targets and reports (quality/audit_api.py).
router.include_router(audit_api.router)
