"""Parse what the plans say: plan 71/KH-UBND appendix I (the quarterly roadmap; appendix II,
the 119 units, is parsed once by `motcua.org.appendix` and seeded by org) and plan
34/KH-UBND (commune targets per year and the budget table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from motcua.core.config import seeds_dir
from motcua.core.text import nfc
from motcua.org.appendix import _blocks as table_blocks
from motcua.org.appendix import default_seed_path as plan_71_path

PLAN_71 = "71/KH-UBND"
PLAN_34 = "34/KH-UBND"
SEED_001 = "001_0bef9d9c11262f69.txt"
_ROMAN = re.compile(r"^[IVX]+$")
_QUARTER = re.compile(r"^Quý (I|II|III|IV)/(\d{4})$")
_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4}
_UNITS = re.compile(r"^(\d+) đơn vị")
_COMMUNES_YEAR = re.compile(r"Năm (\d{4}): Triển khai tại (\d+) đơn vị cấp xã")
_SHARE = re.compile(r"đến hết năm (\d{4}).*?có ít nhất (\d+)% đơn vị cấp xã")
MILLION = 1_000_000


@dataclass(frozen=True)
class RoadmapItem:
    row: str  # "I.1": year group numeral and row number
    year: int
    quarter: int
    content: str
    lead: str | None
    partners: str | None
    targets: str | None
    target_units: int | None


@dataclass(frozen=True)
class CommuneTarget:
    year: int
    communes: int | None
    min_share_percent: int | None
    source: str


@dataclass(frozen=True)
class BudgetLine:
    row: str  # "I.1"
    content: str
    amounts: dict[int, int]  # year -> đồng (the table is in millions)
    note: str | None


def plan_34_path() -> Path:
    return seeds_dir() / SEED_001


def parse_appendix_i(text: str) -> list[RoadmapItem]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("PHỤ LỤC I."))
    end = next(i for i, line in enumerate(lines) if line.strip() == "PHỤ LỤC II")
    items: list[RoadmapItem] = []
    numeral = ""
    for block in table_blocks(lines[start + 1 : end]):
        cells = [nfc(cell) or None for cell in block]
        number = cells[0] or ""
        if _ROMAN.match(number):
            numeral = number
            continue
        if not number.isdigit() or len(cells) < 3:
            continue
        cells += [None] * (6 - len(cells))
        when = _QUARTER.match(cells[2] or "")
        if when is None:
            raise ValueError(f"Phụ lục I, dòng {number}: không đọc được thời gian “{cells[2]}”")
        count = _UNITS.match(cells[5] or "")
        items.append(
            RoadmapItem(
                row=f"{numeral}.{number}",
                year=int(when.group(2)),
                quarter=_QUARTERS[when.group(1)],
                content=cells[1] or "",
                lead=cells[3],
                partners=cells[4],
                targets=cells[5],
                target_units=int(count.group(1)) if count else None,
            )
        )
    return items


def parse_commune_targets(text: str) -> list[CommuneTarget]:
    text = nfc(text) or ""
    targets = [
        CommuneTarget(int(year), int(count), None, f"{PLAN_34}, mục III.3.2: năm {year} triển khai tại {count} đơn vị cấp xã.")
        for year, count in _COMMUNES_YEAR.findall(text)
    ]
    share = _SHARE.search(text)
    if share:
        year, percent = int(share.group(1)), int(share.group(2))
        targets.append(
            CommuneTarget(year, None, percent, f"{PLAN_34}, mục II.2.2: đến hết năm {year} có ít nhất {percent}% đơn vị cấp xã hoàn thành việc áp dụng HTQLCL theo mô hình khung và thực hiện hoạt động công bố HTQLCL.")
        )
    return targets


def _amount(cell: str) -> int | None:
    cell = cell.strip()
    return None if cell in {"", "-"} else int(cell) * MILLION


def parse_budget(text: str) -> list[BudgetLine]:
    """The table "BIỂU TỔNG HỢP KINH PHÍ": STT, content, 2018, 2019, 2020, total, note.
    Only the item rows are kept; group rows and the grand total are their sums."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("STT\tNỘI DUNG"))
    numeral = ""
    result: list[BudgetLine] = []
    for line in lines[start + 2 :]:
        cells = line.split("\t")
        if len(cells) < 6:
            continue
        number = cells[0].strip()
        if _ROMAN.match(number):
            numeral = number
            continue
        if not number.isdigit():
            continue
        amounts = {
            year: amount
            for year, cell in zip((2018, 2019, 2020), cells[2:5], strict=True)
            if (amount := _amount(cell)) is not None
        }
        note = nfc(cells[6]) if len(cells) > 6 else None
        result.append(BudgetLine(f"{numeral}.{number}", nfc(cells[1]) or "", amounts, note or None))
    return result


def load_roadmap() -> list[RoadmapItem]:
    return parse_appendix_i(plan_71_path().read_text(encoding="utf-8"))


def load_plan_34() -> tuple[list[CommuneTarget], list[BudgetLine]]:
    text = plan_34_path().read_text(encoding="utf-8")
    return parse_commune_targets(text), parse_budget(text)
