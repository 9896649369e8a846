"""`motcua worker --once`, `motcua dvcqg sync` and `motcua dvcqg reconcile` on a fresh database
against the simulator (real HTTP): a portal failing then timing out for a while loses nothing
and sends nothing twice once it recovers; reconcile then reports 0 differences."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from motcua.catalog.models import NationalCode
from motcua.cli import app
from motcua.core.config import get_settings
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from tests.databases import fresh_url
from tests.dossiers.world import build_world, receive
from tests.integrations.dvcqg.fixtures import PASSWORD

MARRIAGE = "1.000894"


@pytest.fixture
def cli_database(tmp_path, monkeypatch, simulator):
    url = fresh_url("sqlite", "migrated", tmp_path, "dvcqg")
    engine = make_engine(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DVCQG_URL", simulator.url)
    monkeypatch.setenv("MOTCUA_DVCQG_PASSWORD", PASSWORD)
    monkeypatch.setenv("MOTCUA_DVCQG_TIMEOUT_SECONDS", "2")
    get_settings.cache_clear()
    try:
        yield make_sessionmaker(engine)
    finally:
        get_settings.cache_clear()
        engine.dispose()


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_portal_down_then_slow_then_back(cli_database, simulator):
    with session_scope(cli_database) as session:
        w = build_world(session)
        session.add(NationalCode(procedure_id=w.p_dept.id, national_code=MARRIAGE, national_name="Đăng ký kết hôn",
                                 confirmed_by="kiểm thử"))
        session.flush()
        codes = [receive(session, w).code for _ in range(3)]

    simulator.fault("*", "http", "503", times=-1)  # down
    worker = run("worker", "--once")
    assert worker.exit_code == 0, worker.output
    assert "[dvcqg-dossier-sync] đồng bộ 0 hồ sơ (0 bước xử lý), 3 hồ sơ gửi lỗi (thử lại sau)" in worker.output
    assert "[dvcqg-inbound] không nhận được hồ sơ trực tuyến" in worker.output
    down = run("dvcqg", "reconcile")
    assert down.exit_code == 1 and "không tra cứu được" in down.output

    # Back, but the first progress call is carried out after our 2 s timeout.
    simulator.control("DELETE", "/_sim/faults")
    simulator.fault("CapNhatTienDoHoSoMC", "delay", "3", times=1)
    waiting = run("dvcqg", "sync")  # every dossier is waiting for its back-off
    assert waiting.output.startswith("đồng bộ 0 hồ sơ")
    slow = run("dvcqg", "sync", "--now")
    assert "2 hồ sơ (2 bước xử lý), 1 hồ sơ gửi lỗi" in slow.output and "không trả lời" in slow.output
    time.sleep(1.5)
    assert run("dvcqg", "sync", "--now").output.startswith("đồng bộ 1 hồ sơ (0 bước xử lý)")

    for code in codes:
        held = simulator.held(code)
        assert held["TrangThaiHoSo"] == "2" and [p["TrangThai"] for p in held["progress"]] == ["2"], code
    result = run("dvcqg", "reconcile")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Đã đối soát 3 hồ sơ: 0 khác biệt.")
    assert run("worker", "--once").output.count("[dvcqg-") == 3
