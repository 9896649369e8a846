"""The reform index and survey results as files (XLSX, PDF): a unit's score sheet, the ranking of
units, a survey's results. Each is built once as tables (`Export`) from the same objects the
page shows (scoring.unit_sheet, scoring.ranking, surveys.results), so the files' figures and
totals are the page's; then written as a workbook (one sheet per table, the total on the last
row) or a PDF (the statistics' A4 landscape page, as progress_exports does)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from motcua.core.clock import to_local
from motcua.core.xlsx import Sheet, workbook
from motcua.documents import render
from motcua.reform.indicators import SOURCE_LABELS, Source
from motcua.reform.scoring import SHEET_STATUS_LABELS, UnitSheet, UnitTotal, fmt
from motcua.reform.surveys import ELEMENT_LABELS, Element, Result


@dataclass
class Table:
    name: str  # the workbook sheet's name (at most 31 characters)
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    total: list | None = None  # the last row, in bold


@dataclass
class Export:
    title: str
    lines: list[str]  # what the figures are (basis, period, status), under the title
    tables: list[Table]
    filename: str  # without extension


def _text(value) -> str:
    """A cell as the page writes it: points and percents with a decimal comma."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, bool):
        return "Có" if value else ""
    return str(value)


# --- the reform index -------------------------------------------------------------------------


UNIT_COLUMNS = ["Mục", "Nội dung", "Điểm tối đa", "Tự chấm", "Thẩm định", "Điểm tính", "Cách tính / tài liệu kiểm chứng",
                "Số tệp kiểm chứng"]


def unit_sheet_export(us: UnitSheet) -> Export:
    t = Table("Điểm của đơn vị", UNIT_COLUMNS)
    for line in us.lines:
        i, row = line.item, line.row
        if line.computed is not None:
            how = line.computed.basis
        elif i.source:
            how = SOURCE_LABELS[Source(i.source)]
        else:
            how = (row.evidence or "") if row else ""
        # The files on the item as the page lists them (the unit's and the council's); none on a group row.
        t.rows.append([i.code, i.title, line.maximum, row.self_points if row else None,
                       row.appraised_points if row else None, line.points, how,
                       len(line.files) if line.scored else None])
    tot = us.total
    t.total = ["", "Tổng điểm", us.total_max, tot.self_total, tot.appraised_total, tot.total,
               _total_note(tot), sum(len(line.files) for line in us.lines)]
    span = f"; số liệu hệ thống tính từ {us.span[0]:%d/%m/%Y} đến {us.span[1]:%d/%m/%Y}" if us.span else ""
    sent = (f"Đã gửi bảng tự chấm để thẩm định ngày {to_local(us.submission.submitted_at):%d/%m/%Y}."
            if us.submission else "Chưa gửi bảng tự chấm để thẩm định.")
    return Export(f"Bảng điểm chỉ số cải cách hành chính năm {us.sheet.year} — {us.agency.name}",
                  [f"{us.sheet.name} ({SHEET_STATUS_LABELS[us.sheet.status].lower()}). Căn cứ: {us.sheet.basis}",
                   "Điểm tính: điểm thẩm định khi đã có, nếu chưa thì điểm tự chấm; các mục lấy từ khảo sát hoặc "
                   f"số liệu hệ thống được tính, không chấm tay{span}.", sent],
                  [t], f"bang-diem-cchc-{us.sheet.year}-{us.agency.code}")


def _total_note(t: UnitTotal) -> str:
    notes = [f"Từ khảo sát: {fmt(t.survey_total)}; từ số liệu hệ thống: {fmt(t.measured_total)}"]
    if not t.appraised_complete:
        notes.append("chưa thẩm định xong (tạm tính theo điểm tự chấm)")
    if not t.survey_answered:
        notes.append("chưa có phiếu khảo sát")
    return "; ".join(notes)


RANK_COLUMNS = ["Hạng", "Cơ quan, đơn vị", "Tự chấm", "Thẩm định", "Từ khảo sát", "Từ số liệu hệ thống",
                "Tổng điểm", "Ghi chú"]


def ranking_export(sheet, ranked: list[UnitTotal], total_max: Decimal | None) -> Export:
    t = Table("Xếp hạng", RANK_COLUMNS)
    for r in ranked:
        notes = [] if r.appraised_complete else ["Chưa thẩm định xong (tạm tính theo điểm tự chấm)"]
        if not r.survey_answered:
            notes.append("chưa có phiếu khảo sát")
        t.rows.append([r.rank, r.agency_name, r.self_total, r.appraised_total, r.survey_total, r.measured_total,
                       r.total, "; ".join(notes)])
    t.total = ["", f"Số đơn vị xếp hạng: {len(ranked)}", "", "", "", "", "", ""]
    return Export(f"Xếp hạng chỉ số cải cách hành chính năm {sheet.year}",
                  [f"{sheet.name}. Tổng điểm tối đa: {fmt(total_max)}. Căn cứ: {sheet.basis}",
                   "Các đơn vị bằng điểm cùng hạng; hạng tiếp theo bỏ qua số đơn vị đồng hạng (1, 2, 2, 4)."],
                  [t], f"xep-hang-cchc-{sheet.year}")


# --- survey results ---------------------------------------------------------------------------


def _result_row(label: str, r: Result) -> list:
    met = None if r.target_met is None else ("Đạt" if r.target_met else "Chưa đạt")
    return [label, r.responses, *(r.by_element[e].percent for e in Element), r.overall.satisfied,
            r.overall.answers, r.overall.percent, met or "Chưa có ý kiến"]


RESULT_COLUMNS = ["Phạm vi", "Số phiếu", *(f"{ELEMENT_LABELS[e]} (%)" for e in Element), "Câu trả lời hài lòng",
                  "Câu trả lời", "Hài lòng chung (%)", "Chỉ tiêu"]


def survey_export(form, province: Result, units: list[tuple], fields: list[tuple]) -> Export:
    """The results the page shows: units (those the reader sees), then the province as the total
    row; fields likewise when shown."""
    by_unit = Table("Theo đơn vị", RESULT_COLUMNS, [_result_row(r.label, r) for _, r in units],
                    _result_row(province.label, province))
    tables = [by_unit]
    if fields:
        tables.append(Table("Theo lĩnh vực", ["Lĩnh vực", *RESULT_COLUMNS[1:]],
                            [_result_row(r.label, r) for _, r in fields], _result_row(province.label, province)))
    return Export(f"Kết quả khảo sát sự hài lòng: {form.title}",
                  [f"Năm {form.year}. Chỉ tiêu: ≥ {form.target_percent} % hài lòng (mức {form.satisfied_from} trở "
                   f"lên trên thang {form.scale_max}). Tỷ lệ hài lòng = câu trả lời ở mức hài lòng trở lên / câu "
                   "trả lời."], tables, f"ket-qua-khao-sat-{form.slug}")


# --- files ------------------------------------------------------------------------------------


def to_xlsx(export: Export) -> bytes:
    """One sheet per table: the title, what the figures are, when made, the header (bold), the rows
    and the total (bold, last row)."""
    return workbook(*(Sheet(t.name, t.columns, t.rows, heading=export.title, notes=export.lines, total=t.total)
                      for t in export.tables))


def to_pdf(export: Export, *, settings) -> bytes:
    tables = [{"columns": t.columns, "rows": [[_text(v) for v in row] for row in t.rows],
               "total": [_text(v) for v in t.total] if t.total is not None else None, "name": t.name}
              for t in export.tables]
    html = render.render_html("reform/tables_pdf.html", form_number="", form_title=export.title,
                              paper_size="A4 landscape", place=settings.province_name,
                              public_base_url=settings.public_base_url, lines=export.lines, tables=tables)
    return render.html_to_pdf(html)
