"""The leaders' dashboard (`/bao-cao`) on PostgreSQL with `motcua demo`: the time of each panel
and of the whole, as a province administrator (every dossier in scope).

Run: .venv/bin/python bench/bench_dashboard.py [--dossiers 20000] [--database-url URL] [--rounds 5]

The database is prepared as bench/bench_statistics.py does (a throw-away server unless
--database-url names one, filled with `motcua demo` up to --dossiers). It prints the median of
each panel, and checks that the on-time trend (one GROUP BY over 12 months) equals the 12
monthly statistics tables it replaces, which it also times, and that the 766 dossier figures of
the 12 months (one GROUP BY) equal each month's own. Exit status 1 if they differ.
"""

from __future__ import annotations

import argparse
import statistics as stats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_statistics import ADMIN, filled_database  # noqa: E402

from motcua.auth.service import find_user  # noqa: E402
from motcua.core.clock import now, to_local  # noqa: E402
from motcua.core.db import make_engine, make_sessionmaker, session_scope  # noqa: E402
from motcua.reports import dashboards, index766, service  # noqa: E402
from motcua.reports.dashboards import RESULTS  # noqa: E402
from motcua.reports.enums import GroupBy  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="PostgreSQL database to reuse (filled up to --dossiers)")
    parser.add_argument("--dossiers", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with filled_database(args.database_url, "motcua_bench_dashboard", args.dossiers, args.workers) as url:
        engine = make_engine(url)
        factory = make_sessionmaker(engine)
        with session_scope(factory, write=False) as session:
            admin = find_user(session, ADMIN)
            today = to_local(now()).date()
            months = dashboards.last_months(today)
            month = months[-1]

            def monthly_tables():
                return [service.statistics(session, admin, p, GroupBy.agency) for p in months]

            panels = {
                "tháng này (bảng thống kê)": lambda: service.statistics(session, admin, month, GroupBy.agency),
                "đến hạn hôm nay, sắp đến hạn": lambda: service.due_counts(session, admin, month),
                "quá hạn theo cán bộ": lambda: dashboards.overdue_by_holder(session, admin, month),
                "xu hướng đúng hạn (1 truy vấn)": lambda: dashboards.on_time_trend(session, admin, months),
                "  so với 12 bảng thống kê tháng": monthly_tables,
                "xu hướng Chỉ số 766 (12 tháng)": lambda: dashboards.score_trend(session, admin, months),
                "cả bảng điều hành": lambda: dashboards.leader_dashboard(session, admin),
            }
            trend, tables = dashboards.on_time_trend(session, admin, months), monthly_tables()
            equal = all(m.figures[c] == t.total.counts[c] for m, t in zip(trend, tables, strict=True) for c in RESULTS)
            # The 766 figures of the 12 months in one GROUP BY = each month's own.
            fields = list(index766.Figures.__dataclass_fields__)
            monthly = [list(index766.dossier_figures(session, p).values()) for p in months]
            equal_766 = index766.figures_by_period(session, months) == [
                index766.Figures(*(sum(getattr(f, n) for f in per) for n in fields)) for per in monthly]
            times: dict[str, list[float]] = {name: [] for name in panels}
            for _ in range(args.rounds):
                for name, fn in panels.items():
                    start = time.perf_counter()
                    fn()
                    times[name].append(time.perf_counter() - start)
            total = sum(m.figures.finished for m in trend)
        engine.dispose()
        print(f"{args.dossiers:,} hồ sơ (motcua demo); 12 tháng đến {today:%d/%m/%Y}: {total:,} hồ sơ có kết quả")
        for name, values in times.items():
            print(f"  {name:<34} {stats.median(values) * 1000:8.1f} ms")
        print(f"  xu hướng = 12 bảng thống kê tháng: {'đúng' if equal else 'SAI'}")
        print(f"  số liệu Chỉ số 766 12 tháng = từng tháng: {'đúng' if equal_766 else 'SAI'}")
        if not (equal and equal_766):
            sys.exit(1)


if __name__ == "__main__":
    main()
