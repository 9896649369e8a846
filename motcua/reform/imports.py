"""Import of a plan's task table from XLSX (the template of docs/reform.md), all or nothing.

Every row is checked before anything is written; one bad row refuses the whole file, and the
refusal names each problem by row number (as Excel shows it), column and reason. The template
(`template_xlsx`) is generated from the same column list the reader checks against.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.catalog.service import find_procedure_by_code
from motcua.core.errors import DomainError, InvalidInput
from motcua.core.text import clean_text, fold
from motcua.org.models import Agency
from motcua.reform.models import ReformPlan
from motcua.reform.plans import (
    GROUP_LABELS,
    INDICATOR_LABELS,
    ContentGroup,
    Indicator,
    PlanData,
    TaskData,
    create_plan,
    deadline_from_text,
    parse_choice,
    parse_group,
)

SHEET = "Nhiệm vụ"
MAX_ROWS = 2000
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    required: bool = False


# The template's columns, in order (docs/reform.md describes each).
COLUMNS: tuple[Col, ...] = (
    Col("content_group", "Nhóm nội dung", True),
    Col("number", "STT"),
    Col("title", "Nhiệm vụ", True),
    Col("lead_unit", "Đơn vị chủ trì", True),
    Col("lead_code", "Mã cơ quan chủ trì"),
    Col("cooperating_units", "Đơn vị phối hợp"),
    Col("cooperating_codes", "Mã cơ quan phối hợp"),
    Col("product", "Sản phẩm"),
    Col("deadline", "Thời hạn hoàn thành"),
    Col("procedure_code", "Mã thủ tục hành chính"),
    Col("indicator", "Chỉ số đo tự động"),
    Col("target_percent", "Chỉ tiêu (%)"),
    Col("note", "Ghi chú"),
)


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Dòng {self.row}, cột “{self.column}”: {self.message}"


class ImportRefused(DomainError):
    """The file was refused: nothing was written. `problems` lists every bad cell."""

    status_code = 422
    code = "import_refused"

    def __init__(self, problems: list[RowProblem]):
        shown = "; ".join(str(p) for p in problems[:20])
        more = f" (và {len(problems) - 20} lỗi khác)" if len(problems) > 20 else ""
        super().__init__(f"Tệp không được nhập (không dòng nào được ghi), {len(problems)} lỗi: {shown}{more}.",
                         details=[{"row": p.row, "column": p.column, "label": f"Dòng {p.row}, cột “{p.column}”",
                                   "message": p.message} for p in problems])
        self.problems = problems


def template_xlsx() -> bytes:
    """An empty template with the header row and one example row."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([c.header for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append([GROUP_LABELS[ContentGroup.procedures], "1", "Rà soát, đơn giản hóa thủ tục hành chính", "Sở Tư pháp",
               "", "Các Sở, ban, ngành", "", "Quyết định phê duyệt phương án đơn giản hóa", "Quý II/2026", "", "",
               "", ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _read_rows(content: bytes) -> list[tuple[int, dict[str, str | None]]]:
    if not content:
        raise InvalidInput("Chưa chọn tệp XLSX.")
    if len(content) > MAX_FILE_BYTES:
        raise InvalidInput(f"Tệp quá lớn (tối đa {MAX_FILE_BYTES // (1024 * 1024)} MB).")
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InvalidInput("Tệp không phải bảng tính XLSX đọc được (dùng mẫu trong tài liệu, lưu dạng .xlsx).") from None
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [fold(str(v)) if v is not None else "" for v in next(rows, ())]
    wanted = [fold(c.header) for c in COLUMNS]
    missing = [c.header for c, w in zip(COLUMNS, wanted, strict=True) if w not in header]
    if missing:
        raise InvalidInput("Dòng 1 của bảng thiếu cột: " + ", ".join(f"“{m}”" for m in missing)
                           + " (dùng đúng tiêu đề cột của mẫu).")
    index = {c.key: header.index(w) for c, w in zip(COLUMNS, wanted, strict=True)}
    found = []
    for number, values in enumerate(rows, start=2):
        cells = {k: _cell(values[i] if i < len(values) else None) for k, i in index.items()}
        if any(cells.values()):
            found.append((number, cells))
        if len(found) > MAX_ROWS:
            raise InvalidInput(f"Bảng có quá {MAX_ROWS} nhiệm vụ.")
    wb.close()
    return found


def _cell(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "strftime"):  # a date cell: written back as dd/mm/yyyy
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))


def _check_row(session: Session, number: int, cells: dict[str, str | None],
               problems: list[RowProblem]) -> TaskData | None:
    header = {c.key: c.header for c in COLUMNS}
    bad = len(problems)

    def refuse(key: str, message: str) -> None:
        problems.append(RowProblem(number, header[key], message))

    for c in COLUMNS:
        if c.required and not cells[c.key]:
            refuse(c.key, "bắt buộc, đang để trống")
    group = indicator = None
    if cells["content_group"]:
        try:
            group = parse_group(cells["content_group"])
        except InvalidInput as exc:
            refuse("content_group", exc.message)
    deadline = None
    try:
        deadline = deadline_from_text(cells["deadline"])
    except InvalidInput as exc:
        refuse("deadline", exc.message)
    lead_id, coop_ids = None, []
    if cells["lead_code"]:
        lead_id = session.scalar(select(Agency.id).where(Agency.code == cells["lead_code"]))
        if lead_id is None:
            refuse("lead_code", f"không có cơ quan mã “{cells['lead_code'][:30]}” trong danh mục cơ quan")
    for code in filter(None, (c.strip() for c in (cells["cooperating_codes"] or "").split(";"))):
        agency_id = session.scalar(select(Agency.id).where(Agency.code == code))
        if agency_id is None:
            refuse("cooperating_codes", f"không có cơ quan mã “{code[:30]}” trong danh mục cơ quan")
        else:
            coop_ids.append(agency_id)
    procedure_id = None
    if cells["procedure_code"]:
        proc = find_procedure_by_code(session, cells["procedure_code"])
        if proc is None:
            refuse("procedure_code", f"không có thủ tục mã “{cells['procedure_code'][:40]}” trong danh mục thủ tục")
        else:
            procedure_id = proc.id
    if cells["indicator"]:
        try:
            indicator = parse_choice(Indicator, INDICATOR_LABELS, cells["indicator"], what="chỉ số")
        except InvalidInput as exc:
            refuse("indicator", exc.message)
    target = None
    if cells["target_percent"]:
        try:
            target = Decimal(cells["target_percent"].replace(",", ".").rstrip("% "))
        except InvalidOperation:
            target = None
        if target is None or not 0 <= target <= 100:
            refuse("target_percent", "phải là số từ 0 đến 100")
            target = None
        elif not cells["indicator"]:
            refuse("target_percent", "chỉ tiêu chỉ ghi cho nhiệm vụ có chỉ số đo tự động")
    for key, limit in (("lead_unit", 255), ("number", 16), ("deadline", 255)):
        if cells[key] and len(cells[key]) > limit:
            refuse(key, f"dài quá {limit} ký tự")
    if len(problems) > bad:
        return None
    return TaskData(content_group=group, title=cells["title"], lead_unit=cells["lead_unit"], number=cells["number"],
                    cooperating_units=cells["cooperating_units"], product=cells["product"],
                    deadline_text=cells["deadline"], deadline=deadline, lead_agency_id=lead_id,
                    cooperating_agency_ids=coop_ids, procedure_id=procedure_id, indicator=indicator,
                    target_percent=target, note=cells["note"])


def import_plan(session: Session, plan: PlanData, content: bytes) -> ReformPlan:
    """A new plan with the file's tasks, or ImportRefused/InvalidInput with nothing written."""
    rows = _read_rows(content)
    if not rows:
        raise InvalidInput("Bảng không có nhiệm vụ nào (từ dòng 2).")
    problems: list[RowProblem] = []
    tasks = [t for number, cells in rows if (t := _check_row(session, number, cells, problems)) is not None]
    if problems:
        raise ImportRefused(problems)
    return create_plan(session, plan, tasks)


__all__ = ["COLUMNS", "ImportRefused", "RowProblem", "import_plan", "template_xlsx"]
