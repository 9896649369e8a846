"""JSON API of process templates: read (export), import a new version, list versions."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy.orm import Session

from motcua.auth.deps import CurrentUser
from motcua.catalog.service import get_procedure_by_code, implementing_agencies
from motcua.core.db import DbSession
from motcua.core.errors import InvalidInput
from motcua.org.service import get_agency_by_code
from motcua.workflow import service
from motcua.workflow.schemas import ProcessIO, ProcessVersionOut

router = APIRouter(prefix="/api/v1", tags=["Quy trình nội bộ"])
ProcCode = Annotated[str, Path(max_length=64, description="Mã thủ tục")]
AgencyCode = Annotated[str, Path(max_length=20, description="Mã cơ quan thực hiện")]
ERRORS = {401: {"description": "Chưa đăng nhập"}, 403: {"description": "Không có quyền"},
          404: {"description": "Không tìm thấy"}, 422: {"description": "Dữ liệu không hợp lệ"}}


def _pair(session: Session, procedure_code: str, agency_code: str):
    procedure = get_procedure_by_code(session, procedure_code)
    agency = get_agency_by_code(session, agency_code)
    if agency.id not in {a.id for a in implementing_agencies(session, procedure)}:
        raise InvalidInput(f"{agency.name} không phải cơ quan thực hiện thủ tục “{procedure.code}”.")
    return procedure, agency


@router.get("/processes/{procedure_code}/{agency_code}", response_model=ProcessIO, summary="Xuất quy trình nội bộ",
            responses=ERRORS)
def export_process(procedure_code: ProcCode, agency_code: AgencyCode, session: DbSession,
                   user: CurrentUser) -> ProcessIO:
    """Quy trình đang áp dụng (JSON, dùng lại được để nhập); chưa có thì là quy trình mặc định (phiên bản 0)."""
    procedure, agency = _pair(session, procedure_code, agency_code)
    return ProcessIO.model_validate(service.export_or_preview(session, procedure, agency))


@router.put("/processes/{procedure_code}/{agency_code}", response_model=ProcessIO, status_code=201,
            summary="Nhập quy trình nội bộ (tạo phiên bản mới)", responses=ERRORS)
def import_process(procedure_code: ProcCode, agency_code: AgencyCode, body: ProcessIO, session: DbSession,
                   user: CurrentUser) -> ProcessIO:
    """Quản trị đơn vị (hoặc quản trị tỉnh) nhập quy trình; hồ sơ đang xử lý giữ phiên bản cũ."""
    procedure, agency = _pair(session, procedure_code, agency_code)
    template = service.import_template(session, procedure=procedure, agency=agency,
                                       data=body.model_dump(mode="json"), actor=user)
    return ProcessIO.model_validate(service.export_template(session, template))


@router.get("/processes/{procedure_code}/{agency_code}/versions", response_model=list[ProcessVersionOut],
            summary="Các phiên bản quy trình", responses=ERRORS)
def process_versions(procedure_code: ProcCode, agency_code: AgencyCode, session: DbSession,
                     user: CurrentUser) -> list[ProcessVersionOut]:
    procedure, agency = _pair(session, procedure_code, agency_code)
    return [
        ProcessVersionOut(version=t.version, active=t.active, name=t.name, is_default=t.is_default,
                          total_hours=sum((s.allotment_hours for s in t.steps), Decimal(0)))
        for t in service.list_versions(session, procedure, agency)
    ]
