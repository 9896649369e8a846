"""Databases for tests, built once per run and copied: one PostgreSQL server for the run.

Running the migrations and `seed_reference_data` takes seconds (≈1.6 s on SQLite, more on
PostgreSQL; the demo data more again), and many tests need a database of their own (real
commits, several connections, a server in another process). So each stage is built once
per run as a template and each test gets a copy:

- `migrated`: the Alembic migrations; `reference`: + `seed_reference_data`;
  `demo`: + `seed_demo_data` (demo accounts and dossiers).
- SQLite: the template file is copied (built and closed first, so its WAL is checkpointed
  into it and removed); PostgreSQL: `CREATE DATABASE … TEMPLATE` (nobody is connected to
  a finished template).

Shared by the xdist workers: the controller makes a folder and hands it to each worker
(`pytest_configure_node`); the first worker that needs a template (or the PostgreSQL
server) makes it under a file lock while the other waits, and the controller stops the
server and removes the folder at the end. With `-n 0` the one process is both.
"""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Literal

import psycopg

from motcua.cli import upgrade_database
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.seed import seed_demo_data, seed_reference_data
from tests.needs import missing
from tests.pg_harness import PgServer, find_pg_bindir, start_pg_server

Variant = Literal["migrated", "reference", "demo"]
STAGES: tuple[Variant, ...] = ("migrated", "reference", "demo")
_SHARED_OPTION = "motcua_shared_dir"
_shared: Path | None = None
_owner = False
_ready: set[tuple[str, str]] = set()  # templates this process knows are built
_server: PgServer | None = None
_numbers = itertools.count(1)


# --- the shared folder (pytest hooks, called from tests/conftest.py) ----------------------


def configure(config) -> None:
    global _shared, _owner
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        _shared = Path(workerinput[_SHARED_OPTION])
    else:
        _shared, _owner = Path(tempfile.mkdtemp(prefix="motcua-tests-")), True


def configure_node(node) -> None:
    node.workerinput[_SHARED_OPTION] = str(_shared)


def unconfigure(config) -> None:
    if not _owner or _shared is None:
        return
    info = _shared / "pg.json"
    if info.exists():
        _load_server(info).stop()
    shutil.rmtree(_shared, ignore_errors=True)


@contextmanager
def _locked(name: str) -> Iterator[None]:
    with open(_shared / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- the PostgreSQL server ----------------------------------------------------------------


def _load_server(info: Path) -> PgServer:
    fields = json.loads(info.read_text())
    return PgServer(bindir=Path(fields["bindir"]), datadir=Path(fields["datadir"]), port=fields["port"],
                    run_as=fields["run_as"])


def pg_server() -> PgServer:
    """The run's PostgreSQL server (started by the first process that needs it); a test
    without the server binaries is skipped (failed under CI=true)."""
    global _server
    if _server is None:
        if find_pg_bindir() is None:
            missing("PostgreSQL server binaries are not installed")
        info = _shared / "pg.json"
        with _locked("pg"):
            if not info.exists():
                server = start_pg_server()
                fields = asdict(server) | {"bindir": str(server.bindir), "datadir": str(server.datadir)}
                info.write_text(json.dumps(fields))
            _server = _load_server(info)
    return _server


def _pg_create(target: str, template: str | None) -> None:
    server = pg_server()
    with psycopg.connect(f"host=127.0.0.1 port={server.port} user=postgres dbname=postgres",
                         autocommit=True) as conn:
        # FILE_COPY (PostgreSQL 15+; before it the only way): the template's files are copied
        # as they are (after a checkpoint, cheap with fsync off) instead of WAL-logging every
        # page, about twice as fast at these sizes.
        strategy = " STRATEGY FILE_COPY" if conn.info.server_version >= 150000 else ""
        source = f'"{template}"' if template else "template0"
        conn.execute(f"CREATE DATABASE \"{target}\" ENCODING 'UTF8' TEMPLATE {source}{strategy}")


# --- building a stage ---------------------------------------------------------------------


def _add_stage(url: str, variant: Variant) -> None:
    """Bring a database at the stage before `variant` to `variant`."""
    if variant == "migrated":
        upgrade_database(url)
        return
    engine = make_engine(url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            (seed_reference_data if variant == "reference" else seed_demo_data)(session)
    finally:
        engine.dispose()


def build(url: str, variant: Variant) -> None:
    """Migrate and seed the empty database `url` up to `variant`, from scratch (benchmarks)."""
    for stage in STAGES[: STAGES.index(variant) + 1]:
        _add_stage(url, stage)


def _template(backend: str, variant: Variant) -> str:
    """The template of `variant` (a SQLite file path or a PostgreSQL database name), built
    from a copy of the previous stage's template the first time any process asks."""
    name = f"template_{variant}"
    target = str(_shared / f"{name}.db") if backend == "sqlite" else f"motcua_{name}"
    if (backend, variant) in _ready:
        return target
    done = _shared / f"{backend}-{name}.done"
    with _locked(f"{backend}-{name}"):
        if not done.exists():
            index = STAGES.index(variant)
            url = _create(backend, target, _template(backend, STAGES[index - 1]) if index else None)
            _add_stage(url, variant)
            if backend == "sqlite" and Path(f"{target}-wal").exists():
                raise RuntimeError(f"{target}: the WAL was not checkpointed; a copy would miss writes")
            done.touch()
    _ready.add((backend, variant))
    return target


def _create(backend: str, target: str, template: str | None) -> str:
    """A new database `target` (an empty one, or a copy of `template`); its URL."""
    if backend == "sqlite":
        if template is not None:
            shutil.copyfile(template, target)
        return f"sqlite:///{target}"
    if backend != "postgresql":
        raise ValueError(f"unknown backend {backend}")
    _pg_create(target, template)
    return pg_server().url(target)


def fresh_url(backend: str, variant: Variant, directory: Path, name: str) -> str:
    """The URL of a new database of `backend` at stage `variant`, a copy of its template:
    on SQLite the file `directory`/`name`.db, on PostgreSQL a database named after `name`,
    this worker and a number (unique in the run)."""
    template = _template(backend, variant)
    if backend == "sqlite":
        Path(directory).mkdir(parents=True, exist_ok=True)
        return _create(backend, str(Path(directory) / f"{name}.db"), template)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return _create(backend, f"motcua_{name}_{worker}_{next(_numbers)}", template)
