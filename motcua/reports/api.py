"""JSON API of the statistics and the 766 self-score (issue 13 §2)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from motcua.auth.deps import CurrentUser
from motcua.core.db import DbSession
from motcua.reports import dashboards, index766, service
from motcua.reports.counting import period
from motcua.reports.enums import Column, GroupBy
from motcua.reports.schemas import BehindOut, StatisticsOut, behind_out, statistics_out
from motcua.reports.schemas766 import Report766Out, report_out
from motcua.reports.schemas_dashboard import DashboardOut, dashboard_out

router = APIRouter(prefix="/api/v1", tags=["Báo cáo, thống kê"])

ERRORS = {401: {"description": "Chưa đăng nhập"}, 422: {"description": "Tham số không hợp lệ (application/problem+json)"}}


@router.get(
    "/reports/statistics",
    response_model=StatisticsOut,
    response_model_by_alias=True,
    summary="Thống kê tình hình giải quyết hồ sơ theo kỳ",
    description=(
        "Một dòng cho mỗi nhóm (cơ quan giải quyết, bộ phận tiếp nhận, lĩnh vực, thủ tục, hình thức nộp, cán bộ "
        "tiếp nhận) và dòng `total` (tổng các dòng). Chỉ tính hồ sơ trong phạm vi cơ quan của người dùng. "
        "Quy tắc đếm (ngày nào đưa hồ sơ vào kỳ, trước hạn/đúng hạn/quá hạn sau xin lỗi hẹn lại hoặc tạm dừng): "
        "docs/reports.md."
    ),
    responses=ERRORS,
)
def statistics(
    session: DbSession,
    user: CurrentUser,
    date_from: Annotated[date, Query(alias="from", description="Từ ngày (YYYY-MM-DD, giờ Việt Nam, tính cả ngày này)")],
    date_to: Annotated[date, Query(alias="to", description="Đến ngày (YYYY-MM-DD, tính cả ngày này)")],
    group_by: Annotated[GroupBy, Query(description="Nhóm theo")] = GroupBy.agency,
) -> StatisticsOut:
    table = service.statistics(session, user, period(date_from, date_to), group_by)
    return statistics_out(table)


@router.get(
    "/reports/statistics/dossiers",
    response_model=BehindOut,
    response_model_by_alias=True,
    summary="Danh sách hồ sơ của một ô trong bảng thống kê",
    description=(
        "Hồ sơ được đếm trong ô (`column`) của nhóm `key` (khóa `rows[].key` của /reports/statistics; để trống: dòng "
        "tổng) cùng kỳ và cách nhóm, theo cùng điều kiện đếm, nên `total` bằng số liệu của ô. Chia trang, xếp theo "
        "thời điểm tiếp nhận. Mỗi hồ sơ: mã, thủ tục, ngày tiếp nhận, hẹn trả, trạng thái, nơi đang giữ hồ sơ. "
        "`holder` và `holder_unit` (như `overdue_by_officer[].holder`, `holder_unit` của /reports/dashboard) chỉ giữ "
        "hồ sơ người đó đang giữ ở đơn vị đó."
    ),
    responses=ERRORS | {403: {"description": "Lọc theo cán bộ khi không phải lãnh đạo đơn vị, hoặc đơn vị ngoài phạm vi"}},
)
def statistics_dossiers(
    session: DbSession,
    user: CurrentUser,
    date_from: Annotated[date, Query(alias="from", description="Từ ngày (YYYY-MM-DD, giờ Việt Nam, tính cả ngày này)")],
    date_to: Annotated[date, Query(alias="to", description="Đến ngày (YYYY-MM-DD, tính cả ngày này)")],
    column: Annotated[Column, Query(description="Cột số liệu")],
    group_by: Annotated[GroupBy, Query(description="Nhóm theo")] = GroupBy.agency,
    key: Annotated[str, Query(max_length=60, description="Khóa của nhóm (`rows[].key`); để trống: dòng tổng")] = "",
    page: Annotated[int, Query(ge=1, le=100000, description="Trang (từ 1)")] = 1,
    page_size: Annotated[int, Query(ge=1, le=service.MAX_LIST_PAGE, description="Số hồ sơ mỗi trang")] = 50,
    holder: Annotated[str, Query(max_length=60, description=(
        "Chỉ hồ sơ cán bộ này đang giữ (id cán bộ, hoặc “unassigned”: bước chưa có người nhận), cùng `holder_unit`; "
        "chỉ lãnh đạo đơn vị, quản trị tỉnh"))] = "",
    holder_unit: Annotated[str, Query(max_length=60, description=(
        "Đơn vị của bước đang mở (id đơn vị, hoặc “none” cùng “unassigned”: hồ sơ không có bước đang mở)"))] = "",
) -> BehindOut:
    p = period(date_from, date_to)
    held_by = service.parse_holder(session, user, holder, holder_unit)
    behind = service.dossiers_behind(session, user, p, group_by, key, column, page=page, page_size=page_size,
                                     holder=held_by)
    return behind_out(behind, p, service.holders(session, behind.items))


@router.get(
    "/reports/766",
    response_model=Report766Out,
    response_model_by_alias=True,
    summary="Tự chấm điểm Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)",
    description=(
        "Mỗi chỉ số với mã (metricCode), tỷ lệ, điểm, điểm tối đa, và lý do khi chưa tính được. Không có `agency`: "
        "mọi cơ quan trong phạm vi của người dùng có hồ sơ trong kỳ. Công thức: docs/reports.md “Chỉ số 766”."
    ),
    responses=ERRORS | {403: {"description": "Cơ quan không thuộc phạm vi của người dùng"}},
)
def index_766(
    session: DbSession,
    user: CurrentUser,
    date_from: Annotated[date, Query(alias="from", description="Từ ngày (YYYY-MM-DD, tính cả ngày này)")],
    date_to: Annotated[date, Query(alias="to", description="Đến ngày (YYYY-MM-DD, tính cả ngày này)")],
    agency: Annotated[str | None, Query(max_length=20, description="Mã cơ quan giải quyết (QCVN 102)")] = None,
    procedure: Annotated[str | None, Query(max_length=64, description="Mã thủ tục: chấm riêng thủ tục này")] = None,
) -> Report766Out:
    found = index766.report(session, user, period(date_from, date_to), agency_code=agency, procedure_code=procedure,
                            with_risks=False)
    return report_out(found)


@router.get(
    "/reports/dashboard",
    response_model=DashboardOut,
    response_model_by_alias=True,
    summary="Bảng điều hành của lãnh đạo: tháng này, đến hạn, quá hạn, xu hướng 12 tháng",
    description=(
        "Số liệu của trang /bao-cao trong phạm vi cơ quan của người dùng: tháng này đến hiện tại, hồ sơ đến hạn "
        "hôm nay và sắp đến hạn (theo ngày làm việc), hồ sơ quá hạn theo cơ quan và theo cán bộ đang giữ (chỉ lãnh "
        "đạo đơn vị, quản trị tỉnh), kết quả trước hạn/đúng hạn/quá hạn và Chỉ số 766 tự chấm của 12 tháng gần "
        "nhất. Cách tính: docs/reports.md “Dashboards”."
    ),
    responses={401: ERRORS[401]},
)
def dashboard(session: DbSession, user: CurrentUser) -> DashboardOut:
    return dashboard_out(dashboards.leader_dashboard(session, user))
