"""The online channel's demo (`./run.sh`): procedures named exactly like one national procedure
of the simulator's catalogue are mapped as demo data, and `motcua dvcqg demo-submit` puts
citizens' submissions on the simulator that the worker then brings into the online queue."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from motcua.catalog.models import NationalCode, Procedure
from motcua.cli import app
from motcua.core.config import get_settings
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.core.text import fold
from motcua.dossiers.enums import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.dvcqg.demo import DEMO_CONFIRMER, map_exact_names
from motcua.integrations.dvcqg.simulator import DEFAULT_CATALOG
from tests.databases import fresh_url
from tests.integrations.dvcqg.fixtures import PASSWORD


@pytest.fixture
def demo_database(tmp_path, monkeypatch, simulator):
    url = fresh_url("sqlite", "demo", tmp_path, "dvcqg-demo")
    engine = make_engine(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DVCQG_URL", simulator.url)
    monkeypatch.setenv("MOTCUA_DVCQG_PASSWORD", PASSWORD)
    get_settings.cache_clear()
    try:
        yield make_sessionmaker(engine)
    finally:
        get_settings.cache_clear()
        engine.dispose()


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_the_demo_maps_only_names_equal_to_one_national_procedure(demo_database):
    names: dict[str, list[str]] = {}
    for line in DEFAULT_CATALOG.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            names.setdefault(fold(record["name"]), []).append(record["code"])
    with session_scope(demo_database) as session:
        rows = session.execute(select(Procedure.name_folded, NationalCode.national_code, NationalCode.confirmed_by)
                               .join(NationalCode, NationalCode.procedure_id == Procedure.id)).all()
        assert len(rows) > 100  # the demo seed mapped them
        assert all(names[name] == [code] and by == DEMO_CONFIRMER for name, code, by in rows)
        assert map_exact_names(session) == 0  # idempotent


def test_demo_submissions_reach_the_online_queue(demo_database, simulator):
    submitted = run("dvcqg", "demo-submit", "--count", "2", "--wait", "5")
    assert submitted.exit_code == 0, submitted.output
    codes = re.findall(r"^Đã nộp trực tuyến hồ sơ (\S+):", submitted.output, flags=re.M)
    assert len(codes) == 2
    assert [simulator.held(code)["record"]["MaTTHC"] for code in codes]  # the simulator holds them

    worker = run("worker", "--once")
    assert worker.exit_code == 0, worker.output
    assert "[dvcqg-inbound] nhận 2 hồ sơ trực tuyến mới" in worker.output
    with session_scope(demo_database) as session:
        online = session.scalars(select(Dossier.code).where(Dossier.status == DossierStatus.submitted_online.value))
        assert sorted(online) == sorted(codes)
        assert session.scalar(select(func.count()).select_from(Dossier).where(Dossier.code.in_(codes))) == 2


def test_demo_submit_says_when_the_simulator_cannot_be_reached(demo_database, monkeypatch):
    monkeypatch.setenv("DVCQG_URL", "http://127.0.0.1:9")
    failed = run("dvcqg", "demo-submit", "--wait", "0.5")
    assert failed.exit_code != 0
    assert "Không kết nối được trình mô phỏng Cổng DVCQG tại http://127.0.0.1:9." in failed.output
