"""Passwords are argon2; login counts failures, locks, and unlocks after the lock time."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from motcua.auth import service
from motcua.auth.models import User
from motcua.auth.roles import Role
from motcua.core.clock import frozen
from motcua.core.config import Settings
from tests.auth.conftest import PASSWORD

MOMENT = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # 10:00 in Lạng Sơn
SETTINGS = Settings(secret_key="x" * 40, login_max_failures=5, login_lock_seconds=900)


def test_password_is_stored_as_argon2id_hash(make_user):
    user = make_user("hash.test")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert service.verify_password(PASSWORD, user.password_hash) is True
    assert service.verify_password("sai-mat-khau", user.password_hash) is False


def test_successful_login_records_time_and_resets_counter(db, make_user):
    user = make_user("login.ok")
    user.failed_login_count = 3
    with frozen(MOMENT):
        result = service.authenticate(db, username="LOGIN.OK ", password=PASSWORD, settings=SETTINGS)
    assert result.ok and result.user.id == user.id
    assert user.failed_login_count == 0
    assert user.last_login_at == MOMENT


def test_wrong_password_and_unknown_user_get_the_same_message(db, make_user):
    user = make_user("login.bad")
    wrong = service.authenticate(db, username="login.bad", password="khong-dung", settings=SETTINGS)
    unknown = service.authenticate(db, username="khong.ton.tai", password="khong-dung", settings=SETTINGS)
    assert wrong.ok is False and unknown.ok is False
    assert wrong.error == unknown.error == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert user.failed_login_count == 1


def test_account_and_address_pair_locks_after_max_failures_and_unlocks_after_lock_time(db, make_user):
    user = make_user("login.lock")
    with frozen(MOMENT):
        for _ in range(4):
            result = service.authenticate(db, username="login.lock", password="sai", address="10.0.0.9", settings=SETTINGS)
            assert result.locked is False
        result = service.authenticate(db, username="login.lock", password="sai", address="10.0.0.9", settings=SETTINGS)
    assert result.locked is True
    assert result.error == "Tài khoản tạm khoá do đăng nhập sai nhiều lần, thử lại sau 10:15"
    assert result.locked_until == MOMENT + timedelta(seconds=900)
    assert user.locked_until is None  # the account itself is not locked

    # the right password is refused from that address while locked...
    with frozen(MOMENT + timedelta(seconds=899)):
        still = service.authenticate(db, username="login.lock", password=PASSWORD, address="10.0.0.9", settings=SETTINGS)
        assert still.ok is False and still.locked is True
        assert user.last_login_at is None
        # ...but the officer at another address signs in
        other = service.authenticate(db, username="login.lock", password=PASSWORD, address="10.0.0.10", settings=SETTINGS)
        assert other.ok is True

    with frozen(MOMENT + timedelta(seconds=901)):
        later = service.authenticate(db, username="login.lock", password=PASSWORD, address="10.0.0.9", settings=SETTINGS)
    assert later.ok is True
    assert user.locked_until is None and user.failed_login_count == 0


def test_inactive_account_cannot_log_in(db, make_user):
    user = make_user("login.inactive")
    service.deactivate_user(db, actor=None, target=user)
    result = service.authenticate(db, username="login.inactive", password=PASSWORD, settings=SETTINGS)
    assert result.ok is False
    assert result.error == "Tài khoản đã ngừng hoạt động. Vui lòng liên hệ quản trị đơn vị."


def test_create_user_validates_input_in_vietnamese(db, agencies, make_user):
    import pytest

    from motcua.core.errors import Conflict, InvalidInput

    make_user("trung.ten")
    cases = [
        (dict(username="a b"), InvalidInput, "Tên đăng nhập phải dài 3–64 ký tự"),
        (dict(password="ngan"), InvalidInput, "Mật khẩu phải có ít nhất 8 ký tự."),
        (dict(roles=["giam_doc"]), InvalidInput, "Vai trò không hợp lệ: “giam_doc”. Các vai trò hợp lệ: province_admin"),
        (dict(roles=[]), InvalidInput, "Cần chọn ít nhất một vai trò."),
        (dict(username="Trung.Ten"), Conflict, "Tên đăng nhập “trung.ten” đã được sử dụng."),
        (dict(email="khong-phai-email"), InvalidInput, "Địa chỉ thư điện tử không hợp lệ"),
    ]
    for overrides, error, message in cases:
        args = dict(username="moi.nguoi", password="matkhau-dai", full_name="Người Mới",
                    agency=agencies.justice, roles=[Role.specialist])
        args.update(overrides)
        with pytest.raises(error) as caught:
            service.create_user(db, **args)
        assert caught.value.message.startswith(message), caught.value.message
    assert db.scalar(select(User).where(User.username == "moi.nguoi")) is None


def test_username_is_lower_cased_and_name_normalised(db, agencies):
    user = service.create_user(
        db, username="  Nguyen.VanA ", password="matkhau-dai", full_name="Nguyễn  Văn\u00a0A",
        agency=agencies.justice, roles=["specialist", "head"],
    )
    assert user.username == "nguyen.vana"
    assert user.full_name == "Nguyễn Văn A"
    assert sorted(r.role for r in user.roles) == ["head", "specialist"]
    assert user.search_text == "nguyen.vana nguyen van a"
