"""The officers' workload (`/bao-cao/can-bo`) as files: XLSX, CSV (UTF-8 with BOM) and PDF.

Written from the `workload.Workload` the page shows, its rows and its `total` (the page's
total row), with the page's columns (`workload.FIGURES`): the files' figures are the page's.
"""

from __future__ import annotations

from collections.abc import Iterator

from motcua.core.xlsx import Sheet, workbook
from motcua.documents import render
from motcua.reports.exports import csv_bytes
from motcua.reports.workload import FIGURES, OfficerRow, Workload

COLUMNS = ["STT", "Cán bộ", "Đơn vị", *(label for _, label in FIGURES)]
# What the figures are: the page's explanation, under the title of every file.
NOTES = (
    "Một bước đã xử lý là một bước của quy trình mà cán bộ đã chuyển tiếp (bàn giao) trong kỳ, tính ở đơn vị "
    "của bước đó; đúng hạn gồm cả trước hạn.",
    "Thời gian xử lý tính bằng giờ làm việc theo lịch làm việc của đơn vị (không tính ngoài giờ, ngày nghỉ, "
    "ngày lễ), từ khi hồ sơ đến bước đến khi chuyển đi. Hồ sơ đang xử lý tính tại thời điểm lập.",
    "Lượt đánh giá: đánh giá của người dân (Thông tư 01/2018/TT-VPCP) đối với các hồ sơ mà cán bộ đã xử lý "
    "một bước trong kỳ; hài lòng gồm “Rất hài lòng” và “Hài lòng”. Dòng tổng cộng: số hồ sơ là số hồ sơ khác "
    "nhau, thời gian trung bình và tỷ lệ hài lòng tính trên mọi bước, mọi lượt đánh giá.",
)


def title(w: Workload) -> str:
    p = w.period
    return f"Khối lượng công việc của cán bộ, từ ngày {p.date_from:%d/%m/%Y} đến ngày {p.date_to:%d/%m/%Y}"


def units_line(w: Workload) -> str:
    return f"Đơn vị: {w.unit.name}" if w.unit is not None else "Đơn vị: tất cả các đơn vị được xem"


def figures(row: OfficerRow) -> list:
    return [getattr(row, name) for name, _ in FIGURES]


def lines(w: Workload) -> Iterator[list]:
    """The page's rows, numbered, in its order."""
    for n, row in enumerate(w.rows, start=1):
        yield [n, row.officer_name, row.unit_name, *figures(row)]


def total_line(w: Workload) -> list:
    return ["", w.total.officer_name, "", *figures(w.total)]


def filename(w: Workload, ext: str) -> str:
    p = w.period
    unit = w.unit.code if w.unit is not None else "tat-ca"
    return f"khoi-luong-can-bo-{unit}-{p.date_from:%Y%m%d}-{p.date_to:%Y%m%d}.{ext}"


def workload_xlsx(w: Workload) -> bytes:
    """Row 1 the title, then the unit, what the figures are, when made, the column names, the rows
    and the total (last row, bold)."""
    return workbook(Sheet("Khối lượng công việc", COLUMNS, lines(w), heading=title(w),
                          notes=[units_line(w), *NOTES], total=total_line(w)))


def workload_csv(w: Workload) -> bytes:
    return csv_bytes(COLUMNS, [*lines(w), total_line(w)])


def workload_pdf(w: Workload, *, settings) -> bytes:
    html = render.render_html(
        "reports/workload_pdf.html", form_number="", form_title=title(w), paper_size="A4 landscape",
        place=settings.province_name, public_base_url=settings.public_base_url,
        result=w, figures=FIGURES, notes=[units_line(w), *NOTES],
    )
    return render.html_to_pdf(html)
