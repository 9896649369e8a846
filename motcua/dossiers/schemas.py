"""Pydantic models of the dossier JSON API (OpenAPI-documented)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from motcua.core.clock import to_local

# Output datetimes in Vietnam time (+07:00), whatever the storage gave back.
LocalDateTime = Annotated[datetime, AfterValidator(to_local)]


class ApplicantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["person", "organisation"] = Field(description="person: công dân; organisation: tổ chức")
    full_name: str = Field(min_length=1, max_length=255, description="Họ tên người nộp hoặc tên tổ chức")
    id_number: str | None = Field(default=None, max_length=32, description="Số CCCD / mã số doanh nghiệp")
    phone: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=254)
    address: str | None = Field(default=None, max_length=1000)
    admin_unit_code: str | None = Field(default=None, max_length=16, description="Mã đơn vị hành chính (GSO)")


class ComponentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=2000)
    kind: Literal["original", "copy"] = Field(default="original", description="original: bản chính; copy: bản sao")
    count: int = Field(default=1, ge=1, le=1000)


class ReceiptIn(BaseModel):
    """Receipt at a one-stop section (tiếp nhận hồ sơ)."""

    model_config = ConfigDict(extra="forbid")

    procedure_code: str = Field(min_length=1, max_length=64)
    agency_code: str = Field(min_length=1, max_length=20, description="Cơ quan có thẩm quyền giải quyết")
    receiving_unit_code: str = Field(min_length=1, max_length=20, description="Bộ phận Một cửa tiếp nhận")
    return_unit_code: str | None = Field(default=None, max_length=20, description="Nơi trả kết quả (mặc định: nơi tiếp nhận)")
    channel: Literal["counter", "post", "online"] = "counter"
    applicant: ApplicantIn
    components: list[ComponentIn] = Field(default_factory=list, max_length=200)
    outcome: Literal["accepted", "incomplete", "refused"] = "accepted"
    missing_items: list[str] | None = Field(default=None, max_length=200)
    refusal_reason: str | None = Field(default=None, max_length=4000)
    fees: int = Field(default=0, ge=0, le=10**12, description="Phí, lệ phí (đồng)")
    note: str | None = Field(default=None, max_length=4000)


class ActionIn(BaseModel):
    """Body of an action; every field is optional and only some actions read some fields."""

    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=4000, description="Ghi chú / lý do")
    assignee: str | None = Field(default=None, max_length=64, description="assign: tên đăng nhập người được phân công")
    missing_items: list[str] | None = Field(default=None, max_length=200, description="request_supplement")
    amount: int | None = Field(default=None, ge=0, le=10**12, description="request_payment: số tiền (đồng)")
    agency_code: str | None = Field(default=None, max_length=20, description="consult: mã cơ quan phối hợp")
    working_days: int | None = Field(default=None, ge=1, le=365, description="consult: thời hạn của cơ quan phối hợp")
    result_number: str | None = Field(default=None, max_length=64, description="issue_result: số văn bản kết quả")
    result_summary: str | None = Field(default=None, max_length=4000)
    file_base64: str | None = Field(default=None, max_length=30_000_000, description="issue_result: tệp kết quả (base64)")
    file_name: str | None = Field(default=None, max_length=255)
    method: Literal["counter", "post", "online"] | None = Field(default=None, description="return_result")
    new_due_at: datetime | None = Field(default=None, description="apologize_reschedule: ngày hẹn mới")
    extra_working_days: int | None = Field(default=None, ge=1, le=365, description="apologize_reschedule")


class StepOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    position: int
    kind: str
    name: str
    role: str
    unit_id: uuid.UUID
    parallel_group: str | None
    assignee_id: uuid.UUID | None
    state: str
    started_at: LocalDateTime
    due_at: LocalDateTime | None
    finished_at: LocalDateTime | None
    outcome: str | None
    note: str | None


class ComponentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    kind: str
    count: int


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    at: LocalDateTime
    actor_name: str | None
    actor_role: str | None
    action: str
    from_status: str | None
    to_status: str
    from_step: str | None
    to_step: str | None
    outcome: str | None
    note: str | None


class DossierSummary(BaseModel):
    """A dossier in lists: ID number and phone masked."""

    id: uuid.UUID
    code: str | None
    procedure_code: str
    procedure_name: str
    status: str
    status_label: str
    external_status: int
    applicant_name: str
    applicant_id_number: str | None
    applicant_phone: str | None
    received_at: LocalDateTime
    due_at: LocalDateTime | None
    current_step_name: str | None


class DossierOut(BaseModel):
    id: uuid.UUID
    code: str | None
    procedure_code: str
    procedure_name: str
    template_version: int | None
    agency_code: str | None
    receiving_unit_code: str | None
    return_unit_code: str | None
    channel: str
    status: str
    status_label: str
    external_status: int
    external_status_label: str
    applicant: dict
    received_at: LocalDateTime
    effective_receipt_at: LocalDateTime | None
    due_at: LocalDateTime | None
    original_due_at: LocalDateTime | None
    progress_due_at: LocalDateTime | None
    finished_at: LocalDateTime | None
    returned_at: LocalDateTime | None
    return_method: str | None
    outcome: str | None
    progress_outcome: str | None
    reappointed: bool
    supplement_count: int
    missing_items: list[str] | None
    refusal_reason: str | None
    fees_amount: int
    fees_paid: bool
    current_step_name: str | None
    current_role: str | None
    current_assignee_id: uuid.UUID | None
    available_actions: list[str]
    components: list[ComponentOut] = []
    steps: list[StepOut] = []


class DossierPageOut(BaseModel):
    total: int = Field(description="Số hồ sơ (đếm tối đa 1.000; xem `more`)")
    more: bool = Field(False, description="Còn nhiều hơn `total` hồ sơ")
    page: int
    page_size: int
    items: list[DossierSummary]


class AuditVerifyOut(BaseModel):
    checked: int
    altered: list[dict]


class AttachmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    purpose: str
    component_id: uuid.UUID | None
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: LocalDateTime
