"""JSON API of the catalogue: /api/v1/procedures, /api/v1/procedures/{code}, /api/v1/fields."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from motcua.auth.deps import CurrentUser
from motcua.catalog import service, transfer
from motcua.catalog.applications import is_current_application
from motcua.catalog.policies import ensure_catalog_admin
from motcua.catalog.schemas import (
    AgencyRef,
    ComponentRead,
    FeeRead,
    FieldRead,
    FieldRef,
    ImportResult,
    LevelLiteral,
    OnlineLevelLiteral,
    ProcedureListItem,
    ProcedurePage,
    ProcedureRead,
    VersionRead,
)
from motcua.catalog.search import ProcedureSummary, search_procedures
from motcua.core.db import DbSession, read_only_scope
from motcua.core.errors import InvalidInput

router = APIRouter(prefix="/api/v1", tags=["danh mục thủ tục"])

PROBLEM = {"content": {"application/problem+json": {}}}
RESPONSES = {422: {"description": "Dữ liệu không hợp lệ", **PROBLEM}}

XLSX_MEDIA_TYPE = transfer.XLSX_MEDIA_TYPE


def summary_item(item: ProcedureSummary) -> ProcedureListItem:
    return ProcedureListItem(
        code=item.code,
        code_provisional=item.code_provisional,
        name=item.name,
        level=item.level,
        levels=sorted(item.levels),
        field=FieldRef(code=item.field_code, name=item.field_name) if item.field_code else None,
        online_level=item.online_level,
        status=item.status,
        cross_boundary=item.cross_boundary,
        time_limit_days=item.time_limit_days,
        time_limit_hours=item.time_limit_hours,
    )


def item_json(item: ProcedureSummary) -> bytes:
    """The entry's JSON in the list, validated through ProcedureListItem once per entry.

    Entries are immutable and rebuilt with the index after any catalogue change, so the
    cached bytes are never stale.
    """
    cached = item.api_json
    if cached is None:
        cached = item.api_json = summary_item(item).model_dump_json().encode()
    return cached


def page_json(
    total: int,
    page: int,
    page_size: int,
    items: list[ProcedureSummary],
    approximate: list[ProcedureSummary] = (),
) -> bytes:
    """Exactly ProcedurePage(...).model_dump_json(), from the cached item JSON."""
    return b'{"total":%d,"page":%d,"page_size":%d,"items":[%b],"approximate":[%b]}' % (
        total,
        page,
        page_size,
        b",".join([item_json(item) for item in items]),
        b",".join([item_json(item) for item in approximate]),
    )


def procedure_read(procedure) -> ProcedureRead:
    links = sorted(
        procedure.agency_links, key=lambda link: (link.agency.name_folded, link.agency.code, str(link.valid_from))
    )
    current = {link for link in links if is_current_application(link)}
    return ProcedureRead(
        code=procedure.code,
        code_provisional=procedure.code_provisional,
        name=procedure.name,
        level=procedure.level,
        levels=sorted({link.level for link in links if link in current}),
        field=FieldRef(code=procedure.field.code, name=procedure.field.name)
        if procedure.field
        else None,
        online_level=procedure.online_level,
        status=procedure.status,
        cross_boundary=procedure.cross_boundary,
        time_limit_days=procedure.time_limit_days,
        time_limit_hours=procedure.time_limit_hours,
        online_time_limit_days=procedure.online_time_limit_days,
        online_time_limit_hours=procedure.online_time_limit_hours,
        time_limit_note=procedure.time_limit_note,
        time_limit_basis=procedure.time_limit_basis,
        online_time_limit_basis=procedure.online_time_limit_basis,
        components_basis=procedure.components_basis,
        receipt_cutoff=procedure.receipt_cutoff.strftime("%H:%M")
        if procedure.receipt_cutoff
        else None,
        result_description=procedure.result_description,
        legal_basis=procedure.legal_basis,
        simplification_resolution=procedure.simplification_resolution,
        source=procedure.source,
        updated_at=procedure.updated_at,
        agencies=[
            AgencyRef(
                code=link.agency.code, name=link.agency.name, historical=link.agency.is_historical,
                level=link.level, valid_from=link.valid_from, valid_to=link.valid_to, source=link.source,
            )
            for link in links
        ],
        components=[
            ComponentRead.model_validate(c, from_attributes=True) for c in procedure.components
        ],
        fees=[FeeRead.model_validate(f, from_attributes=True) for f in procedure.fees],
        versions=[VersionRead.model_validate(v, from_attributes=True) for v in procedure.versions],
    )


@router.get(
    "/procedures",
    response_model=ProcedurePage,
    summary="Tra cứu thủ tục hành chính",
    description=(
        "Tìm kiếm không dấu (“dang ky khai sinh” tìm được “Đăng ký khai sinh”), xếp theo mức độ "
        "phù hợp; lọc theo cơ quan (mã), lĩnh vực (mã), cấp thực hiện, mức trực tuyến; phân trang."
    ),
    responses=RESPONSES,
)
def list_procedures(
    request: Request,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Từ khoá (có dấu hoặc không dấu) hoặc mã thủ tục"),
    ] = None,
    agency: Annotated[str | None, Query(max_length=40, description="Mã cơ quan thực hiện")] = None,
    field: Annotated[str | None, Query(max_length=80, description="Mã lĩnh vực")] = None,
    level: Annotated[LevelLiteral | None, Query(description="Cấp thực hiện")] = None,
    online_level: Annotated[OnlineLevelLiteral | None, Query(description="Mức trực tuyến")] = None,
    page: Annotated[int, Query(ge=1, le=10000, description="Trang (từ 1)")] = 1,
    page_size: Annotated[
        int, Query(ge=1, le=100, description="Số thủ tục mỗi trang (tối đa 100)")
    ] = 20,
) -> ProcedurePage:
    # The hottest public endpoint. A plain `def` (thread pool) like every route that
    # touches the database: nothing may wait for the database on the event loop. Its
    # database work is one tiny read (the search index signature, see search.py) in a
    # read-only unit of work (on PostgreSQL no BEGIN/COMMIT round trips, on SQLite a
    # deferred read that never waits for the write lock); ranking is in memory and each
    # entry's JSON is made once per catalogue state. Figures in docs/catalog.md
    # "Performance" (bench/bench_catalog_search.py).
    with read_only_scope(request.app.state.sessionmaker) as session:
        filters = service.resolve_filters(
            session, q=q, agency=agency, field=field, level=level, online_level=online_level
        )
        result = search_procedures(session, filters, page=page, page_size=page_size)
    return Response(
        page_json(result.total, page, page_size, result.items, result.approximate),
        media_type="application/json",
    )


@router.get(
    "/procedures/export",
    summary="Xuất hồ sơ đầy đủ các thủ tục (JSON hoặc XLSX)",
    description="Dành cho quản trị viên. Cùng bộ lọc như tra cứu; không lọc thì xuất toàn bộ danh mục.",
    responses={
        200: {
            "description": "Tệp xuất",
            "content": {"application/json": {}, XLSX_MEDIA_TYPE: {}},
        },
        401: {"description": "Chưa đăng nhập", **PROBLEM},
        403: {"description": "Không có quyền", **PROBLEM},
        **RESPONSES,
    },
)
def export_procedures(
    session: DbSession,
    user: CurrentUser,
    format: Annotated[Literal["json", "xlsx"], Query(description="Định dạng tệp")] = "json",
    q: Annotated[str | None, Query(max_length=200)] = None,
    agency: Annotated[str | None, Query(max_length=40)] = None,
    field: Annotated[str | None, Query(max_length=80)] = None,
    level: Annotated[LevelLiteral | None, Query()] = None,
    online_level: Annotated[OnlineLevelLiteral | None, Query()] = None,
) -> Response:
    ensure_catalog_admin(user)
    filters = service.resolve_filters(
        session, q=q, agency=agency, field=field, level=level, online_level=online_level
    )
    records = transfer.export_records(session, filters)
    if format == "xlsx":
        content, media_type = transfer.to_xlsx(records), XLSX_MEDIA_TYPE
    else:
        content, media_type = transfer.to_json(records), "application/json"
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="thu-tuc.{format}"'},
    )


def read_upload(content: bytes, filename: str | None) -> list:
    """Records from an uploaded JSON or XLSX file (told apart by content, not by name)."""
    if not content:
        raise InvalidInput("Tệp tải lên rỗng.")
    if content[:2] == b"PK":
        return transfer.parse_xlsx(content)
    return transfer.parse_json(content)


@router.post(
    "/procedures/import",
    response_model=ImportResult,
    summary="Nhập hồ sơ đầy đủ các thủ tục (JSON hoặc XLSX), tất cả hoặc không",
    description=(
        "Dành cho quản trị viên. Kiểm tra mọi bản ghi trước; có lỗi thì không thay đổi gì và trả "
        "danh sách lỗi theo từng bản ghi (trường `detail`). Mỗi thủ tục thay đổi có một phiên bản mới."
    ),
    responses={
        401: {"description": "Chưa đăng nhập", **PROBLEM},
        403: {"description": "Không có quyền", **PROBLEM},
        413: {"description": "Tệp quá lớn", **PROBLEM},
        **RESPONSES,
    },
)
def import_procedures(
    session: DbSession,
    user: CurrentUser,
    file: Annotated[UploadFile, File(description="Tệp .json hoặc .xlsx theo mẫu xuất")],
    decision_number: Annotated[
        str | None, Form(max_length=100, description="Số quyết định công bố")
    ] = None,
    decision_date: Annotated[date | None, Form(description="Ngày quyết định (YYYY-MM-DD)")] = None,
    effective_date: Annotated[date | None, Form(description="Ngày hiệu lực (YYYY-MM-DD)")] = None,
) -> ImportResult:
    ensure_catalog_admin(user)
    content = file.file.read(transfer.MAX_UPLOAD_BYTES + 1)
    if len(content) > transfer.MAX_UPLOAD_BYTES:
        raise InvalidInput("Tệp quá lớn (tối đa 20 MB).")
    records = read_upload(content, file.filename)
    return transfer.import_records(
        session,
        records,
        user=user,
        decision_number=(decision_number or "").strip() or None,
        decision_date=decision_date,
        effective_date=effective_date,
    )


@router.get(
    "/procedures/{code}",
    response_model=ProcedureRead,
    summary="Chi tiết một thủ tục hành chính",
    responses={404: {"description": "Không tìm thấy thủ tục", **PROBLEM}},
)
def get_procedure(session: DbSession, code: str) -> ProcedureRead:
    return procedure_read(service.get_procedure_by_code(session, code, full=True))


@router.get("/fields", response_model=list[FieldRead], summary="Danh sách lĩnh vực")
def list_fields(session: DbSession) -> list[FieldRead]:
    return [
        FieldRead(code=f.code, name=f.name, procedure_count=n)
        for f, n in service.list_fields(session)
    ]
