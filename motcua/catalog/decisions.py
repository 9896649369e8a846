"""Publication decisions as files: the documented template (docs/catalog-decisions.md), read
into a `changes.Decision` and `changes.Entry`s with the row each came from, and the changes
shown as text rows (preview page and CLI).

XLSX: a sheet "Quyết định" (label in column A, value in B), a sheet "Thủ tục" with a column
"Loại thay đổi" (Thêm mới / Sửa đổi, bổ sung / Bãi bỏ) and the record columns of the export
format (catalog/transfer.py), and optional sheets "Thành phần hồ sơ" and "Phí, lệ phí". JSON:
{"format": "motcua-decision", "decision": {...}, "added": [...], "amended": [...],
"abolished": [...]}. An empty cell of an amended row keeps the current value.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from motcua.catalog import transfer
from motcua.catalog.changes import Changeset, Decision, Entry, ProcedureChange
from motcua.catalog.enums import (
    CHANGE_KIND_LABELS,
    LEVEL_LABELS,
    ONLINE_LEVEL_LABELS,
    STATUS_LABELS,
    ChangeKind,
)
from motcua.catalog.service import normalize_code
from motcua.core.dates import parse_date
from motcua.core.errors import InvalidInput
from motcua.core.text import clean_text, fold

FORMAT_NAME = "motcua-decision"
FORMAT_VERSION = 1

SHEET_DECISION = "Quyết định"
HEADER_FIELDS = [
    ("number", "Số quyết định"),
    ("signed_on", "Ngày ký"),
    ("effective_on", "Ngày hiệu lực"),
    ("issuer", "Cơ quan ban hành"),
]
KIND_COLUMN = ("kind", "Loại thay đổi (Thêm mới / Sửa đổi, bổ sung / Bãi bỏ)")
AGENCY_COLUMN = ("agency_codes", "Mã cơ quan thực hiện (cách nhau bởi dấu ;)")
# Status follows from the kind of change; the record's other columns are the export's.
PROCEDURE_COLUMNS = (
    [KIND_COLUMN]
    + [c for c in transfer.SCALAR_COLUMNS if c[0] != "status"]
    + [AGENCY_COLUMN]
)
SHEETS = {
    transfer.SHEET_PROCEDURES: PROCEDURE_COLUMNS,
    transfer.SHEET_COMPONENTS: transfer.COMPONENT_COLUMNS,
    transfer.SHEET_FEES: transfer.FEE_COLUMNS,
}
KIND_WORDS = {
    "them moi": ChangeKind.added,
    "them": ChangeKind.added,
    "cong bo moi": ChangeKind.added,
    "added": ChangeKind.added,
    "sua doi": ChangeKind.amended,
    "sua doi, bo sung": ChangeKind.amended,
    "sua doi bo sung": ChangeKind.amended,
    "thay the": ChangeKind.amended,
    "amended": ChangeKind.amended,
    "bai bo": ChangeKind.abolished,
    "abolished": ChangeKind.abolished,
}
TEXT_KEYS = {"code", "field_code", "receipt_cutoff", "name", "agency_codes"}


@dataclass(frozen=True)
class DecisionFile:
    header: dict[str, Any]  # raw header values as read ("number", "signed_on", …)
    entries: list[Entry]


def refusal_parts(exc: InvalidInput | Any) -> tuple[str, list[str]]:
    """A refusal's first sentence and its per-row messages (the page and the CLI list them apart)."""
    details = [str(d) for d in exc.details] if isinstance(exc.details, list) else []
    tail = " ".join(details[:5])
    if details and exc.message.endswith(tail):
        return exc.message[: -len(tail)].strip(), details
    return exc.message, details


def refuse(problems: list[str], lead: str = "Tệp quyết định có lỗi; chưa thay đổi dữ liệu nào.") -> None:
    raise InvalidInput(lead + " " + " ".join(problems[:5]), details=problems, code="decision_file_invalid")


# --- template -----------------------------------------------------------------------------


def template_xlsx() -> bytes:
    """A blank decision workbook with one example row of each kind (to overwrite)."""
    workbook = Workbook()
    header = workbook.active
    header.title = SHEET_DECISION
    header.append(["Trường", "Giá trị"])
    for _, label in HEADER_FIELDS:
        header.append([label, None])
    header.column_dimensions["A"].width = 24
    header.column_dimensions["B"].width = 50
    for name, columns in SHEETS.items():
        sheet = workbook.create_sheet(name)
        sheet.append([label for _, label in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["B"].width = 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_json() -> bytes:
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "decision": {"number": "", "signed_on": "", "effective_on": "", "issuer": ""},
        "added": [],
        "amended": [],
        "abolished": [],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


# --- reading ------------------------------------------------------------------------------


def read_file(content: bytes) -> DecisionFile:
    """The decision of an uploaded file (XLSX by its signature, JSON otherwise); InvalidInput
    with one message per problem (sheet, row, column) when it does not follow the template."""
    if not content:
        raise InvalidInput("Tệp tải lên rỗng.")
    return read_xlsx(content) if content[:2] == b"PK" else read_json(content)


def read_json(content: bytes) -> DecisionFile:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput("Tệp JSON không hợp lệ (không đọc được nội dung).") from exc
    if not isinstance(document, dict) or not isinstance(document.get("decision"), dict):
        raise InvalidInput("Tệp JSON phải là một đối tượng có khoá “decision” (xem mẫu).")
    problems = []
    unknown = sorted(set(document) - {"format", "version", "decision", *(k.value for k in ChangeKind)})
    if unknown:
        problems.append("Khoá không có trong mẫu: " + ", ".join(f"“{k}”" for k in unknown) + ".")
    entries = []
    for kind in ChangeKind:
        items = document.get(kind.value, [])
        if not isinstance(items, list):
            problems.append(f"Khoá “{kind.value}” phải là danh sách thủ tục.")
            continue
        for number, item in enumerate(items, start=1):
            entries.append(Entry(item, kind, f"Mục “{kind.value}” bản ghi {number}"))
    if problems:
        refuse(problems)
    return DecisionFile(header=document["decision"], entries=entries)


def _header_cells(sheet) -> tuple[list[str | None], list[str]]:
    labels = {label.casefold(): key for key, label in HEADER_FIELDS}
    values: dict[str, Any] = {}
    problems = []
    for number, row in enumerate(sheet.iter_rows(min_row=2, max_col=2, values_only=True), start=2):
        label, value = (list(row) + [None, None])[:2]
        if label is None or not str(label).strip():
            continue
        key = labels.get(str(label).strip().casefold())
        if key is None:
            problems.append(f"Trang “{SHEET_DECISION}” dòng {number}: trường “{str(label)[:60]}” không có trong mẫu.")
            continue
        values[key] = value
    return values, problems


def _columns(sheet, name: str, columns: list[tuple[str, str]]) -> tuple[list[str | None], list[str]]:
    """The record key of each column of the header row; problems for unknown or missing ones."""
    header = next(sheet.iter_rows(max_row=1, values_only=True), None) or ()
    by_label = {label.casefold(): key for key, label in columns} | {key: key for key, _ in columns}
    keys: list[str | None] = []
    problems = []
    for position, cell in enumerate(header, start=1):
        if cell is None or not str(cell).strip():
            keys.append(None)
            continue
        key = by_label.get(str(cell).strip().casefold())
        if key is None:
            problems.append(f"Trang “{name}” cột {position}: tiêu đề “{str(cell)[:60]}” không có trong mẫu.")
        keys.append(key)
    required = [columns[0]] + ([("code", "Mã thủ tục")] if columns is PROCEDURE_COLUMNS else [])
    for key, label in required:
        if key not in keys:
            problems.append(f"Trang “{name}”: thiếu cột “{label}”.")
    return keys, problems


def _rows(sheet, keys: list[str | None]):
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        values = {k: transfer._cell(v) for k, v in zip(keys, row, strict=False) if k is not None}
        values = {k: v for k, v in values.items() if v is not None}
        if values:
            yield number, values


def _text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%H:%M") if value.date() == date(1899, 12, 30) else value.isoformat()
    if hasattr(value, "strftime"):  # a time cell (receipt cut-off)
        return value.strftime("%H:%M")
    return clean_text(str(value)) if value is not None else None


def _kind(value: Any) -> ChangeKind | None:
    return KIND_WORDS.get(fold(str(value)).strip(" .")) if value is not None else None


def read_xlsx(content: bytes) -> DecisionFile:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise InvalidInput("Tệp không phải bảng tính XLSX hợp lệ (tệp hỏng hoặc sai định dạng).") from exc
    try:
        return _read_workbook(workbook)
    finally:
        workbook.close()


def _read_workbook(workbook) -> DecisionFile:
    problems: list[str] = []
    for name in (SHEET_DECISION, transfer.SHEET_PROCEDURES):
        if name not in workbook.sheetnames:
            problems.append(f"Bảng tính thiếu trang “{name}”.")
    if problems:
        refuse(problems)
    header, header_problems = _header_cells(workbook[SHEET_DECISION])
    problems += header_problems
    read: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for name, columns in SHEETS.items():
        if name not in workbook.sheetnames:
            read[name] = []
            continue
        keys, column_problems = _columns(workbook[name], name, columns)
        problems += column_problems
        read[name] = list(_rows(workbook[name], keys)) if not column_problems else []
    if problems:
        refuse(problems)

    entries: list[tuple[int, dict[str, Any], ChangeKind | None]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for number, row in read[transfer.SHEET_PROCEDURES]:
        kind = _kind(row.pop("kind", None))
        if kind is None:
            problems.append(
                f"Trang “{transfer.SHEET_PROCEDURES}” dòng {number}: loại thay đổi phải là "
                "“Thêm mới”, “Sửa đổi, bổ sung” hoặc “Bãi bỏ”."
            )
            continue
        for key in TEXT_KEYS & set(row):
            row[key] = _text(row[key])
        if "cross_boundary" in row:
            row["cross_boundary"] = transfer._bool(row["cross_boundary"])
        entries.append((number, row, kind))
        by_code.setdefault(normalize_code(row.get("code")) or "", row)
    for name, key in ((transfer.SHEET_COMPONENTS, "components"), (transfer.SHEET_FEES, "fees")):
        for number, item in read[name]:
            code = normalize_code(_text(item.pop("code", None)))
            target = by_code.get(code or "")
            if target is None:
                problems.append(
                    f"Trang “{name}” dòng {number}: mã thủ tục không có trong trang “{transfer.SHEET_PROCEDURES}”."
                )
                continue
            if "required" in item:
                item["required"] = transfer._bool(item["required"])
            amount = item.get("amount")
            if isinstance(amount, str) and transfer.money_text(amount).isdigit():
                item["amount"] = int(transfer.money_text(amount))
            target.setdefault(key, []).append(item)
    if problems:
        refuse(problems)
    return DecisionFile(
        header=header,
        entries=[
            Entry(row, kind, f"Trang “{transfer.SHEET_PROCEDURES}” dòng {number}")
            for number, row, kind in entries
        ],
    )


def _date(value: Any, label: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value) if value is not None else None, label=label)


def decision_from(header: dict[str, Any], typed: dict[str, str] | None = None, *, source_file: str | None = None) -> Decision:
    """The decision header: values typed on the page (when given) over those of the file;
    InvalidInput listing every missing or malformed field."""
    values = dict(header) | {k: v for k, v in (typed or {}).items() if v and v.strip()}
    problems = []
    labels = dict(HEADER_FIELDS)
    for key in ("number", "issuer"):
        text = clean_text(str(values[key])) if values.get(key) is not None else None
        if not text:
            problems.append(f"Thiếu {labels[key].lower()}.")
        elif len(text) > (100 if key == "number" else 255):
            problems.append(f"{labels[key]} quá dài.")
        values[key] = text
    for key in ("signed_on", "effective_on"):
        if values.get(key) in (None, ""):
            problems.append(f"Thiếu {labels[key].lower()}.")
            continue
        try:
            values[key] = _date(values[key], labels[key])
        except InvalidInput as exc:
            problems.append(exc.message)
    if problems:
        refuse(problems, "Thông tin quyết định chưa đủ:")
    return Decision(values["number"], values["signed_on"], values["effective_on"], values["issuer"],
                    clean_text(source_file, max_length=255))


# --- showing changes -----------------------------------------------------------------------

FIELD_LABELS = transfer.FIELD_NAMES | {
    "level": "Cấp thực hiện",
    "online_level": "Mức trực tuyến",
    "status": "Tình trạng",
    "cross_boundary": "Tiếp nhận không phụ thuộc địa giới",
    "receipt_cutoff": "Giờ chốt tiếp nhận",
    "agency_codes": "Cơ quan thực hiện (mã)",
}
VALUE_LABELS = {
    "level": {k.value: v for k, v in LEVEL_LABELS.items()},
    "online_level": {k.value: v for k, v in ONLINE_LEVEL_LABELS.items()},
    "status": {k.value: v for k, v in STATUS_LABELS.items()},
}


def show_value(key: str, value: Any) -> str:
    if value is None or value == []:
        return "—"
    if key in VALUE_LABELS:
        return VALUE_LABELS[key].get(value, str(value))
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if key == "components":
        return "; ".join(
            f"{c['name']} ({c.get('original_count', 0)} bản chính, {c.get('copy_count', 0)} bản sao"
            f"{'' if c.get('required', True) else ', không bắt buộc'})"
            for c in value
        )
    if key == "fees":
        return "; ".join(
            f"{f['name']}: " + (f"{f['amount']:,} đồng".replace(",", ".") if f.get("amount") is not None else "tuỳ trường hợp")
            for f in value
        )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def change_rows(change: ProcedureChange) -> list[tuple[str, str, str]]:
    """(field label, before, after) of each changed field, as the preview and the CLI show them."""
    before = change.before or {}
    return [
        (FIELD_LABELS.get(key, key), show_value(key, before.get(key)) if change.before else "",
         show_value(key, change.after.get(key)))
        for key in change.changed_fields
    ]


def kind_label(kind: ChangeKind) -> str:
    return CHANGE_KIND_LABELS[kind]


def changeset_text(decision: Decision, changeset: Changeset) -> str:
    """The changes as printed by `motcua catalog import-decision`."""
    lines = [
        f"Quyết định số {decision.number} ngày {decision.signed_on:%d/%m/%Y} của {decision.issuer}, "
        f"hiệu lực từ {decision.effective_on:%d/%m/%Y}.",
        "Thêm mới {added}, sửa đổi, bổ sung {amended}, bãi bỏ {abolished} thủ tục.".format(**changeset.summary()),
    ]
    marks = {ChangeKind.added: "+", ChangeKind.amended: "~", ChangeKind.abolished: "-"}
    for kind in ChangeKind:
        items = changeset.of(kind)
        if items:
            lines.append(f"{kind_label(kind)} ({len(items)}):")
        for change in items:
            lines.append(f"  {marks[kind]} {change.code} {change.name}")
            for label, before, after in change_rows(change):
                lines.append(f"      {label}: {before} → {after}" if change.before else f"      {label}: {after}")
    if changeset.unchanged:
        lines.append("Không thay đổi: " + ", ".join(changeset.unchanged))
    return "\n".join(lines)
