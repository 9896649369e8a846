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
from pathlib import Path
from typing import Any

from fastapi import Body, FastAPI
from fastapi.responses import JSONResponse

from motcua.integrations.lgsp import wire
from motcua.integrations.lgsp.config import LgspSettings
from motcua.integrations.session_transport import SESSION_EXPIRED_CODE, text
from motcua.integrations.sim_state import SimState, add_controls, injected_fault, reply

DEFAULT_CITIZENS = Path(__file__).resolve().parents[3] / "data" / "lgsp" / "citizens.json"
DEFAULT_PASSWORD = "simulator"
LOGIN = "login"
SYSTEM = "nền tảng LGSP"


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

    @app.post(config.auth_endpoint)
    def login(body: dict[str, Any] = Body(...)):  # noqa: B008
        state.record_call(config.auth_endpoint, LOGIN, {k: v for k, v in body.items() if k != "password"})
        if (faulty := injected_fault(state, LOGIN, SYSTEM)) is not None:
            return faulty
        if text(body.get("username")) != username or text(body.get("password")) != password:
            return reply("1", "Tên đăng nhập hoặc mật khẩu không đúng")
        return JSONResponse({"error_code": "0", "message": "Đăng nhập thành công",
                             "session": state.open_session(username, session_ttl)})

    @app.post(config.integration_endpoint)
    def integration(body: dict[str, Any] = Body(...)):  # noqa: B008
        service = text(body.get("service"))
        state.record_call(config.integration_endpoint, service, body)
        if (faulty := injected_fault(state, service, SYSTEM)) is not None:
            return faulty
        if not state.session_valid(text(body.get("session"))):
            return reply(SESSION_EXPIRED_CODE, "Phiên đăng nhập không hợp lệ hoặc đã hết hạn", status=401)
        if not text(body.get("madonvi")):
            return reply("2", "Thiếu mã đơn vị (madonvi)")
        if service != config.population_service:
            return reply("-1", f"Dịch vụ {service or '(trống)'} không được hỗ trợ")
        if not text(body.get("MucDich")) or not text(body.get("NguoiTraCuu")):
            return reply(wire.NOT_PERMITTED_CODE, "Thiếu mục đích tra cứu hoặc người tra cứu")
        id_number = text(body.get("SoDinhDanh"))
        found = state.citizen(id_number)
        if found is None:
            return reply(wire.NOT_FOUND_CODE, f"Không tìm thấy công dân có số định danh {id_number}", [])
        return reply("0", "Thành công", [found])

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

    add_controls(app, state)
    return app
