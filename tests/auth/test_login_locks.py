"""Signing in holds no lock while argon2 checks the password (auth.login.authenticate_then_record):
the read, the hash check with no transaction open, then one short write."""

from __future__ import annotations

import functools
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import event, select, text, update

from motcua.app import create_app
from motcua.auth import service
from motcua.auth.models import ApiToken, User
from motcua.auth.roles import Role
from motcua.core import throttle
from motcua.core.clock import frozen
from motcua.core.config import Settings
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.core.throttle import ThrottleCounter
from motcua.org import service as org_service
from tests.auth.conftest import PASSWORD, csrf_from
from tests.databases import fresh_url

MOMENT = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
SETTINGS = Settings(
    secret_key="x" * 40, login_max_failures=5, login_lock_seconds=900, login_max_failures_per_address=12,
    login_account_max_failures=20, login_account_backoff_seconds=60,
)
# argon2 with 8 passes instead of the default 2: about 1.5 s on this machine, several times
# longer than any write here, so "the write finished while the login was still running"
# cannot happen by luck.
SLOW = PasswordHash((Argon2Hasher(time_cost=8),))


@functools.cache
def slow_hash() -> str:
    """The slow hash of PASSWORD, computed once (it costs as long as checking it)."""
    return SLOW.hash(PASSWORD)


@pytest.fixture
def slow_login_app(tmp_path, settings):
    """An app on its own migrated SQLite file (real commits, the real write lock), with an
    officer whose stored hash is slow to check."""
    engine = make_engine(fresh_url("sqlite", "reference", tmp_path, "login"))
    with session_scope(make_sessionmaker(engine)) as session:
        user = service.create_user(session, username="cham.bam", password=PASSWORD, full_name="Cán bộ chậm",
                                   agency=org_service.find_agency_by_name(session, "Sở Tư pháp"),
                                   roles=[Role.specialist])
        user.password_hash = slow_hash()
    app = create_app(settings, engine=engine)
    yield app, engine
    engine.dispose()


def test_a_concurrent_write_completes_while_a_login_checks_a_slow_hash_on_sqlite(slow_login_app):
    app, engine = slow_login_app
    factory = app.state.sessionmaker
    read_done = threading.Event()
    outcome: dict = {}

    def _first_commit(_session):  # the login's read unit of work is over: argon2 starts now
        read_done.set()

    with TestClient(app) as client:
        token = csrf_from(client.get("/dang-nhap").text)
        event.listen(factory, "after_commit", _first_commit)

        def sign_in() -> None:
            started = time.perf_counter()
            response = client.post("/dang-nhap", data={"username": "cham.bam", "password": PASSWORD,
                                                       "csrf_token": token}, follow_redirects=False)
            outcome.update(status=response.status_code, seconds=time.perf_counter() - started)

        login = threading.Thread(target=sign_in)
        login.start()
        assert read_done.wait(30)
        event.remove(factory, "after_commit", _first_commit)
        started = time.perf_counter()
        # Another request's write (here: a unit of work of this process, through the same
        # in-process writer lock and SQLite write lock any POST takes).
        with session_scope(factory) as session:
            session.execute(update(User).where(User.username == "cham.bam").values(phone="0912345678"))
        write_seconds = time.perf_counter() - started
        login_still_running = login.is_alive()
        login.join(60)
    assert login_still_running, "the write waited for the login"
    assert write_seconds < 0.5
    assert outcome["status"] == 303
    assert outcome["seconds"] > 3 * write_seconds
    with session_scope(factory, write=False) as session:
        user = session.scalars(select(User).where(User.username == "cham.bam")).one()
        assert user.phone == "0912345678"  # the concurrent write kept
        assert user.last_login_at is not None
        assert ",t=8," not in user.password_hash  # the slow hash upgraded to the default parameters


def test_a_token_is_issued_in_the_login_write_and_a_failure_is_counted(slow_login_app):
    app, engine = slow_login_app
    with TestClient(app, client=("203.0.113.5", 40000)) as client:
        wrong = client.post("/api/v1/auth/token", json={"username": "cham.bam", "password": "sai-mat-khau",
                                                        "name": "Máy quầy"})
        right = client.post("/api/v1/auth/token", json={"username": "cham.bam", "password": PASSWORD,
                                                        "name": "Máy quầy"})
    assert wrong.status_code == 401
    assert right.status_code == 201
    with session_scope(app.state.sessionmaker, write=False) as session:
        user = session.scalars(select(User).where(User.username == "cham.bam")).one()
        assert session.scalars(select(ApiToken.name).where(ApiToken.user_id == user.id)).all() == ["Máy quầy"]
        assert user.failed_login_count == 0  # reset by the success
        keys = session.scalars(select(ThrottleCounter.key)).all()
        assert keys == ["login:addr:203.0.113.5"]  # the pair cleared by the success, the address kept


def _during_hash_check(session_factory, action):
    """Run `action(session)` in its own unit of work right after the login's read — that is,
    while the password is being checked — once."""
    fired = []

    def after_commit(_session):
        if not fired:
            fired.append(True)
            with session_scope(session_factory) as other:
                action(other)

    event.listen(session_factory, "after_commit", after_commit)
    return lambda: event.remove(session_factory, "after_commit", after_commit)


def test_a_block_set_while_the_hash_is_checked_refuses_the_login_uncounted(session_factory, make_user, db):
    make_user("khoa.giua")
    db.commit()
    stop = _during_hash_check(session_factory, lambda s: (
        throttle.hit(s, "login:pair:khoa.giua|203.0.113.9", at=MOMENT, window_seconds=900),
        throttle.block(s, "login:pair:khoa.giua|203.0.113.9", at=MOMENT, seconds=900),
    ))
    try:
        with frozen(MOMENT):
            result, value = service.authenticate_then_record(
                session_factory, username="khoa.giua", password=PASSWORD, address="203.0.113.9",
                settings=SETTINGS, then=lambda s, u: "token")
    finally:
        stop()
    assert result.locked_until == MOMENT + timedelta(seconds=900)
    assert result.error == "Tài khoản tạm khoá do đăng nhập sai nhiều lần, thử lại sau 10:15"
    assert value is None
    db.expire_all()
    counter = db.get(ThrottleCounter, "login:pair:khoa.giua|203.0.113.9")
    assert (counter.hits, counter.blocked_until) == (0, MOMENT + timedelta(seconds=900))  # not counted
    assert db.get(ThrottleCounter, "login:addr:203.0.113.9") is None


def test_a_password_changed_while_the_hash_is_checked_is_checked_again(session_factory, make_user, db):
    make_user("doi.giua")
    db.commit()
    new_hash = service.hash_password("mat-khau-moi-2")
    stop = _during_hash_check(session_factory, lambda s: s.execute(
        update(User).where(User.username == "doi.giua").values(password_hash=new_hash)))
    try:
        with frozen(MOMENT):
            old = service.authenticate_then_record(session_factory, username="doi.giua", password=PASSWORD,
                                                   address="10.0.0.1", settings=SETTINGS)[0]
    finally:
        stop()
    assert (old.ok, old.error) == (False, "Tên đăng nhập hoặc mật khẩu không đúng.")
    with frozen(MOMENT):
        new = service.authenticate_then_record(session_factory, username="doi.giua", password="mat-khau-moi-2",
                                               address="10.0.0.1", settings=SETTINGS)[0]
    assert new.ok
    db.expire_all()
    assert db.scalar(text("SELECT failed_login_count FROM users WHERE username = 'doi.giua'")) == 0
