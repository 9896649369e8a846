"""A real uvicorn server in a child process, and the mixed office traffic that drives it.

Shared by the load, durability and kill -9 tests (tests/core/test_live_server.py) and by
bench/bench_mixed_load.py, so the test and the benchmark exercise the same traffic.

- `office_at(url)`: what the traffic needs (`Office`) from a database holding the demo
  data (demo accounts, password `demo12345`; tests copy tests/databases.py's `demo`
  template), with API tokens issued; `prepare_database(url)` migrates and seeds an empty
  database first (the benchmarks).
- `LiveServer`: `motcua.main:app` under uvicorn on a free port, configured only through
  the environment, in a temporary working directory; `kill()` is a kill -9.
- `MixedLoad`: N client threads for a fixed time, each with its own HTTP connection,
  mixing public pages and search, staff pages and API reads, receipts (API and counter
  page) and dossier actions; every request's kind, status and duration is recorded, and
  every acknowledged receipt (201 or the counter's 303) is kept with its code.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import select

from motcua.auth.models import User
from motcua.auth.service import find_user, issue_token
from motcua.catalog.models import Procedure
from motcua.catalog.service import procedures_of_agency
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.dossiers.models import Dossier
from tests.databases import build
from tests.pg_harness import free_port

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "demo12345"
SECRET_KEY = "live-server-secret-key-0123456789-0123456789"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Office:
    """What the traffic needs to know about the seeded database."""

    url: str
    procedure_code: str  # a procedure of the demo department that the demo counter receives
    agency_code: str
    agency_id: str
    unit_code: str  # the demo counter's one-stop unit
    unit_id: str
    detail_codes: list[str]  # procedures whose public page is shown
    tokens: dict[str, str]  # username → API token
    # (code, lookup key) of dossiers, for the public lookup
    known_codes: list[tuple[str, str]] = field(default_factory=list)


def prepare_database(url: str) -> Office:
    """Migrate and seed the empty database `url` (reference data, demo accounts and
    dossiers), issue tokens."""
    build(url, "demo")
    return office_at(url)


def office_at(url: str) -> Office:
    """What the traffic needs from `url`, a database holding the demo data; issues tokens."""
    engine = make_engine(url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            counter, specialist = find_user(session, "motcua"), find_user(session, "chuyenvien")
            unit = next(r.agency for r in counter.roles if r.role == "counter_officer")
            dept = next(r.agency for r in specialist.roles if r.role == "specialist")
            demo = session.scalars(select(Dossier).where(Dossier.agency_id == dept.id)).first()
            procedure = session.scalars(select(Procedure).where(Procedure.code == demo.procedure_code)).one()
            details = [p.code for p in procedures_of_agency(session, dept)[:20]]
            tokens = {
                name: issue_token(session, session.scalars(select(User).where(User.username == name)).one(),
                                  f"tải thử {uuid.uuid4().hex[:6]}")
                for name in ("motcua", "lanhdao", "chuyenvien")
            }
            codes = [(c, k) for c, k in session.execute(select(Dossier.code, Dossier.lookup_key)) if c]
            return Office(url=url, procedure_code=procedure.code, agency_code=dept.code, agency_id=str(dept.id),
                          unit_code=unit.code, unit_id=str(unit.id), detail_codes=details, tokens=tokens,
                          known_codes=codes)
    finally:
        engine.dispose()


class LiveServer:
    """`motcua.main:app` under uvicorn in a child process (its own process group)."""

    def __init__(self, url: str, workdir: Path, *, workers: int = 1, port: int | None = None) -> None:
        self.url, self.workdir, self.workers = url, Path(workdir), workers
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log_path = self.workdir / f"server-{self.port}.log"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "SECRET_KEY"))}
        env.update(DATABASE_URL=self.url, SECRET_KEY=SECRET_KEY, STORAGE_DIR=str(self.workdir / "files"),
                   PYTHONPATH=str(ROOT), PUBLIC_BASE_URL=self.base_url,
                   # Every test client comes from 127.0.0.1 but stands for many citizens; the
                   # limit itself is tested in tests/dossiers/test_lookup_rate_limit.py.
                   LOOKUP_RATE_LIMIT="1000000")
        return env

    def start(self, timeout: float = 60) -> LiveServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "uvicorn", "motcua.main:app", "--host", "127.0.0.1",
                   "--port", str(self.port), "--no-access-log", "--workers", str(self.workers)]
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(command, cwd=self.workdir, env=self.env(), stdout=log, stderr=log,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}): {self.log()}")
            try:
                if httpx.get(f"{self.base_url}/readyz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not become ready: {self.log()}")

    def log(self, tail: int | None = 4000) -> str:
        """The server's output (its last `tail` characters; None: all of it)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return text[-tail:] if tail else text

    def kill(self) -> None:
        """kill -9 of the whole server (with its worker processes), as a power cut would."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- the traffic -------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    status: int  # 0: no answer (connection error or client timeout)
    seconds: float
    error: str = ""


@dataclass
class Receipt:
    dossier_id: str
    code: str
    via: str  # "api" or "page"
    lookup_key: str = ""  # the public lookup's second factor (the API's answer gives it)


def receipt_body(office: Office, name: str) -> dict:
    return {
        "procedure_code": office.procedure_code, "agency_code": office.agency_code,
        "receiving_unit_code": office.unit_code,
        "applicant": {"kind": "person", "full_name": name, "id_number": "020190001234", "phone": "0912000001"},
        "components": [{"name": "Tờ khai theo mẫu", "kind": "original", "count": 1}],
    }


def api_client(base_url: str, token: str | None = None, timeout: float = 60,
               cookies: dict[str, str] | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=base_url, headers=headers, timeout=timeout, cookies=cookies)


def page_login(client: httpx.Client, username: str) -> None:
    """Sign in through the login page (CSRF token of the form, session cookie)."""
    page = client.get("/dang-nhap")
    token = CSRF_RE.search(page.text).group(1)
    response = client.post("/dang-nhap", data={"csrf_token": token, "username": username,
                                               "password": DEMO_PASSWORD})
    if response.status_code != 303:
        raise RuntimeError(f"login of {username} failed: {response.status_code}")


# Relative weights of the operations of one client (a morning at a provincial centre:
# mostly reads, a receipt every few requests, dossiers moving on).
WEIGHTS = {
    "search": 6, "detail": 3, "home": 2, "lookup": 2, "inbox": 2, "dossier_page": 2, "dossier_api": 2,
    "receipt_api": 3, "receipt_page": 1, "action": 2,
}
# The status each operation answers when all is well.
EXPECTED = {"healthz": {200}, "search": {200}, "detail": {200}, "home": {200}, "lookup": {200},
            "inbox": {200}, "dossier_page": {200}, "dossier_api": {200}, "receipt_api": {201},
            "receipt_page": {303}, "counter_page": {200}, "action": {200}, "read_back": {200}}
# The operations that drive a signed-in page (the counter's or the head's): a load signs in
# (an argon2 check on the server) only the page users its operations use.
PAGE_USER = {"receipt_page": "motcua", "inbox": "lanhdao", "dossier_page": "lanhdao"}
SEARCHES = ["dang ky khai sinh", "Đăng ký khai sinh", "chứng thực", "dat dai", "ho tich", "cap giay phep"]


class MixedLoad:
    """`clients` threads for `seconds`, each with its own connections, mixing the office's work.

    `verify_receipts`: after each acknowledged receipt, read it back at once from another
    connection (a fresh client: GET the dossier through the API and the public lookup of
    its code), recorded as "read_back" samples.
    """

    def __init__(self, base_url: str, office: Office, *, clients: int, seconds: float, seed: int = 1,
                 verify_receipts: bool = False, weights: dict[str, int] | None = None) -> None:
        self.base_url, self.office, self.clients, self.seconds = base_url, office, clients, seconds
        self.seed, self.verify_receipts = seed, verify_receipts
        self.weights = weights or WEIGHTS
        self.samples: list[Sample] = []
        self.receipts: list[Receipt] = []
        self.read_back_failures: list[str] = []
        self.known_codes = list(office.known_codes)
        self._received: deque[str] = deque()  # dossiers waiting for assignment
        self._assigned: deque[str] = deque()  # assigned, waiting for the specialist
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.started = threading.Event()  # set when the measured window begins

    def run(self) -> MixedLoad:
        """Sign in the page users the operations need, then run the clients for `seconds`.

        Each page user signs in once (an argon2 check, not part of the measured window) and
        every client's page connection carries a copy of that session cookie, as tabs of one
        browser would: every client signed in as the same user anyway, and the session is
        the signed cookie itself (no server-side state to share)."""
        self._cookies: dict[str, dict[str, str]] = {}
        for username in sorted({PAGE_USER[op] for op in self.weights if op in PAGE_USER}):
            with api_client(self.base_url) as client:
                page_login(client, username)
                self._cookies[username] = dict(client.cookies)
        threads = [threading.Thread(target=self._client, args=(i,), daemon=True) for i in range(self.clients)]
        for t in threads:
            t.start()
        self._deadline = time.monotonic() + self.seconds
        self.started.set()
        for t in threads:
            t.join(self.seconds + 120)
        return self

    def stop(self) -> None:
        self._stop.set()

    # --- one client ---

    def _client(self, index: int) -> None:
        rnd = random.Random(self.seed * 1000 + index)
        office, base = self.office, self.base_url
        with api_client(base) as public, api_client(base, office.tokens["motcua"]) as counter, \
                api_client(base, office.tokens["lanhdao"]) as head, \
                api_client(base, office.tokens["chuyenvien"]) as specialist, \
                api_client(base, cookies=self._cookies.get("motcua")) as counter_page, \
                api_client(base, cookies=self._cookies.get("lanhdao")) as head_page:
            self.started.wait()
            ops, weights = zip(*self.weights.items(), strict=True)
            while not self._stop.is_set() and time.monotonic() < self._deadline:
                op = rnd.choices(ops, weights)[0]
                try:
                    getattr(self, f"_op_{op}")(rnd, public, counter, head, specialist, counter_page, head_page)
                except Exception as exc:  # noqa: BLE001 - recorded, never stops the client
                    self._record(op, 0, 0.0, repr(exc))

    def _timed(self, kind: str, client: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response | None:
        start = time.perf_counter()
        try:
            response = client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            self._record(kind, 0, time.perf_counter() - start, repr(exc))
            return None
        elapsed = time.perf_counter() - start
        ok = response.status_code in EXPECTED[kind]
        self._record(kind, response.status_code, elapsed, "" if ok else response.text[:300])
        return response

    def _record(self, kind: str, status: int, seconds: float, error: str = "") -> None:
        with self._lock:
            self.samples.append(Sample(kind, status, seconds, error))

    # --- operations ---

    def _op_search(self, rnd, public, *_):
        self._timed("search", public, "GET", "/api/v1/procedures", params={"q": rnd.choice(SEARCHES)})

    def _op_detail(self, rnd, public, *_):
        self._timed("detail", public, "GET", f"/thu-tuc/{rnd.choice(self.office.detail_codes)}")

    def _op_home(self, rnd, public, *_):
        self._timed("home", public, "GET", "/")

    def _op_lookup(self, rnd, public, *_):
        with self._lock:
            code, key = rnd.choice(self.known_codes) if self.known_codes else ("X", "X")
        self._timed("lookup", public, "GET", "/tra-cuu", params={"ma": code, "khoa": key})

    def _op_inbox(self, rnd, public, counter, head, specialist, counter_page, head_page):
        self._timed("inbox", head_page, "GET", "/xu-ly", params={"hop": rnd.choice(["todo", "all", "waiting"])})

    def _some_dossier(self, rnd) -> str | None:
        with self._lock:
            if not self.receipts:
                return None
            return rnd.choice(self.receipts[-50:]).dossier_id

    def _op_dossier_page(self, rnd, public, counter, head, specialist, counter_page, head_page):
        dossier_id = self._some_dossier(rnd)
        if dossier_id is None:
            return self._op_home(rnd, public)
        self._timed("dossier_page", head_page, "GET", f"/ho-so/{dossier_id}")

    def _op_dossier_api(self, rnd, public, counter, *_):
        dossier_id = self._some_dossier(rnd)
        if dossier_id is None:
            return self._op_search(rnd, public)
        self._timed("dossier_api", counter, "GET", f"/api/v1/dossiers/{dossier_id}")

    def _acknowledged(self, receipt: Receipt) -> None:
        with self._lock:
            self.receipts.append(receipt)
            self.known_codes.append((receipt.code, receipt.lookup_key))
            self._received.append(receipt.dossier_id)
        if self.verify_receipts:
            self._read_back(receipt)

    def _read_back(self, receipt: Receipt) -> None:
        """Right after the acknowledgement, from a new connection: the dossier and its code exist."""
        with api_client(self.base_url, self.office.tokens["lanhdao"]) as other:
            response = self._timed("read_back", other, "GET", f"/api/v1/dossiers/{receipt.dossier_id}")
            if response is None or response.status_code != 200 or response.json()["code"] != receipt.code:
                self.read_back_failures.append(f"GET {receipt.code}: {response and response.status_code}")
        with api_client(self.base_url) as anonymous:
            response = self._timed("read_back", anonymous, "GET", "/tra-cuu",
                                   params={"ma": receipt.code, "khoa": receipt.lookup_key})
            if response is None or response.status_code != 200 or receipt.code not in response.text:
                self.read_back_failures.append(f"lookup {receipt.code}: {response and response.status_code}")

    def _op_receipt_api(self, rnd, public, counter, *_):
        response = self._timed("receipt_api", counter, "POST", "/api/v1/dossiers",
                               json=receipt_body(self.office, f"Người nộp {rnd.randrange(10**6)}"))
        if response is not None and response.status_code == 201:
            body = response.json()
            self._acknowledged(Receipt(body["id"], body["code"], "api", body["lookup_key"]))

    def _op_receipt_page(self, rnd, public, counter, head, specialist, counter_page, head_page):
        office = self.office
        form_page = self._timed("counter_page", counter_page, "GET", "/quay", params={"ma_tt": office.procedure_code})
        if form_page is None or form_page.status_code != 200:
            return
        token = CSRF_RE.search(form_page.text).group(1)
        response = self._timed("receipt_page", counter_page, "POST", "/quay", data={
            "csrf_token": token, "procedure_code": office.procedure_code, "agency_id": office.agency_id,
            "receiving_unit_id": office.unit_id, "applicant_kind": "person",
            "full_name": f"Người nộp tại quầy {rnd.randrange(10**6)}", "extra-0-name": "Tờ khai theo mẫu",
            "extra-0-kind": "original", "extra-0-count": "1", "outcome": "accepted",
        })
        if response is not None and response.status_code == 303:
            dossier_id = response.headers["location"].rsplit("/", 1)[-1]
            detail = api_client(self.base_url, office.tokens["motcua"])
            with detail:
                got = detail.get(f"/api/v1/dossiers/{dossier_id}")
            if got.status_code == 200:
                self._acknowledged(Receipt(dossier_id, got.json()["code"], "page", got.json()["lookup_key"]))
            else:
                self.read_back_failures.append(f"page receipt {dossier_id}: {got.status_code}")

    def _op_action(self, rnd, public, counter, head, specialist, *_):
        """Move a dossier on: the head assigns it to the specialist, who forwards it."""
        with self._lock:
            assigned = self._assigned.popleft() if self._assigned else None
            received = None if assigned else (self._received.popleft() if self._received else None)
        if assigned:
            self._timed("action", specialist, "POST", f"/api/v1/dossiers/{assigned}/actions/forward",
                        json={"note": "Đủ điều kiện, trình lãnh đạo"})
        elif received:
            response = self._timed("action", head, "POST", f"/api/v1/dossiers/{received}/actions/assign",
                                   json={"assignee": "chuyenvien"})
            if response is not None and response.status_code == 200:
                with self._lock:
                    self._assigned.append(received)
        else:
            self._op_receipt_api(rnd, public, counter)

    # --- figures ---

    def unexpected(self) -> list[Sample]:
        return [s for s in self.samples if s.status not in EXPECTED[s.kind]]

    def server_errors(self) -> list[Sample]:
        return [s for s in self.samples if s.status >= 500 or s.status == 0]


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by the nearest-rank method."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]
