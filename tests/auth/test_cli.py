"""`motcua create-user` and `motcua token` against the test database.

CLI commands commit, so these tests use only the `engine` fixture (no open test
transaction that would block them) and delete what they created.
"""

import pytest
from sqlalchemy import delete, select
from typer.testing import CliRunner

from motcua.auth import service
from motcua.auth.models import ApiToken, User, UserRole
from motcua.cli import app
from motcua.core.config import get_settings
from motcua.core.db import make_sessionmaker

USERNAME = "cli.kiemthu"


@pytest.fixture
def cli_db(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()
    with engine.begin() as conn:
        ids = select(User.id).where(User.username == USERNAME)
        conn.execute(delete(ApiToken).where(ApiToken.user_id.in_(ids)))
        conn.execute(delete(UserRole).where(UserRole.user_id.in_(ids)))
        conn.execute(delete(User).where(User.username == USERNAME))


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def create_args(**overrides) -> list[str]:
    values = {"--username": USERNAME, "--password": "matkhau-dai", "--full-name": "Kiểm Thử CLI",
              "--agency": "000.00.00.H37"} | overrides
    args = [part for pair in values.items() for part in pair]
    return ["create-user", *args, "--role", "province_admin", "--role", "reform_officer"]


def test_create_user_then_token(cli_db):
    result = run(*create_args())
    assert result.exit_code == 0, result.output
    assert "Đã tạo tài khoản “cli.kiemthu”" in result.output
    with make_sessionmaker(cli_db)() as session:
        user = service.get_user(session, USERNAME)
        assert sorted(r.role for r in user.roles) == ["province_admin", "reform_officer"]
        assert user.roles[0].agency.code == "000.00.00.H37"

    result = run("token", "--username", USERNAME, "--name", "Kịch bản")
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("mct_") and "\n" not in token
    with make_sessionmaker(cli_db)() as session:
        assert service.resolve_token(session, token).username == USERNAME

    reset = run("set-password", "--username", USERNAME, "--password", "mat-khau-moi-3")
    assert reset.exit_code == 0, reset.output
    with make_sessionmaker(cli_db)() as session:
        assert service.authenticate(session, username=USERNAME, password="mat-khau-moi-3").ok

    duplicate = run(*create_args())
    assert duplicate.exit_code == 1
    assert "Lỗi: Tên đăng nhập “cli.kiemthu” đã được sử dụng." in duplicate.output


def test_create_user_rejects_bad_arguments_in_vietnamese(cli_db):
    unknown_agency = run(*create_args(**{"--agency": "999.99.99.H37"}))
    assert unknown_agency.exit_code == 1
    assert "Không tìm thấy cơ quan có mã “999.99.99.H37”" in unknown_agency.output

    bad_role = run("create-user", "--username", USERNAME, "--password", "matkhau-dai", "--full-name", "X",
                   "--agency", "000.00.00.H37", "--role", "giam_doc")
    assert bad_role.exit_code == 1
    assert "Vai trò không hợp lệ: “giam_doc”" in bad_role.output
    assert "counter_officer (Công chức Bộ phận Một cửa)" in bad_role.output

    short = run(*create_args(**{"--password": "ngan"}))
    assert short.exit_code == 1
    assert "Mật khẩu phải có ít nhất 8 ký tự." in short.output

    missing = run("create-user", "--username", USERNAME)
    assert missing.exit_code == 1
    assert "thiếu tham số --password, --full-name, --agency, --role" in missing.output

    with make_sessionmaker(cli_db)() as session:
        assert service.find_user(session, USERNAME) is None


def test_token_for_unknown_user_fails(cli_db):
    result = run("token", "--username", "khong.co.ai")
    assert result.exit_code == 1
    assert "Không tìm thấy tài khoản “khong.co.ai”" in result.output
