"""A local stand-in for the provincial integration platform (LGSP) and its population lookup,
speaking the session transport of shared/reference/dvcqg.md §1 and the record shape of wire.py.

- `POST {auth}` logs in (`username`, `password`) and returns a `session` valid for
  `session_ttl` seconds; a call without a known, unexpired session is refused with HTTP 401
  and `error_code` "401".
- `POST {integration}` dispatches on `service`: the population lookup (`SoDinhDanh`; unknown
  → "404"; a call without `MucDich` or `NguoiTraCuu` → "403": the platform logs who asked and why).
- Citizens are seeded from data/lgsp/citizens.json (fictional people living in the current
  Lạng Sơn communes and wards, after 1 July 2025) and kept, with sessions, faults and every
  call received, in a SQLite file.
- Test endpoints: `POST /_sim/citizens` (add or replace a citizen, wire shape), `GET
  /_sim/citizens`, `POST /_sim/reset`, `POST|DELETE /_sim/faults` (per service, "login" for
  the login, "*" for all: delay, HTTP status, non-zero `error_code`, expired session; for
  the next N calls or always with -1), `GET /_sim/calls` (exact bodies, passwords left out).
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from fastapi import Body, FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse

from motcua.integrations.lgsp import wire
from motcua.integrations.lgsp.config import LgspSettings
from motcua.integrations.session_transport import SESSION_EXPIRED_CODE, text
from motcua.integrations.sim_state import SimState

DEFAULT_CITIZENS = Path(__file__).resolve().parents[3] / "data" / "lgsp" / "citizens.json"
DEFAULT_PASSWORD = "simulator"
LOGIN = "login"


class LgspState(SimState):
    extra_schema = "CREATE TABLE IF NOT EXISTS citizens (id_number TEXT PRIMARY KEY, record TEXT NOT NULL);"
    tables = (*SimState.tables, "citizens")

    def __init__(self, path: Path, seed: Path):
        super().__init__(path)
        self.seed = Path(seed)
        with self.db() as db:
            empty = db.execute("SELECT COUNT(*) FROM citizens").fetchone()[0] == 0
        if empty:
            self.reset()

    def reset(self) -> int:
        """Back to the seeded citizens; sessions, faults and received calls forgotten."""
        records = json.loads(self.seed.read_text(encoding="utf-8"))
        with self.db() as db:
            self.clear(db)
            for record in records:
                self._put(db, record)
        return len(records)

    @staticmethod
    def _put(db: sqlite3.Connection, record: dict[str, Any]) -> None:
        citizen = wire.citizen(record)  # refuses a record the adapter could not read
        db.execute("INSERT OR REPLACE INTO citizens VALUES (?, ?)",
                   (citizen.id_number, json.dumps(wire.record(citizen), ensure_ascii=False)))

    def put_citizen(self, record: dict[str, Any]) -> None:
        with self.db() as db:
            self._put(db, record)

    def citizen(self, id_number: str) -> dict[str, Any] | None:
        with self.db() as db:
            row = db.execute("SELECT record FROM citizens WHERE id_number = ?", (id_number,)).fetchone()
        return json.loads(row[0]) if row else None

    def citizens(self) -> list[dict[str, Any]]:
        with self.db() as db:
            rows = db.execute("SELECT record FROM citizens ORDER BY id_number").fetchall()
        return [json.loads(r) for (r,) in rows]


def _reply(error_code: str, message: str, result: list[dict[str, Any]] | None = None,
           status: int = 200) -> JSONResponse:
    body: dict[str, Any] = {"error_code": error_code, "message": message}
    if result is not None:
        body["result"] = result
    return JSONResponse(body, status_code=status)


def create_simulator(
    state_path: Path,
    *,
    citizens_path: Path = DEFAULT_CITIZENS,
    username: str = "motcua",
    password: str = DEFAULT_PASSWORD,
    session_ttl: float = 1800.0,
    settings: LgspSettings | None = None,
) -> FastAPI:
    """The simulator app; its paths and service name are those the adapter is configured with."""
    config = settings or LgspSettings()
    state = LgspState(state_path, citizens_path)
    app = FastAPI(title="Mô phỏng LGSP — CSDL quốc gia về dân cư", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.simulator = state

    def apply_fault(service: str) -> JSONResponse | PlainTextResponse | None:
        fault = state.take_fault(service)
        if fault is None:
            return None
        kind, value = fault
        if kind == "delay":
            time.sleep(float(value))
        elif kind == "http":
            return PlainTextResponse("Lỗi máy chủ giả lập", status_code=int(value))
        elif kind == "error_code":
            return _reply(value, "Lỗi giả lập của nền tảng LGSP")
        elif kind == "expire_session":
            state.expire_sessions()
        return None

    @app.post(config.auth_endpoint)
    def login(body: dict[str, Any] = Body(...)):  # noqa: B008
        state.record_call(config.auth_endpoint, LOGIN, {k: v for k, v in body.items() if k != "password"})
        if (faulty := apply_fault(LOGIN)) is not None:
            return faulty
        if text(body.get("username")) != username or text(body.get("password")) != password:
            return _reply("1", "Tên đăng nhập hoặc mật khẩu không đúng")
        return JSONResponse({"error_code": "0", "message": "Đăng nhập thành công",
                             "session": state.open_session(username, session_ttl)})

    @app.post(config.integration_endpoint)
    def integration(body: dict[str, Any] = Body(...)):  # noqa: B008
        service = text(body.get("service"))
        state.record_call(config.integration_endpoint, service, body)
        if (faulty := apply_fault(service)) is not None:
            return faulty
        if not state.session_valid(text(body.get("session"))):
            return _reply(SESSION_EXPIRED_CODE, "Phiên đăng nhập không hợp lệ hoặc đã hết hạn", status=401)
        if not text(body.get("madonvi")):
            return _reply("2", "Thiếu mã đơn vị (madonvi)")
        if service != config.population_service:
            return _reply("-1", f"Dịch vụ {service or '(trống)'} không được hỗ trợ")
        if not text(body.get("MucDich")) or not text(body.get("NguoiTraCuu")):
            return _reply(wire.NOT_PERMITTED_CODE, "Thiếu mục đích tra cứu hoặc người tra cứu")
        id_number = text(body.get("SoDinhDanh"))
        found = state.citizen(id_number)
        if found is None:
            return _reply(wire.NOT_FOUND_CODE, f"Không tìm thấy công dân có số định danh {id_number}", [])
        return _reply("0", "Thành công", [found])

    # --- test controls -------------------------------------------------------------------

    @app.post("/_sim/reset")
    def reset():
        return {"citizens": state.reset()}

    @app.post("/_sim/citizens")
    def add_citizen(body: dict[str, Any] = Body(...)):  # noqa: B008
        try:
            state.put_citizen(body)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=422)
        return {"ok": True}

    @app.get("/_sim/citizens")
    def citizens():
        return state.citizens()

    @app.post("/_sim/faults")
    def add_fault(body: dict[str, Any] = Body(...)):  # noqa: B008
        try:
            state.add_fault(text(body.get("service")) or "*", text(body.get("kind")), text(body.get("value")),
                            int(body.get("times", 1)))
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=422)
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

    return app
