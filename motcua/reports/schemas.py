"""Response models of the statistics API (OpenAPI documents them)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from motcua.auth.roles import ROLE_LABELS, Role
from motcua.dossiers.enums import STATUS_LABELS
from motcua.dossiers.schemas import LocalDateTime
from motcua.reports.counting import COLUMNS
from motcua.reports.enums import COLUMN_LABELS, Column, GroupBy
from motcua.reports.service import Behind, Holder, Row, Table


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


# --- the dossiers behind one figure (the page's drill-down list as JSON) -----------------------


class HolderOut(BaseModel):
    """Where the dossier is now (null once finished or before its first step)."""

    unit_code: str = Field(description="Mã đơn vị đang giữ hồ sơ (QCVN 102)")
    unit_name: str = Field(description="Tên đơn vị đang giữ hồ sơ")
    role: str | None = Field(description="Vai trò xử lý bước hiện tại; null ở bước phối hợp song song")
    role_label: str | None = Field(description="Tên vai trò (tiếng Việt)")
    assignee: str | None = Field(description="Cán bộ được giao; null khi chưa giao cho người cụ thể")


class BehindItem(BaseModel):
    id: uuid.UUID
    code: str | None = Field(description="Mã hồ sơ")
    procedure_code: str = Field(description="Mã thủ tục")
    procedure: str = Field(description="Tên thủ tục")
    received_at: LocalDateTime = Field(description="Thời điểm tiếp nhận (giờ Việt Nam)")
    deadline: LocalDateTime | None = Field(description="Hẹn trả kết quả đang có hiệu lực; null khi thủ tục không có thời hạn")
    status: str = Field(description="Trạng thái nội bộ")
    status_label: str = Field(description="Tên trạng thái (tiếng Việt)")
    holder: HolderOut | None


class BehindOut(BaseModel):
    date_from: date = Field(serialization_alias="from", description="Ngày đầu kỳ (tính cả ngày này)")
    date_to: date = Field(serialization_alias="to", description="Ngày cuối kỳ (tính cả ngày này)")
    group_by: GroupBy
    key: str = Field(description="Khóa của nhóm như ở `rows[].key` của thống kê; rỗng: dòng tổng")
    group_name: str = Field(description="Tên của nhóm (“Tổng cộng” ở dòng tổng)")
    column: Column
    column_label: str = Field(description="Tên cột số liệu")
    holder: str | None = Field(None, description="Bộ lọc cán bộ đang giữ hồ sơ (id hoặc “unassigned”); null: không lọc")
    holder_unit: str | None = Field(None, description="Bộ lọc đơn vị của bước đang mở (id hoặc “none”); null: không lọc")
    holder_name: str | None = Field(None, description="Cán bộ (đơn vị) đang giữ hồ sơ theo bộ lọc")
    total: int = Field(ge=0, description="Số hồ sơ của ô: bằng số liệu của ô trong bảng thống kê cùng kỳ")
    page: int
    page_size: int
    pages: int
    items: list[BehindItem]


def _holder_out(holder: Holder | None) -> HolderOut | None:
    if holder is None:
        return None
    label = ROLE_LABELS[Role(holder.role)] if holder.role in set(Role) else None
    return HolderOut(unit_code=holder.unit_code, unit_name=holder.unit_name, role=holder.role, role_label=label,
                     assignee=holder.assignee)


def behind_out(behind: Behind, p, held: dict[uuid.UUID, Holder]) -> BehindOut:
    return BehindOut(
        date_from=p.date_from, date_to=p.date_to, group_by=behind.group_by, key=behind.key,
        group_name=behind.group_name, column=behind.column, column_label=COLUMN_LABELS[behind.column],
        holder=behind.holder.officer_key if behind.holder else None,
        holder_unit=behind.holder.unit_key if behind.holder else None,
        holder_name=behind.holder.label if behind.holder else None,
        total=behind.total, page=behind.page, page_size=behind.page_size, pages=behind.pages,
        items=[BehindItem(id=d.id, code=d.code, procedure_code=d.procedure_code, procedure=d.procedure_name,
                          received_at=d.received_at, deadline=d.due_at, status=d.status,
                          status_label=STATUS_LABELS.get(d.status, d.status), holder=_holder_out(held.get(d.id)))
               for d in behind.items],
    )
