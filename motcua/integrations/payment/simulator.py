"""A local stand-in for the national payment platform (shared/reference/dvcqg.md §9, §13).

- `POST {create}`: a signed order (`wire.CREATE_FIELDS`) from a known merchant → a
  transaction and the URL of its payment page; the same `MaTraCuuTT` again returns the
  same transaction, a different order under it is refused.
- `GET /_sim/pay/{id}`: the payment page (what a citizen sees); `POST /_sim/pay/{id}` pays
  it: the e-receipt number is issued and the signed confirmation is POSTed to the
  configured callback URL (JSON body `{"deliver": false}`: returned instead, for a test to
  deliver). Paying twice changes nothing.
- `POST {lookup}`: a signed look-up by `transaction_id` → the signed confirmation record of
  what the platform holds (`error_code` "404": unknown).
- Test controls: `POST /_sim/reset`; `POST /_sim/faults` (operation `create`, `lookup` or
  `callback`; kind `http` with a status, `delay` seconds, `error_code`, or `drop` — for
  `callback`: the payment is made but its callback never leaves); `DELETE /_sim/faults`;
  `POST /_sim/confirmations/{id}` (the confirmation again — a replay — or, with `tamper`
  "checksum" / "amount" / "status", a forged one; delivered or returned); `PUT /_sim/config`
  (`callback_url`); `GET /_sim/transactions`, `/_sim/calls`, `/_sim/callbacks` (what it
  holds, received and delivered).

State (transactions, faults, calls, deliveries) is kept in a SQLite file.
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

import httpx
from fastapi import Body, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from starlette.concurrency import run_in_threadpool

from motcua.core.clock import now
from motcua.integrations.payment import wire
from motcua.integrations.payment.config import PaymentSettings

DEFAULT_HASH_KEY = "simulator-hash-key"
OPERATIONS = {"create", "lookup", "callback"}
FAULT_KINDS = {"delay", "http", "error_code", "drop"}
TAMPERS = {"checksum", "amount", "status"}

SCHEMA = """
CREATE TABLE IF NOT EXISTS transactions (id TEXT PRIMARY KEY, lookup_code TEXT NOT NULL UNIQUE,
    dossier_code TEXT NOT NULL, amount INTEGER NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL,
    receipt_number TEXT, paid_at TEXT NOT NULL DEFAULT '', created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS faults (id INTEGER PRIMARY KEY AUTOINCREMENT, operation TEXT NOT NULL,
    kind TEXT NOT NULL, value TEXT NOT NULL, remaining INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS calls (id INTEGER PRIMARY KEY AUTOINCREMENT, operation TEXT NOT NULL,
    body TEXT NOT NULL, received REAL NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (id INTEGER PRIMARY KEY AUTOINCREMENT, transaction_id TEXT NOT NULL,
    url TEXT NOT NULL, body TEXT NOT NULL, http_status INTEGER, error TEXT, sent REAL NOT NULL);
CREATE TABLE IF NOT EXISTS config (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
PENDING, PAID = "1", wire.PAID_STATUS  # platform statuses: 1 waiting for payment, 0 paid


class PaymentSimulatorState:
    """The simulator's disk state; every method opens its own connection (request threads)."""

    def __init__(self, path: Path, callback_url: str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        schema = sqlite3.connect(self.path)
        try:
            schema.executescript(SCHEMA)
        finally:
            schema.close()
        self.default_callback_url = callback_url

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.row_factory = sqlite3.Row
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

    def reset(self) -> None:
        with self._db() as db:
            for table in ("transactions", "faults", "calls", "deliveries", "config"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed table names)

    # --- configuration, faults, calls ----------------------------------------------------

    @property
    def callback_url(self) -> str:
        with self._db() as db:
            row = db.execute("SELECT value FROM config WHERE name = 'callback_url'").fetchone()
        return row[0] if row else self.default_callback_url

    def set_callback_url(self, url: str) -> None:
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO config VALUES ('callback_url', ?)", (url,))

    def add_fault(self, operation: str, kind: str, value: str, times: int) -> None:
        with self._db() as db:
            db.execute("INSERT INTO faults (operation, kind, value, remaining) VALUES (?, ?, ?, ?)",
                       (operation, kind, value, times))

    def clear_faults(self) -> None:
        with self._db() as db:
            db.execute("DELETE FROM faults")

    def take_fault(self, operation: str) -> tuple[str, str] | None:
        """The first fault for `operation`, one use consumed; `remaining` -1 = always."""
        with self._db() as db:
            row = db.execute("SELECT id, kind, value, remaining FROM faults WHERE operation = ? AND remaining != 0 "
                             "ORDER BY id LIMIT 1", (operation,)).fetchone()
            if row is None:
                return None
            if row["remaining"] > 0:
                db.execute("UPDATE faults SET remaining = remaining - 1 WHERE id = ?", (row["id"],))
        return row["kind"], row["value"]

    def record_call(self, operation: str, body: dict[str, Any]) -> None:
        with self._db() as db:
            db.execute("INSERT INTO calls (operation, body, received) VALUES (?, ?, ?)",
                       (operation, json.dumps(body, ensure_ascii=False), time.time()))

    def calls(self) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute("SELECT operation, body FROM calls ORDER BY id").fetchall()
        return [{"operation": r["operation"], "body": json.loads(r["body"])} for r in rows]

    def record_delivery(self, transaction_id: str, url: str, body: dict[str, Any], status: int | None,
                        error: str | None) -> None:
        with self._db() as db:
            db.execute("INSERT INTO deliveries (transaction_id, url, body, http_status, error, sent) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       (transaction_id, url, json.dumps(body, ensure_ascii=False), status, error, time.time()))

    def deliveries(self) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute("SELECT transaction_id, url, body, http_status, error FROM deliveries "
                              "ORDER BY id").fetchall()
        return [dict(r) | {"body": json.loads(r["body"])} for r in rows]

    # --- transactions --------------------------------------------------------------------

    def transaction(self, transaction_id: str) -> dict[str, Any] | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM transactions WHERE id = ?", (transaction_id,)).fetchone()
        return _transaction(row) if row else None

    def transactions(self) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute("SELECT * FROM transactions ORDER BY created").fetchall()
        return [_transaction(r) for r in rows]

    def create(self, payload: dict[str, Any], amount: int) -> tuple[dict[str, Any] | None, str]:
        """The transaction of `payload` (new, or the one already made for its `MaTraCuuTT`);
        None with a reason when that code was used for a different order."""
        lookup_code, dossier = wire.text(payload["MaTraCuuTT"]), wire.text(payload["MaHoSo"])
        with self._db() as db:
            row = db.execute("SELECT * FROM transactions WHERE lookup_code = ?", (lookup_code,)).fetchone()
            if row is not None:
                if row["dossier_code"] != dossier or row["amount"] != amount:
                    return None, f"Mã tra cứu {lookup_code} đã dùng cho một giao dịch khác"
                return _transaction(row), ""
            transaction_id = f"KP{secrets.token_hex(8).upper()}"
            db.execute("INSERT INTO transactions (id, lookup_code, dossier_code, amount, payload, status, created) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (transaction_id, lookup_code, dossier, amount, json.dumps(payload, ensure_ascii=False),
                        PENDING, time.time()))
            row = db.execute("SELECT * FROM transactions WHERE id = ?", (transaction_id,)).fetchone()
        return _transaction(row), ""

    def pay(self, transaction_id: str) -> tuple[dict[str, Any] | None, bool]:
        """Pay once: (the transaction, whether this call paid it)."""
        with self._db() as db:
            row = db.execute("SELECT * FROM transactions WHERE id = ?", (transaction_id,)).fetchone()
            if row is None:
                return None, False
            if row["status"] == PAID:
                return _transaction(row), False
            count = db.execute("SELECT COUNT(*) FROM transactions WHERE status = ?", (PAID,)).fetchone()[0]
            receipt = f"BLDT-{now().year}-{count + 1:07d}"
            db.execute("UPDATE transactions SET status = ?, receipt_number = ?, paid_at = ? WHERE id = ?",
                       (PAID, receipt, wire.format_date(now()), transaction_id))
            row = db.execute("SELECT * FROM transactions WHERE id = ?", (transaction_id,)).fetchone()
        return _transaction(row), True


def _transaction(row: sqlite3.Row) -> dict[str, Any]:
    return {"transaction_id": row["id"], "lookup_code": row["lookup_code"], "dossier_code": row["dossier_code"],
            "amount": row["amount"], "status": row["status"], "receipt_number": row["receipt_number"],
            "paid_at": row["paid_at"], "payload": json.loads(row["payload"])}


def confirmation(key: str, tx: dict[str, Any], tamper: str = "") -> dict[str, Any]:
    """The signed confirmation of what the platform holds for `tx`; `tamper` forges it: a
    wrong checksum, or a changed amount or status under the original checksum."""
    body = {"transaction_id": tx["transaction_id"], "MaTraCuuTT": tx["lookup_code"], "status": tx["status"],
            "SoTien": str(tx["amount"]), "MaBienLai": tx["receipt_number"] or "", "NgayThanhToan": tx["paid_at"]}
    body = wire.signed(key, body)
    if tamper == "checksum":
        body["check_sum"] = wire.checksum("not-the-shared-key", body)
    elif tamper == "amount":
        body["SoTien"] = str(tx["amount"] // 10)
    elif tamper == "status":
        body["status"] = PAID if tx["status"] != PAID else PENDING
    return body


def _reply(error_code: str, message: str, status: int = 200, **extra: Any) -> JSONResponse:
    return JSONResponse({"error_code": error_code, "message": message} | extra, status_code=status)


def _fault(state: PaymentSimulatorState, operation: str) -> JSONResponse | PlainTextResponse | None:
    fault = state.take_fault(operation)
    if fault is None:
        return None
    kind, value = fault
    if kind == "delay":
        time.sleep(float(value or 0))
        return None
    if kind == "http":
        return PlainTextResponse("Lỗi máy chủ giả lập", status_code=int(value or 500))
    if kind == "error_code":
        return _reply(value or "-1", "Lỗi giả lập của nền tảng thanh toán")
    return None


def _amount(payload: dict[str, Any]) -> int | None:
    """The order's total when every fee line is a non-negative whole number of đồng that adds
    up to `TongTien`; None otherwise."""
    lines = payload.get("PhiLePhi")
    if not isinstance(lines, list) or not lines:
        return None
    try:
        amounts = [int(wire.text(line.get("SoTien"))) for line in lines]
        total = int(wire.text(payload.get("TongTien")))
    except (AttributeError, ValueError):
        return None
    return total if all(a >= 0 for a in amounts) and sum(amounts) == total else None


def create_simulator(
    state_path: Path,
    *,
    hash_key: str = DEFAULT_HASH_KEY,
    merchant_code: str | None = None,
    callback_url: str | None = None,
    settings: PaymentSettings | None = None,
) -> FastAPI:
    """The simulator app; its platform paths are those the adapter is configured with."""
    config = settings or PaymentSettings()
    merchant = merchant_code or config.merchant_code
    state = PaymentSimulatorState(state_path, callback_url or config.callback_url)
    app = FastAPI(title="Mô phỏng Nền tảng thanh toán quốc gia", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.simulator = state

    def deliver(tx_id: str, body: dict[str, Any], send: bool) -> dict[str, Any]:
        """POST a confirmation to the app's callback (unless `send` is false or a `callback`
        fault drops it); what happened, with the body, for the caller."""
        result: dict[str, Any] = {"confirmation": body, "delivered": False, "callback_status": None}
        if not send:
            return result
        fault = state.take_fault("callback")
        if fault is not None and fault[0] == "drop":
            state.record_delivery(tx_id, "", body, None, "dropped (fault)")
            return result
        url = state.callback_url
        try:
            response = httpx.post(url, json=body, timeout=10)
        except httpx.HTTPError as exc:
            state.record_delivery(tx_id, url, body, None, str(exc))
            return result | {"error": str(exc)}
        state.record_delivery(tx_id, url, body, response.status_code, None)
        return result | {"delivered": True, "callback_status": response.status_code}

    def refused(operation: str, body: dict[str, Any], fields: tuple[str, ...]):
        """What answers a call instead of the operation: an injected fault, or a call not
        signed by the merchant; None when the call goes ahead."""
        state.record_call(operation, body)
        failed = _fault(state, operation)
        if failed is not None:
            return failed
        if wire.text(body.get("merchant_code")) != merchant or not wire.checksum_valid(hash_key, body, fields):
            return _reply("401", "Sai mã đối tác hoặc mã kiểm tra (check_sum)")
        return None

    @app.post(config.create_endpoint)
    def create(request: Request, body: dict[str, Any] = Body(...)):  # noqa: B008
        if (answer := refused("create", body, wire.CREATE_FIELDS)) is not None:
            return answer
        if not wire.text(body.get("MaHoSo")) or not wire.text(body.get("MaTraCuuTT")):
            return _reply("2", "Thiếu mã hồ sơ (MaHoSo) hoặc mã tra cứu thanh toán (MaTraCuuTT)")
        amount = _amount(body)
        if amount is None or amount <= 0:
            return _reply("2", "Danh sách phí, lệ phí (PhiLePhi) hoặc tổng tiền (TongTien) không hợp lệ")
        tx, problem = state.create({k: v for k, v in body.items() if k != "check_sum"}, amount)
        if tx is None:
            return _reply("3", problem)
        page = str(request.url_for("payment_page", transaction_id=tx["transaction_id"]))
        return _reply("0", "Thành công", transaction_id=tx["transaction_id"], payment_url=page)

    @app.post(config.lookup_endpoint)
    def lookup(body: dict[str, Any] = Body(...)):  # noqa: B008
        if (answer := refused("lookup", body, wire.LOOKUP_FIELDS)) is not None:
            return answer
        tx = state.transaction(wire.text(body.get("transaction_id")))
        if tx is None:
            return _reply("404", "Không tìm thấy giao dịch", result=[])
        return _reply("0", "Thành công", result=[confirmation(hash_key, tx)])

    @app.get("/_sim/pay/{transaction_id}", response_class=HTMLResponse, name="payment_page")
    def payment_page(transaction_id: str):
        tx = state.transaction(transaction_id)
        if tx is None:
            return HTMLResponse("<p>Không tìm thấy giao dịch.</p>", status_code=404)
        paid = tx["status"] == PAID
        lines = "".join(f"<li>{line.get('TenPhiLePhi', '')}: {line.get('SoTien', '')} đồng</li>"
                        for line in tx["payload"].get("PhiLePhi", []))
        action = (f"<p>Đã thanh toán. Biên lai điện tử số {tx['receipt_number']}.</p>" if paid else
                  f'<form method="post" action="/_sim/pay/{transaction_id}"><button>Thanh toán</button></form>')
        return HTMLResponse(
            f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>Thanh toán hồ sơ {tx["dossier_code"]}'
            f"</title><h1>Thanh toán phí, lệ phí hồ sơ {tx['dossier_code']} (mô phỏng)</h1><ul>{lines}</ul>"
            f"<p>Tổng: {tx['amount']} đồng</p>{action}</html>")

    @app.post("/_sim/pay/{transaction_id}")
    async def pay(transaction_id: str, request: Request):
        # The page's form posts no JSON; a test may post {"deliver": false}.
        send = True
        if request.headers.get("content-type", "").startswith("application/json"):
            body = await request.json()
            send = bool(body.get("deliver", True)) if isinstance(body, dict) else True
        # Blocking work (SQLite, the outgoing callback) off the event loop.
        return await run_in_threadpool(pay_sync, transaction_id, send)

    def pay_sync(transaction_id: str, send: bool):
        tx, paid_now = state.pay(transaction_id)
        if tx is None:
            return JSONResponse({"error": "Không tìm thấy giao dịch"}, status_code=404)
        body = confirmation(hash_key, tx)
        if not paid_now:
            return {"confirmation": body, "delivered": False, "callback_status": None, "already_paid": True}
        return deliver(transaction_id, body, send) | {"already_paid": False}

    @app.post("/_sim/confirmations/{transaction_id}")
    def confirmations(transaction_id: str, body: dict[str, Any] = Body(default={})):  # noqa: B008
        tamper = wire.text(body.get("tamper"))
        if tamper and tamper not in TAMPERS:
            return JSONResponse({"error": f"tamper must be one of {sorted(TAMPERS)}"}, status_code=422)
        tx = state.transaction(transaction_id)
        if tx is None:
            return JSONResponse({"error": "Không tìm thấy giao dịch"}, status_code=404)
        return deliver(transaction_id, confirmation(hash_key, tx, tamper), bool(body.get("deliver", True)))

    @app.post("/_sim/reset")
    def reset():
        state.reset()
        return {"ok": True}

    @app.post("/_sim/faults")
    def add_fault(body: dict[str, Any] = Body(...)):  # noqa: B008
        operation, kind = wire.text(body.get("operation")), wire.text(body.get("kind"))
        if operation not in OPERATIONS or kind not in FAULT_KINDS:
            return JSONResponse({"error": f"operation must be one of {sorted(OPERATIONS)}, "
                                          f"kind one of {sorted(FAULT_KINDS)}"}, status_code=422)
        state.add_fault(operation, kind, wire.text(body.get("value")), int(body.get("times", 1)))
        return {"ok": True}

    @app.delete("/_sim/faults")
    def clear_faults():
        state.clear_faults()
        return {"ok": True}

    @app.put("/_sim/config")
    def put_config(body: dict[str, Any] = Body(...)):  # noqa: B008
        if wire.text(body.get("callback_url")):
            state.set_callback_url(wire.text(body["callback_url"]))
        return {"callback_url": state.callback_url}

    @app.get("/_sim/transactions")
    def transactions():
        return state.transactions()

    @app.get("/_sim/calls")
    def calls():
        return state.calls()

    @app.get("/_sim/callbacks")
    def callbacks():
        return state.deliveries()

    return app

