"""JSON shape of a process template (export = import format, `motcua.process/1`)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class ProcessStepIO(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position: int | None = Field(default=None, ge=1, le=1000)
    kind: str = Field(max_length=16, description="receive, assign, appraise, consult, approve, issue, return")
    name: str = Field(min_length=1, max_length=255)
    role: str = Field(max_length=32, description="counter_officer, specialist, head, clerk, …")
    unit_code: str | None = Field(default=None, max_length=20, description="Cơ quan thực hiện bước (mặc định: "
                                  "cơ quan giải quyết; nơi tiếp nhận/trả cho bước tiếp nhận/trả)")
    allotment_hours: Decimal = Field(ge=0, le=100000, max_digits=8, decimal_places=2)
    actions: list[str] = Field(default_factory=list, max_length=20)
    parallel_group: str | None = Field(default=None, max_length=32)


class ProcessIO(BaseModel):
    model_config = ConfigDict(extra="ignore")

    format: str = "motcua.process/1"
    procedure_code: str | None = Field(default=None, max_length=64)
    agency_code: str | None = Field(default=None, max_length=20)
    version: int | None = None
    name: str | None = Field(default=None, max_length=500)
    note: str | None = Field(default=None, max_length=4000)
    total_hours: Decimal | None = None
    steps: list[ProcessStepIO] = Field(min_length=1, max_length=50)


class ProcessVersionOut(BaseModel):
    version: int
    active: bool
    name: str
    is_default: bool
    total_hours: Decimal
