"""Mixed office load: 16 clients for 60 s against a real uvicorn server (issue 8 target:
0 errors on SQLite and PostgreSQL; p99 printed against `/healthz` in the same run).

    .venv/bin/python bench/bench_mixed_load.py [--seconds 60] [--clients 16]
        [--backends sqlite,postgresql] [--workers 1]

Each backend gets a fresh migrated database with the reference and demo data (SQLite in
a temporary folder; PostgreSQL on a throw-away server started like the test harness does,
or the database of DATABASE_URL if set). The server runs in a child process. The clients
(threads, each with its own connections) mix what an office does at once: catalogue
search, procedure pages, the home page, the public lookup, the inbox, dossier pages and
API reads, receipts through the API and the counter page, and dossier actions (assign,
forward) — see tests/live_server.py, which the tests use too. Beside them one probe
requests `/healthz` every 50 ms: the baseline under the same load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import LiveServer, MixedLoad, percentile, prepare_database  # noqa: E402
from tests.pg_harness import find_pg_bindir, start_pg_server  # noqa: E402


def probe_health(base_url: str, stop: threading.Event, out: list[float]) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        while not stop.is_set():
            start = time.perf_counter()
            if client.get("/healthz").status_code == 200:
                out.append(time.perf_counter() - start)
            stop.wait(0.05)


def run(label: str, url: str, args) -> dict:
    print(f"[{label}] preparing the database…", flush=True)
    office = prepare_database(url)
    with tempfile.TemporaryDirectory() as tmp, LiveServer(url, Path(tmp), workers=args.workers) as server:
        health: list[float] = []
        stop = threading.Event()
        load = MixedLoad(server.base_url, office, clients=args.clients, seconds=args.seconds, seed=args.seed)
        runner = threading.Thread(target=load.run)
        runner.start()
        load.started.wait()  # the clients are signed in: the measured window begins
        started = time.monotonic()
        prober = threading.Thread(target=probe_health, args=(server.base_url, stop, health))
        prober.start()
        runner.join()
        elapsed = time.monotonic() - started
        stop.set()
        prober.join()
    times = [s.seconds for s in load.samples if s.status]
    errors = load.unexpected()
    server_errors = load.server_errors()
    h50, h99 = percentile(health, 0.50), percentile(health, 0.99)
    p50, p99, worst = percentile(times, 0.50), percentile(times, 0.99), max(times, default=0.0)
    print(f"[{label}] {args.clients} clients, {elapsed:.0f} s, {args.workers} worker(s): {len(load.samples)} requests "
          f"({len(load.samples) / elapsed:.1f}/s), {len(load.receipts)} receipts acknowledged")
    print(f"  errors: {len(errors)} (server errors or no answer: {len(server_errors)})")
    for sample in errors[:5]:
        print(f"    {sample.kind} HTTP {sample.status}: {sample.error[:160]}")
    print(f"  all requests   p50 {p50 * 1000:8.1f} ms   p99 {p99 * 1000:8.1f} ms   max {worst * 1000:8.1f} ms")
    print(f"  /healthz probe p50 {h50 * 1000:8.1f} ms   p99 {h99 * 1000:8.1f} ms   ({len(health)} requests, same run)")
    print(f"  ratio p99 / healthz p99: {p99 / h99 if h99 else float('nan'):.2f}; "
          f"p50 / healthz p50: {p50 / h50 if h50 else float('nan'):.2f}")
    by_kind: dict[str, list[float]] = {}
    for s in load.samples:
        by_kind.setdefault(s.kind, []).append(s.seconds)
    for kind, values in sorted(by_kind.items()):
        print(f"    {kind:<13} n={len(values):5d}  p50 {statistics.median(values) * 1000:7.1f} ms  "
              f"p99 {percentile(values, 0.99) * 1000:7.1f} ms  max {max(values) * 1000:7.1f} ms")
    verdict = "OK" if not errors else "FAILED"
    print(f"  target 0 errors: {verdict}", flush=True)
    return {"errors": len(errors), "p99": p99, "health_p99": h99}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    failed = False
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                failed |= run("sqlite", f"sqlite:///{tmp}/bench.db", args)["errors"] > 0
        elif backend == "postgresql":
            url = os.environ.get("DATABASE_URL", "")
            if url.startswith("postgresql"):
                failed |= run("postgresql", url, args)["errors"] > 0
            elif find_pg_bindir() is None:
                print("[postgresql] skipped: PostgreSQL server binaries are not installed")
            else:
                server = start_pg_server()
                try:
                    failed |= run("postgresql", server.create_database("motcua_bench_mixed"), args)["errors"] > 0
                finally:
                    server.stop()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
