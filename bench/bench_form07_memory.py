"""Memory and time of the tracking book (form 07) for one unit and month of 1,000+ dossiers.

Run: .venv/bin/python bench/bench_form07_memory.py [--dossiers 1000]
Without DATABASE_URL it builds a migrated, seeded SQLite database in a temporary folder;
with DATABASE_URL (e.g. postgresql+psycopg://…) it uses that database (migrated and seeded
first). It receives N dossiers at the provincial centre in November 2026 through the real
receipt service, serves the app with uvicorn in a child process, then:

1. prints every part of the book through `GET /api/v1/reports/tracking-book?part=…` (the
   whole 1,000-row book, part after part) and reports the server's RSS before, after, and
   its peak (VmHWM), with the time;
2. queues the whole book as one file (`POST /so-theo-doi/tep`, the page's button), runs
   `motcua worker --once` as a child process and reports its peak RSS (ru_maxrss) and time,
   then downloads the file.

Targets (issue 8): server RSS after printing a 1,000-row form 07 < 300 MB; worker peak < 150 MB.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import LiveServer, prepare_database  # noqa: E402

MOTCUA = Path(sys.executable).with_name("motcua")
SERVER_TARGET_MB = 300
WORKER_TARGET_MB = 150
USERNAME, PASSWORD = "bench.quay07", "matkhau-bench-07"
PROCEDURE = "T-LSN-285002-TT"
MONTH_START = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)

_MEASURE = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def receive_many(url: str, n: int) -> str:
    """N dossiers received at the provincial centre during November 2026; returns its code."""
    from motcua.auth import service as auth_service
    from motcua.auth.queries import get_user
    from motcua.auth.roles import Role
    from motcua.catalog.service import get_procedure_by_code
    from motcua.core.clock import frozen
    from motcua.core.db import make_engine, make_sessionmaker, session_scope
    from motcua.core.errors import NotFound
    from motcua.dossiers.service import ApplicantData, ComponentData, ReceiptData, receive_dossier
    from motcua.org import service as org_service

    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with session_scope(factory) as session:
        centre = org_service.find_agency_by_name(session, "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn")
        justice = org_service.find_agency_by_name(session, "Sở Tư pháp")
        try:
            user = get_user(session, USERNAME)
        except NotFound:
            user = auth_service.create_user(session, username=USERNAME, password=PASSWORD, full_name="Lường Thị Quầy",
                                            agency=centre, roles=[Role.counter_officer])
        procedure = get_procedure_by_code(session, PROCEDURE)
        step = timedelta(days=28) / n
        for i in range(n):
            data = ReceiptData(
                applicant=ApplicantData(kind="person", full_name=f"Nguyễn Thị Hoà {i}", id_number=f"0201900{i:05d}",
                                        phone="0912345678", address="Số 12 đường Trần Hưng Đạo, phường Đông Kinh, tỉnh Lạng Sơn"),
                components=[ComponentData("Tờ khai cấp bản sao trích lục hộ tịch", "original", 1)],
                outcome="accepted",
            )
            with frozen(MONTH_START + step * i):
                receive_dossier(session, user=user, procedure=procedure, agency=justice, receiving_unit=centre, data=data)
            if i % 200 == 199:
                session.commit()
        code = centre.code
    engine.dispose()
    return code


def status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def login(client: httpx.Client) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dang-nhap").text).group(1)
    response = client.post("/dang-nhap", data={"username": USERNAME, "password": PASSWORD, "csrf_token": token})
    if response.status_code != 303:
        raise SystemExit(f"login failed: HTTP {response.status_code}")


def run(url: str, n: int, label: str) -> None:
    print(f"[{label}] receiving {n} dossiers at the provincial centre (November 2026)…", flush=True)
    started = time.perf_counter()
    unit = receive_many(url, n)
    print(f"  received in {time.perf_counter() - started:.0f} s")
    # The server and the worker share the database and the storage folder (STORAGE_DIR).
    with LiveServer(url, Path(tempfile.mkdtemp(prefix="motcua-f07-"))) as live:
        server, env, base = live.proc, live.env(), live.base_url
        with httpx.Client(base_url=base, timeout=300) as client:
            login(client)
            rss_before = status_mb(server.pid, "VmRSS")
            params = {"unit": unit, "from": "2026-11-01", "to": "2026-11-30"}
            started = time.perf_counter()
            first = client.get("/api/v1/reports/tracking-book", params=params)
            if first.status_code != 200:
                raise SystemExit(f"book: HTTP {first.status_code} {first.text[:300]}")
            rows, parts = int(first.headers["x-book-rows"]), int(first.headers["x-book-parts"])
            sizes = [len(first.content)]
            for part in range(2, parts + 1):
                response = client.get("/api/v1/reports/tracking-book", params=params | {"part": part})
                if response.status_code != 200:
                    raise SystemExit(f"part {part}: HTTP {response.status_code}")
                sizes.append(len(response.content))
            elapsed = time.perf_counter() - started
            rss_after, peak = status_mb(server.pid, "VmRSS"), status_mb(server.pid, "VmHWM")
            verdict = "OK" if rss_after < SERVER_TARGET_MB and peak < SERVER_TARGET_MB else "OVER TARGET"
            print(f"  book: {rows} rows in {parts} parts, {sum(sizes) // 1024} KB of PDF, {elapsed:.1f} s "
                  f"({elapsed / parts:.1f} s a part)")
            print(f"  server RSS before {rss_before:.0f} MB, after {rss_after:.0f} MB, peak {peak:.0f} MB "
                  f"(target < {SERVER_TARGET_MB} MB) {verdict}")

            page = client.get("/so-theo-doi", params={"don_vi": unit, "tu_ngay": "2026-11-01", "den_ngay": "2026-11-30"})
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            queued = client.post("/so-theo-doi/tep", data={"csrf_token": token, "don_vi": unit,
                                                           "tu_ngay": "2026-11-01", "den_ngay": "2026-11-30"})
            if queued.status_code != 303:
                raise SystemExit(f"queue the file: HTTP {queued.status_code} {queued.text[:300]}")
            started = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", _MEASURE, str(MOTCUA), "worker", "--once"], cwd=ROOT, env=env,
                                 check=True, capture_output=True, text=True).stdout
            worker_peak = int(out.strip()) / 1024
            elapsed = time.perf_counter() - started
            done = client.get(queued.headers["location"])
            link = re.search(r'href="(/so-theo-doi/tep/[0-9a-f-]+)"', done.text)
            if link is None:
                raise SystemExit("the worker did not print the file")
            pdf = client.get(link.group(1))
            verdict = "OK" if worker_peak < WORKER_TARGET_MB else "OVER TARGET"
            print(f"  worker --once printed the whole book into one file ({len(pdf.content) // 1024} KB) in {elapsed:.1f} s,"
                  f" peak RSS {worker_peak:.0f} MB (target < {WORKER_TARGET_MB} MB) {verdict}")
            print(f"  server RSS at the end {status_mb(server.pid, 'VmRSS'):.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1000, help="dossiers in the unit's month (default 1000)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if url:
        prepare_database(url)
        run(url, args.dossiers, url.split(":", 1)[0])
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        print("Preparing a seeded SQLite database…", flush=True)
        prepare_database(url)
        run(url, args.dossiers, "sqlite")


if __name__ == "__main__":
    main()
