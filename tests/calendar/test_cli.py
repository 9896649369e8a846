"""CLI: `motcua calendar due|days|add-day|confirm-day|remove-day` on a real (SQLite) database."""

import json

import pytest
from typer.testing import CliRunner

from motcua.core.config import get_settings
from tests.databases import fresh_url

runner = CliRunner()


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    return fresh_url("sqlite", "reference", tmp_path_factory.mktemp("cli"), "cli")


@pytest.fixture
def cli(database_url, monkeypatch):
    from motcua.cli import app

    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()

    def invoke(*args: str):
        return runner.invoke(app, ["calendar", *args])

    yield invoke
    get_settings.cache_clear()


def test_due_json_prints_one_object(cli):
    result = cli("due", "--received-at", "2025-01-24T15:30", "--working-days", "3", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["effective_receipt_at"] == "2025-02-03T07:30:00+07:00"
    assert body["due_at"] == "2025-02-06T17:00:00+07:00"
    assert body["trace"][1]["kind"] == "receipt_moved"


def test_due_readable(cli):
    result = cli(
        "due", "--received-at", "2025-04-25T15:30", "--working-hours", "4", "--cutoff", "16:00"
    )
    assert result.exit_code == 0, result.output
    assert "Hẹn trả kết quả:   10:00 Thứ Bảy, 26/04/2025" in result.stdout
    assert "Giải thích:" in result.stdout


def test_due_with_the_province_agency(cli):
    result = cli(
        "due",
        "--received-at",
        "2025-01-22T12:00",
        "--working-days",
        "0",
        "--agency",
        "000.00.00.H37",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["effective_receipt_at"] == "2025-01-22T13:00:00+07:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--working-days", "-1"], "Lỗi: Số ngày làm việc không được âm."),
        ([], "Lỗi: Cần nhập đúng một trong hai: số ngày làm việc hoặc số giờ làm việc."),
        (["--working-days", "1", "--working-hours", "2"], "Lỗi: Cần nhập đúng một trong hai"),
        (["--working-days", "1", "--cutoff", "3pm"], "Lỗi: Giờ chốt tiếp nhận không hợp lệ: “3pm”"),
        (
            ["--working-days", "1", "--agency", "000.00.99.Z99"],
            "Lỗi: Không tìm thấy cơ quan có mã “000.00.99.Z99”.",
        ),
    ],
)
def test_due_bad_input(cli, args, message):
    result = cli("due", "--received-at", "2025-01-24T15:30", *args)
    assert result.exit_code == 1
    assert message in result.stderr


def test_due_malformed_time(cli):
    result = cli("due", "--received-at", "24/01/2025 15:30", "--working-days", "1")
    assert result.exit_code == 1
    assert "Lỗi: Thời điểm tiếp nhận không hợp lệ" in result.stderr


def test_add_confirm_and_remove_days(cli):
    added = cli(
        "add-day",
        "--date",
        "2027-10-11",
        "--kind",
        "day_off",
        "--name",
        "Ngày nghỉ hoán đổi",
        "--source",
        "Công văn 1/VPCP-KGVX (thử nghiệm)",
    )
    assert added.exit_code == 0, added.output
    assert (
        added.stdout.strip()
        == "Đã thêm ngày nghỉ (hoán đổi, nghỉ bù) 11/10/2027: Ngày nghỉ hoán đổi."
    )
    again = cli(
        "add-day", "--date", "2027-10-11", "--kind", "day_off", "--name", "x", "--source", "y"
    )
    assert again.exit_code == 1 and "đã có trong lịch" in again.stderr
    bad = cli(
        "add-day", "--date", "2027-10-12", "--kind", "weekend", "--name", "x", "--source", "y"
    )
    assert bad.exit_code == 1 and "Loại ngày không hợp lệ" in bad.stderr
    bad = cli(
        "add-day", "--date", "2027-13-40", "--kind", "day_off", "--name", "x", "--source", "y"
    )
    assert bad.exit_code == 1 and "Ngày không hợp lệ" in bad.stderr

    due = cli("due", "--received-at", "2027-10-08T10:00", "--working-days", "1", "--json")
    assert json.loads(due.stdout)["due_at"] == "2027-10-12T17:00:00+07:00"  # Mon 11/10 is now off

    before = cli("due", "--received-at", "2026-11-23T10:00", "--working-days", "1", "--json")
    assert json.loads(before.stdout)["due_at"] == "2026-11-24T17:00:00+07:00"
    confirmed = cli("confirm-day", "--date", "2026-11-24")
    assert confirmed.exit_code == 0 and "Đã xác nhận ngày 24/11/2026" in confirmed.stdout
    after = cli("due", "--received-at", "2026-11-23T10:00", "--working-days", "1", "--json")
    assert json.loads(after.stdout)["due_at"] == "2026-11-25T17:00:00+07:00"

    listing = cli("days", "--year", "2027")
    assert "11/10/2027  day_off         Ngày nghỉ hoán đổi" in listing.stdout
    assert cli("remove-day", "--date", "2027-10-11").exit_code == 0
    missing = cli("remove-day", "--date", "2027-10-11")
    assert missing.exit_code == 1 and "không có trong lịch" in missing.stderr
