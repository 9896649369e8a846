"""A local stand-in for the National Public Service Portal, speaking the legacy protocol
(shared/reference/dvcqg.md §1, §13 as far as the catalogue goes).

- `POST {auth}` logs in (`username`, `password`) and returns a `session` valid for
  `session_ttl` seconds; every service call without a known, unexpired session is refused
  with HTTP 401 and `error_code` "401".
- `POST {share}` / `POST {integration}` dispatch on `service`: `LayThuTuc` (`maTTHC`;
  unknown → `error_code` "404"), `LayDanhSachTTHC`, `LayDanhMucCoQuan`, `LayDanhMucLinhVuc`.
  Values are strings, dates `yyyyMMddHHmmss`, success `error_code` "0".
- The national catalogue is seeded from a JSONL file (data/dvcqg/national_catalog.jsonl)
  and kept, with sessions, injected faults and every call received, in a SQLite file, so
  a restarted simulator keeps its state.
- Test endpoints under `/_sim/`: reset to the seed, inject faults per service (delay, HTTP
  status, non-zero `error_code`, expired session; for the next N calls or always), change
  or abolish a national procedure, list the calls received (exact bodies).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import Body, FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse

from motcua.core.clock import now
from motcua.core.text import fold
from motcua.integrations.dvcqg import wire
from motcua.integrations.dvcqg.config import DvcqgSettings

DEFAULT_CATALOG = Path(__file__).resolve().parents[3] / "data" / "dvcqg" / "national_catalog.jsonl"
DEFAULT_PASSWORD = "simulator"
FAULT_KINDS = {"delay", "http", "error_code", "expire_session"}
CHANNEL_NAMES = {"1": "Trực tiếp", "2": "Trực tuyến", "3": "Dịch vụ bưu chính"}
LEVEL_NAMES = {"province": ("1", "Cấp Tỉnh"), "commune": ("3", "Cấp Xã"), "district": ("2", "Cấp Huyện")}

SCHEMA = """
CREATE TABLE IF NOT EXISTS procedures (code TEXT PRIMARY KEY, record TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, username TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS faults (id INTEGER PRIMARY KEY AUTOINCREMENT, service TEXT NOT NULL,
    kind TEXT NOT NULL, value TEXT NOT NULL, remaining INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS calls (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL,
    service TEXT NOT NULL, body TEXT NOT NULL, received REAL NOT NULL);
"""


class SimulatorState:
    """The simulator's disk state (one SQLite file); every method opens its own connection,
    so request threads never share one."""

    def __init__(self, path: Path, catalog: Path):
        self.path = Path(path)
        self.catalog = Path(catalog)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        schema = sqlite3.connect(self.path)
        try:
            schema.executescript(SCHEMA)
        finally:
            schema.close()
        with self._db() as db:
            empty = db.execute("SELECT COUNT(*) FROM procedures").fetchone()[0] == 0
        if empty:
            self.reset()

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    def reset(self) -> int:
        """Back to the seeded catalogue; sessions, faults and received calls forgotten."""
        stamp = wire.format_date(now())
        rows = []
        for line in self.catalog.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                rows.append((record["code"], json.dumps(record, ensure_ascii=False), stamp))
        with self._db() as db:
            for table in ("procedures", "sessions", "faults", "calls"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed table names)
            db.executemany("INSERT INTO procedures VALUES (?, ?, ?)", rows)
        return len(rows)

    # --- sessions ------------------------------------------------------------------------

    def open_session(self, username: str, ttl: float) -> str:
        token = secrets.token_urlsafe(24)
        with self._db() as db:
            db.execute("INSERT INTO sessions VALUES (?, ?, ?)", (token, username, time.time() + ttl))
        return token

    def session_valid(self, token: str) -> bool:
        with self._db() as db:
            row = db.execute("SELECT expires FROM sessions WHERE token = ?", (token,)).fetchone()
        return row is not None and row[0] > time.time()

    def expire_sessions(self) -> None:
        with self._db() as db:
            db.execute("DELETE FROM sessions")

    # --- faults and calls ----------------------------------------------------------------

    def add_fault(self, service: str, kind: str, value: str, times: int) -> None:
        with self._db() as db:
            db.execute("INSERT INTO faults (service, kind, value, remaining) VALUES (?, ?, ?, ?)",
                       (service, kind, value, times))

    def clear_faults(self) -> None:
        with self._db() as db:
            db.execute("DELETE FROM faults")

    def take_fault(self, service: str) -> tuple[str, str] | None:
        """The first fault for `service` (or "*"), one use consumed; `remaining` -1 = always."""
        with self._db() as db:
            row = db.execute(
                "SELECT id, kind, value, remaining FROM faults WHERE service IN (?, '*') AND remaining != 0 "
                "ORDER BY id LIMIT 1", (service,)).fetchone()
            if row is None:
                return None
            if row[3] > 0:
                db.execute("UPDATE faults SET remaining = remaining - 1 WHERE id = ?", (row[0],))
        return row[1], row[2]

    def record_call(self, path: str, service: str, body: dict[str, Any]) -> None:
        with self._db() as db:
            db.execute("INSERT INTO calls (path, service, body, received) VALUES (?, ?, ?, ?)",
                       (path, service, json.dumps(body, ensure_ascii=False), time.time()))

    def calls(self) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute("SELECT path, service, body FROM calls ORDER BY id").fetchall()
        return [{"path": p, "service": s, "body": json.loads(b)} for p, s, b in rows]

    # --- the national catalogue ----------------------------------------------------------

    def procedures(self) -> list[tuple[dict[str, Any], str]]:
        with self._db() as db:
            rows = db.execute("SELECT record, updated FROM procedures ORDER BY code").fetchall()
        return [(json.loads(r), u) for r, u in rows]

    def procedure(self, code: str) -> tuple[dict[str, Any], str] | None:
        with self._db() as db:
            row = db.execute("SELECT record, updated FROM procedures WHERE code = ?", (code,)).fetchone()
        return (json.loads(row[0]), row[1]) if row else None

    def put_procedure(self, record: dict[str, Any]) -> None:
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO procedures VALUES (?, ?, ?)",
                       (record["code"], json.dumps(record, ensure_ascii=False), wire.format_date(now())))

    def delete_procedure(self, code: str) -> bool:
        with self._db() as db:
            return db.execute("DELETE FROM procedures WHERE code = ?", (code,)).rowcount > 0


# --- the wire shape of the catalogue ---------------------------------------------------------


def _number_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) else wire.text(value)


def procedure_reply(record: dict[str, Any], updated: str) -> dict[str, Any]:
    """One `LayThuTuc` result record, every value a string."""
    limits: dict[str, list[dict[str, str]]] = {}
    for limit in record.get("time_limits") or []:
        limits.setdefault(str(limit["channel"]), []).append({
            "THOIGIANGIAIQUYET": _number_text(limit.get("value")), "DONVITINH": limit.get("unit") or "",
            "MOTA": limit.get("description") or ""})
    return {
        "MATTHC": record["code"],
        "TENTTHC": record["name"],
        "LINHVUCTHUCHIEN": [{"MALINHVUC": record.get("field_code") or "", "TENLINHVUC": record.get("field") or ""}],
        "CACHTHUCTHUCHIEN": [{"KENH": kenh, "TENKENH": name, "THOIGIAN": limits.get(kenh, [])}
                             for kenh, name in CHANNEL_NAMES.items()],
        "CAPTHUCHIEN": [{"MACAP": LEVEL_NAMES[lv][0], "TENCAP": LEVEL_NAMES[lv][1]}
                        for lv in record.get("levels") or [] if lv in LEVEL_NAMES],
        "COQUANTHUCHIEN": [{"MADONVI": "", "TENDONVI": a} for a in record.get("agencies") or []],
        "NGAYCAPNHAT": updated,
    }


def agencies_reply(records: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Agency names of the seeded catalogue with simulator codes (the crawl has no MADONVI)."""
    names = sorted({a for r in records for a in r.get("agencies") or []}, key=fold)
    return [{"MADONVI": f"SIM-CQ{i:04d}", "TENDONVI": name, "CAPDONVI": ""}
            for i, name in enumerate(names, start=1)]


def fields_reply(records: list[dict[str, Any]]) -> list[dict[str, str]]:
    fields = {r["field_code"]: r["field"] for r in records if r.get("field_code")}
    return [{"MALINHVUC": code, "TENLINHVUC": name, "MANGANH": ""}
            for code, name in sorted(fields.items())]


def _reply(error_code: str, message: str, result: list[dict[str, Any]] | None = None,
           status: int = 200) -> JSONResponse:
    body: dict[str, Any] = {"error_code": error_code, "message": message}
    if result is not None:
        body["result"] = result
    return JSONResponse(body, status_code=status)


def create_simulator(
    state_path: Path,
    *,
    catalog_path: Path = DEFAULT_CATALOG,
    username: str = "motcua",
    password: str = DEFAULT_PASSWORD,
    session_ttl: float = 1800.0,
    settings: DvcqgSettings | None = None,
) -> FastAPI:
    """The simulator app; paths of its endpoints are those the adapter is configured with."""
    paths = settings or DvcqgSettings()
    state = SimulatorState(state_path, catalog_path)
    app = FastAPI(title="Mô phỏng Cổng Dịch vụ công quốc gia", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.simulator = state

    @app.post(paths.auth_endpoint)
    def login(body: dict[str, Any] = Body(...)):  # noqa: B008
        state.record_call(paths.auth_endpoint, "login", {k: v for k, v in body.items() if k != "password"})
        if wire.text(body.get("username")) != username or wire.text(body.get("password")) != password:
            return _reply("1", "Tên đăng nhập hoặc mật khẩu không đúng")
        return JSONResponse({"error_code": "0", "message": "Đăng nhập thành công",
                             "session": state.open_session(username, session_ttl)})

    def dispatch(path: str, body: dict[str, Any]):
        service = wire.text(body.get("service"))
        state.record_call(path, service, body)
        fault = state.take_fault(service)
        if fault is not None:
            kind, value = fault
            if kind == "delay":
                time.sleep(float(value))
            elif kind == "http":
                return PlainTextResponse("Lỗi máy chủ giả lập", status_code=int(value))
            elif kind == "error_code":
                return _reply(value, "Lỗi giả lập của Cổng DVCQG")
            elif kind == "expire_session":
                state.expire_sessions()
        if not state.session_valid(wire.text(body.get("session"))):
            return _reply(wire.SESSION_EXPIRED_CODE, "Phiên đăng nhập không hợp lệ hoặc đã hết hạn", status=401)
        if not wire.text(body.get("madonvi")):
            return _reply("2", "Thiếu mã đơn vị (madonvi)")
        if service == "LayThuTuc":
            code = wire.text(body.get("maTTHC"))
            if not code:
                return _reply("2", "Thiếu mã thủ tục (maTTHC)")
            found = state.procedure(code)
            if found is None:
                return _reply("404", f"Không tìm thấy thủ tục hành chính có mã {code}", [])
            return _reply("0", "Thành công", [procedure_reply(*found)])
        if service in {"LayDanhSachTTHC", "LayDanhMucCoQuan", "LayDanhMucLinhVuc"}:
            records = [r for r, _ in state.procedures()]
            result = {
                "LayDanhSachTTHC": lambda: [{"MATTHC": r["code"], "TENTTHC": r["name"]} for r in records],
                "LayDanhMucCoQuan": lambda: agencies_reply(records),
                "LayDanhMucLinhVuc": lambda: fields_reply(records),
            }[service]()
            return _reply("0", "Thành công", result)
        return _reply("-1", f"Dịch vụ {service or '(trống)'} không được hỗ trợ")

    @app.post(paths.share_endpoint)
    def share(body: dict[str, Any] = Body(...)):  # noqa: B008
        return dispatch(paths.share_endpoint, body)

    @app.post(paths.integration_endpoint)
    def integration(body: dict[str, Any] = Body(...)):  # noqa: B008
        return dispatch(paths.integration_endpoint, body)

    # --- test controls -------------------------------------------------------------------

    @app.post("/_sim/reset")
    def reset():
        return {"procedures": state.reset()}

    @app.post("/_sim/faults")
    def add_fault(body: dict[str, Any] = Body(...)):  # noqa: B008
        kind = wire.text(body.get("kind"))
        if kind not in FAULT_KINDS:
            return JSONResponse({"error": f"kind must be one of {sorted(FAULT_KINDS)}"}, status_code=422)
        state.add_fault(wire.text(body.get("service")) or "*", kind, wire.text(body.get("value")),
                        int(body.get("times", 1)))
        return {"ok": True}

    @app.delete("/_sim/faults")
    def clear_faults():
        state.clear_faults()
        return {"ok": True}

    @app.post("/_sim/expire-sessions")
    def expire_sessions():
        state.expire_sessions()
        return {"ok": True}

    @app.get("/_sim/calls")
    def calls():
        return state.calls()

    @app.put("/_sim/procedures/{code}")
    def put_procedure(code: str, body: dict[str, Any] = Body(...)):  # noqa: B008
        state.put_procedure(body | {"code": code})
        return {"ok": True}

    @app.delete("/_sim/procedures/{code}")
    def delete_procedure(code: str):
        return {"deleted": state.delete_procedure(code)}

    return app
