"""A 300-working-day deadline costs about the same as a 3-day one (no day-by-day loop).

Run: .venv/bin/python bench/bench_deadline.py
Prints the time per computation (µs) for 3 and 300 working days, and for hours, and
the ratio 300/3 measured in the same run. Target (DESIGN.md): ratio ≈ 1.
"""

from __future__ import annotations

import random
import sys
import timeit
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from motcua.calendar.engine import WorkingCalendar, due_date  # noqa: E402
from motcua.calendar.sources import MAKEUP_WORKDAY, seed_days  # noqa: E402
from motcua.core.clock import LOCAL_TZ  # noqa: E402

REPEAT = 7
NUMBER = 2000


def build_calendar() -> WorkingCalendar:
    days = seed_days()
    off = {d.day: d.name for d in days if d.kind != MAKEUP_WORKDAY and d.confirmed}
    makeup = {d.day: d.name for d in days if d.kind == MAKEUP_WORKDAY and d.confirmed}
    return WorkingCalendar(off, makeup)


def per_call_us(func) -> float:
    return min(timeit.repeat(func, repeat=REPEAT, number=NUMBER)) / NUMBER * 1e6


def main() -> None:
    cal = build_calendar()
    rng = random.Random(2025)
    start = datetime(2015, 1, 1, tzinfo=LOCAL_TZ)
    moments = [
        start + timedelta(minutes=rng.randrange(0, 60 * 24 * 365 * 12)) for _ in range(NUMBER)
    ]
    it = iter(moments * (REPEAT * 4 + 10))

    def days(n):
        return lambda: due_date(cal, next(it), working_days=n)

    results = {
        "3 ngày làm việc": per_call_us(days(3)),
        "300 ngày làm việc": per_call_us(days(300)),
        "4 giờ làm việc": per_call_us(lambda: due_date(cal, next(it), working_hours=4)),
        "2400 giờ làm việc": per_call_us(lambda: due_date(cal, next(it), working_hours=2400)),
    }
    for label, value in results.items():
        print(f"{label:>20}: {value:8.2f} µs / lần tính")
    ratio = results["300 ngày làm việc"] / results["3 ngày làm việc"]
    print(f"{'tỉ lệ 300/3 ngày':>20}: {ratio:8.2f}")
    print(
        f"{'tỉ lệ 2400/4 giờ':>20}: {results['2400 giờ làm việc'] / results['4 giờ làm việc']:8.2f}"
    )


if __name__ == "__main__":
    main()
