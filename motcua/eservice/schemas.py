"""The one input model of the online form (what the citizen types; the rest of the
applicant is declared once by the account and the population lookup)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from motcua.dossiers.schemas import ADDRESS_MAX

PHONE = r"^\+?[0-9][0-9 .]{7,18}$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class OnlineFormIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    address: str | None = Field(default=None, max_length=ADDRESS_MAX, title="Địa chỉ liên hệ")
    phone: str | None = Field(default=None, max_length=20, pattern=PHONE, title="Số điện thoại",
                              description="Ví dụ 0912 345 678")
    email: str | None = Field(default=None, max_length=254, pattern=EMAIL, title="Thư điện tử")
    note: str | None = Field(default=None, max_length=2000, title="Nội dung yêu cầu")
