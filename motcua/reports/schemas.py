"""Response models of the statistics API (OpenAPI documents them)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from motcua.reports.counting import COLUMNS
from motcua.reports.enums import COLUMN_LABELS, GroupBy
from motcua.reports.service import Row, Table


def _count(column) -> object:
    return Field(ge=0, description=COLUMN_LABELS[column] + " (docs/reports.md)")


class StatisticsRow(BaseModel):
    """One group's figures (or the total row: code "" and name "Tổng cộng")."""

    key: str = Field(description="Khóa của nhóm (id, mã kênh hoặc “none”); rỗng ở dòng tổng")
    code: str = Field(description="Mã của nhóm: mã cơ quan, thủ tục, lĩnh vực, kênh, tên đăng nhập cán bộ")
    name: str = Field(description="Tên của nhóm")
    carried_over: int = _count(COLUMNS[0])
    received: int = _count(COLUMNS[1])
    received_online: int = _count(COLUMNS[2])
    received_counter: int = _count(COLUMNS[3])
    received_post: int = _count(COLUMNS[4])
    cross_boundary: int = _count(COLUMNS[5])
    finished_early: int = _count(COLUMNS[6])
    finished_on_time: int = _count(COLUMNS[7])
    finished_late: int = _count(COLUMNS[8])
    refused: int = _count(COLUMNS[9])
    withdrawn: int = _count(COLUMNS[10])
    stopped: int = _count(COLUMNS[11])
    in_progress: int = _count(COLUMNS[12])
    overdue: int = _count(COLUMNS[13])
    waiting_applicant: int = _count(COLUMNS[14])
    waiting_supplement: int = _count(COLUMNS[15])
    waiting_payment: int = _count(COLUMNS[16])
    online_share: float | None = Field(description="Tỷ lệ hồ sơ tiếp nhận trực tuyến (%), null khi không tiếp nhận hồ sơ nào")


assert [n for n in StatisticsRow.model_fields if n not in ("key", "code", "name", "online_share")] == [c.value for c in COLUMNS]


class StatisticsOut(BaseModel):
    date_from: date = Field(serialization_alias="from", description="Ngày đầu kỳ (tính cả ngày này)")
    date_to: date = Field(serialization_alias="to", description="Ngày cuối kỳ (tính cả ngày này)")
    at: datetime = Field(description="Thời điểm xét hồ sơ đang giải quyết: cuối kỳ, hoặc hiện tại nếu kỳ chưa kết thúc")
    group_by: GroupBy
    rows: list[StatisticsRow]
    total: StatisticsRow


def row_out(row: Row) -> StatisticsRow:
    return StatisticsRow(key=row.key, code=row.code, name=row.name, online_share=row.online_share,
                         **{c.value: row.counts[c] for c in COLUMNS})


def statistics_out(table: Table) -> StatisticsOut:
    p = table.period
    return StatisticsOut(date_from=p.date_from, date_to=p.date_to, at=p.at, group_by=table.group_by,
                         rows=[row_out(r) for r in table.rows], total=row_out(table.total))
