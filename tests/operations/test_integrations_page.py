"""The operations page `/quan-tri/tich-hop`: each system's health from a real call to its
simulator (up, down when it fails or nothing listens, not configured without an account),
the domains' status beside it (the last failed population lookup), a check that hangs cut
short by its timeout, and only province administrators let in."""

from __future__ import annotations

import re
import threading
import time

import pytest

from motcua.core.errors import DomainError
from motcua.integrations import status
from motcua.integrations.status import Health, HealthCheck, Probe, run_health_checks
from tests import factories
from tests.html_forms import signed_in
from tests.pg_harness import free_port

PAGE = "/quan-tri/tich-hop"


@pytest.fixture
def admin(client, db, agencies, monkeypatch):
    monkeypatch.delenv("MOTCUA_DVCQG_PASSWORD", raising=False)  # the national portal: not configured
    monkeypatch.delenv("SMS_URL", raising=False)  # the SMS gateway: not configured
    factories.account(db, "qt-tichhop", "province_admin", agency=agencies.province)
    db.commit()
    signed_in(client, "qt-tichhop")
    return client


def health_of(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-system="([a-z]+)" data-health="([a-z_]+)">', html))


def row_of(html: str, system: str) -> str:
    return html.split(f'data-system="{system}"', 1)[1].split("</tr>", 1)[0]


def test_a_running_simulator_is_up_and_an_unconfigured_portal_said_so(admin, lgsp_env):
    page = admin.get(PAGE)
    assert page.status_code == 200
    assert health_of(page.text) == {"dvcqg": "not_configured", "lgsp": "up", "sms": "not_configured"}
    lgsp = row_of(page.text, "lgsp")
    assert "Hoạt động" in lgsp and lgsp_env.url in lgsp and "0 lượt tra cứu hôm nay" in lgsp
    assert "Chưa cấu hình tài khoản kết nối: không gọi hệ thống." in row_of(page.text, "dvcqg")
    assert lgsp_env.calls("login") == [{"path": "/api/auth", "service": "login", "body": {"username": "motcua"}}]


def test_a_failing_simulator_is_shown_down_with_the_reason(admin, lgsp_env):
    lgsp_env.fault("http", "503", service="login", times=-1)
    page = admin.get(PAGE)
    assert health_of(page.text)["lgsp"] == "down"
    assert ("Không kết nối được" in row_of(page.text, "lgsp")
            and "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP) trả lỗi HTTP 503 khi đăng nhập."
            in row_of(page.text, "lgsp"))


def test_a_simulator_that_is_not_running_is_down(admin, lgsp_env, monkeypatch):
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("LGSP_URL", url)
    page = admin.get(PAGE)
    assert health_of(page.text)["lgsp"] == "down"
    assert f"Không kết nối được Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP) ({url}) khi đăng nhập." in page.text


def test_the_last_failed_lookup_is_shown_as_the_last_error(admin, db, agencies, lgsp_env):
    headers = factories.bearer(db, factories.account(db, "quay-th", "counter_officer", agency=agencies.centre))
    db.commit()
    lgsp_env.fault("http", "500", service="TraCuuThongTinCongDan")
    failed = admin.post("/api/v1/population/lookups", headers=headers, json={
        "id_number": "020192004567", "purpose": "counter_prefill", "unit_id": str(agencies.centre.id)})
    assert failed.status_code == 502
    lgsp = row_of(admin.get(PAGE).text, "lgsp")
    assert "1 lượt tra cứu hôm nay" in lgsp
    assert "trả lỗi HTTP 500 khi tra cứu Cơ sở dữ liệu quốc gia về dân cư." in lgsp


def test_a_registered_system_is_checked_too_and_a_hanging_one_cut_short(admin, lgsp_env, monkeypatch):
    release = threading.Event()

    def hangs() -> float:
        release.wait(10)
        return 10.0

    monkeypatch.setitem(status._REGISTERED, "payment", HealthCheck(
        "payment", "Nền tảng thanh toán quốc gia",
        lambda: Probe(target="http://thanh-toan.example", configured=True, timeout_seconds=0.3, run=hangs)))
    started = time.monotonic()
    page = admin.get(PAGE)
    release.set()
    assert time.monotonic() - started < 5
    assert health_of(page.text) == {"dvcqg": "not_configured", "lgsp": "up", "payment": "down",
                                    "sms": "not_configured"}
    assert "Không trả lời trong 0.3 giây." in row_of(page.text, "payment")


def test_health_checks_run_at_once_and_report_any_failure():
    def slow(seconds: float):
        def run() -> float:
            time.sleep(seconds)
            return seconds
        return run

    def refused() -> float:
        raise DomainError("Từ chối đăng nhập.")

    checks = [HealthCheck(name, name, lambda run=run: Probe("x", True, 2.0, run))
              for name, run in [("a", slow(0.5)), ("b", slow(0.5)), ("c", refused)]]
    checks.append(HealthCheck("d", "d", lambda: 1 / 0))
    started = time.monotonic()
    results = run_health_checks(checks)
    assert time.monotonic() - started < 0.9  # in parallel, not 1 s in a row
    assert [(r.system, r.health) for r in results] == [("a", Health.up), ("b", Health.up), ("c", Health.down),
                                                       ("d", Health.down)]
    assert results[2].message == "Từ chối đăng nhập."
    assert results[3].message == "Cấu hình không hợp lệ: division by zero"


@pytest.mark.parametrize("role", ["agency_admin", "counter_officer"])
def test_only_province_administrators(client, db, agencies, role):
    factories.account(db, "khong-phai-qt", role, agency=agencies.centre)
    db.commit()
    signed_in(client, "khong-phai-qt")
    page = client.get(PAGE)
    assert page.status_code == 403
    assert "Chỉ quản trị tỉnh được xem tình trạng kết nối các hệ thống." in page.text
