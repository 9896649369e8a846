"""Reference data and demo data, loaded by `./run.sh` and by the test harness.

`seed_reference_data` is what every installation needs (organisation, catalogue,
calendar); `seed_demo_data` adds demo-only staff accounts and dossiers. Both are
idempotent: running them twice changes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer
from sqlalchemy.orm import Session

from motcua.auth.seed import seed_demo_users
from motcua.calendar.seed import seed_calendar
from motcua.catalog.seed import seed_catalog
from motcua.documents.seed import seed_form_definitions
from motcua.dossiers.seed import seed_demo_dossiers
from motcua.org.seed import seed_organisation

SEEDS_DIR = Path(os.environ.get("MOTCUA_SEEDS_DIR", Path(__file__).resolve().parent.parent / "data" / "seeds"))
CATALOG_SEED = SEEDS_DIR / "003_63ef3d5cf247435b.txt"


def seed_reference_data(session: Session) -> None:
    """Organisation, procedure catalogue and working-day calendar."""
    seed_organisation(session)
    seed_catalog(session, CATALOG_SEED)
    seed_calendar(session)
    seed_form_definitions(session)


def seed_demo_data(session: Session) -> None:
    """Demo staff accounts and dossiers (documented in the README as demo-only)."""
    seed_demo_users(session)
    seed_demo_dossiers(session)


def register(app: typer.Typer) -> None:
    @app.command("seed")
    def seed_command(demo: bool = typer.Option(True, help="Nạp cả dữ liệu minh hoạ (tài khoản, hồ sơ)")) -> None:
        """Nạp dữ liệu tổ chức, danh mục thủ tục, lịch làm việc (và dữ liệu minh hoạ)."""
        from motcua.cli import cli_session

        with cli_session() as session:
            seed_reference_data(session)
            if demo:
                seed_demo_data(session)
        typer.echo("Đã nạp dữ liệu.")
