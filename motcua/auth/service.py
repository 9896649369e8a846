"""Staff accounts: creation, login with lock-out, passwords, roles, API tokens.

Access is checked here, not only in templates: every function that changes an account
takes the acting user (`actor`) and asks `motcua.auth.policies`. `actor=None` means a
trusted system caller (the `motcua` CLI run by the server operator, or the seed).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from motcua.auth import policies
from motcua.auth.models import ApiToken, User, UserRole
from motcua.auth.roles import Role, parse_role
from motcua.core.clock import now, to_local
from motcua.core.config import Settings, get_settings
from motcua.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.core.text import fold, nfc
from motcua.org import service as org_service
from motcua.org.models import Agency

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9 .-]{8,20}$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
PASSWORD_MIN = 8
PASSWORD_MAX = 256
TOKEN_PREFIX = "mct_"
TOKEN_SHOWN_CHARS = 12  # "mct_" + 8 characters, shown in lists to tell tokens apart
TOKEN_TOUCH_SECONDS = 60  # do not write last_used_at on every API call

MSG_BAD_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."
MSG_INACTIVE = "Tài khoản đã ngừng hoạt động. Vui lòng liên hệ quản trị đơn vị."

_hasher = PasswordHash((Argon2Hasher(),))


# --- helpers -----------------------------------------------------------------------------


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password, password_hash)
    except Exception:  # an unreadable stored hash never logs anyone in
        return False


@lru_cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _burn_hash_time(password: str) -> None:
    """Same argon2 work as a real check, so unknown usernames cannot be told apart by timing."""
    verify_password(password, _dummy_hash())


def normalize_username(value: str | None) -> str:
    return (nfc(value) or "").lower()


def clean_text(value: str | None, *, max_length: int | None = None) -> str | None:
    """NFC, trimmed, control characters removed; None for blank."""
    if value is None:
        return None
    value = nfc(CONTROL_RE.sub("", value)) or None
    if value and max_length:
        value = value[:max_length]
    return value


def session_stamp(user: User) -> str:
    """Stored in the session cookie: changing the password ends every other session."""
    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:20]


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


RESERVED_USERNAMES = {"moi"}  # /quan-tri/nguoi-dung/moi is the "new user" page


def _validate_username(username: str | None) -> str:
    value = normalize_username(username)
    if value in RESERVED_USERNAMES:
        raise InvalidInput(f"Tên đăng nhập “{value}” được hệ thống dành riêng; hãy chọn tên khác.")
    if not USERNAME_RE.match(value):
        raise InvalidInput(
            "Tên đăng nhập phải dài 3–64 ký tự, chỉ gồm chữ thường không dấu (a–z), chữ số "
            "và các dấu . _ -, bắt đầu và kết thúc bằng chữ hoặc số."
        )
    return value


def _validate_password(password: str | None) -> str:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise InvalidInput(f"Mật khẩu phải có ít nhất {PASSWORD_MIN} ký tự.")
    if len(password) > PASSWORD_MAX:
        raise InvalidInput(f"Mật khẩu không được dài quá {PASSWORD_MAX} ký tự.")
    if CONTROL_RE.search(password):
        raise InvalidInput("Mật khẩu chứa ký tự điều khiển không hợp lệ.")
    return password


def _validate_full_name(full_name: str | None) -> str:
    value = clean_text(full_name)
    if not value:
        raise InvalidInput("Họ và tên là bắt buộc.")
    if len(value) > 200:
        raise InvalidInput("Họ và tên không được dài quá 200 ký tự.")
    return value


def _validate_email(email: str | None) -> str | None:
    value = clean_text(email)
    if value is None:
        return None
    if len(value) > 254 or not EMAIL_RE.match(value):
        raise InvalidInput(f"Địa chỉ thư điện tử không hợp lệ: “{value[:60]}”.")
    return value.lower()


def _validate_phone(phone: str | None) -> str | None:
    value = clean_text(phone)
    if value is None:
        return None
    if not PHONE_RE.match(value):
        raise InvalidInput(f"Số điện thoại không hợp lệ: “{value[:40]}”.")
    return value


def _validate_agency(agency: Agency | None) -> Agency:
    if agency is None:
        raise InvalidInput("Cần chọn cơ quan, đơn vị.")
    if not org_service.is_current(agency):
        raise InvalidInput(
            f"Cơ quan “{agency.name}” đã giải thể, sáp nhập hoặc không còn hoạt động; "
            "không thể giao vai trò tại đây."
        )
    return agency


def _search_text(user: User) -> str:
    return fold(" ".join(filter(None, [user.username, user.full_name, user.email, user.phone])))[:600]


def _user_query():
    return select(User).options(selectinload(User.roles).selectinload(UserRole.agency))


# --- look-ups --------------------------------------------------------------------------


def agency_by_code(session: Session, code: str | None) -> Agency:
    """The agency with QCVN 102 `code` (NotFound with a Vietnamese message otherwise)."""
    return org_service.get_agency_by_code(session, clean_text(code, max_length=40) or "")


def find_user(session: Session, username: str | None) -> User | None:
    """The user with `username` (roles and their agencies loaded), or None."""
    value = normalize_username(username)
    if not USERNAME_RE.match(value):
        return None
    return session.scalars(_user_query().where(User.username == value)).one_or_none()


def get_user(session: Session, username: str | None) -> User:
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"Không tìm thấy tài khoản “{clean_text(username, max_length=64) or ''}”.")
    return user


def get_user_by_id(session: Session, user_id: uuid.UUID) -> User | None:
    return session.scalars(_user_query().where(User.id == user_id)).one_or_none()


def load_session_user(session: Session, user_id: str | None, stamp: str | None) -> User | None:
    """The signed-in user of a session cookie, if still valid (active, same password)."""
    if not user_id or not stamp:
        return None
    try:
        uid = uuid.UUID(str(user_id))
    except ValueError:
        return None
    user = get_user_by_id(session, uid)
    if user is None or not user.is_active or not secrets.compare_digest(session_stamp(user), str(stamp)):
        return None
    return user


# --- creating and editing accounts ---------------------------------------------------


def _ensure_grants_allowed(
    session: Session, actor: User | None, grants: Iterable[tuple[Role, Agency]]
) -> None:
    if actor is None:
        return
    policies.ensure_user_admin(actor)
    for role, agency in grants:
        if role == Role.province_admin and not policies.is_province_admin(actor):
            raise Forbidden("Chỉ quản trị tỉnh được cấp vai trò Quản trị tỉnh.")
        if not policies.can_grant(actor, role, agency.id, session=session):
            raise Forbidden(
                f"Bạn chỉ được giao vai trò trong phạm vi đơn vị mình quản lý; "
                f"“{agency.name}” nằm ngoài phạm vi đó."
            )


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    full_name: str,
    agency: Agency,
    roles: Sequence[Role | str],
    email: str | None = None,
    phone: str | None = None,
    actor: User | None = None,
) -> User:
    """Create a staff account holding `roles` at `agency`.

    An agency admin may create accounts only within its scope and never grant
    province_admin; other roles may not create accounts at all.
    """
    username = _validate_username(username)
    password = _validate_password(password)
    full_name = _validate_full_name(full_name)
    if not roles:
        raise InvalidInput("Cần chọn ít nhất một vai trò.")
    parsed = list(dict.fromkeys(parse_role(r) for r in roles))
    agency = _validate_agency(agency)
    email = _validate_email(email)
    phone = _validate_phone(phone)
    _ensure_grants_allowed(session, actor, [(r, agency) for r in parsed])
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"Tên đăng nhập “{username}” đã được sử dụng.")
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        password_hash=hash_password(password),
        is_active=True,
        failed_login_count=0,
        created_at=now(),
        roles=[UserRole(role=r.value, agency_id=agency.id, agency=agency) for r in parsed],
    )
    user.search_text = _search_text(user)
    session.add(user)
    session.flush()
    return user


def update_user(
    session: Session,
    *,
    actor: User | None,
    target: User,
    full_name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    clear_email: bool = False,
    clear_phone: bool = False,
) -> User:
    """Change contact details; None leaves a field as it is."""
    if actor is not None and actor.id != target.id:
        policies.ensure_can_manage_user(actor, target, session=session)
    if full_name is not None:
        target.full_name = _validate_full_name(full_name)
    if email is not None or clear_email:
        target.email = None if clear_email else _validate_email(email)
    if phone is not None or clear_phone:
        target.phone = None if clear_phone else _validate_phone(phone)
    target.search_text = _search_text(target)
    session.flush()
    return target


def _province_admins_remaining(session: Session, excluding: User) -> int:
    return session.scalar(
        select(func.count(func.distinct(User.id)))
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.is_active.is_(True), UserRole.role == Role.province_admin.value, User.id != excluding.id)
    ) or 0


def _ensure_not_last_province_admin(session: Session, target: User) -> None:
    if any(r.role == Role.province_admin for r in target.roles) and target.is_active:
        if _province_admins_remaining(session, target) == 0:
            raise Conflict("Không thể bỏ quyền hoặc khoá quản trị tỉnh cuối cùng của hệ thống.")


def set_roles(
    session: Session,
    *,
    actor: User | None,
    target: User,
    grants: Sequence[tuple[Role | str, Agency]],
) -> User:
    """Replace `target`'s roles with `grants` (role, agency) pairs."""
    if not grants:
        raise InvalidInput("Tài khoản cần có ít nhất một vai trò.")
    wanted = list(dict.fromkeys((parse_role(r), _validate_agency(a)) for r, a in grants))
    if actor is not None:
        policies.ensure_can_manage_user(actor, target, session=session)
        current = {(r.role, r.agency_id) for r in target.roles}
        # Only grants that are new need the right to grant them.
        _ensure_grants_allowed(session, actor, [(r, a) for r, a in wanted if (r.value, a.id) not in current])
    wanted_keys = {(r.value, a.id) for r, a in wanted}
    if Role.province_admin.value not in {k[0] for k in wanted_keys}:
        _ensure_not_last_province_admin(session, target)
    for existing in list(target.roles):
        if (existing.role, existing.agency_id) not in wanted_keys:
            target.roles.remove(existing)
    have = {(r.role, r.agency_id) for r in target.roles}
    for role, agency in wanted:
        if (role.value, agency.id) not in have:
            target.roles.append(UserRole(role=role.value, agency_id=agency.id, agency=agency))
            have.add((role.value, agency.id))
    session.flush()
    return target


def set_password(
    session: Session,
    *,
    actor: User | None,
    target: User,
    password: str,
    current_password: str | None = None,
) -> User:
    """Change a password. Changing one's own needs the current one; an admin resets others'.

    Clears any lock-out; every other signed-in session of the user ends (session stamp).
    """
    password = _validate_password(password)
    if actor is not None and actor.id == target.id:
        if current_password is None or not verify_password(current_password, target.password_hash):
            raise InvalidInput("Mật khẩu hiện tại không đúng.")
    elif actor is not None:
        policies.ensure_can_manage_user(actor, target, session=session)
    target.password_hash = hash_password(password)
    target.failed_login_count = 0
    target.locked_until = None
    session.flush()
    return target


def deactivate_user(session: Session, *, actor: User | None, target: User) -> User:
    """Stop an account from signing in (kept for the audit trail; never deleted)."""
    if actor is not None:
        if actor.id == target.id:
            raise Conflict("Bạn không thể tự khoá tài khoản của mình.")
        policies.ensure_can_manage_user(actor, target, session=session)
    _ensure_not_last_province_admin(session, target)
    target.is_active = False
    session.flush()
    return target


def activate_user(session: Session, *, actor: User | None, target: User) -> User:
    if actor is not None:
        policies.ensure_can_manage_user(actor, target, session=session)
    target.is_active = True
    target.failed_login_count = 0
    target.locked_until = None
    session.flush()
    return target


def unlock_user(session: Session, *, actor: User | None, target: User) -> User:
    """Lift a lock-out after failed logins before it expires."""
    if actor is not None:
        policies.ensure_can_manage_user(actor, target, session=session)
    target.failed_login_count = 0
    target.locked_until = None
    session.flush()
    return target


@dataclass
class UserPage:
    items: list[User]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_users(
    session: Session,
    actor: User | None,
    *,
    q: str | None = None,
    agency_id: uuid.UUID | None = None,
    role: Role | str | None = None,
    active: bool | None = None,
    page: int = 1,
    per_page: int = 50,
) -> UserPage:
    """Users the actor may manage: all for a province admin, its scope for an agency admin."""
    policies.ensure_user_admin(actor)
    page = max(1, min(int(page), 100_000))
    per_page = max(1, min(int(per_page), 200))
    stmt = select(User.id)
    scope = policies.agency_scope(session, actor, Role.agency_admin)
    if scope is not None:
        if not scope:
            return UserPage([], 0, page, per_page)
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.agency_id.in_(scope))))
        # Only users the admin can manage (policies.can_manage_user): no province admin,
        # and no role outside the scope.
        stmt = stmt.where(
            User.id.not_in(
                select(UserRole.user_id).where(
                    (UserRole.role == Role.province_admin.value) | UserRole.agency_id.not_in(scope)
                )
            )
        )
    if agency_id is not None:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.agency_id == agency_id)))
    if role:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == parse_role(role).value)))
    if active is not None:
        stmt = stmt.where(User.is_active.is_(active))
    for word in fold(clean_text(q, max_length=200)).split()[:8]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(User.search_text.like(f"%{escaped}%", escape="\\"))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    ids = stmt.order_by(User.username).limit(per_page).offset((page - 1) * per_page)
    items = list(session.scalars(_user_query().where(User.id.in_(ids)).order_by(User.username)))
    return UserPage(items, total, page, per_page)


# --- login ---------------------------------------------------------------------------------


@dataclass
class LoginResult:
    """The outcome of a login attempt. Failures are returned, not raised, so the caller's
    unit of work commits the failure counter (a raised error would roll it back)."""

    user: User | None = None
    error: str | None = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None and self.error is None

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


def lock_message(until: datetime) -> str:
    return (
        "Tài khoản tạm khoá do đăng nhập sai nhiều lần, thử lại sau "
        f"{to_local(until).strftime('%H:%M')}"
    )


def authenticate(
    session: Session,
    *,
    username: str | None,
    password: str | None,
    settings: Settings | None = None,
) -> LoginResult:
    """Check a username and password, counting consecutive failures.

    After `settings.login_max_failures` failures in a row the account is locked for
    `settings.login_lock_seconds`; a successful login resets the counter. Unknown
    usernames cost the same argon2 work and get the same message (no enumeration).
    """
    settings = settings or get_settings()
    password = password if isinstance(password, str) else ""
    if len(password) > PASSWORD_MAX:
        password = password[:PASSWORD_MAX]
    user = find_user(session, username)
    moment = now()
    if user is None:
        _burn_hash_time(password)
        return LoginResult(error=MSG_BAD_LOGIN)
    if user.is_locked(moment):
        _burn_hash_time(password)
        return LoginResult(error=lock_message(user.locked_until), locked_until=user.locked_until)
    try:
        valid, new_hash = _hasher.verify_and_update(password, user.password_hash)
    except Exception:
        valid, new_hash = False, None
    if not valid:
        user.failed_login_count = (user.failed_login_count or 0) + 1
        if user.failed_login_count >= settings.login_max_failures:
            user.locked_until = moment + timedelta(seconds=settings.login_lock_seconds)
            user.failed_login_count = 0
            session.flush()
            return LoginResult(error=lock_message(user.locked_until), locked_until=user.locked_until)
        session.flush()
        return LoginResult(error=MSG_BAD_LOGIN)
    if not user.is_active:
        return LoginResult(error=MSG_INACTIVE)
    if new_hash:
        user.password_hash = new_hash
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = moment
    session.flush()
    return LoginResult(user=user)


# --- API tokens ----------------------------------------------------------------------------


def _validate_token_name(name: str | None) -> str:
    value = clean_text(name)
    if not value:
        raise InvalidInput("Cần đặt tên cho mã truy cập (ví dụ: “Máy tính quầy 1”).")
    if len(value) > 100:
        raise InvalidInput("Tên mã truy cập không được dài quá 100 ký tự.")
    return value


def issue_token(
    session: Session, user: User, name: str, *, expires_at: datetime | None = None
) -> str:
    """Create a personal API token and return its plaintext — the only time it exists."""
    name = _validate_token_name(name)
    if not user.is_active:
        raise Conflict("Tài khoản đã ngừng hoạt động; không thể cấp mã truy cập.")
    if expires_at is not None and expires_at <= now():
        raise InvalidInput("Thời hạn của mã truy cập phải ở sau thời điểm hiện tại.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id,
            name=name,
            token_hash=_hash_token(token),
            prefix=token[:TOKEN_SHOWN_CHARS],
            created_at=now(),
            expires_at=expires_at,
        )
    )
    session.flush()
    return token


def resolve_token(session: Session, token: str | None) -> User | None:
    """The active user a bearer token belongs to, or None (unknown, revoked, expired)."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200 or not token.isascii():
        return None
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == _hash_token(token))).one_or_none()
    moment = now()
    if row is None or not row.is_usable(moment):
        return None
    user = get_user_by_id(session, row.user_id)
    if user is None or not user.is_active:
        return None
    if row.last_used_at is None or (moment - row.last_used_at).total_seconds() > TOKEN_TOUCH_SECONDS:
        row.last_used_at = moment
        session.flush()
    return user


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
        )
    )


def get_token(session: Session, user: User, token_id: uuid.UUID) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound("Không tìm thấy mã truy cập.")
    return row


def revoke_token(session: Session, *, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token: its owner or an admin who manages the owner may do it."""
    if actor is not None and actor.id != token.user_id:
        owner = get_user_by_id(session, token.user_id)
        if owner is None:
            raise NotFound("Không tìm thấy mã truy cập.")
        policies.ensure_can_manage_user(actor, owner, session=session)
    if token.revoked_at is None:
        token.revoked_at = now()
        session.flush()
    return token


def revoke_all_tokens(session: Session, *, actor: User | None, target: User) -> int:
    count = 0
    for row in list_tokens(session, target):
        if row.revoked_at is None:
            revoke_token(session, actor=actor, token=row)
            count += 1
    return count


def grant_description(grants: Iterable[UserRole]) -> str:
    """"Chuyên viên — Sở Tư pháp; Lãnh đạo — ..." for lists."""
    return "; ".join(f"{g.role_label} — {g.agency.name}" for g in grants)



def grantable_agencies(session: Session, actor: User | None) -> list[Agency]:
    """Current agencies where `actor` may give roles (for the admin pages' choices)."""
    stmt = select(Agency)
    if actor is not None and not policies.is_province_admin(actor):
        scope = policies.agency_scope(session, actor, Role.agency_admin) or set()
        if not scope:
            return []
        stmt = stmt.where(Agency.id.in_(scope))
    return [a for a in session.scalars(stmt.order_by(Agency.code)) if org_service.is_current(a)]


def get_agency(session: Session, agency_id: uuid.UUID | str | None) -> Agency:
    try:
        agency = session.get(Agency, uuid.UUID(str(agency_id))) if agency_id else None
    except ValueError:
        agency = None
    if agency is None:
        raise InvalidInput("Cơ quan, đơn vị đã chọn không hợp lệ.")
    return agency
