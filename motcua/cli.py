"""The `motcua` command. Each domain adds its commands through `register(app)` in its cli.py."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from sqlalchemy.orm import Session, sessionmaker

from motcua.core.config import get_settings
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.core.errors import DomainError
from motcua.domains import registry
from motcua.seed import seed_demo_data, seed_reference_data

ROOT = Path(__file__).resolve().parent.parent

app = typer.Typer(
    help="motcua — hệ thống thông tin giải quyết thủ tục hành chính.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Cơ sở dữ liệu.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@contextmanager
def cli_factory() -> Iterator[sessionmaker[Session]]:
    """The configured database's sessionmaker, for a command that opens several units of
    work (reads, then short writes) instead of one."""
    engine = make_engine(get_settings().database_url)
    try:
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()


@contextmanager
def cli_session(*, write: bool = True) -> Iterator[Session]:
    """A unit of work for one command, on the configured database (`write=False` for a
    command that only reads: on SQLite it then never takes the server's write lock)."""
    with cli_factory() as factory, session_scope(factory, write=write) as session:
        yield session


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"Lỗi: {message}", err=True)
    raise typer.Exit(code)


def alembic_config(database_url: str | None = None):
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", database_url or get_settings().database_url)
    return cfg


def upgrade_database(database_url: str | None = None, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(database_url), revision)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Phiên bản đích")) -> None:
    """Áp dụng các migration (Alembic) lên cơ sở dữ liệu."""
    upgrade_database(revision=revision)
    typer.echo("Đã cập nhật cấu trúc cơ sở dữ liệu.")


@db_app.command("check")
def db_check() -> None:
    """Kiểm tra mô hình dữ liệu khớp với migration (alembic check)."""
    from alembic import command

    command.check(alembic_config())
    typer.echo("Mô hình dữ liệu khớp với migration.")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Địa chỉ lắng nghe"),
    port: int = typer.Option(8000, min=1, max=65535, help="Cổng"),
    workers: int = typer.Option(1, min=1, max=64, help="Số tiến trình"),
) -> None:
    """Chạy máy chủ web."""
    import uvicorn

    # The app (in every worker process) reads them: PUBLIC_BASE_URL follows the served port.
    os.environ["HOST"], os.environ["PORT"] = host, str(port)
    uvicorn.run("motcua.main:app", host=host, port=port, workers=workers, proxy_headers=True)


@app.command("seed")
def seed(demo: bool = typer.Option(True, help="Nạp cả dữ liệu minh hoạ (tài khoản, hồ sơ)")) -> None:
    """Nạp dữ liệu tổ chức, danh mục thủ tục, lịch làm việc (và dữ liệu minh hoạ)."""
    with cli_session() as session:
        seed_reference_data(session)
        if demo:
            seed_demo_data(session)
    typer.echo("Đã nạp dữ liệu.")


# Each domain's `cli.py` adds its commands (motcua.domains); a broken one stops the command.
for _register in registry.cli_registrars():
    _register(app)


def main() -> None:
    try:
        app()
    except DomainError as exc:
        typer.echo(f"Lỗi: {exc.message}", err=True)
        sys.exit(1)
