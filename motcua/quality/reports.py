"""Reports of the quality domain (DOMAIN.md §7): each unit's six-monthly and yearly report to
the Department of Science and Technology and the province-wide summary (the roadmap progress
against plans 71 and 34 is quality/roadmap.py); the XLSX and PDF files are written from the same `Summary` the page shows, so their
totals are the page's.

Figures "at the end" are judged at the period's end, or today while the period runs:
- a nonconformity is open when found by an audit held by then and not closed by then;
  overdue when open and one of its corrective actions, not done by then, was due before;
- a legal-change task is pending when its change took effect by then and it was not done by
  then; overdue when pending and due before then.
Figures "in the period": audits held, nonconformities found, reviews held, announcements
(decision dated in the period), legal-change tasks opened (change effective in the period).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from motcua.auth.models import User
from motcua.core.errors import InvalidInput
from motcua.core.xlsx import table_workbook
from motcua.documents import render
from motcua.org.models import Agency
from motcua.quality import audit_access, policies
from motcua.quality.audit_enums import REPORT_KIND_LABELS, FindingKind, ReportKind
from motcua.quality.enums import STAGE_LABELS, Stage
from motcua.quality.models import (
    AuditFinding,
    CorrectiveAction,
    InternalAudit,
    LegalChangeTask,
    ManagementReview,
    QualityUnit,
)
from motcua.quality.objectives import Measure, measure, measure_lines
from motcua.reports.counting import Period, period, period_dates
from motcua.web.templating import vn_number

# The figures of a summary row, in the order of the page's and the files' columns.
FIGURES: dict[str, str] = {
    "announced_in_period": "Công bố trong kỳ",
    "audits_held": "Đánh giá nội bộ đã thực hiện",
    "reviews_held": "Họp xem xét của lãnh đạo",
    "ncs_found": "Điểm không phù hợp phát hiện",
    "ncs_open": "Điểm không phù hợp chưa đóng",
    "ncs_overdue": "Điểm không phù hợp quá hạn khắc phục",
    "legal_opened": "Thay đổi pháp lý phải cập nhật",
    "legal_pending": "Cập nhật theo thay đổi pháp lý chưa xong",
    "legal_overdue": "Cập nhật quá 3 tháng",
}


def report_period(kind: ReportKind | str, year: int, number: int = 1) -> Period:
    try:
        kind = ReportKind(kind)
    except ValueError:
        raise InvalidInput("Loại báo cáo phải là “half” (6 tháng) hoặc “year” (năm).") from None
    return period(*period_dates(kind.value, year, number if kind is ReportKind.half else 1))


def period_title(kind: ReportKind, p: Period) -> str:
    if kind is ReportKind.year:
        return f"{REPORT_KIND_LABELS[kind]} {p.date_from.year}"
    half = "đầu" if p.date_from.month == 1 else "cuối"
    return f"{REPORT_KIND_LABELS[kind]} {half} năm {p.date_from.year}"


@dataclass
class UnitRow:
    unit_id: uuid.UUID
    agency_code: str
    name: str
    stage: str
    standard: str
    announced: bool  # an announcement decision dated by the end
    figures: dict[str, int] = field(default_factory=dict)

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[Stage(self.stage)]


@dataclass
class Summary:
    kind: ReportKind
    period: Period
    rows: list[UnitRow]

    @property
    def title(self) -> str:
        return period_title(self.kind, self.period)

    @property
    def totals(self) -> dict[str, int]:
        return {key: sum(r.figures[key] for r in self.rows) for key in FIGURES}

    @property
    def by_stage(self) -> dict[Stage, int]:
        counted = Counter(r.stage for r in self.rows)
        return {stage: counted.get(stage.value, 0) for stage in Stage}

    @property
    def announced(self) -> int:
        return sum(r.announced for r in self.rows)


def _on(p: Period) -> date:
    """The day figures "at the end" are judged: the period's last day, or today while it runs."""
    return min(p.date_to, p.at.date())


def _rows(session: Session, units: list[QualityUnit], p: Period) -> list[UnitRow]:
    on, start, end = _on(p), p.date_from, p.date_to  # nothing after `on` counts (a report as of then)
    ids = [u.id for u in units]
    agencies = {a.id: a for a in session.scalars(select(Agency).where(Agency.id.in_([u.agency_id for u in units])))}
    rows = {u.id: UnitRow(u.id, agencies[u.agency_id].code, agencies[u.agency_id].name, u.stage, u.standard,
                          u.announcement_date is not None and u.announcement_date <= on,
                          dict.fromkeys(FIGURES, 0)) for u in units}
    for u in units:
        rows[u.id].figures["announced_in_period"] = int(
            u.announcement_date is not None and start <= u.announcement_date <= on)
    audits = session.scalars(select(InternalAudit).where(InternalAudit.unit_id.in_(ids), InternalAudit.held_on <= on)
                             .options(selectinload(InternalAudit.findings).selectinload(AuditFinding.actions))).all()
    for audit in audits:
        f = rows[audit.unit_id].figures
        in_period = start <= audit.held_on <= end
        f["audits_held"] += in_period
        for finding in audit.findings:
            if finding.kind != FindingKind.nonconformity.value:
                continue
            f["ncs_found"] += in_period
            if finding.closed_on is None or finding.closed_on > on:
                f["ncs_open"] += 1
                f["ncs_overdue"] += any(_action_late(a, on) for a in finding.actions)
    for unit_id in session.scalars(select(ManagementReview.unit_id).where(
            ManagementReview.unit_id.in_(ids), ManagementReview.held_on >= start, ManagementReview.held_on <= on)):
        rows[unit_id].figures["reviews_held"] += 1
    for task in session.scalars(select(LegalChangeTask).where(LegalChangeTask.unit_id.in_(ids),
                                                              LegalChangeTask.effective_on <= on)):
        f = rows[task.unit_id].figures
        f["legal_opened"] += start <= task.effective_on <= end
        if task.done_on is None or task.done_on > on:
            f["legal_pending"] += 1
            f["legal_overdue"] += task.due_on < on
    return sorted(rows.values(), key=lambda r: (r.name, r.agency_code))


def _action_late(action: CorrectiveAction, on: date) -> bool:
    return action.due_on < on and (action.done_on is None or action.done_on > on)


def province_summary(session: Session, user: User | None, kind: ReportKind | str, year: int,
                     number: int = 1) -> Summary:
    """Every current unit (those handed to a successor are history, counted there)."""
    policies.ensure_sees_all(session, user)
    p = report_period(kind, year, number)
    units = list(session.scalars(select(QualityUnit).where(QualityUnit.handed_over_to_id.is_(None))))
    return Summary(ReportKind(kind), p, _rows(session, units, p))


@dataclass
class UnitReport:
    summary: Summary  # one row: the unit's
    measure: Measure
    audits: list[InternalAudit]
    reviews: list[ManagementReview]
    tasks: list[LegalChangeTask]

    @property
    def row(self) -> UnitRow:
        return self.summary.rows[0]


def unit_report(session: Session, user: User | None, unit_id: uuid.UUID, kind: ReportKind | str, year: int,
                number: int = 1) -> UnitReport:
    unit = audit_access.ensure_unit(session, user, unit_id, act=False)
    p = report_period(kind, year, number)
    on = _on(p)
    audits = session.scalars(select(InternalAudit).where(
        InternalAudit.unit_id == unit.id, InternalAudit.planned_on >= p.date_from, InternalAudit.planned_on <= p.date_to)
        .options(selectinload(InternalAudit.findings).selectinload(AuditFinding.actions))
        .order_by(InternalAudit.planned_on)).all()
    reviews = session.scalars(select(ManagementReview).where(
        ManagementReview.unit_id == unit.id, ManagementReview.planned_on >= p.date_from,
        ManagementReview.planned_on <= p.date_to).order_by(ManagementReview.planned_on)).all()
    tasks = session.scalars(select(LegalChangeTask).where(
        LegalChangeTask.unit_id == unit.id, LegalChangeTask.effective_on <= on)
        .order_by(LegalChangeTask.due_on)).all()
    return UnitReport(Summary(ReportKind(kind), p, _rows(session, [unit], p)), measure(session, [unit], p)[unit.id],
                      list(audits), list(reviews), [t for t in tasks if t.done_on is None or t.done_on > on
                                                    or p.date_from <= t.effective_on])


# --- files: the same lines as the page ------------------------------------------------------

SUMMARY_HEADER = ["STT", "Mã đơn vị", "Đơn vị", "Giai đoạn", "Đã công bố", *FIGURES.values()]
TOTAL_LABEL = "Tổng cộng"
# The body the reports go to and that issues the province summary (plans 71 and 34; policies.py).
DEPARTMENT = "Sở Khoa học và Công nghệ"


def summary_lines(summary: Summary) -> list[list]:
    """Numbered rows, then the total row (the page's table, cell for cell)."""
    lines: list[list] = [[n, r.agency_code, r.name, r.stage_label, "Có" if r.announced else "Chưa",
                          *(r.figures[k] for k in FIGURES)] for n, r in enumerate(summary.rows, start=1)]
    lines.append(["", "", TOTAL_LABEL, "", summary.announced, *(summary.totals[k] for k in FIGURES)])
    return lines


def summary_heading(summary: Summary) -> str:
    p = summary.period
    return (f"Tổng hợp tình hình áp dụng hệ thống quản lý chất lượng theo TCVN ISO 9001 – {summary.title} "
            f"(từ {p.date_from:%d/%m/%Y} đến {p.date_to:%d/%m/%Y})")


def summary_filename(summary: Summary, ext: str) -> str:
    p = summary.period
    return f"iso-tong-hop-{p.date_from:%Y%m%d}-{p.date_to:%Y%m%d}.{ext}"


def summary_xlsx(summary: Summary) -> bytes:
    """Row 1 the title, row 2 when made, row 3 the columns, then the units and the total (last)."""
    return table_workbook("Tổng hợp ISO", summary_heading(summary), SUMMARY_HEADER, summary_lines(summary))


def summary_pdf(summary: Summary, *, settings) -> bytes:
    html = render.render_html(
        "quality/summary_pdf.html", form_number="", form_title=summary_heading(summary), paper_size="A4 landscape",
        place=settings.province_name, public_base_url=settings.public_base_url, issuer=DEPARTMENT,
        header=SUMMARY_HEADER, lines=summary_lines(summary),
    )
    return render.html_to_pdf(html)


# --- the unit's report: page and files from the same lines ------------------------------------

UNIT_REPORT_HEADER = ["STT", "Chỉ số", "Kết quả", "Chỉ tiêu", "Đánh giá"]
OBJECTIVES_SECTION = "Mục tiêu chất lượng"
FIGURES_SECTION = "Duy trì, cải tiến hệ thống"


def unit_report_lines(report: UnitReport) -> list[list]:
    """The report's table, cell for cell, as the page, the XLSX and the PDF show it: section I
    the objectives measured against the year's targets (`objectives.measure_lines`), section II
    the figures of the unit's summary row. A section row has its Roman numeral and title only."""
    lines: list[list] = [["I", OBJECTIVES_SECTION, None, None, None], *measure_lines(report.measure)]
    lines.append(["II", FIGURES_SECTION, None, None, None])
    lines += [[n, label, report.row.figures[key], None, None] for n, (key, label) in enumerate(FIGURES.items(), start=1)]
    return lines


def cell_text(value) -> str:
    """A line's cell as the page and the PDF print it (the XLSX keeps the value): nothing for
    None, a share with the Vietnamese decimal comma."""
    if value is None:
        return ""
    return vn_number(value) if isinstance(value, float) else str(value)


def unit_report_heading(report: UnitReport) -> str:
    p = report.summary.period
    return (f"Báo cáo tình hình áp dụng hệ thống quản lý chất lượng theo TCVN ISO 9001 – {report.row.name} – "
            f"{report.summary.title} (từ {p.date_from:%d/%m/%Y} đến {p.date_to:%d/%m/%Y})")


def unit_report_filename(report: UnitReport, ext: str) -> str:
    p = report.summary.period
    return f"iso-{report.row.agency_code}-{p.date_from:%Y%m%d}-{p.date_to:%Y%m%d}.{ext}"


def unit_report_xlsx(report: UnitReport) -> bytes:
    """Row 1 the title, row 2 when made, row 3 the columns, then the lines of the page."""
    return table_workbook("Báo cáo ISO", unit_report_heading(report), UNIT_REPORT_HEADER, unit_report_lines(report))


def unit_report_pdf(report: UnitReport, *, settings) -> bytes:
    html = render.render_html(
        "quality/unit_report_pdf.html", form_number="", form_title=unit_report_heading(report),
        paper_size="A4 portrait", place=settings.province_name, public_base_url=settings.public_base_url,
        issuer_name=report.row.name, addressee=DEPARTMENT, header=UNIT_REPORT_HEADER, lines=unit_report_lines(report), cell=cell_text,
    )
    return render.html_to_pdf(html)
