"""Pydantic models of the units / documents / roadmap part of the quality API; the input
models are shared by the pages and the API (one per use case)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from motcua.quality.enums import DocumentKind, Stage, Standard
from motcua.quality.models import QualityDocument, QualityDocumentVersion, QualityUnit


class UnitOut(BaseModel):
    agency_code: str
    name: str
    standard: Standard
    standard_label: str
    stage: Stage
    stage_label: str
    plan_group: str | None = Field(description="Nhóm ở Phụ lục II KH 71/KH-UBND (I–VI); null: ngoài kế hoạch")
    plan_year: int | None = Field(description="Năm chuyển đổi theo lộ trình KH 71/KH-UBND")
    plan_row: str | None = Field(description="Dòng ở Phụ lục II, ví dụ “IV.34”")
    announcement_number: str | None
    announcement_date: date | None
    current: bool = Field(description="false: hệ thống đã bàn giao cho đơn vị kế thừa (sắp xếp 2025)")

    @classmethod
    def of(cls, unit: QualityUnit) -> UnitOut:
        return cls(
            agency_code=unit.agency.code,
            name=unit.agency.name,
            standard=Standard(unit.standard),
            standard_label=Standard(unit.standard).label,
            stage=Stage(unit.stage),
            stage_label=Stage(unit.stage).label,
            plan_group=unit.plan_group,
            plan_year=unit.plan_year,
            plan_row=unit.rollout.source_row if unit.rollout else None,
            announcement_number=unit.announcement_number,
            announcement_date=unit.announcement_date,
            current=unit.handed_over_to_id is None,
        )


class UnitPageOut(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[UnitOut]


class ProcedureRefOut(BaseModel):
    code: str
    name: str


class UnitEventOut(BaseModel):
    kind: str
    label: str
    at: datetime
    from_value: str | None
    to_value: str | None
    note: str | None


class UnitDetailOut(UnitOut):
    announcement_file: str | None
    consultant: str | None
    budget_vnd: int | None
    leader_name: str | None
    handed_over_to: str | None = Field(description="Mã đơn vị kế thừa đã nhận hệ thống")
    handed_over_on: date | None
    covered: list[ProcedureRefOut] = Field(description="Thủ tục trong phạm vi áp dụng")
    gaps: list[ProcedureRefOut] = Field(description="Thủ tục đơn vị thực hiện nhưng chưa đưa vào phạm vi")
    history: list[UnitEventOut]


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: int
    status: str
    content: str | None
    file_name: str | None
    change_note: str | None
    process_template_id: uuid.UUID | None
    distribution: list[str]
    effective_from: date | None
    obsolete_on: date | None
    approved_at: datetime | None


class DocumentOut(BaseModel):
    id: uuid.UUID
    unit_code: str
    kind: DocumentKind
    kind_label: str
    code: str
    title: str
    procedure_id: uuid.UUID | None
    in_force: int | None = Field(description="Số phiên bản đang có hiệu lực hôm nay")
    versions: list[VersionOut]

    @classmethod
    def of(cls, document: QualityDocument, unit_code: str, in_force: QualityDocumentVersion | None) -> DocumentOut:
        return cls(
            id=document.id, unit_code=unit_code, kind=DocumentKind(document.kind), kind_label=DocumentKind(document.kind).label,
            code=document.code, title=document.title, procedure_id=document.procedure_id,
            in_force=in_force.number if in_force else None,
            versions=[VersionOut.model_validate(v) for v in document.versions],
        )


class DocumentIn(BaseModel):
    kind: DocumentKind
    code: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=500)
    procedure_code: str | None = Field(default=None, max_length=64, description="Mã thủ tục (quy trình nội bộ)")


class VersionIn(BaseModel):
    content: str | None = Field(default=None, max_length=100_000)
    file_name: str | None = Field(default=None, max_length=255)
    change_note: str | None = Field(default=None, max_length=2000)
    distribution: list[str] = Field(default_factory=list, max_length=200)
    process_template_id: uuid.UUID | None = None


class ApproveIn(BaseModel):
    effective_from: date


class StageIn(BaseModel):
    stage: Stage


class AnnounceIn(BaseModel):
    number: str = Field(min_length=1, max_length=60)
    on: date
    file: str | None = Field(default=None, max_length=255)


class ActivityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    source_row: str
    year: int
    quarter: int
    content: str
    lead: str | None
    targets: str | None
    target_units: int | None
    done_on: date | None


class YearProgressOut(BaseModel):
    year: int
    planned_units: int
    converted_units: int
    communes_target: int | None
    communes_share_target: int | None
    communes_announced: int
    budget_vnd: int


class RoadmapOut(BaseModel):
    activities: list[ActivityOut]
    years: list[YearProgressOut]


class DetailsIn(BaseModel):
    consultant: str | None = Field(default=None, max_length=255)
    budget_vnd: int | None = Field(default=None, ge=0, le=10**13, description="Kinh phí, đồng")
    leader_name: str | None = Field(default=None, max_length=200)
    secretary_username: str | None = Field(default=None, max_length=100, description="Tài khoản thư ký ISO")
    note: str | None = Field(default=None, max_length=2000)


class ScopeIn(BaseModel):
    procedure_codes: list[str] = Field(default_factory=list, max_length=2000)
    all_gaps: bool = Field(default=False, description="Đưa mọi thủ tục chưa trong phạm vi vào")


class ActivityDoneIn(BaseModel):
    on: date
    note: str | None = Field(default=None, max_length=2000)
