"""JSON API of the documents domain: forms 01–06 (and 03a) of a dossier and the tracking book (07) as PDF."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from motcua.auth.deps import CurrentUser
from motcua.core.db import DbSession
from motcua.documents import printing
from motcua.documents.book import BOOK_PART_ROWS

router = APIRouter(prefix="/api/v1", tags=["biểu mẫu"])


PDF_RESPONSE = {
    200: {"description": "Tệp PDF của biểu mẫu", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
    401: {"description": "Chưa đăng nhập"},
    403: {"description": "Không có quyền"},
    404: {"description": "Không tìm thấy hồ sơ, hoặc biểu mẫu chưa áp dụng cho hồ sơ (ví dụ mẫu 04 khi chưa xin lỗi)"},
}


@router.get(
    "/dossiers/{dossier_id}/forms/{number}",
    summary="In biểu mẫu của hồ sơ (PDF)",
    description=(
        "Biểu mẫu theo số hiệu đang dùng (mặc định Thông tư 03/2025/TT-VPCP): 01 giấy tiếp nhận và hẹn trả, "
        "02 yêu cầu bổ sung, 03 từ chối tiếp nhận, 03a thông báo từ chối giải quyết (sau thẩm định), "
        "04 xin lỗi và gia hạn, 05 thông báo dừng giải quyết, 06 phiếu kiểm soát quá trình. Khổ A5. "
        "Trả 404 khi biểu mẫu chưa áp dụng cho hồ sơ."
    ),
    response_class=printing.Response,
    responses=PDF_RESPONSE,
)
def dossier_form(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    dossier_id: uuid.UUID,
    number: Annotated[str, Path(max_length=20, description="Số hiệu biểu mẫu, ví dụ 01")],
):
    filename, content = printing.dossier_form_pdf(session, user, dossier_id, number, settings=request.app.state.settings)
    return printing.pdf_response(content, filename)


@router.get(
    "/reports/tracking-book",
    summary="Sổ theo dõi hồ sơ của một đơn vị (PDF, mẫu 07)",
    description=(
        "Các hồ sơ do đơn vị tiếp nhận trong khoảng ngày (giờ Việt Nam, tính cả hai đầu), khổ A4 ngang. "
        f"Sổ dài được in thành từng phần, mỗi phần tối đa {BOOK_PART_ROWS} hồ sơ (tham số `part`, mặc định 1); "
        "tiêu đề X-Book-Rows, X-Book-Parts, X-Book-Part cho biết tổng số hồ sơ, số phần và phần đang in."
    ),
    response_class=printing.Response,
    responses=PDF_RESPONSE | {422: {"description": "Tham số không hợp lệ"}},
)
def tracking_book(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    unit: Annotated[str, Query(min_length=1, max_length=20, description="Mã định danh đơn vị tiếp nhận")],
    date_from: Annotated[date, Query(alias="from", description="Từ ngày (YYYY-MM-DD)")],
    date_to: Annotated[date, Query(alias="to", description="Đến ngày (YYYY-MM-DD)")],
    part: Annotated[int, Query(ge=1, le=100000, description="Phần cần in (1, 2, …)")] = 1,
):
    filename, content, plan = printing.tracking_book_pdf(
        session, user, unit_code=unit, date_from=date_from, date_to=date_to, part=part,
        settings=request.app.state.settings,
    )
    return printing.pdf_response(content, filename, printing.book_headers(plan, part))
