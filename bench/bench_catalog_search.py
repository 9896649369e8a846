"""A catalogue search costs no more than 3× a bare health check (DESIGN.md targets).

Run: .venv/bin/python bench/bench_catalog_search.py [--requests N]
Without DATABASE_URL it builds a migrated, seeded SQLite database in a temporary folder.
With DATABASE_URL (e.g. postgresql+psycopg://…) it runs against that database, migrating
and seeding it first (idempotent). The app is served by uvicorn on a free local port in a
child process; the same HTTP client then times N `/healthz` requests and N
`/api/v1/procedures?q=…` requests (varied queries, with and without diacritics),
interleaved in rounds so drift affects both alike, and prints the medians and the ratio.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(url: str) -> None:
    from motcua.cli import upgrade_database
    from motcua.core.db import make_engine, make_sessionmaker, session_scope
    from motcua.seed import seed_reference_data

    upgrade_database(url)
    engine = make_engine(url)
    with session_scope(make_sessionmaker(engine)) as session:
        seed_reference_data(session)
    engine.dispose()


def wait_until_up(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"uvicorn exited with code {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("uvicorn did not start in time")


def timed(client: httpx.Client, path: str, params: dict | None = None) -> float:
    start = time.perf_counter()
    response = client.get(path, params=params)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{path} {params}: HTTP {response.status_code} {response.text[:200]}")
    return elapsed


def measure(base: str, n: int, rounds: int = 10) -> tuple[list[float], list[float]]:
    health: list[float] = []
    search: list[float] = []
    per_round = max(1, n // rounds)
    with httpx.Client(base_url=base, timeout=10) as client:
        for i in range(50):  # warm up: connections, caches, the search index
            timed(client, "/healthz")
            timed(client, "/api/v1/procedures", {"q": QUERIES[i % len(QUERIES)]})
        for _ in range(rounds):
            health += [timed(client, "/healthz") for _ in range(per_round)]
            search += [
                timed(client, "/api/v1/procedures", {"q": QUERIES[i % len(QUERIES)]})
                for i in range(per_round)
            ]
    return health, search


def run(url: str, n: int, label: str) -> float:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATABASE_URL=url)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "motcua.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(base, process)
        health, search = measure(base, n)
        rss_mb = resident_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)
    h, s = statistics.median(health), statistics.median(search)
    ratio = s / h
    print(f"[{label}] {len(health)} requests each")
    print(
        f"  /healthz             median {h * 1000:7.3f} ms   p90 {statistics.quantiles(health, n=10)[-1] * 1000:7.3f} ms"
    )
    print(
        f"  /api/v1/procedures?q median {s * 1000:7.3f} ms   p90 {statistics.quantiles(search, n=10)[-1] * 1000:7.3f} ms"
    )
    print(
        f"  ratio search / healthz: {ratio:.2f} (target ≤ {TARGET:.0f}) {'OK' if ratio <= TARGET else 'OVER TARGET'}"
    )
    if rss_mb is not None:
        verdict = "OK" if rss_mb <= RSS_TARGET_MB else "OVER TARGET"
        print(f"  server resident memory after the run: {rss_mb:.0f} MB ({rss_mb / RSS_TARGET_MB:.2f} of {RSS_TARGET_MB} MB) {verdict}")
    return ratio


def resident_mb(pid: int) -> float | None:
    """VmRSS of the server process (Linux /proc), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=1000, help="requests of each kind (default 1000)"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if url:
        prepare(url)
        run(url, args.requests, url.split(":", 1)[0])
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        print("Preparing a seeded SQLite database…", flush=True)
        prepare(url)
        run(url, args.requests, "sqlite")


if __name__ == "__main__":
    main()
