"""Pages of reform plans (/quan-tri/cai-cach-hanh-chinh): the plans and the XLSX import, a
plan's tasks by content group, a task with its progress and the progress form (with evidence
files), the period reports and their XLSX/PDF exports. Rules live in plans/progress/imports."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from motcua.auth.deps import CurrentUser
from motcua.catalog.models import Procedure
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, Forbidden, InvalidInput
from motcua.core.xlsx import XLSX_TYPE
from motcua.dossiers.inputs import validated
from motcua.dossiers.storage import content_disposition, read_bytes
from motcua.reform import (
    imports,
    plans,
    policies,
    progress,
    progress_exports,
    score_routes,
    survey_routes,
)
from motcua.reform.models import ReformPlan
from motcua.reform.plans import (
    GROUP_LABELS,
    INDICATOR_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    ContentGroup,
    PlanData,
)
from motcua.reform.progress import PERIOD_LABELS, TOTAL_LABELS, ProgressIn, ReportPeriod, Upload
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

BASE = "/quan-tri/cai-cach-hanh-chinh"
Text = Annotated[str, Query(max_length=255)]
IMPORT_FIELDS = ("year", "province", "decision", "title")
PROGRESS_FIELDS = ("role", "reported_on", "status", "percent", "content", "unit_name", "agency_code")


def _labels() -> dict:
    return {"group_labels": GROUP_LABELS, "status_labels": STATUS_LABELS, "role_labels": ROLE_LABELS,
            "indicator_labels": INDICATOR_LABELS, "period_labels": PERIOD_LABELS, "total_labels": TOTAL_LABELS,
            "base": BASE}


def _plans_context(session, user, typed: dict | None = None) -> dict:
    return {"plans": [(p, plans.group_counts(plans.plan_tasks(session, p))) for p in plans.list_plans(session)],
            "may_import": policies.manages_plans(session, user), "form": typed or {}, **_labels()}


@router.get(BASE)
def plan_list(request: Request, session: DbSession, user: CurrentUser):
    policies.ensure_staff(session, user)
    return templates.TemplateResponse(request, "reform/plans.html", _plans_context(session, user))


@router.get(BASE + "/mau-nhap.xlsx")
def import_template(session: DbSession, user: CurrentUser):
    policies.ensure_staff(session, user)
    return Response(imports.template_xlsx(), media_type=XLSX_TYPE,
                    headers={"Content-Disposition": content_disposition("mau-nhap-ke-hoach-cchc.xlsx")})


@router.post(BASE + "/nhap")
def import_plan(request: Request, session: DbSession, user: CurrentUser, form: PageForm):
    typed = typed_values(form, IMPORT_FIELDS)
    upload = form.get("file")
    try:
        policies.ensure_manages_plans(session, user)
        year = typed.get("year", "").strip()
        if not year.isdigit():
            raise InvalidInput("Năm của kế hoạch phải là số (ví dụ 2027).")
        content = upload.file.read(imports.MAX_FILE_BYTES + 1) if getattr(upload, "filename", None) else b""
        data = PlanData(year=int(year), province=typed.get("province", "").strip(),
                        decision=typed.get("decision", "").strip(), title=typed.get("title", "").strip(),
                        source=f"Nhập từ tệp {upload.filename}" if content else "")
        plan = imports.import_plan(session, data, content)
    except Forbidden:
        raise
    except DomainError as exc:
        return form_again(request, session, exc, "reform/plans.html", lambda: _plans_context(session, user, typed))
    flash(request, f"Đã nhập kế hoạch với {len(plans.plan_tasks(session, plan))} nhiệm vụ.")
    return RedirectResponse(f"{BASE}/{plan.id}", status_code=303)


@router.get(BASE + "/{plan_id}")
def plan_page(request: Request, session: DbSession, user: CurrentUser, plan_id: uuid.UUID):
    visible = progress.visible_tasks(session, user)
    plan = plans.get_plan(session, plan_id)
    tasks = plans.plan_tasks(session, plan, visible=visible)
    on = progress.today()
    grouped = {g: [t for t in tasks if t.content_group == g] for g in ContentGroup}
    overdue = {t.id for t in tasks
               if progress.is_overdue(t, progress.State(t.status, t.percent, t.completed_on), on)}
    return templates.TemplateResponse(request, "reform/plan.html", {
        "plan": plan, "grouped": grouped, "overdue": overdue, "count": len(tasks),
        "units": plans.plan_agencies(session, plan, policies.reform_scope(session, user)),
        "unreadable": (plan.unreadable or "").splitlines(), "periods": list(ReportPeriod), **_labels()})


@router.get(BASE + "/{plan_id}/don-vi/{agency_code}")
def unit_plan_page(request: Request, session: DbSession, user: CurrentUser, plan_id: uuid.UUID, agency_code: str):
    """A unit's own plan: the tasks it leads or co-operates on, with their progress."""
    policies.ensure_staff(session, user)
    up = progress.unit_plan(session, user, plans.get_plan(session, plan_id), agency_code[:20])
    return templates.TemplateResponse(request, "reform/unit_plan.html", {"up": up, "periods": list(ReportPeriod),
                                                                         **_labels()})


def _task_context(session, user, task, typed: dict | None = None) -> dict:
    entries = progress.entries_of(session, [task.id])[task.id]
    state = progress.State(task.status, task.percent, task.completed_on)
    return {"task": task, "plan": session.get(ReformPlan, task.plan_id), "entries": entries,
            "files": progress.evidence_of(session, [e.id for e in entries]),
            "overdue": progress.is_overdue(task, state, progress.today()),
            "measured": progress.measure(session, task),
            "procedure": session.get(Procedure, task.procedure_id) if task.procedure_id else None,
            "units": progress.task_agencies(session, task), "may_manage": policies.manages_plans(session, user),
            "form": typed or {}, **_labels()}



@router.get(BASE + "/nhiem-vu/{task_id}")
def task_page(request: Request, session: DbSession, user: CurrentUser, task_id: uuid.UUID):
    task = progress.seen_task(session, user, task_id)
    return templates.TemplateResponse(request, "reform/task.html", _task_context(session, user, task))


@router.post(BASE + "/nhiem-vu/{task_id}/tien-do")
def task_progress(request: Request, session: DbSession, user: CurrentUser, task_id: uuid.UUID, form: PageForm):
    task = progress.seen_task(session, user, task_id)
    typed = typed_values(form, PROGRESS_FIELDS)
    settings = request.app.state.settings
    uploads = [Upload(f.filename, f.file.read(settings.max_upload_bytes + 1))
               for f in form.getlist("evidence") if getattr(f, "filename", None)]
    values = {k: v for k, v in typed.items() if v.strip()}
    try:
        data = validated(ProgressIn, values)
        progress.report_progress(session, user, task, data, uploads, root=settings.storage_dir,
                                 max_bytes=settings.max_upload_bytes)
    except Forbidden:
        raise
    except DomainError as exc:
        return form_again(request, session, exc, "reform/task.html",
                          lambda: _task_context(session, user, plans.get_task(session, task_id), typed))
    flash(request, "Đã ghi báo cáo tiến độ.")
    return RedirectResponse(f"{BASE}/nhiem-vu/{task.id}", status_code=303)


@router.get(BASE + "/minh-chung/{evidence_id}")
def evidence_file(request: Request, session: DbSession, user: CurrentUser, evidence_id: uuid.UUID):
    policies.ensure_staff(session, user)
    ev = progress.get_evidence(session, user, evidence_id)
    content = read_bytes(ev.sha256, request.app.state.settings.storage_dir)
    return Response(content, media_type=ev.content_type, headers={
        "Content-Disposition": content_disposition(ev.name), "X-Content-Type-Options": "nosniff"})


def _report(session, user, plan_id, ky: str, don_vi: str) -> progress.Report:
    visible = progress.visible_tasks(session, user)
    plan = plans.get_plan(session, plan_id)
    try:
        kind = ReportPeriod(ky or ReportPeriod.year)
    except ValueError:
        raise InvalidInput("Kỳ báo cáo không hợp lệ (q1, q2, q3, q4, h1, m9, year).") from None
    return progress.assemble(session, plan, kind, visible=visible, unit=don_vi or None)


@router.get(BASE + "/{plan_id}/bao-cao")
def report_page(request: Request, session: DbSession, user: CurrentUser, plan_id: uuid.UUID, ky: Text = "",
                don_vi: Text = ""):
    report = _report(session, user, plan_id, ky, don_vi)
    return templates.TemplateResponse(request, "reform/report.html", {
        "report": report, "rows": list(progress_exports.rows(report)), "totals": list(progress_exports.totals(report)),
        "total_keys": progress_exports.TOTAL_KEYS, "row_columns": progress_exports.ROW_COLUMNS,
        "periods": list(ReportPeriod), "ky": report.kind.value, "don_vi": don_vi,
        "title": progress_exports.title(report), **_labels()})


@router.get(BASE + "/{plan_id}/bao-cao.xlsx")
def report_xlsx(session: DbSession, user: CurrentUser, plan_id: uuid.UUID, ky: Text = "", don_vi: Text = ""):
    report = _report(session, user, plan_id, ky, don_vi)
    return Response(progress_exports.report_xlsx(report), media_type=XLSX_TYPE,
                    headers={"Content-Disposition": content_disposition(progress_exports.filename(report, "xlsx"))})


@router.get(BASE + "/{plan_id}/bao-cao.pdf")
def report_pdf(request: Request, session: DbSession, user: CurrentUser, plan_id: uuid.UUID, ky: Text = "",
               don_vi: Text = ""):
    report = _report(session, user, plan_id, ky, don_vi)
    content = progress_exports.report_pdf(report, settings=request.app.state.settings)
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": content_disposition(progress_exports.filename(report, "pdf"))})

# The reform index and survey pages (branch i15score).
router.include_router(score_routes.router)
router.include_router(survey_routes.router)
