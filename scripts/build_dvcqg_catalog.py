"""Build data/dvcqg/national_catalog.jsonl, the national catalogue the DVCQG simulator serves.

    python scripts/build_dvcqg_catalog.py RESEARCH_DIR [OUTPUT]

RESEARCH_DIR holds national/catalog.jsonl and national/legal.jsonl (the national database
as crawled from dichvucong.gov.vn) and legal/*.jsonl (legal content per procedure, with the
rows of the Lạng Sơn seed it matches; format in docs/dvcqg.md). The subset kept: every
procedure that matches a seed row, then procedures of the national list whose name equals a
seed name (accent-insensitive), then the first procedures of the busiest fields up to LIMIT.
Time limits are kept only where the source states their unit.
"""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from pathlib import Path

LIMIT = 400
UNITS = {"working_days": "Ngày làm việc", "working_hours": "Giờ làm việc",
         "calendar_days": "Ngày", "same_day": "Ngày làm việc"}
CHANNELS = {"all": ("1", "2"), "direct": ("1",), "online": ("2",), "postal": ("3",)}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def time_limits(entries: list[dict]) -> list[dict]:
    out = []
    for entry in entries or []:
        unit = UNITS.get(entry.get("kind") or "")
        if unit is None or entry.get("value") is None:
            continue
        value = 0 if entry["kind"] == "same_day" else entry["value"]
        for channel in CHANNELS.get(entry.get("channel") or "all", ("1", "2")):
            out.append({"channel": channel, "value": value, "unit": unit,
                        "description": entry.get("text") or "", "basis": entry.get("basis")})
    return out


def as_list(value) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


def main(research: Path, output: Path) -> None:
    national = {}
    for line in (research / "national" / "catalog.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        if row.get("code") and row.get("state") in {"ACTIVE", "UPDATED"}:
            national[row["code"]] = row
    legal: dict[str, dict] = {}
    for path in [research / "national" / "legal.jsonl", *sorted((research / "legal").glob("*.jsonl"))]:
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            code = row.get("national_code")
            if code and (code not in legal or row.get("seed_rows")):
                legal[code] = row
    with (research / "seed_procedures.csv").open(encoding="utf-8") as f:
        seed_names = {fold(r["name"]) for r in csv.DictReader(f)}

    chosen: dict[str, dict] = {}

    def add(code: str) -> None:
        base = national.get(code, {})
        law = legal.get(code, {})
        name = law.get("name") or base.get("name")
        if not name or code in chosen:
            return
        field = as_list(base.get("field")) or as_list(law.get("field"))
        chosen[code] = {
            "code": code, "name": name, "field": field[0] if field else None,
            "levels": as_list(law.get("levels") or base.get("level")),
            "agencies": as_list(base.get("agency")) or as_list(law.get("implementing_agency")),
            "time_limits": time_limits(law.get("time_limit") or []),
            "source": base.get("url") or "research/legal",
        }

    for code, row in sorted(legal.items()):
        if row.get("seed_rows"):
            add(code)
    for code, row in sorted(national.items()):
        if fold(row["name"]) in seed_names:
            add(code)
    for code in sorted(legal):
        if len(chosen) >= LIMIT:
            break
        add(code)
    fields = sorted({r["field"] for r in chosen.values() if r["field"]}, key=fold)
    codes = {name: f"SIM-LV{i:03d}" for i, name in enumerate(fields, start=1)}
    with output.open("w", encoding="utf-8") as out:
        for row in sorted(chosen.values(), key=lambda r: r["code"]):
            row["field_code"] = codes.get(row["field"])
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(chosen)} procedures, {len(fields)} fields → {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2] if len(sys.argv) > 2 else "data/dvcqg/national_catalog.jsonl"))
