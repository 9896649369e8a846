"""Statistics of a month on PostgreSQL: the report against the single GROUP BY that computes
the same counts, and against one list page — measured in one run, figures checked equal.

Run: .venv/bin/python bench/bench_statistics.py [--dossiers 50000] [--database-url URL] [--month YYYY-MM]

It migrates and seeds a database (a throw-away server of tests/pg_harness.py unless
--database-url names one), fills it with `motcua demo` up to --dossiers (the two years ending
today), VACUUM ANALYZE, then times, interleaved in rounds so that drift affects each alike:

- the report: `reports.service.statistics` of the last full month by competent agency, as a
  province administrator (what `/api/v1/reports/statistics` and the page run);
- the yardstick: one hand-written `GROUP BY agency_id` over the dossiers table computing the
  same figures with plain SQL (issue 13 §7), whose result must equal the report's, row for row;
- one list page: the first page of `/api/v1/dossiers` for the same administrator.

It prints medians and the ratios report / GROUP BY (target ≤ 3) and report / list page.
Exit status 1 if the figures differ or the first ratio is over 3.
"""

from __future__ import annotations

import argparse
import statistics as stats
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from motcua.app import create_app  # noqa: E402
from motcua.auth import service as auth_service  # noqa: E402
from motcua.auth.service import find_user  # noqa: E402
from motcua.cli import upgrade_database  # noqa: E402
from motcua.core.clock import now, to_local  # noqa: E402
from motcua.core.config import Settings  # noqa: E402
from motcua.core.db import make_engine, make_sessionmaker, session_scope  # noqa: E402
from motcua.dossiers.demo import generate  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.org.models import Agency  # noqa: E402
from motcua.reports import service  # noqa: E402
from motcua.reports.counting import COLUMNS, period  # noqa: E402
from motcua.reports.enums import GroupBy  # noqa: E402
from motcua.seed import seed_reference_data  # noqa: E402

TARGET = 3.0
ADMIN, PASSWORD = "bench.thongke", "bench-statistics-12345"

# The same figures as reports.counting, written independently in plain SQL: the yardstick.
YARDSTICK = """
SELECT d.agency_id AS key,
  count(*) FILTER (WHERE d.received_at < :start) AS carried_over,
  count(*) FILTER (WHERE d.received_at >= :start) AS received,
  count(*) FILTER (WHERE d.received_at >= :start AND d.channel = 'online') AS received_online,
  count(*) FILTER (WHERE d.received_at >= :start AND d.channel = 'counter') AS received_counter,
  count(*) FILTER (WHERE d.received_at >= :start AND d.channel = 'post') AS received_post,
  count(*) FILTER (WHERE d.received_at >= :start AND p.cross_boundary AND d.receiving_unit_id <> d.agency_id)
    AS cross_boundary,
  count(*) FILTER (WHERE d.finished_at < :end AND d.refusal_reason IS NULL
    AND d.status NOT IN ('withdrawn', 'stopped') AND d.outcome = 'early') AS finished_early,
  count(*) FILTER (WHERE d.finished_at < :end AND d.refusal_reason IS NULL
    AND d.status NOT IN ('withdrawn', 'stopped') AND (d.outcome = 'on_time' OR d.outcome IS NULL)) AS finished_on_time,
  count(*) FILTER (WHERE d.finished_at < :end AND d.refusal_reason IS NULL
    AND d.status NOT IN ('withdrawn', 'stopped') AND d.outcome = 'late') AS finished_late,
  count(*) FILTER (WHERE d.finished_at < :end AND d.refusal_reason IS NOT NULL
    AND d.status NOT IN ('withdrawn', 'stopped')) AS refused,
  count(*) FILTER (WHERE d.finished_at < :end AND d.status = 'withdrawn') AS withdrawn,
  count(*) FILTER (WHERE d.finished_at < :end AND d.status = 'stopped') AS stopped,
  count(*) FILTER (WHERE (d.finished_at IS NULL OR d.finished_at >= :at) AND w.dossier_id IS NULL
    AND NOT (d.due_at IS NOT NULL AND d.due_at < :at)) AS in_progress,
  count(*) FILTER (WHERE (d.finished_at IS NULL OR d.finished_at >= :at) AND w.dossier_id IS NULL
    AND d.due_at < :at) AS overdue,
  count(*) FILTER (WHERE (d.finished_at IS NULL OR d.finished_at >= :at) AND w.dossier_id IS NOT NULL)
    AS waiting_applicant,
  count(*) FILTER (WHERE (d.finished_at IS NULL OR d.finished_at >= :at) AND w.kind = 'supplement')
    AS waiting_supplement,
  count(*) FILTER (WHERE (d.finished_at IS NULL OR d.finished_at >= :at) AND w.kind = 'payment')
    AS waiting_payment
FROM dossiers d
JOIN procedures p ON p.id = d.procedure_id
LEFT JOIN (SELECT dossier_id, min(kind) AS kind FROM dossier_pauses
           WHERE started_at <= :at AND (ended_at IS NULL OR ended_at > :at) GROUP BY dossier_id) w
  ON w.dossier_id = d.id
WHERE d.effective_receipt_at IS NOT NULL AND d.received_at < :end
  AND (d.finished_at IS NULL OR d.finished_at >= :start)
GROUP BY d.agency_id
"""


def prepare(url: str, dossiers: int, workers: int) -> None:
    upgrade_database(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with session_scope(factory) as session:
        if session.scalar(select(func.count()).select_from(Agency)) == 0:
            seed_reference_data(session)
        if find_user(session, ADMIN) is None:
            province = session.scalars(select(Agency).order_by(Agency.level.desc(), Agency.code)).first()
            auth_service.create_user(session, username=ADMIN, password=PASSWORD, full_name="Cán bộ thống kê",
                                     agency=province, roles=("province_admin",))
        have = session.scalar(select(func.count()).select_from(Dossier)) or 0
    if have < dossiers:
        print(f"motcua demo: {have:,} → {dossiers:,} hồ sơ …", flush=True)
        step = max(1, (dossiers - have) // 20)
        shown = [0]

        def progress(done: int, total: int, seconds: float) -> None:
            if done - shown[0] >= step or done == total:
                shown[0] = done
                print(f"  {done:,}/{total:,} hồ sơ, {seconds:.0f} s ({done / max(seconds, 1e-9):.0f} hồ sơ/giây)",
                      flush=True)

        with session_scope(factory) as session:
            report = generate(session, dossiers=dossiers - have, seed=1, workers=workers, progress=progress)
        print(f"  {report.created:,} hồ sơ trong {report.seconds:.0f} s "
              f"({report.created / report.seconds:.0f} hồ sơ/giây, {workers} tiến trình)", flush=True)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()


@contextmanager
def filled_database(url: str | None, name: str, dossiers: int, workers: int) -> Iterator[str]:
    """`url`, or database `name` on a throw-away server of tests/pg_harness.py (stopped at the
    end), migrated, seeded and filled with `motcua demo` up to `dossiers`."""
    server = None
    if url is None:
        from tests.pg_harness import start_pg_server

        server = start_pg_server()
        url = server.create_database(name)
    try:
        prepare(url, dossiers, workers)
        yield url
    finally:
        if server is not None:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="PostgreSQL database to reuse (filled up to --dossiers)")
    parser.add_argument("--dossiers", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--month", help="the month measured, YYYY-MM (default: the last full month); a partly "
                                        "filled database (a fill stopped early) holds only its oldest months")
    args = parser.parse_args()
    with filled_database(args.database_url, "motcua_bench_statistics", args.dossiers, args.workers) as url:
        engine = make_engine(url)
        factory = make_sessionmaker(engine)
        if args.month:
            first = date.fromisoformat(args.month + "-01")
            last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
        else:
            last = to_local(now()).date().replace(day=1) - timedelta(days=1)
        p = period(last.replace(day=1), last)
        settings = Settings(database_url=url, secret_key="bench-statistics-secret-key-0123456789abcdef",
                            storage_dir=Path(tempfile.mkdtemp(prefix="motcua-bench-")))
        app = create_app(settings, engine=engine)
        with TestClient(app, base_url="http://testserver") as client, session_scope(factory, write=False) as session:
            admin = find_user(session, ADMIN)
            with session_scope(factory) as writer:
                headers = {"Authorization": "Bearer " + auth_service.issue_token(writer, find_user(writer, ADMIN), "bench")}
            total = session.scalar(select(func.count()).select_from(Dossier))
            params = {"start": p.start, "end": p.end, "at": p.at}

            def report():
                return service.statistics(session, admin, p, GroupBy.agency)

            def yardstick():
                return session.execute(text(YARDSTICK), params).all()

            def list_page():
                response = client.get("/api/v1/dossiers", params={"page": 1, "page_size": 20}, headers=headers)
                assert response.status_code == 200, response.text

            table, rows = report(), yardstick()  # warm-up, and the figures compared
            ours = {r.key: [r.counts[c] for c in COLUMNS] for r in table.rows}
            theirs = {str(r.key): [getattr(r, c.value) for c in COLUMNS] for r in rows
                      if any(getattr(r, c.value) for c in COLUMNS)}
            equal = ours == theirs
            list_page()
            times: dict[str, list[float]] = {"report": [], "yardstick": [], "list": []}
            for _ in range(args.rounds):
                for name, fn in (("report", report), ("yardstick", yardstick), ("list", list_page)):
                    start = time.perf_counter()
                    fn()
                    times[name].append(time.perf_counter() - start)
        engine.dispose()
        med = {k: stats.median(v) for k, v in times.items()}
        ratio, ratio_list = med["report"] / med["yardstick"], med["report"] / med["list"]
        print(f"{total:,} hồ sơ; kỳ {p.date_from:%d/%m/%Y}–{p.date_to:%d/%m/%Y}; {len(table.rows)} cơ quan; "
              f"tiếp nhận {table.total.counts[COLUMNS[1]]:,}, kỳ trước chuyển qua {table.total.counts[COLUMNS[0]]:,}")
        print(f"  thống kê (reports.service)      {med['report'] * 1000:8.1f} ms")
        print(f"  một GROUP BY (SQL viết tay)     {med['yardstick'] * 1000:8.1f} ms")
        print(f"  một trang danh sách hồ sơ (API) {med['list'] * 1000:8.1f} ms")
        print(f"  số liệu thống kê = GROUP BY: {'đúng' if equal else 'SAI'}")
        print(f"  tỉ lệ thống kê / GROUP BY = {ratio:.2f} (mục tiêu ≤ {TARGET:g}) {'đạt' if ratio <= TARGET else 'CHƯA ĐẠT'}")
        print(f"  tỉ lệ thống kê / một trang danh sách = {ratio_list:.2f}")
        if not equal or ratio > TARGET:
            sys.exit(1)


if __name__ == "__main__":
    main()
