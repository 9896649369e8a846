"""The 766 self-score (`/bao-cao/chi-so-766`) as files: XLSX (two sheets), CSV (two sections)
and PDF (with each agency's chart).

Written from the `index766.Report` the page shows: per agency its indicators in METRICS order
(metric code, name, figures, value, points, maximum, why it is not computed) and its total
(the points of the computed indicators and their maxima, as the page prints them); then the
points-at-risk list in the page's order. The chart of an agency (`score_chart`) is the one the
browser draws from the page's table and the PDF prints as an SVG image.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from motcua.core.xlsx import Sheet, workbook
from motcua.documents import render
from motcua.dossiers.enums import STATUS_LABELS
from motcua.reports import charts
from motcua.reports.exports import csv_bytes
from motcua.reports.index766 import GROUPS, RISK_LIMIT, TOTAL_MAXIMUM, Report, Risk, Score
from motcua.web.templating import vn_datetime

INDICATOR_COLUMNS = ["STT", "Mã cơ quan", "Cơ quan", "Nhóm", "Mã chỉ số", "Phần", "Chỉ số", "Đạt", "Tổng số",
                     "Tỷ lệ (%)", "Điểm", "Tối đa", "Lý do chưa tính được", "Ghi chú"]
RISK_COLUMNS = ["STT", "Mã hồ sơ", "Thủ tục", "Cơ quan giải quyết", "Hạn trả", "Trạng thái", "Lý do mất điểm"]
TOTAL_LABEL = "Tổng điểm các chỉ số tính được"
TOTAL_NOTE = f"Điểm tối đa của các chỉ số tính được (Bộ chỉ số tối đa {TOTAL_MAXIMUM} điểm)"
RISK_TITLE = "Hồ sơ đang làm mất điểm"
# The page's chart columns (index766.html): the series are named by their column headers.
POINTS_SERIES, MAXIMUM_SERIES = "Điểm", "Tối đa"
NOTE = ("Điểm tự chấm theo công thức suy ra từ dữ liệu công khai của Cổng Dịch vụ công quốc gia, không phải điểm "
        "Cổng công bố. Tổng điểm là tổng điểm các chỉ số tính được; chỉ số chưa tính được ghi lý do.")


def title(report: Report) -> str:
    p = report.period
    procedure = f", thủ tục {report.procedure_code}" if report.procedure_code else ""
    return (f"Tự chấm điểm Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg){procedure}, "
            f"từ ngày {p.date_from:%d/%m/%Y} đến ngày {p.date_to:%d/%m/%Y}")


def notes(report: Report) -> list[str]:
    out = [f"Hồ sơ đang giải quyết xét tại thời điểm {vn_datetime(report.period.at)}.", NOTE]
    if not report.scores:
        out.append("Không có hồ sơ nào trong kỳ, trong phạm vi được xem.")
    if len(report.risks) >= RISK_LIMIT:
        out.append(f"Danh sách hồ sơ đang làm mất điểm gồm {RISK_LIMIT} hồ sơ cấp bách nhất (hạn trả sớm nhất trước).")
    return out


def chart_title(score: Score) -> str:
    procedure = f", thủ tục {score.procedure_code}" if score.procedure_code else ""
    return f"Điểm tự chấm và điểm tối đa theo chỉ số: {score.agency_name}{procedure}"


def score_chart(score: Score) -> charts.Chart | None:
    """Points against the maximum of each indicator, as bars: the page's chart (its table's
    marked columns) and the PDF's. An indicator that cannot be computed has no points bar."""
    return charts.chart(
        "bar", chart_title(score), [i.metric.name for i in score.indicators],
        {POINTS_SERIES: [i.points for i in score.indicators],
         MAXIMUM_SERIES: [i.metric.maximum for i in score.indicators]})


def score_lines(score: Score) -> Iterator[list]:
    """An agency's indicators, numbered, then its total line."""
    for n, i in enumerate(score.indicators, start=1):
        m = i.metric
        yield [n, score.agency_code, score.agency_name, GROUPS[m.group], m.code, m.part, m.name, i.numerator,
               i.denominator, i.value, i.points, m.maximum, i.reason, i.note]
    yield ["", score.agency_code, score.agency_name, "", "", "", TOTAL_LABEL, None, None, None, score.points,
           score.computed_maximum, None, TOTAL_NOTE]


def indicator_lines(report: Report) -> Iterator[list]:
    for score in report.scores:
        yield from score_lines(score)


def _agency_names(report: Report) -> dict:
    return {s.agency_id: s.agency_name for s in report.scores}


def risk_line(n: int, risk: Risk, agency_names: dict) -> list:
    d = risk.dossier
    return [n, d.code, d.procedure_name, agency_names.get(d.agency_id, ""), vn_datetime(d.due_at) if d.due_at else "",
            STATUS_LABELS.get(d.status, d.status), "; ".join(risk.labels)]


def risk_lines(report: Report) -> Iterator[list]:
    names = _agency_names(report)
    for n, risk in enumerate(report.risks, start=1):
        yield risk_line(n, risk, names)


def risk_total(report: Report) -> list:
    return ["", f"Tổng cộng: {len(report.risks)} hồ sơ", "", "", "", "", ""]


def filename(report: Report, ext: str, agency_code: str | None) -> str:
    p = report.period
    parts = ["chi-so-766", agency_code or "tat-ca"]
    if report.procedure_code:
        parts.append(report.procedure_code)
    stem = re.sub(r"[^A-Za-z0-9.\-]+", "-", "-".join(parts))
    return f"{stem}-{p.date_from:%Y%m%d}-{p.date_to:%Y%m%d}.{ext}"


def score_xlsx(report: Report) -> bytes:
    """Sheet "Chỉ số 766": the title, what the figures are, when made, the column names, then each
    agency's indicators followed by its total line. Sheet "Hồ sơ mất điểm": the points at risk,
    their count on the last line."""
    heading, lines = title(report), notes(report)
    return workbook(
        Sheet("Chỉ số 766", INDICATOR_COLUMNS, indicator_lines(report), heading=heading, notes=lines),
        Sheet("Hồ sơ mất điểm", RISK_COLUMNS, risk_lines(report), heading=f"{RISK_TITLE} — {heading}",
              total=risk_total(report)))


def score_csv(report: Report) -> bytes:
    """The indicators with each agency's total line, then (after an empty line and its title) the
    points at risk with their count."""
    return csv_bytes(INDICATOR_COLUMNS, indicator_lines(report),
                     (RISK_TITLE, RISK_COLUMNS, [*risk_lines(report), risk_total(report)]))


def score_pdf(report: Report, *, settings) -> bytes:
    drawn = [score_chart(s) for s in report.scores]
    html = render.render_html(
        "reports/index766_pdf.html", form_number="", form_title=title(report), paper_size="A4 landscape",
        place=settings.province_name, public_base_url=settings.public_base_url,
        report=report, notes=notes(report), groups=GROUPS, total_label=TOTAL_LABEL, maximum=TOTAL_MAXIMUM,
        charts=[(c, charts.svg_data_uri(charts.chart_svg(c)) if c else "") for c in drawn],
        risk_title=RISK_TITLE, risk_columns=RISK_COLUMNS, risk_lines=list(risk_lines(report)),
        risk_total=risk_total(report),
    )
    return render.html_to_pdf(html)
