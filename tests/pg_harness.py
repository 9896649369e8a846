"""Start a throw-away PostgreSQL server for the test session (initdb + pg_ctl, free port).

Run as root, the server runs as the `postgres` system user via `runuser`, as on a
Debian machine; run as an ordinary user, it runs as that user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def find_pg_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    for candidate in candidates:
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    pg_config = shutil.which("pg_config")
    if pg_config:
        bindir = Path(subprocess.run([pg_config, "--bindir"], capture_output=True, text=True).stdout.strip())
        if (bindir / "initdb").exists():
            return bindir
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    bindir: Path
    datadir: Path
    port: int
    run_as: str | None

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", self.run_as, "--", *args] if self.run_as else list(args)

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(self._cmd(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"),
                       capture_output=True)
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start_pg_server() -> PgServer:
    bindir = find_pg_bindir()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) not found")
    run_as = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="motcua-pg-"))
    datadir = root / "data"
    if run_as:
        shutil.chown(root, user=run_as)
        os.chmod(root, 0o700)
    server = PgServer(bindir=bindir, datadir=datadir, port=free_port(), run_as=run_as)
    subprocess.run(
        server._cmd(str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"),
        check=True, capture_output=True,
    )
    # 400 connections: the xdist workers share the server (tests/databases.py), each with
    # its pools and, in the load tests, uvicorn workers of its own with pools of up to 30.
    options = (f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=400")
    subprocess.run(
        server._cmd(str(bindir / "pg_ctl"), "-D", str(datadir), "-o", options, "-l", str(root / "log"), "-w", "start"),
        check=True, capture_output=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError("PostgreSQL did not start")
