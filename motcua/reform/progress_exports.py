"""A period report of reform tasks as files (XLSX, PDF), written from the same
`progress.Report` the page shows, so the files' figures and totals are the page's."""

from __future__ import annotations

from collections.abc import Iterator

from motcua.core.xlsx import Sheet, workbook
from motcua.documents import render
from motcua.reform.plans import GROUP_LABELS, STATUS_LABELS, ContentGroup
from motcua.reform.progress import TOTAL_LABELS, Report, Totals, period_name

ROW_COLUMNS = ["STT", "Nhóm nội dung", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng cuối kỳ",
               "Tiến độ (%)", "Ngày hoàn thành", "Quá hạn", "Lượt báo cáo trong kỳ"]
TOTAL_KEYS = tuple(TOTAL_LABELS)


def title(report: Report) -> str:
    unit = f" — {report.unit}" if report.unit else ""
    return (f"Báo cáo kết quả thực hiện {report.plan.title} — {period_name(report.kind, report.plan.year)}"
            f"{unit} (từ {report.start:%d/%m/%Y} đến {report.end:%d/%m/%Y}; tình trạng tính đến {report.at:%d/%m/%Y})")


def _flag(report_row) -> str:
    if report_row.overdue and report_row.state.completed_on is None:
        return "Quá hạn"
    return "Hoàn thành quá hạn" if report_row.late else ""


def rows(report: Report) -> Iterator[list]:
    for n, r in enumerate(report.rows, start=1):
        t = r.task
        yield [n, GROUP_LABELS[ContentGroup(t.content_group)], t.title, t.lead_unit,
               t.deadline.strftime("%d/%m/%Y") if t.deadline else (t.deadline_text or ""),
               STATUS_LABELS[r.state.status], r.state.percent,
               r.state.completed_on.strftime("%d/%m/%Y") if r.state.completed_on else "", _flag(r), len(r.entries)]


def totals(report: Report) -> Iterator[tuple[str, Totals]]:
    """The totals table: one line per content group, then the whole."""
    for group, t in report.groups.items():
        yield GROUP_LABELS[group], t
    yield "Tổng cộng", report.total


def report_xlsx(report: Report) -> bytes:
    """Sheet "Tổng hợp": title, made at, the totals header, a line per group and the total (last
    line); sheet "Nhiệm vụ": each task with its state at the period's end."""
    return workbook(
        Sheet("Tổng hợp", ["Nhóm nội dung", *(TOTAL_LABELS[k] for k in TOTAL_KEYS)],
              ([name, *(getattr(t, k) for k in TOTAL_KEYS)] for name, t in totals(report)), heading=title(report)),
        Sheet("Nhiệm vụ", ROW_COLUMNS, rows(report)))


def report_pdf(report: Report, *, settings) -> bytes:
    html = render.render_html(
        "reform/report_pdf.html", form_number="", form_title=title(report), paper_size="A4 landscape",
        place=settings.province_name, public_base_url=settings.public_base_url, report=report,
        totals=list(totals(report)), total_keys=TOTAL_KEYS, total_labels=TOTAL_LABELS, row_columns=ROW_COLUMNS,
        rows=list(rows(report)))
    return render.html_to_pdf(html)


def filename(report: Report, ext: str) -> str:
    return f"bao-cao-cchc-{report.plan.year}-{report.kind.value}.{ext}"
