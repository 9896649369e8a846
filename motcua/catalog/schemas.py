"""Pydantic models of the catalogue API and of full procedure records (import/export)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from motcua.core.text import clean_text

LevelLiteral = Literal["province", "district", "commune"]
OnlineLevelLiteral = Literal["full", "partial", "none"]
StatusLiteral = Literal["in_force", "abolished"]


class FieldRef(BaseModel):
    code: str = Field(description="Mã lĩnh vực (ví dụ: dat-dai)")
    name: str = Field(description="Tên lĩnh vực")


class FieldRead(FieldRef):
    procedure_count: int = Field(description="Số thủ tục thuộc lĩnh vực")


class AgencyRef(BaseModel):
    code: str = Field(description="Mã định danh cơ quan (QCVN 102), ví dụ 000.00.00.H37")
    name: str
    historical: bool = Field(False, description="Cơ quan đã giải thể/không còn (giữ để tra cứu)")
    level: LevelLiteral | None = Field(None, description="Cấp thực hiện của lần giao này")
    valid_from: date | None = Field(None, description="Thực hiện từ ngày (trống: từ trước khi có dữ liệu)")
    valid_to: date | None = Field(None, description="Thực hiện đến hết ngày (trống: đang thực hiện)")
    source: str | None = Field(None, description="Căn cứ giao: quyết định công bố hoặc quy tắc sắp xếp tổ chức")


class ProcedureListItem(BaseModel):
    code: str = Field(
        description="Mã thủ tục (mã quốc gia/địa phương; mã tạm LSN-TT-… nếu chưa có)"
    )
    code_provisional: bool
    name: str
    level: LevelLiteral = Field(description="Cấp ghi trong danh mục gốc (dòng đầu tiên của bảng)")
    levels: list[LevelLiteral] = Field(
        default_factory=list, description="Các cấp đang thực hiện thủ tục hôm nay (theo cơ quan thực hiện)"
    )
    field: FieldRef | None
    online_level: OnlineLevelLiteral
    status: StatusLiteral
    cross_boundary: bool = Field(description="Tiếp nhận không phụ thuộc địa giới hành chính")
    time_limit_days: int | None = Field(
        description="Thời hạn giải quyết (ngày làm việc; 0 = trong ngày)"
    )
    time_limit_hours: int | None = Field(description="Thời hạn giải quyết (giờ làm việc)")


class ProcedurePage(BaseModel):
    total: int = Field(description="Tổng số thủ tục khớp mọi từ khoá và điều kiện lọc")
    page: int
    page_size: int
    items: list[ProcedureListItem]
    approximate: list[ProcedureListItem] = Field(
        default_factory=list,
        description="Kết quả gần đúng: thủ tục có một phần từ khoá, chỉ có ở trang 1 khi kết quả đủ từ khoá ít hơn 5",
    )


class ComponentRead(BaseModel):
    position: int
    name: str
    form_template: str | None
    original_count: int = Field(description="Số bản chính")
    copy_count: int = Field(description="Số bản sao")
    required: bool
    condition: str | None = Field(None, description="Trường hợp phải nộp")


class FeeRead(BaseModel):
    name: str
    amount: int | None = Field(description="Số tiền (đồng); trống nếu tuỳ trường hợp")
    note: str | None
    basis: str | None = Field(None, description="Văn bản quy định mức thu")


class VersionRead(BaseModel):
    number: int
    decision_number: str | None
    decision_date: date | None
    effective_date: date | None
    note: str | None
    created_at: datetime


class ProcedureRead(ProcedureListItem):
    online_time_limit_days: int | None
    online_time_limit_hours: int | None
    time_limit_note: str | None
    time_limit_basis: str | None = Field(None, description="Căn cứ của thời hạn giải quyết")
    online_time_limit_basis: str | None = None
    components_basis: str | None = Field(None, description="Căn cứ của thành phần hồ sơ")
    receipt_cutoff: str | None = Field(
        description="Giờ chốt tiếp nhận trong ngày (HH:MM); trống = 15:00"
    )
    result_description: str | None
    legal_basis: str | None
    simplification_resolution: str | None = Field(
        description="Nghị quyết đơn giản hoá TTHC liên quan"
    )
    source: str | None
    updated_at: datetime
    agencies: list[AgencyRef]
    components: list[ComponentRead]
    fees: list[FeeRead]
    versions: list[VersionRead]


# --- full records (import / export, administrator edit) -----------------------------------

_TEXT_LIMIT = 20000


def _clean(value: object) -> object:
    return clean_text(value) if isinstance(value, str) else value


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=_TEXT_LIMIT)

    @field_validator("*", mode="before")
    @classmethod
    def _normalise_text(cls, value: object) -> object:
        return _clean(value)


class ComponentIn(_Record):
    name: str = Field(min_length=1, max_length=2000)
    form_template: str | None = Field(None, max_length=255)
    original_count: int = Field(0, ge=0, le=100)
    copy_count: int = Field(0, ge=0, le=100)
    required: bool = True
    condition: str | None = Field(None, max_length=2000)


class FeeIn(_Record):
    name: str = Field(min_length=1, max_length=255)
    amount: int | None = Field(None, ge=0, le=10**13)
    note: str | None = Field(None, max_length=2000)
    basis: str | None = Field(None, max_length=2000, description="Văn bản quy định mức thu")


class SourceIn(_Record):
    url: str | None = Field(None, max_length=1000)
    title: str | None = Field(None, max_length=1000)


class ProcedureRecord(_Record):
    """A full procedure record as exported; every field but `code` and `name` is optional.

    Implementing agencies are not part of the record (they come from the catalogue import);
    `agency_codes` and `code_provisional` are accepted for a round trip and ignored.
    """

    code: str = Field(min_length=1, max_length=64)
    code_provisional: bool | None = None
    name: str = Field(min_length=1, max_length=2000)
    level: LevelLiteral = "province"
    field_code: str | None = Field(None, max_length=80)
    time_limit_days: int | None = Field(None, ge=0, le=3650)
    time_limit_hours: int | None = Field(None, ge=0, le=10000)
    online_time_limit_days: int | None = Field(None, ge=0, le=3650)
    online_time_limit_hours: int | None = Field(None, ge=0, le=10000)
    time_limit_note: str | None = Field(None, max_length=2000)
    time_limit_basis: str | None = Field(None, max_length=2000, description="Căn cứ của thời hạn")
    online_time_limit_basis: str | None = Field(None, max_length=2000)
    components_basis: str | None = Field(None, max_length=2000)
    content_sources: list[SourceIn] | None = Field(None, max_length=50)
    receipt_cutoff: str | None = Field(None, description="HH:MM")
    result_description: str | None = None
    legal_basis: str | None = None
    online_level: OnlineLevelLiteral = "none"
    cross_boundary: bool = False
    status: StatusLiteral = "in_force"
    simplification_resolution: str | None = Field(None, max_length=255)
    components: list[ComponentIn] = Field(default_factory=list, max_length=200)
    fees: list[FeeIn] = Field(default_factory=list, max_length=100)
    agency_codes: list[str] | None = None

    @field_validator("receipt_cutoff")
    @classmethod
    def _cutoff(cls, value: str | None) -> str | None:
        if value is None:
            return None
        match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::00)?", value)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise ValueError("Giờ chốt tiếp nhận phải có dạng HH:MM (ví dụ 15:00).")
        return f"{int(match.group(1)):02d}:{match.group(2)}"


class RecordError(BaseModel):
    record: int = Field(description="Thứ tự bản ghi (bắt đầu từ 1)")
    code: str | None
    errors: list[str]


class ImportResult(BaseModel):
    records: int = Field(description="Số bản ghi đọc được")
    created: int
    updated: int
    unchanged: int
    versions_created: int
