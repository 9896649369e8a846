"""Parse appendix II of seed 000 (Plan 71/KH-UBND, 05/4/2018): the 119 units moving their
ISO 9001 quality-management systems to TCVN ISO 9001:2015, by group and roadmap year.

The text is a table flattened to lines: each row is a block of tab-prefixed cells
(TT, name, X in the column of the year 2018 / 2019 / 2020, note) separated by blank lines.
Group rows have a Roman numeral and carry the group's unit count in the note column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from motcua.core.config import seeds_dir
from motcua.core.text import nfc

SEED_000 = "000_62e6d55bd6cbd95a.txt"
YEARS = (2018, 2019, 2020)
_ROMAN = re.compile(r"^[IVX]+$")


@dataclass(frozen=True)
class AppendixUnit:
    row: str  # "I.1", "IV.34": group numeral and row number, unique
    group_numeral: str
    group_name: str
    name: str
    year: int


def default_seed_path() -> Path:
    return seeds_dir() / SEED_000


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if not line.strip() and not line.startswith("\t"):
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


def parse_appendix_ii(text: str) -> list[AppendixUnit]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "PHỤ LỤC II")
    units: list[AppendixUnit] = []
    group_numeral = group_name = ""
    for block in _blocks(lines[start + 1 :]):
        cells = [nfc(cell) or "" for cell in block]
        if len(cells) < 3:
            continue
        number, name, marks = cells[0], cells[1], cells[2:5]
        if _ROMAN.match(number):
            group_numeral, group_name = number, name
            continue
        if not number.isdigit() or not group_numeral:
            continue
        years = [year for year, mark in zip(YEARS, marks, strict=False) if mark.upper() == "X"]
        if len(years) != 1:
            raise ValueError(f"Phụ lục II, dòng {group_numeral}.{number}: không xác định được năm")
        units.append(
            AppendixUnit(
                row=f"{group_numeral}.{number}",
                group_numeral=group_numeral,
                group_name=group_name,
                name=name,
                year=years[0],
            )
        )
    return units


def load_appendix_ii(path: Path | None = None) -> list[AppendixUnit]:
    return parse_appendix_ii((path or default_seed_path()).read_text(encoding="utf-8"))
