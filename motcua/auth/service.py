"""Staff accounts: creation, details, roles, passwords, activation, the admin list.

Access is checked here, not only in templates: every function that changes an account
takes the acting user (`actor`) and asks `motcua.auth.policies`. `actor=None` means a
trusted system caller (the `motcua` CLI run by the server operator, or the seed).

Login lives in `login.py`, tokens in `tokens.py`, look-ups in `queries.py`, hashing in
`passwords.py`; their public functions are re-exported here so callers need one import.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from motcua.auth import policies
from motcua.auth.login import (
    MSG_BAD_LOGIN,
    MSG_INACTIVE,
    LoginResult,
    authenticate,
    authenticate_then_record,
    clear_login_throttle,
    load_session_user,
    lock_message,
    session_stamp,
)
from motcua.auth.models import User, UserRole
from motcua.auth.passwords import hash_password, validate_password, verify_password
from motcua.auth.queries import (
    USERNAME_RE,
    clean_text,
    find_user,
    get_user,
    get_user_by_id,
    normalize_username,
    user_query,
)
from motcua.auth.roles import Role, parse_role
from motcua.auth.tokens import (
    TOKEN_PREFIX,
    TOKEN_SHOWN_CHARS,
    get_token,
    issue_token,
    list_tokens,
    resolve_token,
    revoke_all_tokens,
    revoke_token,
    touch_token,
)
from motcua.core.clock import now
from motcua.core.errors import Conflict, Forbidden, InvalidInput
from motcua.core.text import fold
from motcua.org import service as org_service
from motcua.org.models import Agency

__all__ = [
    "MSG_BAD_LOGIN",
    "MSG_INACTIVE",
    "TOKEN_PREFIX",
    "TOKEN_SHOWN_CHARS",
    "LoginResult",
    "UserPage",
    "activate_user",
    "agency_by_code",
    "authenticate",
    "authenticate_then_record",
    "clean_text",
    "create_user",
    "deactivate_user",
    "find_user",
    "get_agency",
    "get_token",
    "get_user",
    "get_user_by_id",
    "grant_description",
    "grantable_agencies",
    "hash_password",
    "issue_token",
    "list_tokens",
    "list_users",
    "load_session_user",
    "lock_message",
    "normalize_username",
    "resolve_token",
    "touch_token",
    "revoke_all_tokens",
    "revoke_token",
    "session_stamp",
    "set_password",
    "set_roles",
    "unlock_user",
    "update_user",
    "verify_password",
]

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9 .-]{8,20}$")

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


# --- look-ups --------------------------------------------------------------------------


def agency_by_code(session: Session, code: str | None) -> Agency:
    """The agency with QCVN 102 `code` (NotFound with a Vietnamese message otherwise)."""
    return org_service.get_agency_by_code(session, clean_text(code, max_length=40) or "")


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
    password = validate_password(password)
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
    password = validate_password(password)
    if actor is not None and actor.id == target.id:
        if current_password is None or not verify_password(current_password, target.password_hash):
            raise InvalidInput("Mật khẩu hiện tại không đúng.")
    elif actor is not None:
        policies.ensure_can_manage_user(actor, target, session=session)
    target.password_hash = hash_password(password)
    target.failed_login_count = 0
    target.locked_until = None
    clear_login_throttle(session, target)
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
    clear_login_throttle(session, target)
    session.flush()
    return target


def unlock_user(session: Session, *, actor: User | None, target: User) -> User:
    """Lift a lock-out after failed logins before it expires."""
    if actor is not None:
        policies.ensure_can_manage_user(actor, target, session=session)
    target.failed_login_count = 0
    target.locked_until = None
    clear_login_throttle(session, target)
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
    items = list(session.scalars(user_query().where(User.id.in_(ids)).order_by(User.username)))
    return UserPage(items, total, page, per_page)


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
