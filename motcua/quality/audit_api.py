"""JSON API of internal audits, nonconformities, corrective actions, management reviews,
legal-change tasks, objective targets and reports (issue 14 items 3–6).

Its router has no prefix of its own: quality/api.py includes it under /api/v1/quality.
Reads: the unit's secretary or head, or the Department (every unit); writes: the unit's
secretary or head (quality/policies.py, checked in the services).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.deps import require_user
from motcua.auth.models import User
from motcua.core.db import DbSession
from motcua.core.xlsx import XLSX_TYPE
from motcua.org.models import Agency
from motcua.quality import audit_access, audits, legal_changes, objectives, reports
from motcua.quality.audit_enums import ReportKind
from motcua.quality.audit_schemas import (
    ActionDoneIn,
    ActionIn,
    ActionOut,
    AuditHeldIn,
    AuditOut,
    AuditPlanIn,
    CloseFindingIn,
    FindingIn,
    FindingOut,
    ReviewHeldIn,
    ReviewOut,
    ReviewPlanIn,
    TargetIn,
    TaskDoneIn,
    TaskOut,
)
from motcua.quality.models import InternalAudit, ManagementReview, QualityUnit

router = APIRouter(tags=["quản lý chất lượng ISO 9001"])
SignedIn = Annotated[User, Depends(require_user)]
PROBLEM = {"content": {"application/problem+json": {}}}
ERRORS = {401: {"description": "Chưa đăng nhập", **PROBLEM}, 403: {"description": "Không có quyền", **PROBLEM},
          404: {"description": "Không tìm thấy", **PROBLEM}, 422: {"description": "Dữ liệu không hợp lệ", **PROBLEM}}
WRITE_ERRORS = {**ERRORS, 409: {"description": "Không thực hiện được ở trạng thái hiện tại", **PROBLEM}}
AgencyCode = Annotated[str, Path(max_length=40, description="Mã QCVN 102 của đơn vị")]
Year = Annotated[int, Query(ge=2000, le=2100, description="Năm")]
Kind = Annotated[ReportKind, Query(description="half: báo cáo 6 tháng, year: báo cáo năm")]
Half = Annotated[int, Query(ge=1, le=2, description="Với báo cáo 6 tháng: 1 (đầu năm) hoặc 2 (cuối năm)")]


def _codes(session: Session, unit_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not unit_ids:
        return {}
    return dict(session.execute(select(QualityUnit.id, Agency.code).join(Agency, Agency.id == QualityUnit.agency_id)
                                .where(QualityUnit.id.in_(unit_ids))).tuples().all())


def _finding_out(finding) -> FindingOut:
    return FindingOut.model_validate(finding)


def _audit_out(session: Session, audit: InternalAudit, code: str | None = None) -> AuditOut:
    code = code or _codes(session, {audit.unit_id})[audit.unit_id]
    return AuditOut.model_validate({**{k: getattr(audit, k) for k in (
        "id", "planned_on", "scope", "auditors", "held_on", "summary", "status", "closed_on")},
        "agency_code": code, "findings": [_finding_out(f) for f in audit.findings]})


def _review_out(review: ManagementReview, code: str) -> ReviewOut:
    return ReviewOut(id=review.id, agency_code=code, planned_on=review.planned_on, held_on=review.held_on,
                     chaired_by=review.chaired_by, inputs=review.inputs, decisions=review.decisions)


def _unit_id(session: Session, user: User, code: str, *, act: bool = False) -> uuid.UUID:
    return audit_access.unit_by_agency_code(session, user, code, act=act).id


# --- audits, nonconformities, actions -------------------------------------------------------


@router.get("/audits", response_model=list[AuditOut], summary="Các cuộc đánh giá nội bộ", responses=ERRORS)
def list_audits(session: DbSession, user: SignedIn,
                agency_code: Annotated[str | None, Query(max_length=40, description="Chỉ của đơn vị này")] = None,
                year: Annotated[int | None, Query(ge=2000, le=2100, description="Năm theo ngày dự kiến")] = None,
                ) -> list[AuditOut]:
    unit_id = _unit_id(session, user, agency_code) if agency_code else None
    found = audits.list_audits(session, user, unit_id=unit_id, year=year)
    codes = _codes(session, {a.unit_id for a in found})
    return [_audit_out(session, a, codes[a.unit_id]) for a in found]


@router.post("/units/{agency_code}/audits", response_model=AuditOut, status_code=201,
             summary="Lập kế hoạch đánh giá nội bộ", responses=WRITE_ERRORS)
def plan_audit(session: DbSession, user: SignedIn, agency_code: AgencyCode, body: AuditPlanIn) -> AuditOut:
    audit = audits.plan_audit(session, user, _unit_id(session, user, agency_code), body)
    return _audit_out(session, audit, agency_code)


@router.get("/audits/{audit_id}", response_model=AuditOut, summary="Một cuộc đánh giá nội bộ", responses=ERRORS)
def get_audit(session: DbSession, user: SignedIn, audit_id: uuid.UUID) -> AuditOut:
    return _audit_out(session, audits.get_audit(session, user, audit_id))


@router.post("/audits/{audit_id}/held", response_model=AuditOut, summary="Ghi kết quả cuộc đánh giá",
             responses=WRITE_ERRORS)
def record_held(session: DbSession, user: SignedIn, audit_id: uuid.UUID, body: AuditHeldIn) -> AuditOut:
    return _audit_out(session, audits.record_held(session, user, audit_id, body))


@router.post("/audits/{audit_id}/findings", response_model=FindingOut, status_code=201,
             summary="Ghi một phát hiện (điểm không phù hợp có nguyên nhân gốc, hoặc khuyến nghị)",
             responses=WRITE_ERRORS)
def add_finding(session: DbSession, user: SignedIn, audit_id: uuid.UUID, body: FindingIn) -> FindingOut:
    return _finding_out(audits.add_finding(session, user, audit_id, body))


@router.post("/audits/{audit_id}/close", response_model=AuditOut,
             summary="Kết thúc cuộc đánh giá không có điểm không phù hợp", responses=WRITE_ERRORS)
def close_audit(session: DbSession, user: SignedIn, audit_id: uuid.UUID) -> AuditOut:
    return _audit_out(session, audits.close_audit(session, user, audit_id))


class NonconformityOut(FindingOut):
    audit_id: uuid.UUID
    agency_code: str
    overdue: bool


@router.get("/nonconformities", response_model=list[NonconformityOut], summary="Các điểm không phù hợp",
            responses=ERRORS)
def list_nonconformities(session: DbSession, user: SignedIn,
                         open_only: Annotated[bool, Query(description="Chỉ những điểm chưa đóng")] = False,
                         agency_code: Annotated[str | None, Query(max_length=40)] = None) -> list[NonconformityOut]:
    unit_id = _unit_id(session, user, agency_code) if agency_code else None
    found = audits.list_nonconformities(session, user, open_only=open_only, unit_id=unit_id)
    codes = _codes(session, {f.audit.unit_id for f in found})
    on = audits.today()
    return [NonconformityOut(**_finding_out(f).model_dump(), audit_id=f.audit_id, agency_code=codes[f.audit.unit_id],
                             overdue=audits.nonconformity_overdue(f, on)) for f in found]


@router.post("/nonconformities/{finding_id}/actions", response_model=ActionOut, status_code=201,
             summary="Thêm hành động khắc phục (người thực hiện, thời hạn)", responses=WRITE_ERRORS)
def add_action(session: DbSession, user: SignedIn, finding_id: uuid.UUID, body: ActionIn) -> ActionOut:
    return ActionOut.model_validate(audits.add_action(session, user, finding_id, body))


@router.post("/nonconformities/{finding_id}/close", response_model=FindingOut,
             summary="Kiểm tra hiệu lực và đóng điểm không phù hợp", responses=WRITE_ERRORS)
def close_finding(session: DbSession, user: SignedIn, finding_id: uuid.UUID, body: CloseFindingIn) -> FindingOut:
    return _finding_out(audits.close_finding(session, user, finding_id, body))


@router.post("/actions/{action_id}/done", response_model=ActionOut, summary="Ghi hoàn thành hành động khắc phục",
             responses=WRITE_ERRORS)
def complete_action(session: DbSession, user: SignedIn, action_id: uuid.UUID, body: ActionDoneIn) -> ActionOut:
    return ActionOut.model_validate(audits.complete_action(session, user, action_id, body))


# --- management reviews ---------------------------------------------------------------------


@router.get("/reviews", response_model=list[ReviewOut], summary="Các cuộc họp xem xét của lãnh đạo", responses=ERRORS)
def list_reviews(session: DbSession, user: SignedIn,
                 agency_code: Annotated[str | None, Query(max_length=40)] = None) -> list[ReviewOut]:
    unit_id = _unit_id(session, user, agency_code) if agency_code else None
    found = audits.list_reviews(session, user, unit_id=unit_id)
    codes = _codes(session, {r.unit_id for r in found})
    return [_review_out(r, codes[r.unit_id]) for r in found]


@router.post("/units/{agency_code}/reviews", response_model=ReviewOut, status_code=201,
             summary="Lập kế hoạch họp xem xét của lãnh đạo", responses=WRITE_ERRORS)
def plan_review(session: DbSession, user: SignedIn, agency_code: AgencyCode, body: ReviewPlanIn) -> ReviewOut:
    return _review_out(audits.plan_review(session, user, _unit_id(session, user, agency_code), body), agency_code)


@router.post("/reviews/{review_id}/held", response_model=ReviewOut,
             summary="Ghi biên bản họp xem xét (đầu vào, quyết định)", responses=WRITE_ERRORS)
def record_review(session: DbSession, user: SignedIn, review_id: uuid.UUID, body: ReviewHeldIn) -> ReviewOut:
    review = audits.record_review(session, user, review_id, body)
    return _review_out(review, _codes(session, {review.unit_id})[review.unit_id])


# --- legal-change tasks, targets ------------------------------------------------------------


def _task_out(v: legal_changes.TaskView, on: date) -> TaskOut:
    t = v.task
    return TaskOut(id=t.id, agency_code=v.agency_code, unit_name=v.unit_name, procedure_code=v.procedure_code,
                   procedure_name=v.procedure_name, changes=t.changes, decision_number=t.decision_number,
                   effective_on=t.effective_on, due_on=t.due_on, status=t.status, overdue=v.overdue(on),
                   done_on=t.done_on)


@router.get("/legal-tasks", response_model=list[TaskOut],
            summary="Việc cập nhật quy trình nội bộ theo thay đổi pháp lý (hạn 3 tháng)", responses=ERRORS)
def list_tasks(session: DbSession, user: SignedIn,
               open_only: Annotated[bool, Query(description="Chỉ việc chưa xong")] = False,
               agency_code: Annotated[str | None, Query(max_length=40)] = None) -> list[TaskOut]:
    unit_id = _unit_id(session, user, agency_code) if agency_code else None
    on = audits.today()
    return [_task_out(v, on) for v in legal_changes.list_tasks(session, user, unit_id=unit_id, open_only=open_only)]


@router.post("/legal-tasks/{task_id}/done", response_model=TaskOut, summary="Ghi đã cập nhật quy trình, tài liệu",
             responses=WRITE_ERRORS)
def complete_task(session: DbSession, user: SignedIn, task_id: uuid.UUID, body: TaskDoneIn) -> TaskOut:
    task = legal_changes.complete_task(session, user, task_id, done_on=body.done_on, note=body.note)
    view = next(v for v in legal_changes.list_tasks(session, user, unit_id=task.unit_id) if v.task.id == task.id)
    return _task_out(view, audits.today())


class TargetOut(BaseModel):
    agency_code: str
    year: int
    on_time_share_min: int | None
    overdue_max: int | None
    satisfaction_min: int | None


def _target_out(agency_code: str, t) -> TargetOut:
    return TargetOut(agency_code=agency_code, year=t.year, on_time_share_min=t.on_time_share_min,
                     overdue_max=t.overdue_max, satisfaction_min=t.satisfaction_min)


@router.get("/units/{agency_code}/targets", response_model=list[TargetOut],
            summary="Chỉ tiêu mục tiêu chất lượng các năm (năm gần nhất trước)", responses=ERRORS)
def list_targets(session: DbSession, user: SignedIn, agency_code: AgencyCode) -> list[TargetOut]:
    return [_target_out(agency_code, t) for t in objectives.targets_of(session, user, _unit_id(session, user, agency_code))]


@router.put("/units/{agency_code}/targets", response_model=TargetOut, summary="Chỉ tiêu mục tiêu chất lượng của năm",
            responses=WRITE_ERRORS)
def set_target(session: DbSession, user: SignedIn, agency_code: AgencyCode, body: TargetIn) -> TargetOut:
    return _target_out(agency_code, objectives.set_target(session, user, _unit_id(session, user, agency_code), body))


# --- reports --------------------------------------------------------------------------------


class SummaryRowOut(BaseModel):
    agency_code: str
    name: str
    stage: str
    announced: bool
    figures: dict[str, int]


class SummaryOut(BaseModel):
    title: str
    date_from: date
    date_to: date
    by_stage: dict[str, int]
    announced: int
    rows: list[SummaryRowOut]
    total: dict[str, int]


class ObjectivesOut(BaseModel):
    results: int
    on_time: int
    on_time_share: float | None
    overdue: int
    rated: int
    satisfied: int
    satisfaction_share: float | None
    target: TargetOut | None
    met: dict[str, bool | None]


class UnitReportOut(BaseModel):
    title: str
    date_from: date
    date_to: date
    row: SummaryRowOut
    objectives: ObjectivesOut


def _row_out(r: reports.UnitRow) -> SummaryRowOut:
    return SummaryRowOut(agency_code=r.agency_code, name=r.name, stage=r.stage, announced=r.announced,
                         figures=r.figures)


@router.get("/reports/summary", response_model=SummaryOut,
            summary="Tổng hợp toàn tỉnh (Sở Khoa học và Công nghệ)",
            description="Các đơn vị theo giai đoạn, công bố, đánh giá nội bộ, điểm không phù hợp chưa đóng và quá hạn, "
                        "cập nhật theo thay đổi pháp lý còn tồn; `total` là tổng các dòng. Quy tắc: docs/quality-audits.md.",
            responses=ERRORS)
def summary(session: DbSession, user: SignedIn, kind: Kind, year: Year, number: Half = 1) -> SummaryOut:
    s = reports.province_summary(session, user, kind, year, number)
    return SummaryOut(title=s.title, date_from=s.period.date_from, date_to=s.period.date_to,
                      by_stage={k.value: v for k, v in s.by_stage.items()}, announced=s.announced,
                      rows=[_row_out(r) for r in s.rows], total=s.totals)


@router.get("/reports/summary.xlsx", summary="Tổng hợp toàn tỉnh, tệp Excel",
            responses={**ERRORS, 200: {"content": {XLSX_TYPE: {}}}})
def summary_xlsx(session: DbSession, user: SignedIn, kind: Kind, year: Year, number: Half = 1) -> Response:
    s = reports.province_summary(session, user, kind, year, number)
    return Response(reports.summary_xlsx(s), media_type=XLSX_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{reports.summary_filename(s, "xlsx")}"'})


@router.get("/reports/summary.pdf", summary="Tổng hợp toàn tỉnh, tệp PDF",
            responses={**ERRORS, 200: {"content": {"application/pdf": {}}}})
def summary_pdf(request: Request, session: DbSession, user: SignedIn, kind: Kind, year: Year,
                number: Half = 1) -> Response:
    s = reports.province_summary(session, user, kind, year, number)
    return Response(reports.summary_pdf(s, settings=request.app.state.settings), media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{reports.summary_filename(s, "pdf")}"'})


@router.get("/units/{agency_code}/report", response_model=UnitReportOut,
            summary="Báo cáo 6 tháng, năm của đơn vị gửi Sở Khoa học và Công nghệ", responses=ERRORS)
def unit_report(session: DbSession, user: SignedIn, agency_code: AgencyCode, kind: Kind, year: Year,
                number: Half = 1) -> UnitReportOut:
    r = reports.unit_report(session, user, _unit_id(session, user, agency_code), kind, year, number)
    m, t = r.measure, r.measure.target
    target = _target_out(agency_code, t) if t else None
    return UnitReportOut(
        title=r.summary.title, date_from=r.summary.period.date_from, date_to=r.summary.period.date_to,
        row=_row_out(r.row), objectives=ObjectivesOut(
            results=m.results, on_time=m.on_time, on_time_share=m.on_time_share, overdue=m.overdue, rated=m.rated,
            satisfied=m.satisfied, satisfaction_share=m.satisfaction_share, target=target, met=m.met))


@router.get("/units/{agency_code}/report.xlsx", summary="Báo cáo 6 tháng, năm của đơn vị, tệp Excel",
            description="Các dòng của trang báo cáo (mục tiêu chất lượng, duy trì hệ thống), cùng số liệu.",
            responses={**ERRORS, 200: {"content": {XLSX_TYPE: {}}}})
def unit_report_xlsx(session: DbSession, user: SignedIn, agency_code: AgencyCode, kind: Kind, year: Year,
                     number: Half = 1) -> Response:
    r = reports.unit_report(session, user, _unit_id(session, user, agency_code), kind, year, number)
    return Response(reports.unit_report_xlsx(r), media_type=XLSX_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{reports.unit_report_filename(r, "xlsx")}"'})


@router.get("/units/{agency_code}/report.pdf", summary="Báo cáo 6 tháng, năm của đơn vị, tệp PDF",
            responses={**ERRORS, 200: {"content": {"application/pdf": {}}}})
def unit_report_pdf(request: Request, session: DbSession, user: SignedIn, agency_code: AgencyCode, kind: Kind,
                    year: Year, number: Half = 1) -> Response:
    r = reports.unit_report(session, user, _unit_id(session, user, agency_code), kind, year, number)
    return Response(reports.unit_report_pdf(r, settings=request.app.state.settings), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{reports.unit_report_filename(r, "pdf")}"'})
