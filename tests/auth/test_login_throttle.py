"""Failed logins are throttled per (account, address), per address, and per account with a
short back-off only: an anonymous client cannot lock an officer out (docs/auth.md)."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from motcua.auth import service
from motcua.auth.models import User
from motcua.core.clock import frozen
from motcua.core.config import Settings
from motcua.core.throttle import ThrottleCounter
from tests.auth.conftest import PASSWORD, csrf_from, login

MOMENT = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
SETTINGS = Settings(
    secret_key="x" * 40, login_max_failures=5, login_lock_seconds=900, login_max_failures_per_address=12,
    login_account_max_failures=20, login_account_backoff_seconds=60,
)


def _auth(db, username, password, address):
    return service.authenticate(db, username=username, password=password, address=address, settings=SETTINGS)


def test_failures_from_one_address_do_not_lock_the_officer_elsewhere(db, make_user):
    make_user("thr.officer")
    with frozen(MOMENT):
        results = [_auth(db, "thr.officer", "doan-sai", "203.0.113.7") for _ in range(8)]
        assert [r.locked for r in results] == [False] * 4 + [True] * 4
        assert _auth(db, "thr.officer", PASSWORD, "203.0.113.7").locked is True
        assert _auth(db, "thr.officer", PASSWORD, "10.1.2.3").ok is True


def test_one_address_spraying_many_accounts_is_blocked_for_every_account(db, make_user):
    make_user("thr.spray")
    with frozen(MOMENT):
        for i in range(12):  # two failures per name: no pair reaches its limit
            result = _auth(db, f"ten.doan.{i // 2}", "sai", "198.51.100.4")
        assert result.locked is True
        assert result.error == "Máy của bạn đã đăng nhập sai quá nhiều lần, tạm dừng đăng nhập đến 10:15"
        # a real account's right password is refused from that address, not from others
        assert _auth(db, "thr.spray", PASSWORD, "198.51.100.4").locked is True
        assert _auth(db, "thr.spray", PASSWORD, "198.51.100.5").ok is True


def test_a_distributed_attack_gives_only_a_short_back_off(db, make_user):
    user = make_user("thr.global")
    with frozen(MOMENT):
        for i in range(20):  # 20 addresses, one failure each
            result = _auth(db, "thr.global", "sai", f"192.0.2.{i}")
        assert result.locked is True
        assert user.locked_until == MOMENT + timedelta(seconds=60)
        assert _auth(db, "thr.global", PASSWORD, "10.9.9.9").locked is True
    with frozen(MOMENT + timedelta(seconds=61)):
        assert _auth(db, "thr.global", PASSWORD, "10.9.9.9").ok is True


def test_unknown_usernames_are_throttled_like_real_ones(db):
    with frozen(MOMENT):
        results = [_auth(db, "khong.co.ai", "sai", "203.0.113.8") for _ in range(5)]
    assert results[-1].error == "Tài khoản tạm khoá do đăng nhập sai nhiều lần, thử lại sau 10:15"


def test_admin_unlock_lifts_the_per_address_locks(db, make_user):
    user = make_user("thr.unlock")
    with frozen(MOMENT):
        for _ in range(5):
            _auth(db, "thr.unlock", "sai", "203.0.113.9")
        assert _auth(db, "thr.unlock", PASSWORD, "203.0.113.9").locked is True
        service.unlock_user(db, actor=None, target=user)
        assert _auth(db, "thr.unlock", PASSWORD, "203.0.113.9").ok is True


def _client(app, address):
    return TestClient(app, base_url="http://testserver", client=(address, 40000))


def test_lock_out_attempts_over_http_from_another_address_do_not_block_the_officer(app, db, make_user):
    make_user("thr.http")
    with _client(app, "203.0.113.50") as attacker:
        statuses = [login(attacker, "thr.http", "doan-sai").status_code for _ in range(7)]
        assert statuses == [400] * 4 + [429] * 3
        refused = login(attacker, "thr.http", PASSWORD)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 900
    with _client(app, "10.20.30.40") as officer:
        assert login(officer, "thr.http", PASSWORD).status_code == 303
    db.expire_all()
    assert db.scalar(select(User.locked_until).where(User.username == "thr.http")) is None
    keys = set(db.scalars(select(ThrottleCounter.key).where(ThrottleCounter.key.like("login:%thr.http%"))))
    assert keys == {"login:pair:thr.http|203.0.113.50"}  # the officer's success cleared its own pair


def test_token_endpoint_is_throttled_the_same_way(app, make_user):
    make_user("thr.api")
    body = {"username": "thr.api", "password": "sai", "name": "Máy quầy"}
    with _client(app, "203.0.113.60") as attacker:
        statuses = [attacker.post("/api/v1/auth/token", json=body).status_code for _ in range(6)]
        assert statuses == [401] * 4 + [429] * 2
        locked = attacker.post("/api/v1/auth/token", json=body | {"password": PASSWORD})
        assert locked.status_code == 429 and locked.headers["content-type"] == "application/problem+json"
        assert int(locked.headers["Retry-After"]) >= 1
    with _client(app, "10.20.30.41") as officer:
        assert officer.post("/api/v1/auth/token", json=body | {"password": PASSWORD}).status_code == 201


def test_login_page_keeps_the_username_and_a_fresh_token_after_a_lock(app, make_user):
    make_user("thr.page")
    with _client(app, "203.0.113.70") as attacker:
        for _ in range(5):
            response = login(attacker, "thr.page", "sai")
        assert response.status_code == 429
        assert 'value="thr.page"' in response.text
        assert csrf_from(response.text)
