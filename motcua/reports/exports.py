"""The statistics table and the tracking book (form 07) as files: XLSX, CSV (UTF-8 with BOM,
so Excel reads the Vietnamese), and PDF for the table (the documents' renderer), with its chart.

The files are written from the same `service.Table` the page shows, so their figures and
totals are the page's; so is the chart (`statistics_chart`), drawn by the browser on the page
and as an SVG image in the PDF.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.core.errors import InvalidInput
from motcua.core.xlsx import table_workbook
from motcua.documents import adapters, book, render
from motcua.documents.views import BookRow
from motcua.reports import charts
from motcua.reports.counting import COLUMNS
from motcua.reports.dashboards import RESULTS
from motcua.reports.enums import COLUMN_LABELS, GROUP_LABELS, ONLINE_SHARE_LABEL
from motcua.reports.service import Row, Table

CSV_BOM = "\ufeff"
# A book file holds at most this many rows (a month at a busy provincial centre); a longer
# period is exported month by month, as the PDF book (documents.book.MAX_FILE_ROWS).
MAX_BOOK_EXPORT_ROWS = 20000
CSV_TYPE = "text/csv; charset=utf-8"


def title(table: Table) -> str:
    p = table.period
    return (f"Thống kê tình hình giải quyết hồ sơ theo {GROUP_LABELS[table.group_by].lower()}, "
            f"từ ngày {p.date_from:%d/%m/%Y} đến ngày {p.date_to:%d/%m/%Y}")


def header(table: Table) -> list[str]:
    return ["STT", "Mã", GROUP_LABELS[table.group_by], *(COLUMN_LABELS[c] for c in COLUMNS), ONLINE_SHARE_LABEL]


def _values(row: Row) -> list:
    return [row.counts[c] for c in COLUMNS] + [row.online_share]


def body(table: Table) -> Iterator[list]:
    """The table's lines as exported: numbered rows, then the total row."""
    for n, row in enumerate(table.rows, start=1):
        yield [n, row.code, row.name, *_values(row)]
    yield ["", "", table.total.name, *_values(table.total)]


def filename(table: Table, ext: str) -> str:
    p = table.period
    return f"thong-ke-{table.group_by.value}-{p.date_from:%Y%m%d}-{p.date_to:%Y%m%d}.{ext}"


def csv_bytes(columns: Sequence[str], lines: Iterable[Sequence],
              *sections: tuple[str, Sequence[str], Iterable[Sequence]]) -> bytes:
    """A table as CSV: the column names, then the lines. Each further section (title, column
    names, lines) follows after an empty line and a line holding its title, so one file can carry
    a report's second table (the 766's points at risk)."""
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out)
    writer.writerow(columns)
    for line in lines:
        writer.writerow(["" if v is None else v for v in line])
    for heading, more_columns, more_lines in sections:
        writer.writerow([])
        writer.writerow([heading])
        writer.writerow(more_columns)
        for line in more_lines:
            writer.writerow(["" if v is None else v for v in line])
    return out.getvalue().encode("utf-8")


def statistics_xlsx(table: Table) -> bytes:
    """Row 1 the title, row 2 when it was made, row 3 the column names, then the rows and the
    total (last row)."""
    return table_workbook("Thống kê", title(table), header(table), body(table))


def statistics_csv(table: Table) -> bytes:
    return csv_bytes(header(table), body(table))


def statistics_chart(table: Table) -> charts.Chart | None:
    """The results issued early, on time and late per group, stacked: the chart of the page
    (its table's marked columns) and of the PDF. None without any result, or with more groups
    than a chart can show."""
    if not any(row.counts[c] for row in table.rows for c in RESULTS):
        return None
    return charts.chart(
        "stacked", f"Hồ sơ đã có kết quả trước hạn, đúng hạn, quá hạn theo {GROUP_LABELS[table.group_by].lower()}",
        [row.name for row in table.rows], {COLUMN_LABELS[c]: [row.counts[c] for row in table.rows] for c in RESULTS},
    )


def statistics_pdf(table: Table, *, settings) -> bytes:
    chart = statistics_chart(table)
    html = render.render_html(
        "reports/statistics_pdf.html", form_number="", form_title=title(table), paper_size="A4 landscape",
        place=settings.province_name, public_base_url=settings.public_base_url,
        table=table, columns=COLUMNS, column_labels=COLUMN_LABELS, group_label=GROUP_LABELS[table.group_by],
        online_share_label=ONLINE_SHARE_LABEL,
        chart=chart, chart_image=charts.svg_data_uri(charts.chart_svg(chart)) if chart else "",
    )
    return render.html_to_pdf(html)


# --- the tracking book (form 07) -----------------------------------------------------------

BOOK_COLUMNS = [
    "STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Ngày, tháng, năm nhận hồ sơ",
    "Ngày, tháng, năm hẹn trả kết quả", "Ngày, tháng, năm chuyển hồ sơ", "Ngày, tháng, năm có kết quả",
    "Trả kết quả (ngày, tháng, năm)", "Ký nhận", "Ghi chú",
]


def _moment(value: datetime | None) -> str:
    return render.vn_datetime(value)


def _book_line(number: int, r: BookRow) -> list:
    address = r.applicant_address + (f"; {r.applicant_phone}" if r.applicant_phone else "")
    return [number, r.code, r.procedure_name, r.set_count, r.applicant_name, address, r.competent_agency_name,
            _moment(r.received_at), _moment(r.due_at), _moment(r.transferred_at), _moment(r.finished_at),
            _moment(r.returned_at), "", r.note]


def check_book_size(plan: book.BookPlan) -> None:
    if plan.rows > MAX_BOOK_EXPORT_ROWS:
        raise InvalidInput(f"Sổ có {plan.rows} hồ sơ; mỗi tệp xuất tối đa {MAX_BOOK_EXPORT_ROWS} hồ sơ, "
                           "hãy chọn kỳ ngắn hơn (theo tháng).")


def book_lines(session: Session, user: User, plan: book.BookPlan) -> Iterator[list]:
    """Every row of the book, part after part (one part's dossiers in memory at a time), in the
    order and numbering of the printed book."""
    check_book_size(plan)
    number = 0
    for part in range(1, plan.parts + 1):
        if not plan.rows:
            break
        for row in adapters.book_rows(session, book.part_dossiers(session, user, plan, part)):
            number += 1
            yield _book_line(number, row)


def book_title(plan: book.BookPlan) -> str:
    return (f"Sổ theo dõi hồ sơ (Mẫu số 07) — {plan.unit_name} — từ ngày {plan.date_from:%d/%m/%Y} "
            f"đến ngày {plan.date_to:%d/%m/%Y} — {plan.rows} hồ sơ")


def book_filename(plan: book.BookPlan, ext: str) -> str:
    return plan.filename().removesuffix(".pdf") + f".{ext}"


def book_xlsx(session: Session, user: User, plan: book.BookPlan) -> bytes:
    return table_workbook("Sổ theo dõi", book_title(plan), BOOK_COLUMNS, book_lines(session, user, plan))


def book_csv(session: Session, user: User, plan: book.BookPlan) -> bytes:
    return csv_bytes(BOOK_COLUMNS, book_lines(session, user, plan))
