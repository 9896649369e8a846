"""Pages of internal audits, nonconformities and corrective actions, legal-change tasks, and
the reports (issue 14 items 3–6). Thin: parse, call one service, render. Mounted under
/chat-luong by quality/routes.py (which includes this router)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from motcua.auth.deps import CurrentUser
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, InvalidInput
from motcua.core.xlsx import XLSX_TYPE
from motcua.dossiers.inputs import validated
from motcua.org.models import Agency
from motcua.quality import audit_access, audits, legal_changes, policies, reports
from motcua.quality.audit_enums import (
    AUDIT_STATUS_LABELS,
    FINDING_KIND_LABELS,
    FINDING_STATUS_LABELS,
    REPORT_KIND_LABELS,
    AuditStatus,
    FindingKind,
    FindingStatus,
    ReportKind,
)
from motcua.quality.audit_schemas import (
    ActionDoneIn,
    ActionIn,
    AuditHeldIn,
    AuditPlanIn,
    CloseFindingIn,
    FindingIn,
    TaskDoneIn,
)
from motcua.quality.models import QualityUnit
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import PageForm, field_errors, form_again, typed_values
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
BASE = "/chat-luong"
FIELDS = ("agency_code", "planned_on", "scope", "auditors", "held_on", "summary", "kind", "clause", "description",
          "root_cause", "finding_id", "action_id", "owner", "due_on", "done_on", "result", "verified_on",
          "verification_note", "note")


def _labels() -> dict:
    return {
        "audit_labels": {s.value: AUDIT_STATUS_LABELS[s] for s in AuditStatus},
        "finding_labels": {k.value: FINDING_KIND_LABELS[k] for k in FindingKind},
        "finding_status_labels": {s.value: FINDING_STATUS_LABELS[s] for s in FindingStatus},
    }


def _acting_units(session, user) -> list[tuple[str, str]]:
    """(agency code, name) of the units the user records for."""
    agencies = policies.acting_agency_ids(user)
    if not agencies:
        return []
    return list(session.execute(select(Agency.code, Agency.name).join(QualityUnit, QualityUnit.agency_id == Agency.id)
                                .where(Agency.id.in_(agencies), QualityUnit.handed_over_to_id.is_(None))
                                .order_by(Agency.name)).tuples())


def _codes(session, unit_ids) -> dict:
    if not unit_ids:
        return {}
    return dict(session.execute(select(QualityUnit.id, Agency.name).join(Agency, Agency.id == QualityUnit.agency_id)
                                .where(QualityUnit.id.in_(unit_ids))).tuples().all())


def _audits_context(session, user, typed: dict | None = None) -> dict:
    found = audits.list_audits(session, user)
    today = audits.today()
    return {"audits": found, "unit_names": _codes(session, {a.unit_id for a in found}),
            "tasks": legal_changes.list_tasks(session, user, open_only=True), "today": today,
            "units": _acting_units(session, user), "typed": typed or {}, "refused": "", **_labels()}


def _refused(exc: DomainError, form: str, row_id: str | None = None) -> dict:
    """Which form was refused, so that the page fills in what was typed there only. A form
    repeated on every row (a task, a nonconformity, an action) names its inputs `<name>-<row
    id>`: its errors are renamed alike, so they mark that row's inputs and the summary links
    to them."""
    errors = field_errors(exc)
    if row_id is not None:
        errors = {"message": errors["message"],
                  "fields": {f"{name}-{row_id}": messages for name, messages in errors["fields"].items()},
                  "items": [{**item, "name": f"{item['name']}-{row_id}" if item["name"] else None}
                            for item in errors["items"]]}
    return {"refused": form, "form_errors": errors}


@router.get(f"{BASE}/danh-gia")
def audits_page(request: Request, session: DbSession, user: CurrentUser):
    return templates.TemplateResponse(request, "quality/audits.html", _audits_context(session, user))


@router.post(f"{BASE}/danh-gia")
def plan_audit(request: Request, session: DbSession, user: CurrentUser, form: PageForm):
    typed = typed_values(form, FIELDS)
    try:
        unit = audit_access.unit_by_agency_code(session, user, typed.get("agency_code", ""), act=True)
        audit = audits.plan_audit(session, user, unit.id, validated(AuditPlanIn, {
            k: typed.get(k, "") for k in ("planned_on", "scope", "auditors")}))
    except DomainError as exc:
        return form_again(request, session, exc, "quality/audits.html", lambda: _audits_context(session, user, typed))
    flash(request, "Đã lập kế hoạch đánh giá nội bộ.")
    return RedirectResponse(f"{BASE}/danh-gia/{audit.id}", status_code=303)


@router.post(f"{BASE}/viec-cap-nhat/{{task_id}}")
def complete_task(request: Request, session: DbSession, user: CurrentUser, task_id: uuid.UUID, form: PageForm):
    typed = typed_values(form, FIELDS)
    try:
        body = validated(TaskDoneIn, {"done_on": typed.get("done_on", ""), "note": typed.get("note", "")})
        legal_changes.complete_task(session, user, task_id, done_on=body.done_on, note=body.note)
    except DomainError as exc:
        typed["task_id"] = str(task_id)
        refused = _refused(exc, "viec-cap-nhat", str(task_id))
        return form_again(request, session, exc, "quality/audits.html",
                          lambda: _audits_context(session, user, typed) | refused)
    flash(request, "Đã ghi nhận cập nhật quy trình nội bộ theo thay đổi pháp lý.")
    return RedirectResponse(f"{BASE}/danh-gia", status_code=303)


def _audit_context(session, user, audit_id: uuid.UUID, typed: dict | None = None) -> dict:
    audit = audits.get_audit(session, user, audit_id)
    unit = session.get(QualityUnit, audit.unit_id)
    return {"audit": audit, "unit_name": _codes(session, {audit.unit_id})[audit.unit_id],
            "can_act": policies.can_act(user, unit), "today": audits.today(), "typed": typed or {},
            "overdue": {f.id: audits.nonconformity_overdue(f, audits.today()) for f in audit.findings},
            "refused": "", **_labels()}


@router.get(f"{BASE}/danh-gia/{{audit_id}}")
def audit_page(request: Request, session: DbSession, user: CurrentUser, audit_id: uuid.UUID):
    return templates.TemplateResponse(request, "quality/audit.html", _audit_context(session, user, audit_id))


def _uuid(value: str | None, label: str) -> uuid.UUID:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        raise InvalidInput(f"{label} không hợp lệ.") from None


def _pick(typed: dict, *names: str) -> dict:
    # Fields left empty take the model's default, as when a JSON body leaves them out.
    return {n: typed[n] for n in names if typed.get(n)}


# The audit page's forms repeated per nonconformity or per corrective action: the hidden
# input naming their row.
ROW_FORMS = {"khac-phuc": "finding_id", "dong": "finding_id", "hoan-thanh": "action_id"}


@router.post(f"{BASE}/danh-gia/{{audit_id}}/{{action}}")
def audit_action(request: Request, session: DbSession, user: CurrentUser, audit_id: uuid.UUID, action: str,
                 form: PageForm):
    typed = typed_values(form, FIELDS)
    try:
        if action == "ket-qua":
            audits.record_held(session, user, audit_id, validated(AuditHeldIn, _pick(typed, "held_on", "summary")))
            flash(request, "Đã ghi kết quả cuộc đánh giá.")
        elif action == "phat-hien":
            audits.add_finding(session, user, audit_id, validated(FindingIn, _pick(
                typed, "kind", "clause", "description", "root_cause")))
            flash(request, "Đã ghi phát hiện.")
        elif action == "khac-phuc":
            audits.add_action(session, user, _uuid(typed.get("finding_id"), "Điểm không phù hợp"),
                              validated(ActionIn, _pick(typed, "description", "owner", "due_on")))
            flash(request, "Đã thêm hành động khắc phục.")
        elif action == "hoan-thanh":
            audits.complete_action(session, user, _uuid(typed.get("action_id"), "Hành động khắc phục"),
                                   validated(ActionDoneIn, _pick(typed, "done_on", "result")))
            flash(request, "Đã ghi hoàn thành hành động khắc phục.")
        elif action == "dong":
            audits.close_finding(session, user, _uuid(typed.get("finding_id"), "Điểm không phù hợp"),
                                 validated(CloseFindingIn, _pick(typed, "verified_on", "verification_note")))
            flash(request, "Đã kiểm tra hiệu lực và đóng điểm không phù hợp.")
        elif action == "ket-thuc":
            audits.close_audit(session, user, audit_id)
            flash(request, "Đã kết thúc cuộc đánh giá.")
        else:
            raise InvalidInput("Thao tác không hợp lệ.")
    except DomainError as exc:
        row = ROW_FORMS.get(action)
        refused = _refused(exc, action, typed.get(row, "") if row else None)
        return form_again(request, session, exc, "quality/audit.html",
                          lambda: _audit_context(session, user, audit_id, typed) | refused)
    return RedirectResponse(f"{BASE}/danh-gia/{audit_id}", status_code=303)


# --- reports --------------------------------------------------------------------------------

KindQ = Annotated[str, Query(max_length=8)]
YearQ = Annotated[int, Query(ge=2000, le=2100)]
HalfQ = Annotated[int, Query(ge=1, le=2)]


def _kind(value: str) -> ReportKind:
    return ReportKind(value) if value in {k.value for k in ReportKind} else ReportKind.half


def _half(ky: int | None) -> int:
    """The half year asked for, or the one running today (a report opened in December is
    about July–December)."""
    return ky or (1 if audits.today().month <= 6 else 2)


@router.get(f"{BASE}/bao-cao")
def summary_page(request: Request, session: DbSession, user: CurrentUser, loai: KindQ = "half",
                 nam: YearQ | None = None, ky: HalfQ | None = None):
    kind, year, ky = _kind(loai), nam or audits.today().year, _half(ky)
    summary = reports.province_summary(session, user, kind, year, ky)
    return templates.TemplateResponse(request, "quality/summary.html", {
        "summary": summary, "lines": reports.summary_lines(summary), "header": reports.SUMMARY_HEADER,
        "kind": kind.value, "year": year, "ky": ky, "kind_labels": {k.value: REPORT_KIND_LABELS[k] for k in ReportKind},
        "query": f"loai={kind.value}&nam={year}&ky={ky}"})


@router.get(BASE + "/bao-cao.{ext}")
def summary_file(request: Request, session: DbSession, user: CurrentUser, ext: str, loai: KindQ = "half",
                 nam: YearQ | None = None, ky: HalfQ | None = None):
    if ext not in {"xlsx", "pdf"}:
        raise InvalidInput("Chỉ xuất tệp xlsx hoặc pdf.")
    summary = reports.province_summary(session, user, _kind(loai), nam or audits.today().year, _half(ky))
    content = (reports.summary_xlsx(summary) if ext == "xlsx"
               else reports.summary_pdf(summary, settings=request.app.state.settings))
    return Response(content, media_type=XLSX_TYPE if ext == "xlsx" else "application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{reports.summary_filename(summary, ext)}"'})


@router.get(f"{BASE}/don-vi/{{code}}/bao-cao")
def unit_report_page(request: Request, session: DbSession, user: CurrentUser, code: str, loai: KindQ = "half",
                     nam: YearQ | None = None, ky: HalfQ | None = None):
    kind, year, ky = _kind(loai), nam or audits.today().year, _half(ky)
    unit = audit_access.unit_by_agency_code(session, user, code[:40])
    report = reports.unit_report(session, user, unit.id, kind, year, ky)
    return templates.TemplateResponse(request, "quality/unit_report.html", {
        "report": report, "header": reports.UNIT_REPORT_HEADER, "lines": reports.unit_report_lines(report),
        "cell": reports.cell_text, "code": code, "kind": kind.value, "year": year, "ky": ky,
        "query": f"loai={kind.value}&nam={year}&ky={ky}",
        "kind_labels": {k.value: REPORT_KIND_LABELS[k] for k in ReportKind}})


@router.get(BASE + "/don-vi/{code}/bao-cao.{ext}")
def unit_report_file(request: Request, session: DbSession, user: CurrentUser, code: str, ext: str,
                     loai: KindQ = "half", nam: YearQ | None = None, ky: HalfQ = 1):
    """The unit report as XLSX or PDF: the page's lines (`reports.unit_report_lines`)."""
    if ext not in {"xlsx", "pdf"}:
        raise InvalidInput("Chỉ xuất tệp xlsx hoặc pdf.")
    unit = audit_access.unit_by_agency_code(session, user, code[:40])
    report = reports.unit_report(session, user, unit.id, _kind(loai), nam or audits.today().year, ky)
    content = (reports.unit_report_xlsx(report) if ext == "xlsx"
               else reports.unit_report_pdf(report, settings=request.app.state.settings))
    return Response(content, media_type=XLSX_TYPE if ext == "xlsx" else "application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{reports.unit_report_filename(report, ext)}"'})
