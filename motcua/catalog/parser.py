"""Parse the procedure table of seed 003 into plain rows (pure functions, no database).

The seed is a word-processor table flattened to text: every cell is a line starting with
three tabs, the cells of a row are separated by two blank lines, rows by more. Merged
cells lose the row number, the agency or the field of some rows; one stretch near the end
(rows 1706–1738) is mangled: several rows start with a space, lose columns, or are absent
altogether. `parse_catalog` returns one `CatalogRow` per row number 1..N, so every row is
accounted for: recovered rows carry notes saying what was inherited or inferred, and
numbers with no text at all come back as `missing` rows with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from motcua.core.text import fold, nfc

CATALOG_END_MARKER = "I. BỐI CẢNH XÂY DỰNG"
PROVISIONAL_PREFIX = "LSN-TT-"

_CELL = re.compile(r"^ ?\t+")
_NUMBER = re.compile(r"^\d{1,4}$")
_CODE = re.compile(r"^[A-ZĐ0-9]+(?:[-.][A-ZĐ0-9]+)*$")
_RESOLUTION = re.compile(r"\d+\s*/?\s*NQ", re.IGNORECASE)
_AGENCY_PREFIXES = (
    "ubnd ",
    "uy ban ",
    "so ",
    "ban ",
    "van phong ",
    "trung tam ",
    "cong an ",
    "thanh tra ",
)


@dataclass
class CatalogRow:
    """One row of the seed table, as far as it could be read."""

    number: int
    agency: str | None = None
    field: str | None = None
    code_raw: str | None = None
    code: str | None = None  # cleaned, valid national/local code; None when absent/unusable
    name: str | None = None
    resolution: str | None = None
    missing: bool = False  # the number has no text at all in the seed
    number_inferred: bool = False
    agency_inherited: bool = False
    field_inherited: bool = False
    notes: list[str] = dataclass_field(
        default_factory=list
    )  # Vietnamese, what was not read as such

    @property
    def importable(self) -> bool:
        return not self.missing and bool(self.name)


def clean_code(raw: str | None) -> str | None:
    """ "BCT- LSN-275407" → "BCT-LSN-275407", "BKH-LSN 271953" → "BKH-LSN-271953".

    Returns None when the cell holds no usable code (empty, "không tìm thấy trên CSDL", ...).
    """
    value = nfc(raw)
    if not value:
        return None
    value = re.sub(r"\s*([-.])\s*", r"\1", value)
    value = re.sub(r"\s+", "-", value).upper()
    if not _CODE.fullmatch(value) or not re.search(r"\d", value):
        return None
    return value


def provisional_code(number: int) -> str:
    """Stable local code for a row without a usable code (the row number never changes)."""
    return f"{PROVISIONAL_PREFIX}{number}"


def _cut_catalog(text: str) -> str:
    end = text.find(CATALOG_END_MARKER)
    return text if end < 0 else text[:end]


def split_raw_rows(text: str) -> list[list[str]]:
    """Group cell lines into rows: more than three blank lines, or a line starting with a
    space (the mangled stretch), starts a new row. Cell text is NFC with spaces collapsed."""
    rows: list[list[str]] = []
    current: list[str] = []
    blanks = 0
    for line in _cut_catalog(text).split("\n"):
        if _CELL.match(line):
            if current and (blanks >= 4 or line.startswith(" ")):
                rows.append(current)
                current = []
            current.append(nfc(line) or "")
            blanks = 0
        elif line.strip() == "":
            blanks += 1
        else:  # a title or paragraph line outside the table
            if current:
                rows.append(current)
                current = []
            blanks = 0
    if current:
        rows.append(current)
    return [r for r in rows if not (r and fold(r[0]) in {"so tt", "stt"})]


def _looks_like_agency(value: str, known: set[str]) -> bool:
    folded = fold(value)
    return (
        value in known or folded.startswith(_AGENCY_PREFIXES) or folded in {"ubnd huyen", "ubnd xa"}
    )


def _looks_like_field(value: str, known: set[str]) -> bool:
    return value in known or fold(value).startswith(("linh vuc", "linh "))


def _looks_like_code(value: str) -> bool:
    return clean_code(value) is not None or "csdl" in fold(value)


def _assign_cells(
    cells: list[str], known_agencies: set[str], known_fields: set[str]
) -> dict[str, str]:
    """Map the cells of one row to columns.

    Regular rows (5–6 cells, starting with the row number) are positional; the mangled
    rows lose columns, so their cells are recognised by content.
    """
    columns = ["number", "agency", "field", "code", "name", "resolution"]
    if cells and _NUMBER.fullmatch(cells[0]) and len(cells) in (5, 6):
        return {col: val for col, val in zip(columns, cells, strict=False) if val}
    out: dict[str, str] = {}
    for value in cells:
        if not value:
            continue
        if "number" not in out and not out and _NUMBER.fullmatch(value):
            col = "number"
        elif (
            "agency" not in out
            and "field" not in out
            and "code" not in out
            and _looks_like_agency(value, known_agencies)
        ):
            col = "agency"
        elif (
            "field" not in out
            and "code" not in out
            and "name" not in out
            and _looks_like_field(value, known_fields)
        ):
            col = "field"
        elif "code" not in out and "name" not in out and _looks_like_code(value):
            col = "code"
        elif "name" in out and "resolution" not in out and _RESOLUTION.search(value):
            col = "resolution"
        elif "name" not in out:
            col = "name"
        else:
            col = "extra"
            out["extra"] = f"{out['extra']} | {value}" if "extra" in out else value
            continue
        out[col] = value
    return out


def parse_catalog(text: str) -> list[CatalogRow]:
    """Every row number 1..N of the seed table, recovered as far as possible."""
    rows: list[CatalogRow] = []
    known_agencies: set[str] = set()
    known_fields: set[str] = set()
    previous: CatalogRow | None = None
    broken: dict[str, tuple[str | None, int]] = {}
    pending: list[tuple[CatalogRow, str, str, tuple[str | None, int]]] = []
    for cells in split_raw_rows(text):
        cols = _assign_cells(cells, known_agencies, known_fields)
        if "number" in cols:
            row = CatalogRow(number=int(cols["number"]))
        else:
            row = CatalogRow(number=(previous.number + 1) if previous else 1, number_inferred=True)
            row.notes.append(
                f"Mất số thứ tự (ô gộp); suy ra số {row.number} từ dòng trên"
                if previous
                else "Mất số thứ tự; coi là dòng 1"
            )
        row.agency = cols.get("agency")
        row.field = cols.get("field")
        row.name = cols.get("name")
        row.resolution = cols.get("resolution")
        row.code_raw = cols.get("code")
        row.code = clean_code(row.code_raw)
        if "extra" in cols:
            row.notes.append(f"Có ô không xác định được cột: “{cols['extra']}”")
        for column, label in (("agency", "cơ quan thực hiện"), ("field", "lĩnh vực")):
            if getattr(row, column):
                broken.pop(column, None)
            elif column in broken:
                # A fragment (a row without a name) lies between this row and the last one
                # that gave the value: what the merged cell covered is unknown. Filled in
                # afterwards only when the rows around the fragment agree (`_bridge`).
                pending.append((row, column, label, broken[column]))
            elif previous and getattr(previous, column):
                setattr(row, column, getattr(previous, column))
                setattr(row, f"{column}_inherited", True)
                row.notes.append(
                    f"Thiếu {label} (ô gộp); lấy theo dòng trên: {getattr(row, column)}"
                )
            else:
                row.notes.append(f"Thiếu {label}")
        if row.code is None:
            if row.code_raw:
                row.notes.append(
                    f"Mã TTHC ghi là “{row.code_raw}”; gán mã tạm {provisional_code(row.number)}"
                )
            else:
                row.notes.append(f"Không có mã TTHC; gán mã tạm {provisional_code(row.number)}")
        if not row.name:
            row.notes.append("Thiếu tên thủ tục (ô bị mất trong tài liệu nguồn); không nhập được")
            if row.code:
                row.notes.append(
                    f"Mã {row.code} đứng một mình, không có tên thủ tục: không gắn vào dòng khác "
                    "(không có căn cứ để biết mã thuộc thủ tục nào)"
                )
            # Values stated before this fragment do not flow past it.
            for column in ("agency", "field"):
                before = getattr(previous, column) if previous else None
                broken[column] = (before, row.number)
        if row.agency:
            known_agencies.add(row.agency)
        if row.field:
            known_fields.add(row.field)
        rows.append(row)
        previous = row
    _bridge(rows, pending)
    return _fill_missing_numbers(rows)


def _bridge(rows: list[CatalogRow], pending: list[tuple[CatalogRow, str, str, tuple[str | None, int]]]) -> None:
    """Rows after a fragment that lack a value get it only when the value stated before the
    fragment is also the next one stated after it (the merged cell spans the whole stretch);
    otherwise they stay without it, with a note."""
    for row, column, label, (before, fragment) in pending:
        later = rows[rows.index(row) + 1 :]
        after = next((getattr(r, column) for r in later if getattr(r, column) and not getattr(r, f"{column}_inherited")), None)
        if before and before == after:
            setattr(row, column, before)
            setattr(row, f"{column}_inherited", True)
            row.notes.append(
                f"Thiếu {label}; các dòng trước và sau đoạn hỏng (dòng {fragment}) cùng ghi: {before}"
            )
        else:
            row.notes.append(
                f"Thiếu {label}; không lấy theo dòng trên vì đoạn bảng bị hỏng ở dòng {fragment}"
            )


def _fill_missing_numbers(rows: list[CatalogRow]) -> list[CatalogRow]:
    by_number: dict[int, CatalogRow] = {}
    for row in rows:
        if row.number in by_number:  # a repeated number: keep both, renumbering is not ours to do
            row.notes.append(f"Số thứ tự {row.number} bị lặp")
            by_number[row.number].notes.append(f"Số thứ tự {row.number} bị lặp")
            row.number = max(by_number) + 1
        by_number[row.number] = row
    if not by_number:
        return []
    out = []
    for number in range(1, max(by_number) + 1):
        row = by_number.get(number)
        if row is None:
            row = CatalogRow(
                number=number,
                missing=True,
                notes=[
                    "Dòng không có trong tài liệu nguồn (bảng bị mất dữ liệu ở đoạn này); không nhập được"
                ],
            )
        out.append(row)
    return out


def parse_pilot_names(text: str) -> list[str]:
    """Procedure names listed in the annex of seed 002 (receipt regardless of boundary).

    The annex is a table of numbered names after a "DANH MỤC" heading; the decision text
    alone (without its annex) yields nothing.
    """
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if (nfc(line) or "").startswith("DANH MỤC THỦ TỤC")]
    if not starts:
        return []
    names = []
    for line in lines[starts[0] + 1 :]:
        match = re.match(r"^\s*\d{1,3}[.)]?\s+(\S.{8,})$", line)
        if match:
            names.append(nfc(match.group(1)) or "")
    return [n for n in names if n]
