"""A local stand-in for an SMS gateway: it records every message it accepts, never sends one.

- `POST /api/sms/send` (adapter.py's request): HTTP Basic checked when the simulator was
  given credentials; a number that is not 9–15 digits or an empty text → 400 (a refusal);
  the same `reference` again → the same `message_id` with `duplicate: true`, nothing recorded
  twice (the gateway's side of exactly once).
- `GET /api/sms/status`: the health probe.
- Test controls: `GET /_sim/messages` (accepted messages, in order), `DELETE /_sim/messages`,
  `POST /_sim/faults` (integrations.sim_state: `{"kind": "http", "value": "503", "times": 2}`,
  `"delay"` seconds …; `times` -1 = always), `DELETE /_sim/faults`, `POST /_sim/reset`,
  `GET /_sim/calls`.

State (messages, faults, calls) is kept in a SQLite file, so a restarted simulator keeps it.
"""

from __future__ import annotations

import base64
import secrets
import time
from pathlib import Path
from typing import Any

from fastapi import Body, FastAPI, Request
from fastapi.responses import JSONResponse

from motcua.integrations.sim_state import SimState, add_controls, injected_fault

SEND = "send"
SEND_PATH = "/api/sms/send"


class SmsSimulatorState(SimState):
    extra_schema = """
CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL,
    reference TEXT NOT NULL UNIQUE, recipient TEXT NOT NULL, text TEXT NOT NULL, sender TEXT NOT NULL,
    received REAL NOT NULL);
"""
    tables = (*SimState.tables, "messages")

    def reset(self) -> None:
        with self.db() as db:
            self.clear(db)

    def accept(self, recipient: str, text: str, sender: str, reference: str) -> tuple[str, bool]:
        """The message id for `reference` (recorded now, or earlier: then duplicate)."""
        with self.db() as db:
            row = db.execute("SELECT message_id FROM messages WHERE reference = ?", (reference,)).fetchone()
            if row is not None:
                return row[0], True
            message_id = secrets.token_hex(8)
            db.execute("INSERT INTO messages (message_id, reference, recipient, text, sender, received) "
                       "VALUES (?, ?, ?, ?, ?, ?)", (message_id, reference, recipient, text, sender, time.time()))
        return message_id, False

    def messages(self) -> list[dict[str, Any]]:
        with self.db() as db:
            rows = db.execute("SELECT message_id, reference, recipient, text, sender FROM messages "
                              "ORDER BY id").fetchall()
        return [dict(zip(("message_id", "reference", "to", "text", "sender"), r, strict=True)) for r in rows]

    def clear_messages(self) -> None:
        with self.db() as db:
            db.execute("DELETE FROM messages")


def _authorised(request: Request, username: str, password: str) -> bool:
    if not username:
        return True
    header = request.headers.get("authorization", "")
    expected = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
    return secrets.compare_digest(header, expected)


def create_simulator(state_path: Path, *, username: str = "", password: str = "") -> FastAPI:
    state = SmsSimulatorState(state_path)
    app = FastAPI(title="Cổng SMS (mô phỏng)")
    app.state.simulator = state
    add_controls(app, state)  # /_sim/faults (service "send" or "*"), /_sim/calls

    @app.post(SEND_PATH)
    def send(request: Request, body: dict[str, Any] = Body(...)):  # noqa: B008
        state.record_call(SEND_PATH, SEND, body)
        fault = injected_fault(state, SEND, "cổng SMS")
        if fault is not None:
            return fault
        if not _authorised(request, username, password):
            return JSONResponse({"error": "Sai tài khoản cổng SMS"}, status_code=401)
        recipient, text = str(body.get("to") or ""), str(body.get("text") or "")
        reference = str(body.get("reference") or "")
        if not (recipient.isdigit() and 9 <= len(recipient) <= 15):
            return JSONResponse({"error": "Số điện thoại không hợp lệ"}, status_code=400)
        if not text.strip() or not reference:
            return JSONResponse({"error": "Thiếu nội dung hoặc mã tham chiếu"}, status_code=400)
        message_id, duplicate = state.accept(recipient, text, str(body.get("sender") or ""), reference)
        return {"status": "accepted", "message_id": message_id, "duplicate": duplicate}

    @app.get("/api/sms/status")
    def status(request: Request):
        if not _authorised(request, username, password):
            return JSONResponse({"error": "Sai tài khoản cổng SMS"}, status_code=401)
        return {"status": "ok"}

    @app.get("/_sim/messages")
    def messages():
        return state.messages()

    @app.delete("/_sim/messages")
    def clear_messages():
        state.clear_messages()
        return {"ok": True}

    @app.post("/_sim/reset")
    def reset():
        state.reset()
        return {"ok": True}

    return app
