"""Catalogue search and the home page cost no more than 3× a bare health check (DESIGN.md).

Run: .venv/bin/python bench/bench_catalog_search.py [--requests N] [--backends sqlite,postgresql]

For each backend it migrates and seeds a fresh database (reference data, demo accounts:
tests/live_server.py `prepare_database`) — SQLite in a temporary folder; PostgreSQL from
`DATABASE_URL` if it names one, else a throw-away server of tests/pg_harness.py — and
serves `motcua.main:app` with uvicorn in a child process. The same HTTP client then times,
interleaved in rounds so that drift affects every kind alike:

- `/healthz` (the yardstick),
- `/api/v1/procedures?q=…` (varied queries, with and without diacritics, and a code),
- `/` for an anonymous citizen (the session cookie it was given kept, as a browser does),
- `/` for a signed-in counter officer (staff see the same page with the staff navigation;
  the CurrentUser middleware loads the user for it),

and prints medians, p90 and the ratios to `/healthz`. Exit status 1 if a ratio is over.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import LiveServer, page_login, prepare_database  # noqa: E402
from tests.pg_harness import find_pg_bindir, start_pg_server  # noqa: E402

QUERIES = [
    "dang ky khai sinh",
    "Đăng ký khai sinh",
    "dat",
    "cấp giấy phép xây dựng",
    "chung thuc ban sao",
    "giay chung nhan quyen su dung dat",
    "ho tro",
    "BTP-LSN-276597",
]
TARGET = 3.0
RSS_TARGET_MB = 300  # DESIGN.md: the server stays under 300 MB while a benchmark drives it
OFFICER = "motcua"  # demo counter officer (tests/live_server.py DEMO_PASSWORD)
KINDS = ["healthz", "search", "home", "home_officer"]
LABELS = {
    "healthz": "/healthz",
    "search": "/api/v1/procedures?q",
    "home": "/ (citizen)",
    "home_officer": "/ (officer)",
}


def timed(client: httpx.Client, path: str, params: dict | None = None) -> float:
    start = time.perf_counter()
    response = client.get(path, params=params)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{path} {params}: HTTP {response.status_code} {response.text[:200]}")
    return elapsed


def measure(base: str, n: int, rounds: int = 10) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    per_round = max(1, n // rounds)
    with (
        httpx.Client(base_url=base, timeout=10) as public,
        httpx.Client(base_url=base, timeout=10) as officer,
    ):
        page_login(officer, OFFICER)
        calls = {
            "healthz": lambda i: timed(public, "/healthz"),
            "search": lambda i: timed(public, "/api/v1/procedures", {"q": QUERIES[i % len(QUERIES)]}),
            "home": lambda i: timed(public, "/"),
            "home_officer": lambda i: timed(officer, "/"),
        }
        for i in range(50):  # warm up: connections, caches, the search index, templates
            for call in calls.values():
                call(i)
        for _ in range(rounds):
            for kind, call in calls.items():
                times[kind] += [call(i) for i in range(per_round)]
    return times


def resident_mb(pid: int) -> float | None:
    """VmRSS of the server process (Linux /proc), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run(url: str, n: int, label: str) -> bool:
    """Measure one backend; True when every ratio meets the target."""
    print(f"[{label}] preparing the database…", flush=True)
    prepare_database(url)
    with tempfile.TemporaryDirectory() as workdir, LiveServer(url, Path(workdir)) as server:
        times = measure(server.base_url, n)
        rss_mb = resident_mb(server.proc.pid)
    health = statistics.median(times["healthz"])
    print(f"[{label}] {len(times['healthz'])} requests of each kind, interleaved")
    ok = True
    for kind in KINDS:
        values = times[kind]
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        line = f"  {LABELS[kind]:<22} median {median * 1000:7.3f} ms   p90 {p90 * 1000:7.3f} ms"
        if kind != "healthz":
            ratio = median / health
            verdict = "OK" if ratio <= TARGET else "OVER TARGET"
            ok &= ratio <= TARGET
            line += f"   ratio {ratio:5.2f} (target ≤ {TARGET:.0f}) {verdict}"
        print(line)
    if rss_mb is not None:
        verdict = "OK" if rss_mb <= RSS_TARGET_MB else "OVER TARGET"
        print(f"  server resident memory after the run: {rss_mb:.0f} MB (target ≤ {RSS_TARGET_MB} MB) {verdict}")
    print(flush=True)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests of each kind (default 1000)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    ok = True
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                ok &= run(f"sqlite:///{tmp}/bench.db", args.requests, "sqlite")
        elif backend == "postgresql":
            url = os.environ.get("DATABASE_URL", "")
            if url.startswith("postgresql"):
                ok &= run(url, args.requests, "postgresql")
            elif find_pg_bindir() is None:
                print("[postgresql] skipped: PostgreSQL server binaries are not installed")
            else:
                server = start_pg_server()
                try:
                    ok &= run(server.create_database("motcua_bench_catalog"), args.requests, "postgresql")
                finally:
                    server.stop()
        else:
            raise SystemExit(f"unknown backend {backend!r}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
