"""Where the calendar's exception days come from: the `holidays` package plus official
announcements it lacks. Used by the seed and by the property tests (as an oracle).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import holidays
from holidays.countries.vietnam import VietnamStaticHolidays

HOLIDAY = "holiday"  # public holiday (Labor Code 2019 Art. 112)
DAY_OFF = "day_off"  # a weekday given off: observed or swapped day
MAKEUP_WORKDAY = "makeup_workday"  # a Saturday/Sunday that is worked in exchange
KINDS = (HOLIDAY, DAY_OFF, MAKEUP_WORKDAY)
KIND_LABELS = {
    HOLIDAY: "Ngày lễ, Tết",
    DAY_OFF: "Ngày nghỉ (hoán đổi, nghỉ bù)",
    MAKEUP_WORKDAY: "Ngày làm việc bù",
}

SEED_YEARS = range(2015, 2031)
PACKAGE_SOURCE = f"holidays {holidays.__version__}"
# Shown to administrators instead of the package name for days loaded from the package.
STATUTORY_BASIS = "Bộ luật Lao động 2019, Điều 112"
PACKAGE_DAY_BASIS = "Lịch nghỉ lễ, Tết hằng năm theo Bộ luật Lao động 2019"
# Resolution 80-NQ/TW: 24 Nov is Vietnam Culture Day from 2026; whether it is a paid day off
# for civil servants has not been confirmed by a Government decision, so an administrator
# confirms or removes it (it counts only once confirmed).
UNCONFIRMED_MARKERS = ("Văn hóa Việt Nam",)


def describe_source(source: str, kind: str) -> tuple[str, str | None]:
    """(legal basis, technical origin or None) for the admin table's "Căn cứ" column.

    Days seeded from the `holidays` package store "holidays <version>"; the administrator
    sees the law instead, with the package name only as secondary text.
    """
    if source.startswith("holidays "):
        basis = STATUTORY_BASIS if kind == HOLIDAY else PACKAGE_DAY_BASIS
        return basis, f"Dữ liệu: thư viện {source}"
    return source, None


@dataclass(frozen=True)
class SeedDay:
    day: date
    kind: str
    name: str
    source: str
    confirmed: bool = True


# Official announcements the package lacks (DOMAIN.md §5), each with its source document.
CORRECTIONS: tuple[SeedDay, ...] = (
    SeedDay(
        date(2026, 1, 2),
        DAY_OFF,
        "Ngày nghỉ (hoán đổi với thứ Bảy 10/01/2026) — Tết Dương lịch 2026",
        "Công văn 12729/VPCP-KGVX ngày 25/12/2025",
    ),
    SeedDay(
        date(2026, 1, 10),
        MAKEUP_WORKDAY,
        "Làm việc bù cho ngày nghỉ 02/01/2026",
        "Công văn 12729/VPCP-KGVX ngày 25/12/2025",
    ),
)

# Make-up working days expected to come from the package; if a version lacks one, the seed
# adds it with this source.
EXPECTED_MAKEUP: tuple[SeedDay, ...] = (
    SeedDay(
        date(2025, 4, 26),
        MAKEUP_WORKDAY,
        "Làm việc bù cho ngày nghỉ 02/05/2025",
        "Thông báo 6150/TB-BLĐTBXH ngày 20/11/2024; Công văn 2450/VPCP-KGVX",
    ),
    SeedDay(
        date(2026, 8, 22),
        MAKEUP_WORKDAY,
        "Làm việc bù cho ngày nghỉ 31/08/2026",
        "Lịch nghỉ Quốc khánh 2026 của cán bộ, công chức, viên chức",
    ),
)


def package_makeup_days(years: range = SEED_YEARS) -> dict[date, date]:
    """Make-up working day → the day off it pays for, from the package's substitution table.

    Entries of `special_public_holidays` are (month, day, from_month, from_day[, from_year]):
    the day off on the first date is substituted by work on the second.
    """
    result: dict[date, date] = {}
    for year, entries in VietnamStaticHolidays.special_public_holidays.items():
        if entries and isinstance(entries[0], int):
            entries = (entries,)
        for entry in entries:
            month, day, from_month, from_day, *rest = entry
            worked = date(rest[0] if rest else year, from_month, from_day)
            off = date(year, month, day)
            if worked.year in years:
                result[worked] = off
    return result


def package_days(years: range = SEED_YEARS) -> list[SeedDay]:
    """Days off and make-up working days from the package, with Vietnamese names."""
    days: list[SeedDay] = []
    package = holidays.country_holidays("VN", years=years, language="vi")
    for day, name in sorted(package.items()):
        name = name.strip()
        kind = DAY_OFF if ("nghỉ bù" in name or "Ngày nghỉ" in name) else HOLIDAY
        confirmed = not any(marker in name for marker in UNCONFIRMED_MARKERS)
        days.append(SeedDay(day, kind, name, PACKAGE_SOURCE, confirmed))
    for worked, off in sorted(package_makeup_days(years).items()):
        days.append(
            SeedDay(
                worked, MAKEUP_WORKDAY, f"Làm việc bù cho ngày nghỉ {off:%d/%m/%Y}", PACKAGE_SOURCE
            )
        )
    return days


def seed_days(years: range = SEED_YEARS) -> list[SeedDay]:
    """Everything the seed loads: package days, then corrections (which win on the same day)."""
    by_day = {d.day: d for d in package_days(years)}
    for expected in EXPECTED_MAKEUP:
        by_day.setdefault(expected.day, expected)
    for correction in CORRECTIONS:
        by_day[correction.day] = correction
    return [by_day[d] for d in sorted(by_day)]
