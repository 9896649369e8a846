"""JSON: reform plans and tasks, progress entries, period reports, XLSX import."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy import select

from motcua.auth.deps import require_user
from motcua.auth.models import User
from motcua.catalog.models import Procedure
from motcua.core.db import DbSession
from motcua.reform import imports, plans, policies, progress, score_api, survey_api
from motcua.reform.models import ReformPlan, ReformProgress, ReformTask
from motcua.reform.plans import ContentGroup, Indicator, PlanData, TaskStatus, UnitRole
from motcua.reform.progress import ProgressIn, ReportPeriod, Upload

router = APIRouter(prefix="/api/v1/reform", tags=["cải cách hành chính"])

SignedIn = Annotated[User, Depends(require_user)]
PROBLEM = {"content": {"application/problem+json": {}}}
AUTH = {401: {"description": "Chưa đăng nhập", **PROBLEM}, 403: {"description": "Không có quyền", **PROBLEM}}


class PlanOut(BaseModel):
    id: uuid.UUID
    year: int
    province: str
    decision: str
    decision_date: date | None
    title: str
    signer: str | None
    source: str
    unreadable: list[str] = Field(description="Những phần của văn bản gốc không đọc được")
    is_sample: bool
    tasks: int
    groups: dict[ContentGroup, int]


class MeasuredOut(BaseModel):
    indicator: Indicator
    label: str
    value: float | None = Field(description="%, một chữ số thập phân; null khi chưa có hồ sơ")
    numerator: int
    denominator: int
    date_from: date
    date_to: date
    target_percent: Decimal | None
    meets_target: bool | None


class TaskOut(BaseModel):
    id: uuid.UUID
    plan_id: uuid.UUID
    position: int
    content_group: ContentGroup
    content_group_label: str
    number: str | None
    title: str
    lead_unit: str
    cooperating_units: str | None
    product: str | None
    deadline: date | None
    deadline_text: str | None
    status: TaskStatus
    percent: int
    completed_on: date | None
    overdue: bool
    procedure_code: str | None
    indicator: Indicator | None
    note: str | None


class TaskPageOut(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[TaskOut]


class EvidenceOut(BaseModel):
    id: uuid.UUID
    name: str
    content_type: str
    size: int
    url: str


class ProgressOut(BaseModel):
    id: uuid.UUID
    task_id: uuid.UUID
    role: UnitRole
    unit_name: str
    reported_on: date
    status: TaskStatus | None
    percent: int | None
    content: str
    author_name: str
    created_at: datetime
    evidence: list[EvidenceOut]


class TaskDetailOut(TaskOut):
    progress: list[ProgressOut]
    measured: MeasuredOut | None


class TotalsOut(BaseModel):
    tasks: int
    done_on_time: int
    done_late: int
    in_progress: int
    not_started: int
    overdue: int
    entries: int


class ReportRowOut(BaseModel):
    task_id: uuid.UUID
    content_group: ContentGroup
    number: str | None
    title: str
    lead_unit: str
    deadline: date | None
    status: TaskStatus
    percent: int
    completed_on: date | None
    overdue: bool
    done_late: bool
    entries: int


class ReportOut(BaseModel):
    plan_id: uuid.UUID
    period: ReportPeriod
    period_label: str
    date_from: date
    date_to: date
    judged_on: date
    unit: str | None
    rows: list[ReportRowOut]
    groups: dict[ContentGroup, TotalsOut]
    total: TotalsOut


def plan_out(session, plan: ReformPlan) -> PlanOut:
    tasks = plans.plan_tasks(session, plan)
    return PlanOut(id=plan.id, year=plan.year, province=plan.province, decision=plan.decision,
                   decision_date=plan.decision_date, title=plan.title, signer=plan.signer, source=plan.source,
                   unreadable=(plan.unreadable or "").splitlines(), is_sample=plan.is_sample, tasks=len(tasks),
                   groups=plans.group_counts(tasks))


def task_out(task: ReformTask, procedure_codes: dict, on: date, cls=TaskOut, **extra) -> TaskOut:
    state = progress.State(TaskStatus(task.status), task.percent, task.completed_on)
    return cls(id=task.id, plan_id=task.plan_id, position=task.position, content_group=task.content_group,
               content_group_label=plans.GROUP_LABELS[ContentGroup(task.content_group)], number=task.number,
               title=task.title, lead_unit=task.lead_unit, cooperating_units=task.cooperating_units,
               product=task.product, deadline=task.deadline, deadline_text=task.deadline_text, status=task.status,
               percent=task.percent, completed_on=task.completed_on, overdue=progress.is_overdue(task, state, on),
               procedure_code=procedure_codes.get(task.procedure_id), indicator=task.indicator, note=task.note, **extra)


def _codes(session, tasks: list[ReformTask]) -> dict:
    ids = {t.procedure_id for t in tasks if t.procedure_id}
    if not ids:
        return {}
    return dict(session.execute(select(Procedure.id, Procedure.code).where(Procedure.id.in_(ids))).all())


def progress_out(session, entries: list[ReformProgress]) -> list[ProgressOut]:
    files = progress.evidence_of(session, [e.id for e in entries])
    return [ProgressOut(id=e.id, task_id=e.task_id, role=e.role, unit_name=e.unit_name, reported_on=e.reported_on,
                        status=e.status, percent=e.percent, content=e.content, author_name=e.author_name,
                        created_at=e.created_at,
                        evidence=[EvidenceOut(id=f.id, name=f.name, content_type=f.content_type, size=f.size,
                                              url=f"/quan-tri/cai-cach-hanh-chinh/minh-chung/{f.id}") for f in files[e.id]])
            for e in entries]


@router.get("/plans", response_model=list[PlanOut], summary="Các kế hoạch cải cách hành chính", responses=AUTH)
def list_plans(session: DbSession, user: SignedIn,
               year: Annotated[int | None, Query(ge=2000, le=2100)] = None):
    policies.ensure_staff(session, user)
    return [plan_out(session, p) for p in plans.list_plans(session, year=year)]


@router.post("/plans/import", status_code=201, response_model=PlanOut, summary="Nhập kế hoạch từ tệp XLSX (theo mẫu)",
             responses={**AUTH, 409: {"description": "Kế hoạch đã có", **PROBLEM},
                        422: {"description": "Tệp có dòng sai: không dòng nào được ghi", **PROBLEM}})
def import_plan(session: DbSession, user: SignedIn, year: Annotated[int, Form()],
                province: Annotated[str, Form(max_length=100)], decision: Annotated[str, Form(max_length=255)],
                title: Annotated[str, Form(max_length=500)], file: Annotated[UploadFile, File()]):
    policies.ensure_manages_plans(session, user)
    data = PlanData(year=year, province=province.strip(), decision=decision.strip(), title=title.strip(),
                    source=f"Nhập từ tệp {file.filename or 'XLSX'}")
    return plan_out(session, imports.import_plan(session, data, file.file.read(imports.MAX_FILE_BYTES + 1)))


@router.get("/plans/{plan_id}", response_model=PlanOut, summary="Một kế hoạch", responses=AUTH)
def get_plan(session: DbSession, user: SignedIn, plan_id: uuid.UUID):
    policies.ensure_staff(session, user)
    return plan_out(session, plans.get_plan(session, plan_id))


@router.get("/plans/{plan_id}/tasks", response_model=TaskPageOut, summary="Nhiệm vụ của kế hoạch (phân trang)",
            responses={**AUTH, 404: {"description": "Không có kế hoạch", **PROBLEM}})
def plan_tasks(session: DbSession, user: SignedIn, plan_id: uuid.UUID,
               content_group: Annotated[ContentGroup | None, Query()] = None,
               status: Annotated[TaskStatus | None, Query()] = None,
               page: Annotated[int, Query(ge=1, le=10000)] = 1,
               page_size: Annotated[int, Query(ge=1, le=plans.MAX_PAGE_SIZE)] = 50):
    visible = progress.visible_tasks(session, user)
    plan = plans.get_plan(session, plan_id)
    result = plans.task_page(session, plan, visible=visible, group=content_group, status=status, page=page,
                             page_size=page_size)
    codes, on = _codes(session, result.items), progress.today()
    return TaskPageOut(total=result.total, page=result.page, page_size=result.page_size,
                       items=[task_out(t, codes, on) for t in result.items])


@router.get("/tasks/{task_id}", response_model=TaskDetailOut, summary="Một nhiệm vụ, các báo cáo tiến độ và chỉ số đo",
            responses={**AUTH, 404: {"description": "Không có nhiệm vụ", **PROBLEM}})
def get_task(session: DbSession, user: SignedIn, task_id: uuid.UUID):
    task = progress.seen_task(session, user, task_id)
    measured = progress.measure(session, task)
    m = None if measured is None else MeasuredOut(
        indicator=measured.indicator, label=plans.INDICATOR_LABELS[measured.indicator], value=measured.value,
        numerator=measured.numerator, denominator=measured.denominator, date_from=measured.start,
        date_to=measured.end, target_percent=task.target_percent, meets_target=measured.meets_target)
    entries = progress.entries_of(session, [task.id])[task.id]
    return task_out(task, _codes(session, [task]), progress.today(), TaskDetailOut,
                    progress=progress_out(session, entries), measured=m)


@router.get("/tasks/{task_id}/progress", response_model=list[ProgressOut], summary="Các báo cáo tiến độ của nhiệm vụ",
            responses=AUTH)
def task_progress(session: DbSession, user: SignedIn, task_id: uuid.UUID):
    task = progress.seen_task(session, user, task_id)
    return progress_out(session, progress.entries_of(session, [task.id])[task.id])


@router.post("/tasks/{task_id}/progress", status_code=201, response_model=ProgressOut,
             summary="Báo cáo tiến độ (đơn vị chủ trì) hoặc phần phối hợp, kèm tệp minh chứng",
             responses={**AUTH, 422: {"description": "Dữ liệu hoặc tệp không hợp lệ", **PROBLEM}})
def add_progress(request: Request, session: DbSession, user: SignedIn, task_id: uuid.UUID,
                 content: Annotated[str, Form(min_length=1, max_length=5000)],
                 role: Annotated[UnitRole, Form()] = UnitRole.lead,
                 reported_on: Annotated[date | None, Form()] = None,
                 status: Annotated[TaskStatus | None, Form()] = None,
                 percent: Annotated[int | None, Form(ge=0, le=100)] = None,
                 unit_name: Annotated[str | None, Form(max_length=255)] = None,
                 agency_code: Annotated[str | None, Form(max_length=20)] = None,
                 files: Annotated[list[UploadFile] | None, File(description="Tệp minh chứng")] = None):
    task = progress.seen_task(session, user, task_id)
    data = ProgressIn(role=role, reported_on=reported_on, status=status, percent=percent, content=content,
                      unit_name=unit_name, agency_code=agency_code)
    uploads = [Upload(f.filename, f.file.read()) for f in files or []]
    settings = request.app.state.settings
    entry = progress.report_progress(session, user, task, data, uploads, root=settings.storage_dir,
                                     max_bytes=settings.max_upload_bytes)
    return progress_out(session, [entry])[0]


def report_out(report: progress.Report) -> ReportOut:
    def totals(t: progress.Totals) -> TotalsOut:
        return TotalsOut(**t.__dict__)
    return ReportOut(
        plan_id=report.plan.id, period=report.kind, period_label=progress.PERIOD_LABELS[report.kind],
        date_from=report.start, date_to=report.end, judged_on=report.at, unit=report.unit,
        rows=[ReportRowOut(task_id=r.task.id, content_group=r.task.content_group, number=r.task.number,
                           title=r.task.title, lead_unit=r.task.lead_unit, deadline=r.task.deadline,
                           status=r.state.status, percent=r.state.percent, completed_on=r.state.completed_on,
                           overdue=r.overdue, done_late=r.late, entries=len(r.entries)) for r in report.rows],
        groups={g: totals(t) for g, t in report.groups.items()}, total=totals(report.total))


@router.get("/plans/{plan_id}/reports/{period}", response_model=ReportOut,
            summary="Báo cáo quý, 6 tháng, 9 tháng, năm của tỉnh hoặc một đơn vị",
            responses={**AUTH, 422: {"description": "Kỳ chưa bắt đầu hoặc đơn vị không có", **PROBLEM}})
def report(session: DbSession, user: SignedIn, plan_id: uuid.UUID, period: ReportPeriod,
           unit: Annotated[str | None, Query(max_length=255, description="Mã cơ quan hoặc tên đơn vị chủ trì")] = None):
    visible = progress.visible_tasks(session, user)
    plan = plans.get_plan(session, plan_id)
    return report_out(progress.assemble(session, plan, period, visible=visible, unit=unit))


class UnitTaskOut(TaskOut):
    role: UnitRole = Field(description="Vai trò của đơn vị: chủ trì (lead) hoặc phối hợp (cooperate)")
    entries: int = Field(description="Số báo cáo tiến độ của nhiệm vụ (mọi đơn vị)")
    own_entries: int = Field(description="Số báo cáo tiến độ của chính đơn vị")


class UnitPlanOut(BaseModel):
    plan_id: uuid.UUID
    year: int
    agency_code: str
    agency_name: str
    total: int
    lead: int
    cooperate: int
    overdue: int
    tasks: list[UnitTaskOut]


@router.get("/plans/{plan_id}/units/{agency_code}/tasks", response_model=UnitPlanOut,
            summary="Kế hoạch của một đơn vị: nhiệm vụ đơn vị chủ trì hoặc phối hợp, với tiến độ",
            responses={**AUTH, 404: {"description": "Không có kế hoạch hoặc cơ quan", **PROBLEM}})
def unit_plan(session: DbSession, user: SignedIn, plan_id: uuid.UUID,
              agency_code: Annotated[str, Path(min_length=1, max_length=20)]):
    policies.ensure_staff(session, user)
    up = progress.unit_plan(session, user, plans.get_plan(session, plan_id), agency_code)
    tasks = [r.task for r in up.rows]
    codes, on = _codes(session, tasks), progress.today()
    return UnitPlanOut(plan_id=up.plan.id, year=up.plan.year, agency_code=up.agency.code, agency_name=up.agency.name,
                       total=len(up.rows), lead=up.count(role=UnitRole.lead), cooperate=up.count(role=UnitRole.cooperate),
                       overdue=up.count(overdue=True),
                       tasks=[task_out(r.task, codes, on, UnitTaskOut, role=r.role, entries=r.entries,
                                       own_entries=r.own_entries) for r in up.rows])


@router.get("/overdue", response_model=list[TaskOut], summary="Nhiệm vụ quá hạn chưa hoàn thành", responses=AUTH)
def overdue(session: DbSession, user: SignedIn):
    tasks = progress.overdue_tasks(session, visible=progress.visible_tasks(session, user))
    return [task_out(t, _codes(session, tasks), progress.today()) for t in tasks]

# The reform index and survey endpoints (branch i15score), under this router's prefix.
router.include_router(score_api.router)
router.include_router(survey_api.router)
