"""Pydantic models of dossiers: the input of each use case (the API's body and the pages' forms
alike, see dossiers/inputs.py) and the API's output (OpenAPI-documented)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from motcua.core.clock import to_local
from motcua.dossiers.identity import normal_id_number

# Output datetimes in Vietnam time (+07:00), whatever the storage gave back.
LocalDateTime = Annotated[datetime, AfterValidator(to_local)]


def _whole_number(value):
    """"8.000", "8,000" or "8 000" as typed at the counter → 8000; anything else is left to the
    int validator (which refuses it with "Phải là số nguyên")."""
    if isinstance(value, str):
        text = value.strip().replace(".", "").replace(",", "").replace(" ", "")
        return text if text else None
    return value


# An amount or a count, from JSON (a number) or from a page form (text with thousands separators).
WholeNumber = Annotated[int, BeforeValidator(_whole_number)]


# Longest texts a person types at the counter (issue 16): a name or an address longer than this
# is a typing accident, and it must not stretch the staff inboxes or run off the A5 slips.
NAME_MAX = 200
ADDRESS_MAX = 300
ITEM_MAX = 1000  # one line of "giấy tờ còn thiếu" / one component's name
REASON_MAX = 2000

class ApplicantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["person", "organisation"] = Field(title="Người nộp là",
                                                    description="person: công dân; organisation: tổ chức")
    full_name: str = Field(min_length=1, max_length=NAME_MAX, title="Họ và tên (tên tổ chức)",
                           description="Họ tên người nộp hoặc tên tổ chức")
    id_number: str | None = Field(default=None, max_length=32, title="Số định danh",
                                  description="Công dân: số căn cước 12 chữ số, CMND 9 chữ số hoặc hộ chiếu "
                                              "(1 chữ cái + 7 chữ số); tổ chức: mã số thuế 10 chữ số hoặc 13 chữ "
                                              "số (0101234567-001 hoặc 0101234567001, lưu dạng có gạch nối)")
    phone: str | None = Field(default=None, max_length=20, title="Số điện thoại")
    email: str | None = Field(default=None, max_length=254, title="Thư điện tử")
    address: str | None = Field(default=None, max_length=ADDRESS_MAX, title="Địa chỉ")
    admin_unit_code: str | None = Field(default=None, max_length=16, title="Đơn vị hành chính",
                                        description="Mã đơn vị hành chính (GSO)")

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str | None, info: ValidationInfo) -> str | None:
        # A field validator (not a model one), so its error comes with the other fields' errors.
        return normal_id_number(value, info.data.get("kind")) if value else value


class ComponentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=ITEM_MAX, title="Tên giấy tờ",
                             description="Bắt buộc, trừ khi có `spec_id` (khi đó lấy tên trong danh mục)")
    spec_id: uuid.UUID | None = Field(default=None, title="Thành phần trong danh mục",
                                      description="Mã thành phần hồ sơ trong danh mục của thủ tục")
    kind: Literal["original", "copy"] = Field(default="original", title="Hình thức",
                                              description="original: bản chính; copy: bản sao")
    count: WholeNumber = Field(default=1, ge=1, le=1000, title="Số lượng")

    @model_validator(mode="after")
    def _named(self) -> ComponentIn:
        if self.name is None and self.spec_id is None:
            raise ValueError("Cần tên giấy tờ (hoặc mã thành phần trong danh mục).")
        return self


class ReceiptIn(BaseModel):
    """Receipt at a one-stop section (tiếp nhận hồ sơ): the API's body and the counter page's form.

    The API names agencies by code; the counter page's lists post their ids (`agency_id`,
    `receiving_unit_id`, not documented). One of the two is required for each."""

    model_config = ConfigDict(extra="forbid")

    procedure_code: str = Field(min_length=1, max_length=64, title="Thủ tục")
    agency_code: str | None = Field(default=None, min_length=1, max_length=20, title="Cơ quan giải quyết",
                                    description="Cơ quan có thẩm quyền giải quyết (bắt buộc)")
    receiving_unit_code: str | None = Field(default=None, min_length=1, max_length=20, title="Bộ phận Một cửa",
                                            description="Bộ phận Một cửa tiếp nhận (bắt buộc)")
    agency_id: SkipJsonSchema[uuid.UUID | None] = Field(default=None, title="Cơ quan giải quyết")
    receiving_unit_id: SkipJsonSchema[uuid.UUID | None] = Field(default=None, title="Bộ phận Một cửa")
    return_unit_code: str | None = Field(default=None, max_length=20, title="Nơi trả kết quả",
                                         description="Nơi trả kết quả (mặc định: nơi tiếp nhận)")
    channel: Literal["counter", "post", "online"] = Field(default="counter", title="Hình thức nộp")
    applicant: ApplicantIn = Field(title="Người nộp hồ sơ")
    components: list[ComponentIn] = Field(default_factory=list, max_length=200, title="Thành phần hồ sơ")
    outcome: Literal["accepted", "incomplete", "refused"] = Field(default="accepted", title="Kết quả kiểm tra")
    missing_items: list[Annotated[str, Field(max_length=ITEM_MAX)]] | None = Field(
        default=None, max_length=200, title="Giấy tờ còn thiếu")
    refusal_reason: str | None = Field(default=None, max_length=REASON_MAX, title="Lý do từ chối")
    fees: WholeNumber = Field(default=0, ge=0, le=10**12, title="Phí, lệ phí", description="Phí, lệ phí (đồng)")
    note: str | None = Field(default=None, max_length=4000, title="Ghi chú")
    time_limit_days: WholeNumber | None = Field(
        default=None, ge=0, le=3650, title="Thời hạn giải quyết (ngày làm việc)",
        description="Chỉ khi danh mục chưa có thời hạn của thủ tục (bắt buộc khi đó, cùng căn cứ); 0 = trong ngày")
    time_limit_hours: WholeNumber | None = Field(
        default=None, ge=1, le=10000, title="Thời hạn giải quyết (giờ làm việc)",
        description="Thay cho số ngày, khi thời hạn tính bằng giờ làm việc")
    time_limit_basis: str | None = Field(
        default=None, min_length=1, max_length=1000, title="Căn cứ của thời hạn",
        description="Văn bản quy định thời hạn đã nhập (điều, khoản, số hiệu văn bản)")

    @model_validator(mode="after")
    def _places(self) -> ReceiptIn:
        if self.agency_code is None and self.agency_id is None:
            raise ValueError("Chọn cơ quan có thẩm quyền giải quyết.")
        if self.receiving_unit_code is None and self.receiving_unit_id is None:
            raise ValueError("Chọn Bộ phận Một cửa tiếp nhận hồ sơ.")
        return self


# --- actions: one input model per action (the page's form of that action, the API's body) ---


class ActionNoteIn(BaseModel):
    """An action that takes only a note: forward, send back, approve, refuse, withdraw, stop …"""

    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=4000, title="Ghi chú", description="Ghi chú / lý do")


class AssignIn(ActionNoteIn):
    assignee: str | None = Field(default=None, max_length=64, title="Cán bộ được phân công",
                                 description="assign: tên đăng nhập người được phân công")


class SupplementRequestIn(ActionNoteIn):
    missing_items: list[Annotated[str, Field(max_length=ITEM_MAX)]] | None = Field(
        default=None, max_length=200, title="Giấy tờ cần bổ sung",
                                            description="request_supplement")


class PaymentRequestIn(ActionNoteIn):
    amount: WholeNumber | None = Field(default=None, ge=0, le=10**12, title="Số tiền",
                                       description="request_payment: số tiền (đồng)")


class ConsultIn(ActionNoteIn):
    agency_code: str | None = Field(default=None, max_length=20, title="Mã cơ quan phối hợp",
                                    description="consult: mã cơ quan phối hợp")
    working_days: WholeNumber | None = Field(default=None, ge=1, le=365, title="Số ngày làm việc",
                                             description="consult: thời hạn của cơ quan phối hợp")


class ResultIn(ActionNoteIn):
    result_number: str | None = Field(default=None, max_length=64, title="Số văn bản kết quả",
                                      description="issue_result: số văn bản kết quả")
    result_summary: str | None = Field(default=None, max_length=4000, title="Trích yếu")
    file_base64: str | None = Field(default=None, max_length=30_000_000, title="Tệp kết quả",
                                    description="issue_result: tệp kết quả (base64)")
    file_name: str | None = Field(default=None, max_length=255, title="Tên tệp kết quả")


class ReturnIn(ActionNoteIn):
    method: Literal["counter", "post", "online"] | None = Field(default=None, title="Hình thức trả kết quả",
                                                                description="return_result")


class RescheduleIn(ActionNoteIn):
    new_due_at: datetime | None = Field(default=None, title="Ngày hẹn mới",
                                        description="apologize_reschedule: ngày hẹn mới")
    extra_working_days: WholeNumber | None = Field(default=None, ge=1, le=365, title="Số ngày gia hạn",
                                                   description="apologize_reschedule")


class ActionIn(AssignIn, SupplementRequestIn, PaymentRequestIn, ConsultIn, ResultIn, ReturnIn, RescheduleIn):
    """Body of an action in the API: every action's fields, all optional; each action reads its own
    (see `ACTION_INPUTS`)."""


ACTION_INPUTS: dict[str, type[ActionNoteIn]] = {
    "assign": AssignIn,
    "request_supplement": SupplementRequestIn,
    "request_payment": PaymentRequestIn,
    "consult": ConsultIn,
    "issue_result": ResultIn,
    "return_result": ReturnIn,
    "apologize_reschedule": RescheduleIn,
}


def action_input(action: str, values: dict) -> ActionNoteIn:
    """The input model of `action` from `values` (the fields other actions take are dropped)."""
    model = ACTION_INPUTS.get(action, ActionNoteIn)
    return model.model_validate({k: v for k, v in values.items() if k in model.model_fields})


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
    lookup_key: str = ""  # the public lookup's second factor, printed beside the code
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
