"""`motcua org list` and `motcua org set-code` on a scratch SQLite database."""

import pytest
from typer.testing import CliRunner

from motcua.core.config import get_settings
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.models import metadata
from motcua.org.seed import seed_organisation

ORG_TABLES = ["administrative_units", "agencies", "agency_aliases", "qms_rollout_units"]


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    metadata.create_all(engine, tables=[metadata.tables[name] for name in ORG_TABLES])
    with session_scope(make_sessionmaker(engine)) as session:
        seed_organisation(session)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def run(*args):
    from motcua.cli import app

    return CliRunner().invoke(app, list(args))


def test_org_list(cli_db):
    result = run("org", "list", "--level", "province")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["000.00.00.H37", "Cấp", "tỉnh", "UBND", "tỉnh", "Lạng", "Sơn"]
    assert "000.00.04.H37*" in result.output and "Sở Tư pháp" in result.output
    assert "Sở Kế hoạch và Đầu tư" not in result.output  # dissolved: only with --all
    result = run("org", "list", "--level", "district", "--all")
    assert "(giải thể/sáp nhập 01/07/2025)" in result.output
    assert result.output.splitlines()[-1] == "Tổng số: 153 cơ quan (* = mã tạm)."


def test_org_list_bad_level(cli_db):
    result = run("org", "list", "--level", "tinh")
    assert result.exit_code == 1
    assert "Lỗi: Cấp “tinh” không hợp lệ" in result.output


def test_org_set_code(cli_db):
    result = run("org", "set-code", "--agency", "000.00.04.H37", "--new-code", "000.00.93.H37")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Đã đổi mã “Sở Tư pháp”: 000.00.04.H37 → 000.00.93.H37 (mã chính thức)."
    listed = run("org", "list", "--q", "so tu phap")
    assert "000.00.93.H37 " in listed.output
    clash = run("org", "set-code", "--agency", "000.00.93.H37", "--new-code", "000.00.15.H37")
    assert clash.exit_code == 1 and "đã được dùng cho “Sở Khoa học và Công nghệ”" in clash.output
    missing = run("org", "set-code", "--agency", "nope", "--new-code", "000.00.94.H37")
    assert missing.exit_code == 1 and "Không tìm thấy cơ quan có mã “nope”" in missing.output
    bad = run("org", "set-code", "--agency", "000.00.93.H37", "--new-code", "93")
    assert bad.exit_code == 1 and "QCVN 102" in bad.output
