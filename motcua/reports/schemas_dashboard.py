"""Response model of the leaders' dashboard API (`GET /api/v1/reports/dashboard`): the figures
of `/bao-cao`, from the same `dashboards.leader_dashboard`."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from pydantic import BaseModel, Field

from motcua.reports.dashboards import Dashboard
from motcua.reports.enums import Column, DueWindow


class OverdueAgency(BaseModel):
    code: str = Field(description="Mã cơ quan giải quyết (QCVN 102)")
    name: str
    overdue: int = Field(ge=0, description="Hồ sơ đang giải quyết, quá hạn")


class OverdueOfficer(BaseModel):
    username: str = Field(description="Tên đăng nhập của cán bộ đang giữ hồ sơ; rỗng khi bước chưa có người nhận")
    name: str = Field(description="Họ tên cán bộ, hoặc “Chưa có người nhận xử lý”")
    unit_code: str = Field(description="Mã đơn vị của bước xử lý đang mở")
    unit_name: str
    overdue: int = Field(ge=0, description="Hồ sơ đang quá hạn người này đang giữ")
    holder: str = Field(description="Giá trị `holder` của danh sách hồ sơ (id cán bộ, hoặc “unassigned”)")
    holder_unit: str = Field(description="Giá trị `holder_unit` của danh sách hồ sơ (id đơn vị, hoặc “none”)")
    dossiers: str = Field(description="Đường dẫn API danh sách đúng các hồ sơ của số liệu này")


class TrendMonthOut(BaseModel):
    month: str = Field(description="Tháng, dạng YYYY-MM")
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    finished_early: int = Field(ge=0)
    finished_on_time: int = Field(ge=0)
    finished_late: int = Field(ge=0)
    in_time_share: float | None = Field(description="Trước hạn và đúng hạn / đã có kết quả (%), null khi không có kết quả")


class ScoreMonthOut(BaseModel):
    month: str = Field(description="Tháng, dạng YYYY-MM")
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    points: float = Field(description="Tổng điểm các chỉ số tính được (Chỉ số 766 tự chấm, toàn phạm vi)")
    computed_maximum: float = Field(description="Tổng điểm tối đa của các chỉ số tính được")
    maximum: float = Field(description="Điểm tối đa của bộ chỉ số (100)")


class DashboardOut(BaseModel):
    date_from: date = Field(serialization_alias="from", description="Ngày đầu tháng này")
    date_to: date = Field(serialization_alias="to", description="Ngày cuối tháng này")
    at: datetime = Field(description="Thời điểm xét hồ sơ đang giải quyết (hiện tại)")
    received: int = Field(ge=0, description="Tiếp nhận trong tháng")
    overdue: int = Field(ge=0, description="Đang giải quyết, quá hạn")
    in_progress: int = Field(ge=0, description="Đang giải quyết, chưa đến hạn")
    waiting_applicant: int = Field(ge=0, description="Chờ công dân (bổ sung, nghĩa vụ tài chính)")
    due_today: int = Field(ge=0, description="Đang giải quyết, hẹn trả trong hôm nay (chưa quá hạn)")
    due_soon: int = Field(ge=0, description="Đang giải quyết, hẹn trả sau hôm nay đến `due_soon_until`")
    due_soon_until: datetime = Field(description="Hạn cuối của “sắp đến hạn”: cùng giờ sau N ngày làm việc")
    due_soon_working_days: int = Field(description="N: số ngày làm việc của “sắp đến hạn”")
    overdue_by_agency: list[OverdueAgency]
    overdue_by_officer: list[OverdueOfficer] | None = Field(
        description="Theo cán bộ đang giữ hồ sơ; null khi người dùng không phải lãnh đạo đơn vị hoặc quản trị tỉnh")
    on_time_trend: list[TrendMonthOut] = Field(description="12 tháng gần nhất, mỗi tháng bằng bảng thống kê tháng đó")
    index766_trend: list[ScoreMonthOut] = Field(description="Chỉ số 766 tự chấm của phạm vi người dùng, 12 tháng gần nhất")


def dashboard_out(board: Dashboard) -> DashboardOut:
    p, t = board.table.period, board.total
    holders = None if board.holders is None else [
        OverdueOfficer(username=h.username, name=h.officer_name, unit_code=h.unit_code, unit_name=h.unit_name,
                       overdue=h.overdue, holder=h.filter_keys[0], holder_unit=h.filter_keys[1],
                       dossiers="/api/v1/reports/statistics/dossiers?" + urlencode({
                           "from": p.date_from.isoformat(), "to": p.date_to.isoformat(), "group_by": "agency",
                           "column": Column.overdue.value, "holder": h.filter_keys[0],
                           "holder_unit": h.filter_keys[1]}))
        for h in board.holders]
    return DashboardOut(
        date_from=p.date_from, date_to=p.date_to, at=p.at, received=t[Column.received], overdue=t[Column.overdue],
        in_progress=t[Column.in_progress], waiting_applicant=t[Column.waiting_applicant],
        due_today=board.due[DueWindow.today], due_soon=board.due[DueWindow.soon], due_soon_until=board.due_soon_until,
        due_soon_working_days=board.due_soon_working_days,
        overdue_by_agency=[OverdueAgency(code=u.row.code, name=u.row.name, overdue=u[Column.overdue])
                           for u in board.overdue_units],
        overdue_by_officer=holders,
        on_time_trend=[TrendMonthOut(
            month=m.period.date_from.strftime("%Y-%m"), date_from=m.period.date_from, date_to=m.period.date_to,
            finished_early=m.figures[Column.finished_early], finished_on_time=m.figures[Column.finished_on_time],
            finished_late=m.figures[Column.finished_late], in_time_share=m.figures.in_time_share) for m in board.trend],
        index766_trend=[ScoreMonthOut(
            month=m.period.date_from.strftime("%Y-%m"), date_from=m.period.date_from, date_to=m.period.date_to,
            points=m.score.points, computed_maximum=m.score.computed_maximum, maximum=m.score_maximum)
            for m in board.scores],
    )
