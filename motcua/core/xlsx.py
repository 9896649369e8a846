"""Report tables as an XLSX file (openpyxl), laid out the way every report export of motcua
is: the heading (bold), lines saying what the figures are, when the file was made, the column
names (bold, wrapped), then the lines as given and the total line last (bold), with the panes
frozen below the column names.

A domain writes its page and its file from the same lines, so the file's totals are the
page's; this module only lays them out (it knows nothing of any domain).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from motcua.core.clock import now, to_local

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_LINE_ROW = 4  # the row of the first line of `table_workbook` (heading, made-at, column names)


@dataclass(frozen=True)
class Sheet:
    name: str  # Excel allows 31 characters
    columns: Sequence[str]
    lines: Iterable[Sequence]
    heading: str | None = None  # None: the sheet starts with the column names (a detail sheet)
    notes: Sequence[str] = ()  # under the heading
    total: Sequence | None = None  # the last line, bold


def _write(ws, sheet: Sheet) -> None:
    bold = Font(bold=True)
    if sheet.heading is not None:
        ws.append([sheet.heading])
        ws["A1"].font = bold
        for note in sheet.notes:
            ws.append([note])
        ws.append([f"Lập lúc {to_local(now()):%H:%M %d/%m/%Y}"])
    ws.append(list(sheet.columns))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for line in sheet.lines:
        ws.append(list(line))
    if sheet.total is not None:
        ws.append(list(sheet.total))
        for cell in ws[ws.max_row]:
            cell.font = bold
    ws.freeze_panes = f"A{header_row + 1}"


def workbook(*sheets: Sheet) -> bytes:
    """One worksheet per `Sheet`, in order."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        _write(wb.create_sheet(sheet.name[:31]), sheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_workbook(sheet_title: str, heading: str, columns: Sequence[str], lines: Iterable[Sequence]) -> bytes:
    """One sheet named `sheet_title` holding `lines` (a report's total line last) under `heading`."""
    return workbook(Sheet(sheet_title, columns, lines, heading=heading))
