"""JSON shapes of the organisation API."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from motcua.org.models import AdministrativeUnit, Agency


class AgencyRef(BaseModel):
    code: str = Field(description="Mã QCVN 102")
    name: str


class UnitRef(BaseModel):
    code: str = Field(description="Mã đơn vị hành chính (Tổng cục Thống kê)")
    name: str
    kind: str


class AgencyOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"description": "Cơ quan, đơn vị"})

    id: uuid.UUID
    code: str = Field(description="Mã QCVN 102, ví dụ 000.00.00.H37")
    code_provisional: bool = Field(description="Mã do hệ thống tạm sinh, chưa phải mã chính thức")
    name: str
    short_name: str | None
    kind: str
    level: str
    is_one_stop: bool = Field(description="Có Bộ phận Một cửa tiếp nhận hồ sơ")
    parent: AgencyRef | None
    admin_unit: UnitRef | None
    valid_from: date | None
    valid_to: date | None
    dissolved_on: date | None = Field(description="Ngày giải thể/sáp nhập")
    successor: AgencyRef | None = Field(description="Đơn vị kế thừa trực tiếp")
    current: bool = Field(description="Còn hoạt động hôm nay")
    note: str | None

    @classmethod
    def of(cls, agency: Agency, *, current: bool) -> AgencyOut:
        return cls(
            id=agency.id,
            code=agency.code,
            code_provisional=agency.code_provisional,
            name=agency.name,
            short_name=agency.short_name,
            kind=agency.kind,
            level=agency.level,
            is_one_stop=agency.is_one_stop,
            parent=AgencyRef(code=agency.parent.code, name=agency.parent.name) if agency.parent else None,
            admin_unit=UnitRef(code=agency.admin_unit.code, name=agency.admin_unit.name, kind=agency.admin_unit.kind)
            if agency.admin_unit
            else None,
            valid_from=agency.valid_from,
            valid_to=agency.valid_to,
            dissolved_on=agency.dissolved_on,
            successor=AgencyRef(code=agency.successor.code, name=agency.successor.name) if agency.successor else None,
            current=current,
            note=agency.note,
        )


class AgencyDetailOut(AgencyOut):
    aliases: list[str] = Field(description="Tên gọi khác")
    current_successor: AgencyRef | None = Field(description="Đơn vị đang xử lý công việc của cơ quan này (theo chuỗi sáp nhập)")
    children: list[AgencyRef]


class AgencyPageOut(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[AgencyOut]


class UnitOut(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    kind: str
    parent_code: str | None
    valid_from: date | None
    valid_to: date | None
    source: str

    @classmethod
    def of(cls, unit: AdministrativeUnit) -> UnitOut:
        return cls(
            id=unit.id,
            code=unit.code,
            name=unit.name,
            kind=unit.kind,
            parent_code=unit.parent.code if unit.parent else None,
            valid_from=unit.valid_from,
            valid_to=unit.valid_to,
            source=unit.source,
        )


class UnitListOut(BaseModel):
    total: int
    items: list[UnitOut]
