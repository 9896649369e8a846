"""Growth on PostgreSQL: what staff pages cost at 100,000 and at 1,000,000 dossiers.

Builds the database with `motcua demo` (or reuses the one given with --database-url, adding
dossiers until each size is reached), then at each size times, through the app's own HTTP
routes (FastAPI TestClient) or service functions:

  inbox first page, to-do box, counter page with its tab counts, lookup by code, public
  lookup, form 07 for one unit and month, one overdue-job pass, incremental audit verify

and prints the 1M / 100k ratio per item (issue 8 target: ≤ 1.5 for every list and count a
user page shows). An item whose function does not exist yet is skipped with a message.

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
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from motcua.auth import service as auth_service  # noqa: E402
from motcua.auth.service import find_user  # noqa: E402
from motcua.core.clock import now, to_local  # noqa: E402
from motcua.core.config import Settings  # noqa: E402
from motcua.core.db import make_engine, make_sessionmaker, session_scope  # noqa: E402
from motcua.dossiers import audit  # noqa: E402
from motcua.dossiers.demo import generate  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.org.models import Agency  # noqa: E402

PASSWORD = "bench-growth-12345"
# (username, role, where): the provincial centre's counter, and the busiest department's staff.
STAFF = (("bench.motcua", "counter_officer", "centre"), ("bench.chuyenvien", "specialist", "dept"),
         ("bench.lanhdao", "head", "dept"))


class Skip(Exception):
    """The item's function does not exist yet (built on another branch)."""


@dataclass
class Ctx:
    client: object
    factory: object
    tokens: dict[str, dict[str, str]]
    code: str
    centre_code: str
    month: tuple[date, date]
    notes: list[str] = field(default_factory=list)


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
    _ok(ctx.client.get(f"/tra-cuu?ma={ctx.code}"), 200, 429)


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


INCREMENTAL_NAMES = ("verify_incremental", "verify_since_checkpoint", "verify_changed", "verify_chains_incremental")


def incremental_audit_verify(ctx: Ctx) -> None:
    fn = next((getattr(audit, n) for n in INCREMENTAL_NAMES if hasattr(audit, n)), None)
    if fn is None:
        raise Skip("dossiers.audit has no incremental verify yet (" + " / ".join(INCREMENTAL_NAMES) + ")")
    with session_scope(ctx.factory) as session:
        fn(session)


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


def grow(url: str, size: int, seed: int, workers: int) -> None:
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with session_scope(factory) as session:
        have = session.scalar(select(func.count()).select_from(Dossier)) or 0
    if have < size:
        print(f"motcua demo: {have:,} → {size:,} hồ sơ …".replace(",", "."), flush=True)
        with session_scope(factory) as session:
            report = generate(session, dossiers=size - have, seed=seed, workers=workers,
                              progress=lambda d, t, s: print(f"  {d}/{t} ({d / s:.0f}/s)", flush=True)
                              if d % 50000 < 5000 or d == t else None)
        print(f"  {report.created} hồ sơ trong {report.seconds:.0f} s: {report.created / report.seconds:.0f} hồ sơ/giây")
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    engine.dispose()


def measure(url: str, repeat: int) -> dict[str, float | str]:
    from fastapi.testclient import TestClient

    from motcua.app import create_app

    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    settings = Settings(database_url=url, secret_key="bench-growth-secret-key-0123456789abcdef",
                        storage_dir=Path(tempfile.mkdtemp(prefix="motcua-bench-")))
    app = create_app(settings, engine=engine)
    results: dict[str, float | str] = {}
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
        code = session.scalar(select(Dossier.code).where(Dossier.receiving_unit_id == centre.id)
                              .order_by(Dossier.received_at.desc()).offset(100).limit(1))
        this_month = to_local(now()).date().replace(day=1)
        last = this_month - timedelta(days=1)
        ctx = Ctx(client, factory, tokens, code, centre.code, (last.replace(day=1), last))
        for name, fn in ITEMS:
            try:
                fn(ctx)  # warm-up (and the check that it works at all)
                times = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    fn(ctx)
                    times.append(time.perf_counter() - start)
                results[name] = statistics.median(times)
                print(f"  {name:32} {results[name] * 1000:9.1f} ms", flush=True)
            except Skip as exc:
                results[name] = f"bỏ qua: {exc}"
                print(f"  {name:32} {results[name]}", flush=True)
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
            grow(url, size, args.seed, args.workers)
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
