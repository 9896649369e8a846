"""One input model per use case, shared by the API and the pages, and the API's outputs."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from motcua.population.enums import LookupOutcome, LookupPurpose


class LookupIn(BaseModel):
    """A lookup from the counter form (`unit_id`: the one-stop section receiving) or for an
    existing dossier (`dossier_id`)."""

    model_config = ConfigDict(extra="forbid")

    id_number: str = Field(min_length=1, max_length=32, title="Số định danh cá nhân",
                           description="12 chữ số (số căn cước, căn cước công dân)")
    purpose: LookupPurpose = Field(default=LookupPurpose.counter_prefill, title="Mục đích tra cứu",
                                   description="counter_prefill: điền phiếu tại quầy; dossier_check: đối chiếu khi giải quyết")
    unit_id: uuid.UUID | None = Field(default=None, title="Bộ phận Một cửa tiếp nhận",
                                      description="Bắt buộc khi tra cứu tại quầy (chưa có hồ sơ)")
    dossier_id: uuid.UUID | None = Field(default=None, title="Hồ sơ",
                                         description="Bắt buộc khi đối chiếu thông tin của một hồ sơ")

    @model_validator(mode="after")
    def _one_context(self) -> LookupIn:
        if self.purpose == LookupPurpose.online_prefill:
            raise ValueError("Tra cứu để nộp hồ sơ trực tuyến chỉ do công dân thực hiện trên trang nộp hồ sơ.")
        if self.purpose == LookupPurpose.counter_prefill and self.unit_id is None:
            raise ValueError("Tra cứu tại quầy cần Bộ phận Một cửa tiếp nhận (unit_id).")
        if self.purpose == LookupPurpose.dossier_check and self.dossier_id is None:
            raise ValueError("Đối chiếu thông tin hồ sơ cần mã hồ sơ (dossier_id).")
        return self


class AddressOut(BaseModel):
    detail: str
    commune_code: str
    commune_name: str
    province_code: str
    province_name: str
    text: str


class CitizenOut(BaseModel):
    id_number: str
    full_name: str
    birth_date: str | None = Field(description="dd/mm/yyyy, mm/yyyy hoặc yyyy (ngày sinh không đầy đủ)")
    sex: str
    ethnicity: str
    nationality: str
    permanent_address: AddressOut | None
    current_address: AddressOut | None
    old_id_number: str


class PrefillOut(BaseModel):
    """The counter form's applicant fields, by their input names."""

    applicant_kind: Literal["person"] = "person"
    full_name: str
    id_number: str
    address: str


class LookupOut(BaseModel):
    lookup_id: uuid.UUID
    outcome: LookupOutcome
    message: str
    citizen: CitizenOut
    prefill: PrefillOut


class AccessLogQuery(BaseModel):
    """Filters of the access log (page and API): dates typed dd/mm/yyyy."""

    model_config = ConfigDict(extra="ignore")

    user: str = Field(default="", max_length=200, title="Người tra cứu (tên đăng nhập hoặc họ tên)")
    date_from: str = Field(default="", max_length=10, title="Từ ngày")
    date_to: str = Field(default="", max_length=10, title="Đến ngày")
    id_number: str = Field(default="", max_length=32, title="Số định danh")


class AccessLogEntryOut(BaseModel):
    id: uuid.UUID
    at: str = Field(description="HH:MM dd/mm/yyyy, giờ Việt Nam")
    username: str
    user_name: str
    agency: str
    id_number: str
    dossier_code: str | None
    purpose: str
    outcome: LookupOutcome
    message: str | None


class AccessLogPageOut(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[AccessLogEntryOut]
