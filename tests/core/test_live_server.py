"""The app under real concurrent load: a uvicorn server in a child process, HTTP clients in
threads, a real SQLite file and the harness's PostgreSQL (issue 8, "Done when").

Each backend gets its own migrated, seeded database (demo accounts and dossiers) and one
server for the module: one worker on SQLite, two worker processes on PostgreSQL (so "read
back from another connection" may also be another process). The kill -9 test starts
servers of its own on the same database.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.dossiers.models import Dossier, DossierCode, DossierCodeCounter
from tests.conftest import BACKENDS
from tests.databases import fresh_url
from tests.live_server import LiveServer, MixedLoad, Office, office_at, receipt_body

# No request may take longer than this under the mixed load. Why 5 s: at most 8 clients
# wait on one server, each request costs ~5–60 ms of CPU, so even served one after the
# other behind every other client's request a request waits well under 1 s on an idle
# machine; the test machine's 2 cores are shared with other jobs (×3–4), which still
# stays under 5 s. It is half the SQLite busy timeout (core.db, 10 s): a request that
# waited for the write lock until it gave up — the freeze this test guards against, which
# was 30 s before — cannot pass.
LATENCY_BOUND_SECONDS = 5.0


def motcua_command() -> list[str]:
    script = Path(sys.executable).parent / "motcua"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from motcua.cli import main; main()"]


@pytest.fixture(scope="module", params=BACKENDS)
def office(request, tmp_path_factory) -> Office:
    return office_at(fresh_url(request.param, "demo", tmp_path_factory.mktemp("live"), "live"))


@pytest.fixture(scope="module")
def server(office, tmp_path_factory):
    workers = 2 if office.url.startswith("postgresql") else 1
    with LiveServer(office.url, tmp_path_factory.mktemp("server"), workers=workers) as live:
        yield live


def _report(load: MixedLoad) -> str:
    by_kind = defaultdict(list)
    for s in load.samples:
        by_kind[s.kind].append(s.seconds)
    return "; ".join(f"{k}: {len(v)} max {max(v):.2f}s" for k, v in sorted(by_kind.items()))


def test_mixed_load_has_no_error_and_no_slow_request(server, office):
    """8 clients for 10 s: public search, procedure pages, home, lookup, inbox, dossier
    page and API, receipts through the API and the counter page, dossier actions.

    10 s (15 s before): about 400 requests and 60 receipts on an idle 2-core machine, the
    rarest kind (the counter page) about 15 times, so every kind is still seen with a wide
    margin and ≥ 10 receipts holds several times over; the freeze the latency bound guards
    against (a write waiting for the SQLite lock) showed within the first seconds."""
    load = MixedLoad(server.base_url, office, clients=8, seconds=10, seed=8).run()
    unexpected = load.unexpected()
    assert unexpected == [], f"{unexpected[:5]}\nserver log: {server.log()}"
    kinds = {s.kind for s in load.samples}
    assert kinds >= {"search", "detail", "home", "lookup", "inbox", "dossier_page", "dossier_api",
                     "receipt_api", "receipt_page", "action"}, _report(load)
    assert len(load.receipts) >= 10, _report(load)
    slowest = max(load.samples, key=lambda s: s.seconds)
    assert slowest.seconds < LATENCY_BOUND_SECONDS, f"{slowest} — {_report(load)}"
    # No GET wrote in its read unit of work (core.db logs it: on SQLite it would fail
    # with SQLITE_BUSY_SNAPSHOT under load).
    assert "read-only (deferred) unit of work writes" not in server.log(tail=None)


def test_every_acknowledged_receipt_is_readable_at_once(server, office):
    """Each 201 (API) or 303 (counter page) is followed at once, from a new connection,
    by a GET of the dossier and a public lookup of its code: both find it."""
    load = MixedLoad(server.base_url, office, clients=6, seconds=8, seed=2, verify_receipts=True,
                     weights={"receipt_api": 3, "receipt_page": 1}).run()
    assert load.unexpected() == [], load.unexpected()[:5]
    assert load.read_back_failures == []
    assert len(load.receipts) >= 10
    assert sum(1 for s in load.samples if s.kind == "read_back") == 2 * len(load.receipts)


def test_a_command_run_beside_the_busy_server_succeeds(server, office, tmp_path):
    """`motcua audit verify` (a read) and `motcua token` (a write) while clients receive
    dossiers: neither fails, and the clients get no error either. The clients work from
    1 s before the first command until the last one has finished (not for a fixed time
    that the commands might outlast)."""
    load = MixedLoad(server.base_url, office, clients=6, seconds=120, seed=3,
                     weights={"receipt_api": 3, "action": 2, "search": 2, "inbox": 1})
    runner = threading.Thread(target=load.run)
    runner.start()
    try:
        assert load.started.wait(120)
        time.sleep(1)
        env = {**server.env(), "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
        results = []
        for args in (["audit", "verify"], ["token", "--username", "chuyenvien", "--name", "Máy quầy 2"],
                     ["audit", "verify"]):
            results.append(subprocess.run([*motcua_command(), *args], cwd=tmp_path, env=env,
                                          capture_output=True, text=True, timeout=120))
        load_ran_throughout = runner.is_alive()
    finally:
        load.stop()
        runner.join()
    assert load_ran_throughout
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
    assert "nhật ký toàn vẹn" in results[0].stdout
    assert results[1].stdout.strip().startswith("mct_")
    assert load.unexpected() == [], load.unexpected()[:5]
    assert len(load.receipts) >= 5


def _codes_by_scope(rows) -> dict[str, list[int]]:
    scopes = defaultdict(list)
    for code in rows:
        scope, seq = code.rsplit("-", 1)
        scopes[scope].append(int(seq))
    return scopes


def test_kill_9_during_receipts_loses_no_acknowledged_dossier(office, tmp_path):
    """Receipts from 6 clients, the server killed with SIGKILL in the middle, restarted:
    every acknowledged dossier is there with its code, no code twice, the daily sequences
    of every scope are 1..n with the counter at n, and `motcua audit verify` is clean."""
    live = LiveServer(office.url, tmp_path / "killed", workers=2 if office.url.startswith("postgresql") else 1)
    live.start()
    load = MixedLoad(live.base_url, office, clients=6, seconds=30, seed=9,
                     weights={"receipt_api": 4, "receipt_page": 1, "action": 1})
    runner = threading.Thread(target=load.run)
    runner.start()
    deadline = time.monotonic() + 20
    while len(load.receipts) < 15 and time.monotonic() < deadline:
        time.sleep(0.1)
    live.kill()
    load.stop()
    runner.join()
    acknowledged = list(load.receipts)
    assert len(acknowledged) >= 15, "too few receipts before the kill"

    with LiveServer(office.url, tmp_path / "restarted") as restarted:
        # The restarted server serves every acknowledged dossier, and receives again.
        with httpx.Client(base_url=restarted.base_url, timeout=30,
                          headers={"Authorization": f"Bearer {office.tokens['motcua']}"}) as client:
            for receipt in acknowledged:
                response = client.get(f"/api/v1/dossiers/{receipt.dossier_id}")
                assert response.status_code == 200, receipt
                assert response.json()["code"] == receipt.code
            assert client.post("/api/v1/dossiers", json=receipt_body(office, "Người nộp sau khi khởi động lại")).status_code == 201

    engine = make_engine(office.url)
    try:
        with session_scope(make_sessionmaker(engine), write=False) as session:
            codes = list(session.scalars(select(Dossier.code).where(Dossier.code.is_not(None))))
            issued = set(session.scalars(select(DossierCode.code)))
            counters = dict(session.execute(select(DossierCodeCounter.scope, DossierCodeCounter.last_seq)).tuples().all())
    finally:
        engine.dispose()
    assert len(codes) == len(set(codes))
    assert {r.code for r in acknowledged} <= set(codes)
    assert issued == set(codes)
    for scope, seqs in _codes_by_scope(codes).items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), scope
        assert counters[scope] == len(seqs), scope
    verify = subprocess.run([*motcua_command(), "audit", "verify"], cwd=tmp_path, env=live.env(),
                            capture_output=True, text=True, timeout=300)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "nhật ký toàn vẹn" in verify.stdout

