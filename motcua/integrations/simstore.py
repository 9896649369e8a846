"""What every simulator keeps on disk: one SQLite file with its own tables, the faults tests
inject and the calls it received (shared/reference/dvcqg.md §13: persist so it is
restartable, inject faults per service, expose what it received).

Every method opens its own connection in an immediate transaction, so the request threads of
a simulator never share one and two requests never interleave their reads and writes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BASE_SCHEMA = """
CREATE TABLE IF NOT EXISTS faults (id INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT NOT NULL,
    kind TEXT NOT NULL, value TEXT NOT NULL, remaining INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS calls (id INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT NOT NULL,
    body TEXT NOT NULL, received REAL NOT NULL);
"""


class SimulatorStore:
    """A simulator's SQLite file: `schema` (its own tables) beside the faults and calls."""

    def __init__(self, path: Path, schema: str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path)
        try:
            connection.executescript(BASE_SCHEMA + schema)
        finally:
            connection.close()

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

    def clear(self, *tables: str) -> None:
        """Empty `tables` and the faults and calls (a reset)."""
        with self.db() as db:
            for table in (*tables, "faults", "calls"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 (names from the simulator's code)

    def add_fault(self, target: str, kind: str, value: str, times: int) -> None:
        with self.db() as db:
            db.execute("INSERT INTO faults (target, kind, value, remaining) VALUES (?, ?, ?, ?)",
                       (target, kind, value, times))

    def clear_faults(self) -> None:
        with self.db() as db:
            db.execute("DELETE FROM faults")

    def take_fault(self, target: str) -> tuple[str, str] | None:
        """The first fault for `target` (or "*"), one use consumed; `remaining` -1 = always."""
        with self.db() as db:
            row = db.execute(
                "SELECT id, kind, value, remaining FROM faults WHERE target IN (?, '*') AND remaining != 0 "
                "ORDER BY id LIMIT 1", (target,)).fetchone()
            if row is None:
                return None
            if row[3] > 0:
                db.execute("UPDATE faults SET remaining = remaining - 1 WHERE id = ?", (row[0],))
        return row[1], row[2]

    def record_call(self, target: str, body: dict[str, Any]) -> None:
        with self.db() as db:
            db.execute("INSERT INTO calls (target, body, received) VALUES (?, ?, ?)",
                       (target, json.dumps(body, ensure_ascii=False), time.time()))

    def calls(self) -> list[tuple[str, dict[str, Any]]]:
        """(target, body) of every call received, in order."""
        with self.db() as db:
            rows = db.execute("SELECT target, body FROM calls ORDER BY id").fetchall()
        return [(target, json.loads(body)) for target, body in rows]
