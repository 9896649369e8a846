"""JSON API of the organisation: agencies and administrative units (public, read-only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from motcua.core.db import DbSession
from motcua.org import service
from motcua.org.enums import AgencyKind, AgencyLevel, UnitKind
from motcua.org.schemas import (
    AgencyDetailOut,
    AgencyOut,
    AgencyPageOut,
    AgencyRef,
    UnitListOut,
    UnitOut,
)

router = APIRouter(prefix="/api/v1", tags=["tổ chức"])

PROBLEM = {"content": {"application/problem+json": {}}}
INVALID = {422: {"description": "Tham số không hợp lệ", **PROBLEM}}
NOT_FOUND = {404: {"description": "Không tìm thấy", **PROBLEM}}


@router.get(
    "/agencies",
    response_model=AgencyPageOut,
    summary="Danh sách cơ quan, đơn vị",
    description="Tìm không dấu theo tên, tên gọi khác hoặc mã; mặc định chỉ các cơ quan còn hoạt động.",
    responses=INVALID,
)
def list_agencies(
    session: DbSession,
    q: Annotated[str | None, Query(max_length=200, description="Từ khóa (không dấu cũng được) hoặc mã")] = None,
    level: Annotated[AgencyLevel | None, Query(description="Cấp: province, district, commune")] = None,
    kind: Annotated[AgencyKind | None, Query(description="Loại cơ quan")] = None,
    include_historical: Annotated[bool, Query(description="Gồm cả cơ quan đã giải thể/sáp nhập")] = False,
    parent_code: Annotated[str | None, Query(max_length=40, description="Mã cơ quan cấp trên")] = None,
    one_stop: Annotated[bool | None, Query(description="Chỉ cơ quan có Bộ phận Một cửa")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=service.MAX_PAGE_SIZE)] = 50,
) -> AgencyPageOut:
    result = service.search_agencies(
        session,
        q=q,
        level=level,
        kind=kind,
        include_historical=include_historical,
        parent_code=parent_code,
        one_stop=one_stop,
        page=page,
        page_size=page_size,
    )
    return AgencyPageOut(
        total=result.total,
        page=result.page,
        page_size=result.page_size,
        items=[AgencyOut.of(a, current=service.is_current(a)) for a in result.items],
    )


@router.get(
    "/agencies/{code}",
    response_model=AgencyDetailOut,
    summary="Chi tiết một cơ quan theo mã QCVN 102",
    responses={**NOT_FOUND},
)
def get_agency(
    session: DbSession,
    code: Annotated[str, Path(max_length=40, description="Mã QCVN 102, ví dụ 000.00.00.H37")],
) -> AgencyDetailOut:
    agency = service.get_agency_by_code(session, code)
    successor = service.current_successor(session, agency)
    base = AgencyOut.of(agency, current=service.is_current(agency))
    return AgencyDetailOut(
        **base.model_dump(),
        aliases=service.aliases_of(session, agency),
        current_successor=AgencyRef(code=successor.code, name=successor.name) if successor.id != agency.id else None,
        children=[AgencyRef(code=c.code, name=c.name) for c in service.children_of(session, agency)],
    )


@router.get(
    "/units",
    response_model=UnitListOut,
    summary="Đơn vị hành chính (tỉnh, huyện cũ, xã, phường)",
    description="Mặc định chỉ các đơn vị hiện hành (từ 01/07/2025); `include_historical=true` gồm cả các huyện, xã trước sắp xếp.",
    responses=INVALID,
)
def list_units(
    session: DbSession,
    kind: Annotated[UnitKind | None, Query(description="province, district, commune, ward, special_zone")] = None,
    include_historical: Annotated[bool, Query(description="Gồm cả đơn vị đã hết hiệu lực")] = False,
    parent_code: Annotated[str | None, Query(max_length=16, description="Mã đơn vị cấp trên")] = None,
) -> UnitListOut:
    units = service.list_units(session, kind=kind, include_historical=include_historical, parent_code=parent_code)
    return UnitListOut(total=len(units), items=[UnitOut.of(u) for u in units])
