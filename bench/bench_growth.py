"""Growth on PostgreSQL: what staff pages cost at 100,000 and at 1,000,000 dossiers.

Growth model: the office's *current* work stays the same and only its *history* grows.
The first size (100,000) is `motcua demo` over the two years ending today (open dossiers,
today's receipts and events, the last month's book: a busy province's present); each
further size adds the difference as OLDER history — `motcua demo --until D --days N` with
D the day before the earliest receipt already stored and N days at the same daily rate
(900,000 more = 18 more years, all finished). Spreading 1,000,000 over the same two years
would instead multiply today's work by ten, which is load, not history growth.

With --database-url the database is reused and grown the same way until each size is
reached. At each size the bench times, through the code the pages and API use (FastAPI
TestClient over the app's routes, or the job's service function):

  inbox first page (API), to-do box (API), counter page /xu-ly with its tab counts
  (queries.box_counts), lookup by code (API), public lookup (/tra-cuu), form 07 for one
  unit and the last full month (GET /api/v1/reports/tracking-book: 200 PDF or 202 job,
  whichever that route answers), one overdue-job pass (send_overdue_alerts, rolled back),
  incremental audit verify (audit.verify_audit(incremental=True), rolled back)

and prints the 1M / 100k ratio per item (issue 8 target: ≤ 1.5 for every list and count a
user page shows).

Incremental audit verify: before timing, the bench stores an audit checkpoint standing for
yesterday's nightly full `motcua audit verify` (mode full, started 24 hours before the
bench, `checked` = every dossier), as a nightly cron job would have left it; each timed
run then verifies the chains of the dossiers with audit rows written since (one day of
activity), in a session that is rolled back, so every repetition sees the same checkpoint.

    .venv/bin/python bench/bench_growth.py                       # temporary PostgreSQL server
    .venv/bin/python bench/bench_growth.py --database-url postgresql+psycopg://…/db
    .venv/bin/python bench/bench_growth.py --sizes 20000,100000  # a quicker look
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from motcua.auth import service as auth_service  # noqa: E402
from motcua.auth.service import find_user  # noqa: E402
from motcua.core.clock import now, to_local  # noqa: E402
from motcua.core.config import Settings  # noqa: E402
from motcua.core.db import make_engine, make_sessionmaker, session_scope  # noqa: E402
from motcua.dossiers import audit  # noqa: E402
from motcua.dossiers.demo import HISTORY_DAYS, generate  # noqa: E402
from motcua.dossiers.models import AuditCheckpoint, Dossier  # noqa: E402
from motcua.org.models import Agency  # noqa: E402

PASSWORD = "bench-growth-12345"
SLOW_ITEM_SECONDS = 5.0
# (username, role, where): the provincial centre's counter, and the busiest department's staff.
STAFF = (("bench.motcua", "counter_officer", "centre"), ("bench.chuyenvien", "specialist", "dept"),
         ("bench.lanhdao", "head", "dept"))


@dataclass
class Ctx:
    client: object
    factory: object
    tokens: dict[str, dict[str, str]]
    code: str
    centre_code: str
    month: tuple[date, date]
    notes: list[str] = field(default_factory=list)
    lookup_key: str = ""  # the second factor of the public lookup for `code`


def _ok(response, *codes: int) -> None:
    if response.status_code not in (codes or (200,)):
        raise RuntimeError(f"{response.request.url} → {response.status_code}: {response.text[:300]}")


# ---------------------------------------------------------------- the items, one function each


def inbox_first_page(ctx: Ctx) -> None:
    _ok(ctx.client.get("/api/v1/dossiers?page=1&page_size=20", headers=ctx.tokens["bench.chuyenvien"]))


def todo_box(ctx: Ctx) -> None:
    _ok(ctx.client.get("/api/v1/dossiers?box=todo&page_size=20", headers=ctx.tokens["bench.chuyenvien"]))


def counter_page_with_tab_counts(ctx: Ctx) -> None:
    """The staff inbox page (/xu-ly): the first page of the to-do tab plus a count per tab."""
    _ok(ctx.client.get("/xu-ly", cookies=ctx.tokens["cookie:bench.motcua"]))


def lookup_by_code(ctx: Ctx) -> None:
    _ok(ctx.client.get(f"/api/v1/dossiers?code={ctx.code}", headers=ctx.tokens["bench.motcua"]))


def public_lookup(ctx: Ctx) -> None:
    _ok(ctx.client.get("/tra-cuu", params={"ma": ctx.code, "khoa": ctx.lookup_key}))


def form_07_one_unit_month(ctx: Ctx) -> None:
    first, last = ctx.month
    _ok(ctx.client.get(f"/api/v1/reports/tracking-book?unit={ctx.centre_code}&from={first}&to={last}",
                       headers=ctx.tokens["bench.motcua"]), 200, 202)


def overdue_job_pass(ctx: Ctx) -> None:
    """One pass of the overdue job, rolled back so that every repetition does the same work."""
    from motcua.dossiers.service import send_overdue_alerts

    session = ctx.factory()
    try:
        send_overdue_alerts(session)
    finally:
        session.rollback()
        session.close()


def incremental_audit_verify(ctx: Ctx) -> None:
    """`motcua audit verify --incremental`'s function, after last night's full run (see above)."""
    session = ctx.factory()
    try:
        run = audit.verify_audit(session, incremental=True)
        if run.mode != "incremental" or run.problems:
            raise RuntimeError(f"audit verify: {run}")
    finally:
        session.rollback()
        session.close()


def store_nightly_checkpoint(session) -> datetime:
    """The checkpoint a full `audit verify` run 24 hours before the bench would have stored
    (yesterday's nightly run, whatever the hour of the bench): the incremental run then
    covers one full day of activity."""
    started = now() - timedelta(hours=24)
    checked = session.scalar(select(func.count()).select_from(Dossier)) or 0
    session.add(AuditCheckpoint(mode="full", started_at=started, since=None,
                                finished_at=started + timedelta(minutes=30), checked=checked, problems=0))
    session.commit()
    return started


ITEMS: list[tuple[str, Callable[[Ctx], None]]] = [
    ("inbox first page", inbox_first_page),
    ("to-do box", todo_box),
    ("counter page + tab counts", counter_page_with_tab_counts),
    ("lookup by code", lookup_by_code),
    ("public lookup", public_lookup),
    ("form 07, one unit, one month", form_07_one_unit_month),
    ("overdue job, one pass", overdue_job_pass),
    ("audit verify, incremental", incremental_audit_verify),
]


# ---------------------------------------------------------------- database


def prepare(url: str) -> None:
    """Schema, reference data and the bench's staff accounts (before any demo dossier, so
    that `motcua demo` makes them the handlers of the dossiers at their agencies)."""
    from motcua.cli import upgrade_database
    from motcua.seed import seed_reference_data

    upgrade_database(url)
    engine = make_engine(url)
    with session_scope(make_sessionmaker(engine)) as session:
        if session.scalar(select(func.count()).select_from(Agency)) == 0:
            seed_reference_data(session)
        centre = session.scalars(select(Agency).where(Agency.kind == "service_centre").order_by(Agency.code)).first()
        dept = session.scalars(select(Agency).where(Agency.name == "Sở Tư pháp")).first() or centre
        where = {"centre": centre, "dept": dept}
        for username, role, place in STAFF:
            if find_user(session, username) is None:
                auth_service.create_user(session, username=username, password=PASSWORD,
                                         full_name=f"Cán bộ {username}", agency=where[place], roles=(role,))
    engine.dispose()


def grow(url: str, size: int, seed: int, workers: int, base: int) -> None:
    """Add dossiers until `size`: the first `base` over the two years ending today, the rest
    as older history at the same daily rate (module docstring)."""
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with session_scope(factory) as session:
        have = session.scalar(select(func.count()).select_from(Dossier)) or 0
        first = session.scalar(select(func.min(Dossier.received_at)))
    if have < size:
        n = size - have
        window = {}
        if have > 0:
            window = {"until": to_local(first).date() - timedelta(days=1),
                      "days": max(1, round(HISTORY_DAYS * n / base))}
        where = (f"older history, {window['days']} days up to {window['until']}" if window
                 else f"the {HISTORY_DAYS} days up to today")
        print(f"motcua demo: {have:,} → {size:,} dossiers ({where}) …", flush=True)
        step = max(50000, n // 10)
        with session_scope(factory) as session:
            report = generate(session, dossiers=n, seed=seed, workers=workers, **window,
                              progress=lambda d, t, sec: print(f"  {d}/{t} ({d / sec:.0f}/s)", flush=True)
                              if d % step < 5000 or d == t else None)
        print(f"  {report.created} dossiers in {report.seconds:.0f} s: {report.created / report.seconds:.0f} dossiers/s",
              flush=True)
    # What autovacuum would have done to a database that grew over years (visibility map
    # for index-only scans, statistics for the planner).
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
        open_now = conn.execute(select(func.count()).select_from(Dossier).where(Dossier.finished_at.is_(None))).scalar()
    print(f"  open (not finished) dossiers: {open_now}", flush=True)
    engine.dispose()


def measure(url: str, repeat: int) -> dict[str, float]:
    from fastapi.testclient import TestClient

    from motcua.app import create_app

    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    settings = Settings(database_url=url, secret_key="bench-growth-secret-key-0123456789abcdef",
                        storage_dir=Path(tempfile.mkdtemp(prefix="motcua-bench-")),
                        lookup_rate_limit=100_000)  # the bench repeats one lookup; the limiter is not measured
    app = create_app(settings, engine=engine)
    results: dict[str, float] = {}
    with TestClient(app, base_url="http://testserver") as client, session_scope(factory) as session:
        tokens: dict = {}
        for username, _, _ in STAFF:
            user = find_user(session, username)
            tokens[username] = {"Authorization": f"Bearer {auth_service.issue_token(session, user, 'bench')}"}
        session.commit()
        login = client.get("/dang-nhap").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
        client.post("/dang-nhap", data={"username": "bench.motcua", "password": PASSWORD, "next": "",
                                        "csrf_token": csrf}, follow_redirects=False)
        tokens["cookie:bench.motcua"] = dict(client.cookies)
        client.cookies.clear()
        centre = session.scalars(select(Agency).where(Agency.kind == "service_centre").order_by(Agency.code)).first()
        # A recent dossier of the centre, and the last full month.
        code, key = session.execute(select(Dossier.code, Dossier.lookup_key)
                                    .where(Dossier.receiving_unit_id == centre.id)
                                    .order_by(Dossier.received_at.desc()).offset(100).limit(1)).one()
        this_month = to_local(now()).date().replace(day=1)
        last = this_month - timedelta(days=1)
        ctx = Ctx(client, factory, tokens, code, centre.code, (last.replace(day=1), last), lookup_key=key)
        store_nightly_checkpoint(session)
        for name, fn in ITEMS:
            start = _time.perf_counter()
            fn(ctx)  # warm-up (and the check that it works at all)
            # A slow item (form 07 renders a whole month's PDF) is timed once more, not `repeat` times.
            times = []
            for _ in range(repeat if _time.perf_counter() - start < SLOW_ITEM_SECONDS else 1):
                start = _time.perf_counter()
                fn(ctx)
                times.append(_time.perf_counter() - start)
            results[name] = statistics.median(times)
            print(f"  {name:32} {results[name] * 1000:9.1f} ms", flush=True)
    engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="PostgreSQL database to reuse (grown to each size)")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    server = None
    url = args.database_url
    if url is None:
        from tests.pg_harness import start_pg_server

        server = start_pg_server()
        url = server.create_database("motcua_bench_growth")
        print(f"PostgreSQL tạm thời: {url}")
    try:
        prepare(url)
        by_size: dict[int, dict] = {}
        for size in sizes:
            grow(url, size, args.seed, args.workers, base=sizes[0])
            print(f"{size:,} hồ sơ:".replace(",", "."))
            by_size[size] = measure(url, args.repeat)
        if len(sizes) >= 2:
            small, large = by_size[sizes[0]], by_size[sizes[-1]]
            print(f"\nTỉ lệ {sizes[-1]:,} / {sizes[0]:,} (mục tiêu ≤ 1,5):".replace(",", "."))
            for name, _ in ITEMS:
                a, b = small.get(name), large.get(name)
                if isinstance(a, float) and isinstance(b, float):
                    verdict = "đạt" if b / a <= 1.5 else "CHƯA ĐẠT"
                    print(f"  {name:32} {a * 1000:8.1f} ms → {b * 1000:8.1f} ms  ×{b / a:5.2f}  {verdict}")
                else:
                    print(f"  {name:32} {b or a}")
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
