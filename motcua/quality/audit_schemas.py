"""Inputs (one model per use case, shared by page and API) and API outputs of audits,
nonconformities, corrective actions, management reviews, legal-change tasks and targets."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from motcua.quality.audit_enums import FindingKind, ReviewInput

_VN_DATE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*")


def _vn_date(value: object) -> object:
    """Pages send dd/mm/yyyy (core.dates); the API sends ISO: both become a date."""
    if isinstance(value, str) and (m := _VN_DATE.fullmatch(value)):
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return value


Day = Annotated[date, BeforeValidator(_vn_date)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Name = Annotated[str, Field(min_length=1, max_length=255)]


class AuditPlanIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")
    planned_on: Day = Field(title="Ngày đánh giá dự kiến")
    scope: Text = Field(title="Phạm vi đánh giá")
    auditors: Text = Field(title="Chuyên gia đánh giá")


class AuditHeldIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")
    held_on: Day = Field(title="Ngày đánh giá")
    summary: Text = Field(title="Kết luận đánh giá")


class FindingIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")
    kind: FindingKind = Field(title="Loại phát hiện")
    clause: str | None = Field(None, max_length=20, title="Điều khoản")
    description: Text = Field(title="Nội dung phát hiện")
    root_cause: str | None = Field(None, max_length=4000, title="Nguyên nhân gốc")


class ActionIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")
    description: Text = Field(title="Hành động khắc phục")
    owner: Name = Field(title="Người thực hiện")
    due_on: Day = Field(title="Thời hạn")


class ActionDoneIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")
    done_on: Day = Field(title="Ngày hoàn thành")
    result: Text = Field(title="Kết quả thực hiện")


class CloseFindingIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")
    verified_on: Day = Field(title="Ngày kiểm tra hiệu lực")
    verification_note: Text = Field(title="Kết quả kiểm tra hiệu lực")


class ReviewPlanIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")
    planned_on: Day = Field(title="Ngày họp dự kiến")


class ReviewInputNote(BaseModel):
    topic: ReviewInput = Field(title="Đầu vào")
    note: Text = Field(title="Nội dung")


class ReviewHeldIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")
    held_on: Day = Field(title="Ngày họp")
    chaired_by: Name = Field(title="Người chủ trì")
    inputs: list[ReviewInputNote] = Field(min_length=1, max_length=20, title="Đầu vào xem xét")
    decisions: list[Text] = Field(min_length=1, max_length=50, title="Quyết định")


class TaskDoneIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")
    done_on: Day = Field(title="Ngày cập nhật xong")
    note: Text = Field(title="Tài liệu đã cập nhật")


class TargetIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")
    year: int = Field(ge=2000, le=2100, title="Năm")
    on_time_share_min: int | None = Field(None, ge=0, le=100, title="Tỷ lệ đúng hạn tối thiểu (%)")
    overdue_max: int | None = Field(None, ge=0, le=1_000_000, title="Số hồ sơ quá hạn tối đa")
    satisfaction_min: int | None = Field(None, ge=0, le=100, title="Tỷ lệ hài lòng tối thiểu (%)")


# --- API outputs -----------------------------------------------------------------------------


class ActionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    description: str
    owner: str
    due_on: date
    done_on: date | None
    result: str | None


class FindingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    number: int
    kind: FindingKind
    clause: str | None
    description: str
    root_cause: str | None
    status: str
    verified_on: date | None
    verification_note: str | None
    closed_on: date | None
    actions: list[ActionOut]


class AuditOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    agency_code: str
    planned_on: date
    scope: str
    auditors: str
    held_on: date | None
    summary: str | None
    status: str
    closed_on: date | None
    findings: list[FindingOut]


class ReviewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    agency_code: str
    planned_on: date
    held_on: date | None
    chaired_by: str | None
    inputs: list[ReviewInputNote]
    decisions: list[str]


class TaskOut(BaseModel):
    id: uuid.UUID
    agency_code: str
    unit_name: str
    procedure_code: str
    procedure_name: str
    changes: list[str]
    decision_number: str | None
    effective_on: date
    due_on: date
    status: str
    overdue: bool
    done_on: date | None
