"""Full procedure records out and in, as JSON or XLSX (openpyxl), for administrators.

Export writes every (or every filtered) procedure with its time limits, fees and dossier
components. Import validates every record first and applies all of them or none: any
error anywhere gives back the complete per-record list of Vietnamese messages and changes
nothing. Each procedure that actually changes gets a new `ProcedureVersion`.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date
from typing import Any

from openpyxl import Workbook, load_workbook
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from motcua.catalog.fields import fields_by_any_code
from motcua.catalog.models import Procedure
from motcua.catalog.policies import ensure_can_create_procedures, ensure_can_edit_procedure
from motcua.catalog.schemas import ImportResult, ProcedureRecord, RecordError
from motcua.catalog.search import SearchFilters, search_procedures
from motcua.catalog.service import apply_record, normalize_code, procedure_record, records_by_code
from motcua.core.clock import now, to_local
from motcua.core.errors import InvalidInput
from motcua.core.text import nfc

FORMAT_NAME = "motcua-procedures"
FORMAT_VERSION = 1
MAX_RECORDS = 5000
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

SCALAR_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("name", "Tên thủ tục"),
    ("level", "Cấp thực hiện (province/district/commune)"),
    ("field_code", "Mã lĩnh vực"),
    ("time_limit_days", "Thời hạn (ngày làm việc)"),
    ("time_limit_hours", "Thời hạn (giờ làm việc)"),
    ("online_time_limit_days", "Thời hạn trực tuyến (ngày làm việc)"),
    ("online_time_limit_hours", "Thời hạn trực tuyến (giờ làm việc)"),
    ("time_limit_note", "Ghi chú thời hạn"),
    ("time_limit_basis", "Căn cứ thời hạn"),
    ("online_time_limit_basis", "Căn cứ thời hạn trực tuyến"),
    ("components_basis", "Căn cứ thành phần hồ sơ"),
    ("content_sources", "Nguồn (mỗi dòng: địa chỉ | tiêu đề)"),
    ("receipt_cutoff", "Giờ chốt tiếp nhận (HH:MM)"),
    ("result_description", "Kết quả thực hiện"),
    ("legal_basis", "Căn cứ pháp lý"),
    ("online_level", "Mức trực tuyến (full/partial/none)"),
    ("cross_boundary", "Tiếp nhận không phụ thuộc địa giới"),
    ("status", "Tình trạng (in_force/abolished)"),
    ("simplification_resolution", "Nghị quyết đơn giản hoá"),
]
COMPONENT_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("name", "Tên giấy tờ"),
    ("form_template", "Mẫu đơn, tờ khai"),
    ("original_count", "Số bản chính"),
    ("copy_count", "Số bản sao"),
    ("required", "Bắt buộc"),
    ("condition", "Trường hợp phải nộp"),
]
FEE_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("name", "Tên phí, lệ phí"),
    ("amount", "Số tiền (đồng)"),
    ("note", "Ghi chú"),
    ("basis", "Căn cứ mức thu"),
]
SHEET_PROCEDURES = "Thủ tục"
SHEET_COMPONENTS = "Thành phần hồ sơ"
SHEET_FEES = "Phí, lệ phí"

VALIDATION_TEXT = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được phép",
    "string_too_short": "không được để trống",
    "string_too_long": "quá dài",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "greater_than_equal": "không được âm",
    "less_than_equal": "quá lớn",
    "bool_parsing": "phải là đúng/sai",
    "bool_type": "phải là đúng/sai",
    "literal_error": "giá trị không hợp lệ",
    "list_type": "phải là danh sách",
    "too_long": "quá nhiều phần tử",
    "string_type": "phải là chuỗi ký tự",
    "model_type": "phải là một đối tượng",
    "dict_type": "phải là một đối tượng",
}

FIELD_NAMES = {key: label for key, label in SCALAR_COLUMNS} | {
    "components": "Thành phần hồ sơ",
    "fees": "Phí, lệ phí",
    "original_count": "Số bản chính",
    "copy_count": "Số bản sao",
    "required": "Bắt buộc",
    "form_template": "Mẫu đơn, tờ khai",
    "amount": "Số tiền",
    "note": "Ghi chú",
    "agency_codes": "Mã cơ quan",
    "code_provisional": "Mã tạm",
    "condition": "Trường hợp phải nộp",
    "basis": "Căn cứ mức thu",
}


# --- export ------------------------------------------------------------------------------


def export_records(session: Session, filters: SearchFilters | None = None) -> list[dict[str, Any]]:
    """Records of every procedure matching `filters` (all when None), ordered by code."""
    stmt = select(Procedure).options(
        selectinload(Procedure.field),
        selectinload(Procedure.components),
        selectinload(Procedure.fees),
    )
    if filters is not None and any(
        v
        for v in (
            filters.q,
            filters.agency_id,
            filters.field_id,
            filters.level,
            filters.online_level,
            filters.status,
        )
    ):
        page = search_procedures(session, filters, page=1, page_size=MAX_RECORDS * 10)
        ids = [item.id for item in page.items]
        if not ids:
            return []
        stmt = stmt.where(Procedure.id.in_(ids))
    procedures = session.scalars(stmt.order_by(Procedure.code)).all()
    return [procedure_record(p) for p in procedures]


def to_json(records: list[dict[str, Any]]) -> bytes:
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": to_local(now()).isoformat(timespec="seconds"),
        "procedures": records,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def to_xlsx(records: list[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_PROCEDURES
    sheet.append([label for _, label in SCALAR_COLUMNS])
    components = workbook.create_sheet(SHEET_COMPONENTS)
    components.append([label for _, label in COMPONENT_COLUMNS])
    fees = workbook.create_sheet(SHEET_FEES)
    fees.append([label for _, label in FEE_COLUMNS])
    for record in records:
        sheet.append([_xlsx_value(key, record.get(key)) for key, _ in SCALAR_COLUMNS])
        for component in record.get("components", []):
            components.append(
                [record["code"]] + [component.get(key) for key, _ in COMPONENT_COLUMNS[1:]]
            )
        for fee in record.get("fees", []):
            fees.append([record["code"]] + [fee.get(key) for key, _ in FEE_COLUMNS[1:]])
    for ws, widths in (
        (sheet, {"A": 22, "B": 70}),
        (components, {"A": 22, "B": 60}),
        (fees, {"A": 22, "B": 40}),
    ):
        ws.freeze_panes = "A2"
        for column, width in widths.items():
            ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(key: str, value: Any) -> Any:
    """A cell's value: the list of sources as lines "url | title" (read back by `_sources`)."""
    if key == "content_sources":
        return "\n".join(
            " | ".join(part for part in (s.get("url"), s.get("title")) if part)
            for s in value or []
        ) or None
    return value


def _sources(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    out = []
    for line in text.splitlines():
        url, _, title = line.partition(" | ")
        url, title = url.strip(), title.strip()
        if url and not url.startswith(("http://", "https://")):
            url, title = "", f"{url} | {title}".strip(" |")
        if url or title:
            out.append({"url": url or None, "title": title or None})
    return out


# --- reading files -----------------------------------------------------------------------


def parse_json(content: bytes) -> list[Any]:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput("Tệp JSON không hợp lệ (không đọc được nội dung).") from exc
    if isinstance(document, dict):
        document = document.get("procedures")
    if not isinstance(document, list):
        raise InvalidInput(
            "Tệp JSON phải là danh sách thủ tục hoặc đối tượng có khoá “procedures”."
        )
    return document


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _bool(value: Any) -> Any:
    if isinstance(value, str):
        folded = value.strip().casefold()
        if folded in {"có", "co", "x", "true", "1", "đúng", "dung", "yes"}:
            return True
        if folded in {"không", "khong", "false", "0", "sai", "no", ""}:
            return False
    return value


def _sheet_rows(workbook, name: str, columns: list[tuple[str, str]]) -> list[dict[str, Any]]:
    if name not in workbook.sheetnames:
        return []
    rows = workbook[name].iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return []
    keys_by_label = {label.casefold(): key for key, label in columns} | {
        key: key for key, _ in columns
    }
    keys = [keys_by_label.get(str(h).strip().casefold()) if h is not None else None for h in header]
    out = []
    for row in rows:
        values = {k: _cell(v) for k, v in zip(keys, row, strict=False) if k is not None}
        if any(v is not None for v in values.values()):
            out.append({k: v for k, v in values.items() if v is not None})
    return out


_CURRENCY = re.compile(r"(đồng|đ|vnđ|vnd)$", re.IGNORECASE)


def money_text(value: str) -> str:
    """An amount as people type it: "1.500.000", "1,500,000", "50.000 đồng", "20000đ",
    "10.000 VNĐ" → "1500000", "50000"… (anything else is returned cleaned, for the validator)."""
    text = value.replace("\xa0", " ").strip()
    text = _CURRENCY.sub("", text).strip()
    return text.replace(".", "").replace(",", "").replace(" ", "")


def parse_xlsx(content: bytes) -> list[Any]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise InvalidInput("Tệp không phải bảng tính XLSX hợp lệ.") from exc
    try:
        if SHEET_PROCEDURES not in workbook.sheetnames:
            raise InvalidInput(f"Bảng tính thiếu trang “{SHEET_PROCEDURES}”.")
        records = _sheet_rows(workbook, SHEET_PROCEDURES, SCALAR_COLUMNS)
        components = _sheet_rows(workbook, SHEET_COMPONENTS, COMPONENT_COLUMNS)
        fees = _sheet_rows(workbook, SHEET_FEES, FEE_COLUMNS)
    finally:
        workbook.close()
    by_code: dict[str, dict[str, Any]] = {}
    for record in records:
        if "cross_boundary" in record:
            record["cross_boundary"] = _bool(record["cross_boundary"])
        if "content_sources" in record:
            record["content_sources"] = _sources(record["content_sources"])
        for key in ("code", "field_code", "receipt_cutoff"):
            if key in record and not isinstance(record[key], str):
                record[key] = str(record[key])
        record["components"] = []
        record["fees"] = []
        by_code.setdefault(normalize_code(str(record.get("code", ""))) or "", record)
    problems = []
    for kind, items in (("components", components), ("fees", fees)):
        for number, item in enumerate(items, start=2):
            code = normalize_code(str(item.pop("code", "") or ""))
            target = by_code.get(code or "")
            if target is None:
                sheet = SHEET_COMPONENTS if kind == "components" else SHEET_FEES
                problems.append(
                    f"Trang “{sheet}” dòng {number}: mã thủ tục không có trong trang “{SHEET_PROCEDURES}”."
                )
                continue
            if "required" in item:
                item["required"] = _bool(item["required"])
            amount = item.get("amount")
            if isinstance(amount, str) and money_text(amount).isdigit():
                item["amount"] = int(money_text(amount))  # a text cell "1.500.000 đồng"
            target[kind].append(item)
    if problems:
        raise InvalidInput("Bảng tính có lỗi: " + " ".join(problems[:20]), details=problems)
    return records


# --- import ------------------------------------------------------------------------------


def validation_messages(exc: ValidationError) -> list[str]:
    out = []
    for error in exc.errors():
        names = []
        for part in error.get("loc", ()):
            if isinstance(part, int):
                names.append(f"#{part + 1}")
            else:
                names.append(FIELD_NAMES.get(str(part), str(part)))
        text = VALIDATION_TEXT.get(error.get("type", ""), "giá trị không hợp lệ")
        if error.get("type") in {"value_error", "assertion_error"}:
            text = str((error.get("ctx") or {}).get("error", text))
        out.append(f"{' › '.join(names) or 'bản ghi'}: {text}")
    return out


def import_records(
    session: Session,
    raw_records: list[Any],
    *,
    user,
    decision_number: str | None = None,
    decision_date: date | None = None,
    effective_date: date | None = None,
) -> ImportResult:
    """Validate every record, then apply all of them (or raise InvalidInput with the list)."""
    if not raw_records:
        raise InvalidInput("Tệp không có bản ghi thủ tục nào.")
    if len(raw_records) > MAX_RECORDS:
        raise InvalidInput(f"Tệp có quá nhiều bản ghi (tối đa {MAX_RECORDS}).")
    fields = fields_by_any_code(session)  # an alias's old code names its canonical field
    existing = records_by_code(session)
    errors: list[RecordError] = []
    valid: list[tuple[ProcedureRecord, Procedure | None]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(raw_records, start=1):
        code_shown = (
            str(raw.get("code"))[:64]
            if isinstance(raw, dict) and raw.get("code") is not None
            else None
        )
        if not isinstance(raw, dict):
            errors.append(
                RecordError(record=number, code=None, errors=["Bản ghi phải là một đối tượng."])
            )
            continue
        try:
            record = ProcedureRecord.model_validate(raw)
        except ValidationError as exc:
            errors.append(RecordError(record=number, code=code_shown, errors=validation_messages(exc)))
            continue
        problems = []
        code = normalize_code(record.code)
        if code is None:
            problems.append("Mã thủ tục chỉ gồm chữ, số, dấu “-” hoặc “.”.")
        elif code in seen:
            problems.append(f"Mã thủ tục trùng với bản ghi {seen[code]}.")
        else:
            seen[code] = number
        if record.field_code and record.field_code not in fields:
            problems.append(f"Không có lĩnh vực mã “{record.field_code}”.")
        procedure = existing.get(code or "")
        try:
            if procedure is None:
                ensure_can_create_procedures(user)
            else:
                ensure_can_edit_procedure(session, user, procedure)
        except Exception as exc:  # Forbidden: report it with the record, all-or-nothing
            problems.append(getattr(exc, "message", str(exc)))
        if problems:
            errors.append(RecordError(record=number, code=code or code_shown, errors=problems))
            continue
        record.code = code  # type: ignore[assignment]
        valid.append((record, procedure))
    if errors:
        total = len(errors)
        raise InvalidInput(
            f"Không nhập: {total} bản ghi có lỗi; chưa thay đổi dữ liệu nào. "
            + " ".join(
                f"Bản ghi {e.record} ({e.code or 'không mã'}): {'; '.join(e.errors).rstrip('.')}."
                for e in errors[:5]
            ),
            details=[e.model_dump() for e in errors],
            code="import_invalid",
        )
    result = ImportResult(records=len(valid), created=0, updated=0, unchanged=0, versions_created=0)
    username = getattr(user, "username", None)
    meta = {
        "decision_number": decision_number,
        "decision_date": decision_date,
        "effective_date": effective_date,
    }
    for record, procedure in valid:
        data = record.model_dump(exclude={"code", "code_provisional", "agency_codes", "field_code"})
        field = fields.get(record.field_code) if record.field_code else None
        if procedure is None:
            procedure = Procedure(
                code=record.code, code_provisional=False, name=record.name, name_folded=""
            )
            procedure.components = []
            procedure.fees = []
            procedure.field = None
            session.add(procedure)
            apply_record(
                session,
                procedure,
                data,
                field=field,
                version_meta=meta | {"note": "Tạo từ tệp nhập"},
                created_by=username,
            )
            result.created += 1
            result.versions_created += 1
            continue
        version = apply_record(
            session,
            procedure,
            data,
            field=field,
            version_meta=meta | {"note": "Cập nhật từ tệp nhập"},
            created_by=username,
        )
        if version is None:
            result.unchanged += 1
        else:
            result.updated += 1
            result.versions_created += 1
    session.flush()
    return result


def clean_filename_part(value: str | None) -> str:
    return "".join(ch for ch in (nfc(value) or "") if ch.isalnum() or ch in "-_")[:40]
