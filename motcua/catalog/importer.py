"""Import the seed catalogue (seed 003) into the database, with a report.

`parse_catalog` (parser.py) reads the table into plain rows; `import_catalog` groups the rows
into procedures (one code = one procedure; several agencies = several applications), then
applies them with bulk inserts. Nothing is dropped silently: every row that was not read as
such appears in the report with its number and a Vietnamese reason. Importing twice changes
nothing.
"""

from __future__ import annotations

import difflib
import re
import uuid
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from motcua.catalog.enums import OnlineLevel, ProcedureLevel, ProcedureStatus
from motcua.catalog.fields import apply_canonical_fields, field_code_for, fold_name
from motcua.catalog.models import Field, Procedure, ProcedureAgency, ProcedureVersion
from motcua.catalog.parser import CatalogRow, parse_catalog, parse_pilot_names, provisional_code
from motcua.catalog.reorganisation import apply_reorganisation
from motcua.core.clock import now
from motcua.core.errors import InvalidInput
from motcua.core.ids import new_id
from motcua.core.text import fold, fold_words, nfc
from motcua.org import service as org_service
from motcua.org.models import Agency

SEED_SOURCE = "seed003"
SEED_DECISION_NUMBER = "517/QĐ-UBND"
SEED_DECISION_DATE = date(2020, 3, 30)
SEED_APPLICATION_SOURCE = "Quyết định 517/QĐ-UBND ngày 30/3/2020 (seed 003)"
ALL_DISTRICTS = "ubnd huyen"
ALL_COMMUNES = "ubnd xa"
PILOT_SEED_GLOB = "002_*.txt"


@dataclass
class RowProblem:
    number: int
    reason: str
    imported: bool  # True: imported with a repair (provisional code, inherited cell...)


@dataclass
class ImportReport:
    rows_read: int = 0
    rows_imported: int = 0
    procedures_created: int = 0
    procedures_updated: int = 0
    procedures_unchanged: int = 0
    agency_links_created: int = 0
    reorganisation_ended: int = 0
    reorganisation_created: int = 0
    fields_created: int = 0
    cross_boundary_marked: int = 0
    pilot_names: int = 0
    pilot_unmatched: list[str] = dataclass_field(default_factory=list)
    notes: list[str] = dataclass_field(default_factory=list)
    problems: list[RowProblem] = dataclass_field(default_factory=list)

    @property
    def rows_not_imported(self) -> list[RowProblem]:
        return [p for p in self.problems if not p.imported]

    def problem_rows(self) -> set[int]:
        return {p.number for p in self.problems}

    def as_text(self) -> str:
        """The report as printed by `motcua import-catalog` (Vietnamese)."""
        lines = [
            "BÁO CÁO NHẬP DANH MỤC THỦ TỤC HÀNH CHÍNH",
            f"Số dòng đã đọc: {self.rows_read}",
            f"Số dòng đã nhập: {self.rows_imported}",
            f"Số dòng không nhập được: {len(self.rows_not_imported)}",
            f"Thủ tục tạo mới: {self.procedures_created}",
            f"Thủ tục cập nhật: {self.procedures_updated}",
            f"Thủ tục không thay đổi: {self.procedures_unchanged}",
            f"Lĩnh vực tạo mới: {self.fields_created}",
            f"Phân công cơ quan thực hiện tạo mới: {self.agency_links_created}",
            "Sắp xếp tổ chức năm 2025: kết thúc "
            f"{self.reorganisation_ended}, tạo mới {self.reorganisation_created} phân công cơ quan thực hiện",
            f"Thủ tục được đánh dấu tiếp nhận không phụ thuộc địa giới hành chính: {self.cross_boundary_marked}",
        ]
        for note in self.notes:
            lines.append(f"Ghi chú: {note}")
        if self.pilot_unmatched:
            lines.append("Thủ tục thí điểm (seed 002) không tìm thấy trong danh mục:")
            lines.extend(f"  - {name}" for name in self.pilot_unmatched)
        if self.problems:
            lines.append("Các dòng không đọc được đầy đủ:")
            for p in sorted(self.problems, key=lambda p: p.number):
                state = "đã nhập" if p.imported else "KHÔNG NHẬP"
                lines.append(f"  Dòng {p.number} ({state}): {p.reason}")
        return "\n".join(lines)


@dataclass
class _Group:
    code: str
    provisional: bool
    rows: list[CatalogRow]
    words: list[str]


def _same_name(a: list[str], b: list[str]) -> bool:
    """Same procedure name up to punctuation, case, accents and one inserted/dropped word
    ("trạm sơ cứu" / "trạm sơ cấp cứu"); a replaced word ("THCS" / "THPT") differs."""
    if a == b:
        return True
    ops = [
        op
        for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    if any(tag == "replace" for tag, *_ in ops):
        return False
    changed = sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in ops)
    return changed <= 1


def group_rows(rows: list[CatalogRow], report: ImportReport) -> list[_Group]:
    """One group per procedure. A code reused for a differently named procedure (a copy
    slip in the seed) keeps the first row; the others get a provisional code and a note."""
    groups: dict[str, _Group] = {}
    for row in rows:
        if not row.importable:
            continue
        words = fold_words(row.name)
        if row.code:
            group = groups.get(row.code)
            if group is None:
                groups[row.code] = _Group(row.code, False, [row], words)
                continue
            if _same_name(group.words, words):
                group.rows.append(row)
                continue
            code = provisional_code(row.number)
            row.notes.append(
                f"Mã {row.code} đã dùng cho thủ tục khác ở dòng {group.rows[0].number} "
                f"(“{group.rows[0].name}”); gán mã tạm {code}"
            )
        else:
            code = provisional_code(row.number)
        groups[code] = _Group(code, True, [row], words)
    return list(groups.values())


def level_of_agency_name(name: str | None) -> str:
    folded = fold(name)
    if folded == ALL_DISTRICTS:
        return ProcedureLevel.district.value
    if folded == ALL_COMMUNES:
        return ProcedureLevel.commune.value
    return ProcedureLevel.province.value


def _display_field_name(name: str) -> str:
    name = nfc(name) or ""
    if name.isupper():  # "LĨNH VỰC ĐƯỜNG BỘ" → "Lĩnh vực đường bộ"
        name = name[:1] + name[1:].lower()
    return name


class _AgencyResolver:
    """Agency names of the seed → agencies, through the organisation domain's service."""

    def __init__(self, session: Session):
        self.session = session
        self.cache: dict[str, list[Agency]] = {}

    def resolve(self, name: str) -> list[Agency]:
        key = fold(name)
        if key not in self.cache:
            self.cache[key] = self._lookup(name, key)
        return self.cache[key]

    def _lookup(self, name: str, key: str) -> list[Agency]:
        if key == ALL_DISTRICTS:
            found = org_service.list_district_committees(self.session)
        elif key == ALL_COMMUNES:
            found = org_service.list_commune_committees(self.session, include_historical=True)
        else:
            agency = org_service.find_agency_by_name(self.session, name)
            found = [agency] if agency is not None else []
        # The table describes the agencies of its decision's date; those created since (the
        # communes of 2025, the merged departments) get their applications from the
        # reorganisation rules, with the basis of the move.
        return [a for a in found if a.valid_from is None or a.valid_from <= SEED_DECISION_DATE]


def _seed_snapshot(values: dict[str, Any], field_code: str | None) -> dict[str, Any]:
    return {
        "code": values["code"],
        "code_provisional": values["code_provisional"],
        "name": values["name"],
        "level": values["level"],
        "field_code": field_code,
        "time_limit_days": None,
        "time_limit_hours": None,
        "online_time_limit_days": None,
        "online_time_limit_hours": None,
        "time_limit_note": None,
        "receipt_cutoff": None,
        "result_description": None,
        "legal_basis": None,
        "online_level": values["online_level"],
        "cross_boundary": values["cross_boundary"],
        "status": values["status"],
        "simplification_resolution": values["simplification_resolution"],
        "components": [],
        "fees": [],
    }


def read_seed(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InvalidInput(f"Không tìm thấy tệp danh mục: {path}") from exc
    except IsADirectoryError as exc:
        raise InvalidInput(f"Đường dẫn là một thư mục, không phải tệp: {path}") from exc
    except PermissionError as exc:
        raise InvalidInput(f"Không có quyền đọc tệp: {path}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"Tệp không phải văn bản UTF-8: {path}") from exc
    except OSError as exc:
        raise InvalidInput(f"Không đọc được tệp {path}: {exc.strerror or exc}") from exc


def import_catalog(session: Session, path: Path, *, pilot_path: Path | None = None) -> ImportReport:
    """Import seed 003 at `path`. Seed 002 (the pilot list of procedures received regardless
    of administrative boundary) is looked for next to it unless `pilot_path` is given."""
    text = read_seed(path)
    rows = parse_catalog(text)
    if not rows:
        raise InvalidInput(f"Tệp {path} không chứa bảng danh mục thủ tục hành chính (seed 003).")
    if pilot_path is None:
        candidates = sorted(Path(path).parent.glob(PILOT_SEED_GLOB))
        pilot_path = candidates[0] if candidates else None
    pilot_text = (
        read_seed(pilot_path) if pilot_path is not None and Path(pilot_path).exists() else None
    )
    return apply_rows(session, rows, pilot_text=pilot_text)


def apply_rows(
    session: Session, rows: list[CatalogRow], *, pilot_text: str | None = None
) -> ImportReport:
    report = ImportReport(rows_read=len(rows))
    groups = group_rows(rows, report)
    resolver = _AgencyResolver(session)
    stamp = now()

    # Fields: the canonical list (data/fields.json) first; a spelling it does not know
    # (a new seed) becomes a field of its own, as before ----------------------------------
    fields = apply_canonical_fields(session)
    new_fields: list[dict[str, Any]] = []
    for row in rows:
        if row.importable and row.field and fields.id_for(row.field) is None:
            name = _display_field_name(row.field)
            code = field_code_for(row.field)
            field_id = new_id()
            fields.by_code[code] = fields.by_name[fold_name(row.field)] = field_id
            new_fields.append(
                {"id": field_id, "code": code, "name": name, "name_folded": fold_name(name)}
            )
    if new_fields:
        session.execute(insert(Field), new_fields)
    report.fields_created = len(new_fields)
    field_code_by_id = {i: c for i, c in session.execute(select(Field.id, Field.code))}

    # Procedures -----------------------------------------------------------------------
    existing = {
        p.code: p
        for p in session.execute(
            select(
                Procedure.id,
                Procedure.code,
                Procedure.name,
                Procedure.level,
                Procedure.field_id,
                Procedure.simplification_resolution,
                Procedure.source,
            )
        )
    }
    edited = set(
        session.scalars(
            select(ProcedureVersion.procedure_id).where(ProcedureVersion.number > 1).distinct()
        )
    )
    new_procedures: list[dict[str, Any]] = []
    new_versions: list[dict[str, Any]] = []
    procedure_ids: dict[str, uuid.UUID] = {}
    for group in groups:
        first = group.rows[0]
        field_id = fields.id_for(first.field) if first.field else None
        resolution = next((r.resolution for r in group.rows if r.resolution), None)
        values = {
            "code": group.code,
            "code_provisional": group.provisional,
            "name": nfc(first.name),
            "name_folded": fold_name(first.name),
            "level": level_of_agency_name(first.agency),
            "field_id": field_id,
            "simplification_resolution": (nfc(resolution) or None) and nfc(resolution)[:255],
            "source": f"{SEED_SOURCE} dòng " + ", ".join(str(r.number) for r in group.rows),
        }
        values["source"] = values["source"][:255]
        current = existing.get(group.code)
        if current is None:
            values.update(
                id=new_id(),
                online_level=OnlineLevel.none.value,
                cross_boundary=False,
                status=ProcedureStatus.in_force.value,
                updated_at=stamp,
            )
            new_procedures.append(values)
            new_versions.append(
                {
                    "id": new_id(),
                    "procedure_id": values["id"],
                    "number": 1,
                    "decision_number": SEED_DECISION_NUMBER,
                    "decision_date": SEED_DECISION_DATE,
                    "effective_date": SEED_DECISION_DATE,
                    "note": "Danh mục kèm theo Quyết định 517/QĐ-UBND ngày 30/3/2020 (seed 003)",
                    "created_by": SEED_SOURCE,
                    "snapshot": _seed_snapshot(values, field_code_by_id.get(field_id)),
                    "created_at": stamp,
                }
            )
            procedure_ids[group.code] = values["id"]
            continue
        procedure_ids[group.code] = current.id
        changes = {
            key: value
            for key, value in values.items()
            if key not in {"code", "code_provisional", "name_folded"}
            and getattr(current, key) != value
        }
        if changes and current.id not in edited:
            changes["name_folded"] = values["name_folded"]
            changes["updated_at"] = stamp
            session.execute(update(Procedure).where(Procedure.id == current.id).values(**changes))
            report.procedures_updated += 1
        else:
            report.procedures_unchanged += 1
    if new_procedures:
        session.execute(insert(Procedure), new_procedures)
        session.execute(insert(ProcedureVersion), new_versions)
    report.procedures_created = len(new_procedures)

    # Implementing agencies ------------------------------------------------------------
    links_existing = set(
        session.execute(select(ProcedureAgency.procedure_id, ProcedureAgency.agency_id)).tuples()
    )
    new_links: dict[tuple[uuid.UUID, uuid.UUID], list[int]] = {}
    for group in groups:
        procedure_id = procedure_ids[group.code]
        for row in group.rows:
            agencies = resolver.resolve(row.agency) if row.agency else []
            if row.agency and not agencies:
                row.notes.append(
                    f"Không xác định được cơ quan thực hiện “{row.agency}”; thủ tục được nhập nhưng chưa gắn cơ quan"
                )
            for agency in agencies:
                key = (procedure_id, agency.id)
                if key in links_existing:
                    continue
                new_links.setdefault(key, []).append(row.number)
    agencies_by_id = {a.id: a for found in resolver.cache.values() for a in found}
    if new_links:
        session.execute(
            insert(ProcedureAgency),
            [
                {
                    "id": new_id(),
                    "procedure_id": p,
                    "agency_id": a,
                    "level": agencies_by_id[a].level,
                    "valid_from": agencies_by_id[a].valid_from,
                    "valid_to": agencies_by_id[a].valid_to,
                    "source": SEED_APPLICATION_SOURCE,
                    "source_rows": ", ".join(map(str, numbers))[:255],
                }
                for (p, a), numbers in new_links.items()
            ],
        )
    report.agency_links_created = len(new_links)
    # The applications of agencies dissolved or merged since the table's decision move on.
    moved = apply_reorganisation(session)
    report.reorganisation_ended, report.reorganisation_created = moved.ended, moved.created

    # Receipt regardless of administrative boundary (seed 002) ---------------------------
    _mark_cross_boundary(session, pilot_text, report)

    # The report -------------------------------------------------------------------------
    for row in rows:
        if row.importable:
            report.rows_imported += 1
        if row.notes:
            report.problems.append(RowProblem(row.number, "; ".join(row.notes), row.importable))
    if report.rows_imported + len(report.rows_not_imported) != report.rows_read:  # pragma: no cover
        raise AssertionError("import report does not account for every row")
    session.flush()
    return report


def _mark_cross_boundary(session: Session, pilot_text: str | None, report: ImportReport) -> None:
    if pilot_text is None:
        report.notes.append(
            "Không có tệp seed 002 (danh mục thí điểm tiếp nhận không phụ thuộc địa giới hành chính)."
        )
        return
    names = parse_pilot_names(pilot_text)
    report.pilot_names = len(names)
    if not names:
        report.notes.append(
            "Seed 002 chỉ có nội dung Quyết định, không kèm danh mục thủ tục thí điểm; chưa đánh dấu thủ tục nào "
            "là tiếp nhận không phụ thuộc địa giới hành chính (quản trị viên đánh dấu trên trang sửa thủ tục)."
        )
        return
    by_name: dict[str, list[tuple[uuid.UUID, bool]]] = {}
    for pid, folded, flag in session.execute(
        select(Procedure.id, Procedure.name_folded, Procedure.cross_boundary)
    ):
        by_name.setdefault(folded, []).append((pid, flag))
    to_mark = []
    for name in names:
        matches = by_name.get(fold_name(re.sub(r"\s*\(.*?\)\s*$", "", name))) or by_name.get(
            fold_name(name)
        )
        if not matches:
            report.pilot_unmatched.append(name)
            continue
        to_mark.extend(pid for pid, flag in matches if not flag)
    if to_mark:
        session.execute(
            update(Procedure)
            .where(Procedure.id.in_(to_mark))
            .values(cross_boundary=True, updated_at=now())
        )
    report.cross_boundary_marked = len(to_mark)
