"""JSON API: deadline computation, the days of a year, and (administrators) new days."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from motcua.auth.deps import require_roles, require_user
from motcua.auth.models import User
from motcua.auth.roles import Role
from motcua.calendar import admin, deadlines, parsing, store
from motcua.calendar.schemas import (
    AgencyOfficeHoursRead,
    CalendarDayCreate,
    CalendarDayRead,
    DueDateRead,
    OfficeHoursOverview,
    OfficeHoursUpdate,
    OfficePeriod,
)
from motcua.core.clock import LOCAL_TZ
from motcua.core.db import DbSession
from motcua.core.errors import NotFound

router = APIRouter(prefix="/api/v1", tags=["lịch làm việc"])

Admin = Annotated[User, Depends(require_roles(Role.province_admin))]
SignedIn = Annotated[User, Depends(require_user)]

PROBLEM = {"content": {"application/problem+json": {}}}
INPUT_ERRORS = {422: {"description": "Dữ liệu không hợp lệ", **PROBLEM}}
ADMIN_ERRORS = {
    401: {"description": "Chưa đăng nhập hoặc mã truy cập không hợp lệ", **PROBLEM},
    403: {"description": "Không có quyền (cần vai trò quản trị tỉnh)", **PROBLEM},
    **INPUT_ERRORS,
}


@router.get(
    "/calendar/due-date",
    response_model=DueDateRead,
    summary="Tính ngày hẹn trả kết quả",
    description=(
        "Áp dụng giờ chốt tiếp nhận, giờ làm việc, ngày nghỉ lễ, ngày nghỉ hoán đổi và ngày làm việc bù. "
        "Thời điểm không ghi múi giờ được hiểu là giờ Việt Nam (Asia/Ho_Chi_Minh). "
        "Nhập mã thủ tục `procedure` (thời hạn và giờ chốt trong danh mục), "
        "hoặc đúng một trong hai: `working_days`, `working_hours`."
    ),
    responses={
        **INPUT_ERRORS,
        404: {"description": "Không tìm thấy cơ quan hoặc thủ tục", **PROBLEM},
    },
)
def due_date(
    session: DbSession,
    received_at: Annotated[
        str, Query(max_length=64, description="Ví dụ 2025-01-24T15:30 hoặc 2025-01-24T15:30+07:00")
    ],
    procedure: Annotated[
        str | None, Query(max_length=64, description="Mã thủ tục (thời hạn trong danh mục)")
    ] = None,
    working_days: Annotated[
        int | None, Query(description="Số ngày làm việc (0 = trong ngày)")
    ] = None,
    working_hours: Annotated[float | None, Query(description="Số giờ làm việc")] = None,
    cutoff: Annotated[
        str | None, Query(max_length=16, description="Giờ chốt tiếp nhận HH:MM, mặc định 15:00")
    ] = None,
    agency: Annotated[
        str | None, Query(max_length=64, description="Mã cơ quan (giờ làm việc riêng)")
    ] = None,
) -> DueDateRead:
    result = deadlines.compute_due(
        session,
        received_at=received_at,
        procedure_code=procedure,
        working_days=working_days,
        working_hours=working_hours,
        cutoff=cutoff,
        agency_code=agency,
    )
    return DueDateRead.model_validate(deadlines.due_as_dict(result))


@router.get(
    "/calendar/days",
    response_model=list[CalendarDayRead],
    summary="Ngày lễ, ngày nghỉ và ngày làm việc bù của một năm",
    responses=INPUT_ERRORS,
)
def list_days(
    session: DbSession,
    year: Annotated[
        int, Query(ge=parsing.MIN_YEAR, le=parsing.MAX_YEAR, description="Năm, ví dụ 2026")
    ],
) -> list[CalendarDayRead]:
    return [CalendarDayRead.model_validate(row) for row in admin.list_days(session, year=year)]


@router.post(
    "/calendar/days",
    response_model=CalendarDayRead,
    status_code=201,
    summary="Thêm ngày nghỉ hoặc ngày làm việc bù (quản trị tỉnh)",
    responses={**ADMIN_ERRORS, 409: {"description": "Ngày đã có trong lịch", **PROBLEM}},
)
def add_day(body: CalendarDayCreate, user: Admin, session: DbSession) -> CalendarDayRead:
    row = admin.add_day(
        session,
        actor=user,
        day=body.day,
        kind=body.kind,
        name=body.name,
        source=body.source,
        confirmed=body.confirmed,
    )
    return CalendarDayRead.model_validate(row)


@router.post(
    "/calendar/days/{day}/confirm",
    response_model=CalendarDayRead,
    summary="Xác nhận một ngày đang chờ (quản trị tỉnh)",
    responses={**ADMIN_ERRORS, 404: {"description": "Ngày không có trong lịch", **PROBLEM}},
)
def confirm_day(
    day: Annotated[date, Path(description="YYYY-MM-DD")], user: Admin, session: DbSession
) -> CalendarDayRead:
    return CalendarDayRead.model_validate(admin.confirm_day(session, actor=user, day=day))


@router.delete(
    "/calendar/days/{day}",
    status_code=204,
    summary="Xoá một ngày khỏi lịch (quản trị tỉnh)",
    responses={**ADMIN_ERRORS, 404: {"description": "Ngày không có trong lịch", **PROBLEM}},
)
def remove_day(
    day: Annotated[date, Path(description="YYYY-MM-DD")], user: Admin, session: DbSession
) -> None:
    admin.remove_day(session, actor=user, day=day)


# --- office hours (province default and agencies' own) -------------------------------------

AGENCY_HOURS_ERRORS = {
    401: {"description": "Chưa đăng nhập hoặc mã truy cập không hợp lệ", **PROBLEM},
    403: {
        "description": "Không có quyền (quản trị tỉnh, hoặc quản trị cơ quan trong phạm vi)",
        **PROBLEM,
    },
    404: {"description": "Không tìm thấy cơ quan hoặc cơ quan không có giờ riêng", **PROBLEM},
    **INPUT_ERRORS,
}


def _periods(periods) -> list[OfficePeriod]:
    return [OfficePeriod(start=f"{s:%H:%M}", end=f"{e:%H:%M}") for s, e in periods]


def _agency_hours(item: admin.AgencyOfficeHours) -> AgencyOfficeHoursRead:
    return AgencyOfficeHoursRead(
        agency_code=item.agency.code,
        agency_name=item.agency.name,
        periods=_periods(item.periods),
        text=item.text,
        changed_by=item.changed_by,
        changed_at=item.changed_at.astimezone(LOCAL_TZ).isoformat() if item.changed_at else None,
    )


def _agency(session: Session, code: str):
    agency = store.find_agency(session, code)
    if agency is None:  # an empty code
        raise NotFound("Cần mã cơ quan.", code="agency_not_found")
    return agency


@router.get(
    "/calendar/office-hours",
    response_model=OfficeHoursOverview,
    summary="Giờ làm việc của tỉnh và của các cơ quan có giờ riêng",
)
def office_hours(session: DbSession) -> OfficeHoursOverview:
    province = store.office_hours_for(session)
    return OfficeHoursOverview(
        province=_periods(province),
        province_text=parsing.office_hours_text(province),
        agencies=[_agency_hours(item) for item in admin.list_agency_office_hours(session)],
    )


@router.put(
    "/calendar/office-hours/{agency_code}",
    response_model=AgencyOfficeHoursRead,
    summary="Đặt giờ làm việc riêng của một cơ quan",
    description=(
        "Quản trị tỉnh: mọi cơ quan; quản trị cơ quan: cơ quan của mình và cơ quan cấp dưới. "
        "Áp dụng cho các thời hạn tính từ nay; ngày hẹn đã cấp không bị tính lại."
    ),
    responses=AGENCY_HOURS_ERRORS,
)
def set_agency_office_hours(
    body: OfficeHoursUpdate,
    user: SignedIn,
    session: DbSession,
    agency_code: Annotated[str, Path(max_length=40, description="Mã cơ quan")],
) -> AgencyOfficeHoursRead:
    agency = _agency(session, agency_code)
    admin.set_office_hours(session, actor=user, periods=body.periods, agency=agency)
    item = next(i for i in admin.list_agency_office_hours(session) if i.agency.id == agency.id)
    return _agency_hours(item)


@router.delete(
    "/calendar/office-hours/{agency_code}",
    status_code=204,
    summary="Bỏ giờ làm việc riêng của một cơ quan (theo giờ của tỉnh)",
    responses=AGENCY_HOURS_ERRORS,
)
def remove_agency_office_hours(
    user: SignedIn,
    session: DbSession,
    agency_code: Annotated[str, Path(max_length=40, description="Mã cơ quan")],
) -> None:
    admin.remove_office_hours(session, actor=user, agency=_agency(session, agency_code))
