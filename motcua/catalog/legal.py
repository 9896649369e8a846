"""Legal content of procedures (time limit, components, fees, legal basis, result, online
level), each value with the legal text it comes from, loaded from research files.

The files are JSON Lines in the format of `data/catalog/legal/FORMAT.md`: one procedure per
line. Rules (issue 10, "every fact the system states comes from the catalogue with its source"):

- A line is matched to catalogue procedures by the seed 003 row numbers it names
  (`seed_rows`, as the catalogue import recorded them in `Procedure.source` and
  `ProcedureAgency.source_rows`), else by national code, else by exact (folded) name.
- A later line supersedes an earlier one of the same name (files are read in the order
  given; within the seed, by file name).
- Only a value with a basis is loaded: a time limit with its `basis`, components with
  `components_basis`, fees each with its `basis`. A line read from the national procedure
  database (a source page on dichvucong.gov.vn) gives its values that page as their basis,
  as that database is where the ministries publish each procedure.
- A limit is loaded only in working days, working hours or "trong ngày": a limit stated in
  (calendar) days, without a unit, or that differs between cases of one channel is reported
  and left out, never turned into working days.
- What a line does not have stays as it is (a line without fees does not clear the fees).
- Loading twice changes nothing the second time (a procedure whose record does not change
  gets no new version).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.catalog.enums import OnlineLevel, ProcedureStatus
from motcua.catalog.models import Procedure, ProcedureAgency
from motcua.catalog.service import apply_record, fold_name, procedure_record, records_by_code
from motcua.core.config import seeds_dir
from motcua.core.text import clean_text

NATIONAL_DB_HOST = "dichvucong.gov.vn"
LIMIT_KINDS = ("same_day", "working_days", "working_hours")
# The research format's channels → the catalogue's limit columns (post takes the counter
# limit, as `catalog.limits.procedure_time_limit` reads it).
CHANNELS = {"all": "counter", "direct": "counter", "counter": "counter", "online": "online"}
ONLINE_LEVELS = {"toàn trình": OnlineLevel.full.value, "một phần": OnlineLevel.partial.value}
_ROWS = re.compile(r"\d+")
MAX_LINE_BYTES = 2_000_000


def legal_dir() -> Path:
    """data/catalog/legal/ next to the seeds directory (follows $MOTCUA_SEEDS_DIR)."""
    return seeds_dir().parent / "catalog" / "legal"


@dataclass
class LegalReport:
    lines_read: int = 0
    superseded: int = 0
    matched: list[tuple[str, list[str]]] = field(default_factory=list)  # (line, codes)
    unmatched: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # values not loaded, with why
    errors: list[str] = field(default_factory=list)  # lines that could not be read
    procedures_changed: set[str] = field(default_factory=set)

    def as_text(self, *, limit: int = 50) -> str:
        out = [
            f"Đọc {self.lines_read} dòng; {self.superseded} dòng bị dòng sau cùng tên thay thế.",
            f"Khớp {len(self.matched)} dòng với thủ tục trong danh mục; "
            f"không khớp {len(self.unmatched)} dòng; "
            f"{len(self.procedures_changed)} thủ tục được cập nhật.",
        ]
        for title, items in (
            ("Không khớp", self.unmatched),
            ("Giá trị không nạp", self.left_out),
            ("Dòng lỗi", self.errors),
        ):
            if items:
                out.append(f"{title} ({len(items)}):")
                out += [f"  - {item}" for item in items[:limit]]
                if len(items) > limit:
                    out.append(f"  … và {len(items) - limit} mục khác")
        return "\n".join(out)


# --- reading -----------------------------------------------------------------------------


def read_lines(paths: Iterable[Path], report: LegalReport) -> list[tuple[str, dict[str, Any]]]:
    """(where, line) of every readable line of `paths`, the later of two same-named lines only."""
    lines: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in paths:
        with open(path, encoding="utf-8-sig") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                report.lines_read += 1
                where = f"{Path(path).name}:{number}"
                try:
                    if len(raw) > MAX_LINE_BYTES:
                        raise ValueError("dòng quá dài")
                    line = json.loads(raw)
                    name = clean_text(line.get("name")) if isinstance(line, dict) else None
                    if not name:
                        raise ValueError("thiếu tên thủ tục")
                except (ValueError, AttributeError) as exc:
                    report.errors.append(f"{where}: không đọc được ({exc})")
                    continue
                key = fold_name(name)
                if key in lines:
                    report.superseded += 1
                    del lines[key]  # keep file order for the later line
                lines[key] = (where, line)
    return list(lines.values())


def _text(value: Any, max_length: int | None = None) -> str | None:
    return clean_text(value, max_length=max_length) if isinstance(value, str) else None


def line_basis(line: dict[str, Any]) -> str | None:
    """The national database page a line was read from, as the basis of its values."""
    code = _text(line.get("national_code"), 20)
    for source in line.get("sources") or []:
        url = source.get("url") if isinstance(source, dict) else None
        host = urlsplit(url).hostname or "" if isinstance(url, str) else ""
        if host == NATIONAL_DB_HOST or host.endswith("." + NATIONAL_DB_HOST):
            return "Cơ sở dữ liệu quốc gia về thủ tục hành chính" + (f", thủ tục {code}" if code else "") + f" ({url})"
    return None


def _count(value: Any) -> int:
    return max(0, min(100, value)) if isinstance(value, int) and not isinstance(value, bool) else 0


def _limit(entry: dict[str, Any]) -> tuple[int | None, int | None] | None:
    """(days, hours) of a limit entry in working time; None when it is not one."""
    kind, value = entry.get("kind"), entry.get("value")
    if kind == "same_day":
        return 0, None
    if kind not in LIMIT_KINDS or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != int(value) or value < 0 or value > 3650:
        return None
    if kind == "working_days":
        return int(value), None
    return (None, int(value)) if value > 0 else None


def line_values(line: dict[str, Any], where: str) -> tuple[dict[str, Any], list[str]]:
    """The catalogue record values of a line that have a basis, and what was left out (why)."""
    name = _text(line.get("name"))
    tag = f"{where} ({name})"
    fallback = line_basis(line)
    values: dict[str, Any] = {}
    left_out: list[str] = []

    by_channel: dict[str, list[dict[str, Any]]] = {}
    for entry in line.get("time_limit") or []:
        if not isinstance(entry, dict):
            continue
        channel = CHANNELS.get(str(entry.get("channel")))
        if channel is not None:
            by_channel.setdefault(channel, []).append(entry)
    for channel, entries in by_channel.items():
        limits = {_limit(e) for e in entries}
        if None in limits:
            kinds = ", ".join(sorted({str(e.get("kind")) for e in entries if _limit(e) is None}))
            left_out.append(f"{tag}: thời hạn ({channel}) không theo ngày/giờ làm việc ({kinds})")
            continue
        if len(limits) > 1:
            left_out.append(f"{tag}: thời hạn ({channel}) khác nhau theo trường hợp")
            continue
        basis = _text(entries[0].get("basis"), 2000) or fallback
        if not basis:
            left_out.append(f"{tag}: thời hạn ({channel}) không có căn cứ")
            continue
        (days, hours), = limits
        prefix = "" if channel == "counter" else "online_"
        values |= {f"{prefix}time_limit_days": days, f"{prefix}time_limit_hours": hours,
                   f"{prefix}time_limit_basis": basis}
        if channel == "counter":
            values["time_limit_note"] = _text(entries[0].get("text"), 2000)
    if "online_time_limit_days" in values and "time_limit_days" in values and (
        values["online_time_limit_days"], values["online_time_limit_hours"]
    ) == (values["time_limit_days"], values["time_limit_hours"]):
        for key in ("online_time_limit_days", "online_time_limit_hours", "online_time_limit_basis"):
            values[key] = None  # the same as the counter: no limit of its own

    components = [c for c in line.get("components") or [] if isinstance(c, dict) and _text(c.get("name"))]
    if components:
        basis = _text(line.get("components_basis"), 2000) or fallback
        if basis:
            values["components_basis"] = basis
            values["components"] = [
                {
                    "name": _text(c["name"], 2000),
                    "form_template": _text(c.get("form"), 255),
                    "original_count": _count(c.get("originals")),
                    "copy_count": _count(c.get("copies")),
                    "required": c["required"] if isinstance(c.get("required"), bool)
                    else not _text(c.get("condition")),
                    "condition": _text(c.get("condition"), 2000),
                }
                for c in components[:200]
            ]
        else:
            left_out.append(f"{tag}: thành phần hồ sơ không có căn cứ")

    fees = [f for f in line.get("fees") or [] if isinstance(f, dict)]
    if fees:
        loaded = []
        for f in fees[:100]:
            basis = _text(f.get("basis"), 2000) or fallback
            amount = f.get("amount_vnd")
            if not basis:
                break
            loaded.append({
                "name": _text(f.get("name"), 255) or "Phí, lệ phí",
                "amount": amount if isinstance(amount, int) and not isinstance(amount, bool)
                and 0 <= amount <= 10**13 else None,
                "note": _text(f.get("text"), 2000),
                "basis": basis,
            })
        if len(loaded) == len(fees[:100]):
            values["fees"] = loaded
        else:
            left_out.append(f"{tag}: phí, lệ phí không có căn cứ")

    legal = [t for t in (_text(x, 1000) for x in line.get("legal_basis") or []) if t]
    if legal:
        # "; " not a newline: record text is cleaned of control characters on import (transfer).
        values["legal_basis"] = "; ".join(dict.fromkeys(legal))
    result = _text(line.get("result"), 4000)
    if result:
        values["result_description"] = result
    online = ONLINE_LEVELS.get(str(line.get("online")).strip().casefold())
    if online:
        values["online_level"] = online
    sources = [
        {"url": _text(s.get("url"), 1000), "title": _text(s.get("title"), 1000)}
        for s in line.get("sources") or [] if isinstance(s, dict)
    ]
    if sources and len(values) > 0:
        values["content_sources"] = [s for s in sources if s["url"] or s["title"]][:50]
    return values, left_out


# --- matching and applying -----------------------------------------------------------------


def _rows_index(session: Session) -> dict[int, set[str]]:
    """Seed 003 row number → codes of the procedures created from it."""
    index: dict[int, set[str]] = {}
    for code, source in session.execute(select(Procedure.code, Procedure.source)):
        if source and source.startswith("seed003"):
            for row in _ROWS.findall(source):
                index.setdefault(int(row), set()).add(code)
    stmt = select(Procedure.code, ProcedureAgency.source_rows).join(
        ProcedureAgency, ProcedureAgency.procedure_id == Procedure.id
    )
    for code, rows in session.execute(stmt):
        for row in _ROWS.findall(rows or ""):
            index.setdefault(int(row), set()).add(code)
    return index


def match(line: dict[str, Any], rows: dict[int, set[str]], codes: set[str],
          names: dict[str, set[str]]) -> list[str]:
    """Codes of the procedures a line is about: by seed rows, else national code, else name."""
    found: set[str] = set()
    for row in line.get("seed_rows") or []:
        if isinstance(row, int) and not isinstance(row, bool):
            found |= rows.get(row, set())
    if not found:
        code = _text(line.get("national_code"), 64)
        if code and code in codes:
            found.add(code)
    if not found:
        found |= names.get(fold_name(_text(line.get("name")) or ""), set())
    return sorted(found)


def load_legal(session: Session, paths: Iterable[Path], *, user: str | None = None) -> LegalReport:
    """Load the lines of `paths` into the catalogue (see the module docstring)."""
    paths = [Path(p) for p in paths]
    report = LegalReport()
    lines = read_lines(paths, report)
    if not lines:
        return report
    rows = _rows_index(session)
    procedures = records_by_code(session)
    names: dict[str, set[str]] = {}
    for p in procedures.values():
        if p.status == ProcedureStatus.in_force.value:
            names.setdefault(p.name_folded, set()).add(p.code)
    label = ", ".join(p.name for p in paths)
    # Values per procedure, later lines over earlier ones, so each procedure is written once
    # (two lines about one procedure must not write two versions at every load).
    merged: dict[str, dict[str, Any]] = {}
    for where, line in lines:
        name = _text(line.get("name"))
        codes = match(line, rows, set(procedures), names)
        if not codes:
            report.unmatched.append(f"{where} ({name})")
            continue
        report.matched.append((f"{where} ({name})", codes))
        values, left_out = line_values(line, where)
        report.left_out += left_out
        for code in codes:
            merged.setdefault(code, {}).update(values)
    for code, values in merged.items():
        if apply_values(session, procedures[code], values, note=f"Nội dung pháp lý nạp từ {label}",
                        user=user):
            report.procedures_changed.add(code)
    session.flush()
    return report


def apply_values(session: Session, procedure: Procedure, values: dict[str, Any], *,
                 note: str, user: str | None) -> bool:
    """Write the values that differ (a new version); False when nothing changes."""
    current = procedure_record(procedure)
    changed = {k: v for k, v in values.items() if current.get(k) != v}
    if not changed:
        return False
    version = apply_record(session, procedure, changed, field=procedure.field,
                           version_meta={"note": note}, created_by=user)
    return version is not None


def load_legal_seed(session: Session) -> LegalReport:
    """Every *.jsonl of data/catalog/legal/, in name order (later files supersede earlier)."""
    directory = legal_dir()
    return load_legal(session, sorted(directory.glob("*.jsonl")) if directory.is_dir() else [])
