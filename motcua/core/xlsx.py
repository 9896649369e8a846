"""A report table as an XLSX file (openpyxl), laid out the way every report export of motcua
is: row 1 the heading (bold), row 2 when the file was made, row 3 the column names (bold,
wrapped), then the lines as given — a report's total line last — with the panes frozen
below the column names.

A domain writes its page and its file from the same lines, so the file's totals are the
page's; this module only lays them out (it knows nothing of any domain).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from motcua.core.clock import now, to_local

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_LINE_ROW = 4  # the row of the first line (after heading, made-at and column names)


def table_workbook(sheet_title: str, heading: str, columns: Sequence[str], lines: Iterable[Sequence]) -> bytes:
    """One sheet named `sheet_title` (Excel allows 31 characters) holding `lines`."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    ws.append([heading])
    ws["A1"].font = Font(bold=True)
    ws.append([f"Lập lúc {to_local(now()):%H:%M %d/%m/%Y}"])
    ws.append(list(columns))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for line in lines:
        ws.append(list(line))
    ws.freeze_panes = f"A{FIRST_LINE_ROW}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
