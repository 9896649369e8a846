"""Pydantic shapes of the calendar API."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DayKind = Literal["holiday", "day_off", "makeup_workday"]


class TraceStepRead(BaseModel):
    kind: str = Field(
        description="receipt, receipt_moved, effective, start, skip, makeup, due, pause, resume"
    )
    text: str = Field(description="Giải thích bằng tiếng Việt")
    day: date | None = None
    at: str | None = Field(None, description="Thời điểm ISO 8601 (+07:00)")


class DueDateRead(BaseModel):
    effective_receipt_at: str = Field(description="Thời điểm bắt đầu tính hạn, ISO 8601 với +07:00")
    due_at: str = Field(description="Thời điểm hẹn trả kết quả, ISO 8601 với +07:00")
    trace: list[TraceStepRead]


class CalendarDayRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    day: date
    kind: DayKind
    name: str
    source: str
    confirmed: bool


class CalendarDayCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: date = Field(description="Ngày (YYYY-MM-DD)")
    kind: DayKind = Field(
        description="holiday (ngày lễ), day_off (ngày nghỉ hoán đổi/bù), makeup_workday (làm bù)"
    )
    name: str = Field(min_length=1, max_length=255, description="Tên ngày, ví dụ “Tết Dương lịch”")
    source: str = Field(min_length=1, max_length=500, description="Căn cứ: văn bản công bố")
    confirmed: bool = Field(True, description="false: ghi nhận nhưng chưa áp dụng khi tính hạn")


class OfficePeriod(BaseModel):
    start: str = Field(description="Giờ bắt đầu HH:MM", examples=["07:30"])
    end: str = Field(description="Giờ kết thúc HH:MM", examples=["11:30"])


class AgencyOfficeHoursRead(BaseModel):
    agency_code: str
    agency_name: str
    periods: list[OfficePeriod]
    text: str = Field(description="Ví dụ “07:30–11:30, 13:30–17:00”")
    changed_by: str | None = Field(None, description="Người thay đổi gần nhất")
    changed_at: str | None = Field(None, description="Thời điểm thay đổi gần nhất, ISO 8601 (+07:00)")


class OfficeHoursOverview(BaseModel):
    province: list[OfficePeriod] = Field(description="Giờ làm việc mặc định của tỉnh")
    province_text: str
    agencies: list[AgencyOfficeHoursRead] = Field(
        description="Các cơ quan có giờ làm việc riêng; cơ quan khác theo giờ của tỉnh"
    )


class OfficeHoursUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    periods: str = Field(
        min_length=1,
        max_length=200,
        description="Các khoảng giờ, cách nhau bởi dấu phẩy, ví dụ “07:30-11:30, 13:30-17:00”",
        examples=["07:30-11:30, 13:30-17:00"],
    )
