"""What every session-transport simulator needs (shared/reference/dvcqg.md §13): the disk
state — sessions, injected faults and the calls received, in one SQLite file so a restarted
simulator keeps them (a system's simulator adds its own tables, `extra_schema`, and seed) —
and the HTTP side: §1 replies, fault injection, the `/_sim/` controls.

Every state method opens its own connection, so request threads never share one.
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
from fastapi.responses import JSONResponse, PlainTextResponse, Response

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, username TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS faults (id INTEGER PRIMARY KEY AUTOINCREMENT, service TEXT NOT NULL,
    kind TEXT NOT NULL, value TEXT NOT NULL, remaining INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS calls (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL,
    service TEXT NOT NULL, body TEXT NOT NULL, received REAL NOT NULL);
"""
# delay: sleep `value` seconds then answer; http: answer HTTP `value`; error_code: answer that
# non-zero `error_code`; expire_session: forget every session first.
FAULT_KINDS = frozenset({"delay", "http", "error_code", "expire_session"})


class SimState:
    extra_schema = ""
    tables: tuple[str, ...] = ("sessions", "faults", "calls")

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        schema = sqlite3.connect(self.path)
        try:
            schema.executescript(SCHEMA + self.extra_schema)
        finally:
            schema.close()

    @contextmanager
    def db(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            yield connection
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()

    def clear(self, connection: sqlite3.Connection) -> None:
        for table in self.tables:
            connection.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed table names)

    # --- sessions ------------------------------------------------------------------------

    def open_session(self, username: str, ttl: float) -> str:
        token = secrets.token_urlsafe(24)
        with self.db() as db:
            db.execute("INSERT INTO sessions VALUES (?, ?, ?)", (token, username, time.time() + ttl))
        return token

    def session_valid(self, token: str) -> bool:
        with self.db() as db:
            row = db.execute("SELECT expires FROM sessions WHERE token = ?", (token,)).fetchone()
        return row is not None and row[0] > time.time()

    def expire_sessions(self) -> None:
        with self.db() as db:
            db.execute("DELETE FROM sessions")

    # --- faults and calls ----------------------------------------------------------------

    def add_fault(self, service: str, kind: str, value: str, times: int) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {sorted(FAULT_KINDS)}")
        with self.db() as db:
            db.execute("INSERT INTO faults (service, kind, value, remaining) VALUES (?, ?, ?, ?)",
                       (service, kind, value, times))

    def clear_faults(self) -> None:
        with self.db() as db:
            db.execute("DELETE FROM faults")

    def take_fault(self, service: str) -> tuple[str, str] | None:
        """The first fault for `service` (or "*"), one use consumed; `remaining` -1 = always."""
        with self.db() as db:
            row = db.execute(
                "SELECT id, kind, value, remaining FROM faults WHERE service IN (?, '*') AND remaining != 0 "
                "ORDER BY id LIMIT 1", (service,)).fetchone()
            if row is None:
                return None
            if row[3] > 0:
                db.execute("UPDATE faults SET remaining = remaining - 1 WHERE id = ?", (row[0],))
        return row[1], row[2]

    def record_call(self, path: str, service: str, body: dict[str, Any]) -> None:
        with self.db() as db:
            db.execute("INSERT INTO calls (path, service, body, received) VALUES (?, ?, ?, ?)",
                       (path, service, json.dumps(body, ensure_ascii=False), time.time()))

    def calls(self) -> list[dict[str, Any]]:
        with self.db() as db:
            rows = db.execute("SELECT path, service, body FROM calls ORDER BY id").fetchall()
        return [{"path": p, "service": s, "body": json.loads(b)} for p, s, b in rows]


# --- the HTTP side shared by the simulators ----------------------------------------------------


def reply(error_code: str, message: str, result: list[dict[str, Any]] | None = None,
          status: int = 200) -> JSONResponse:
    """A §1 reply: `error_code`, `message` and, for look-ups, `result`."""
    body: dict[str, Any] = {"error_code": error_code, "message": message}
    if result is not None:
        body["result"] = result
    return JSONResponse(body, status_code=status)


def injected_fault(state: SimState, service: str, system: str) -> Response | None:
    """Apply the next fault injected for `service`: the response to send instead of the real
    one, or None to go on (after a delay or with the sessions dropped)."""
    fault = state.take_fault(service)
    if fault is None:
        return None
    kind, value = fault
    if kind == "delay":
        time.sleep(float(value))
    elif kind == "http":
        return PlainTextResponse("Lỗi máy chủ giả lập", status_code=int(value))
    elif kind == "error_code":
        return reply(value, f"Lỗi giả lập của {system}")
    elif kind == "expire_session":
        state.expire_sessions()
    return None


def add_controls(app: FastAPI, state: SimState) -> None:
    """`POST|DELETE /_sim/faults`, `POST /_sim/expire-sessions`, `GET /_sim/calls`."""

    @app.post("/_sim/faults")
    def add_fault(body: dict[str, Any] = Body(...)):  # noqa: B008
        try:
            state.add_fault(str(body.get("service") or "*").strip(), str(body.get("kind") or "").strip(),
                            str(body.get("value") or "").strip(), int(body.get("times", 1)))
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
