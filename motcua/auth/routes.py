"""Pages: sign in/out, the admin home, user administration, one's own account."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from motcua.auth import policies, service
from motcua.auth.deps import CurrentUser, OptionalUser, safe_next, sign_in, sign_out
from motcua.auth.models import User
from motcua.auth.roles import ROLE_LABELS, Role
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, InvalidInput, NotFound
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.ratelimit import client_address, retry_after
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

FormText = Annotated[str, Form(max_length=1000)]
USERS = "/quan-tri/nguoi-dung"

# The admin home lists every domain's admin section with the roles that may open it (each page
# still checks its own access in its service; this only avoids showing links that end in 403).
_ADMINS = (Role.province_admin, Role.agency_admin)
ADMIN_SECTIONS = [
    ("/quan-tri/nguoi-dung", "Người dùng", "Tài khoản cán bộ, vai trò theo cơ quan, khoá và mở khoá.", _ADMINS),
    ("/quan-tri/co-quan", "Cơ quan, đơn vị", "Cơ quan, mã định danh QCVN 102, đơn vị hành chính.", _ADMINS),
    ("/quan-tri/thu-tuc", "Thủ tục hành chính", "Danh mục thủ tục, nhập và xuất hồ sơ thủ tục.", _ADMINS),
    # agency administrators see only their agencies' office hours there
    ("/quan-tri/lich", "Lịch làm việc", "Ngày nghỉ lễ, ngày làm bù, giờ làm việc.", _ADMINS),
    ("/quan-tri/quy-trinh", "Quy trình nội bộ", "Quy trình giải quyết theo ISO 9001.", _ADMINS),
    ("/quan-tri/bieu-mau", "Biểu mẫu", "Số hiệu, tên, khổ giấy các phiếu in.", (Role.province_admin,)),
    ("/quan-tri/tra-cuu-dan-cu", "Nhật ký tra cứu dân cư",
     "Ai tra cứu CSDL quốc gia về dân cư, lúc nào, số định danh nào, cho hồ sơ nào.", _ADMINS),
    ("/quan-tri/thong-bao/mau", "Mẫu thông báo", "Thư điện tử, SMS gửi người nộp hồ sơ: nội dung từng loại.",
     (Role.province_admin,)),
    # every staff member: each sees their agencies' feedback (feedback.policies)
    ("/quan-tri/phan-anh-kien-nghi", "Phản ánh, kiến nghị",
     "Tiếp nhận, phân loại, trả lời, công khai phản ánh, kiến nghị; phản ánh quá hạn.", tuple(Role)),
    ("/quan-tri/tich-hop", "Kết nối hệ thống", "Tình trạng kết nối Cổng DVC quốc gia, LGSP và các hệ thống khác.",
     (Role.province_admin,)),
]


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _render(request: Request, name: str, context: dict, status_code: int = 200) -> Response:
    return templates.TemplateResponse(request, f"auth/{name}", context, status_code=status_code)


# --- sign in / out ---------------------------------------------------------------------


@router.get("/dang-nhap")
def login_form(request: Request, user: OptionalUser, next: Annotated[str, Query(max_length=2000)] = ""):
    return _render(request, "login.html", {"next": safe_next(next, ""), "username": "", "error": None})


@router.post("/dang-nhap")
def login(
    request: Request,
    username: FormText = "",
    password: FormText = "",
    next: Annotated[str, Form(max_length=2000)] = "",
):
    # No request unit of work (`DbSession`): on SQLite a POST's would hold the write lock
    # while argon2 runs. The service reads, checks the hash, then writes the failure
    # counter or the success in its own short unit of work (committed before we answer).
    result, _ = service.authenticate_then_record(
        request.app.state.sessionmaker, username=username, password=password,
        address=client_address(request), settings=request.app.state.settings,
    )
    if not result.ok:
        response = _render(
            request,
            "login.html",
            {"next": safe_next(next, ""), "username": username[:64], "error": result.error},
            status_code=429 if result.locked else 400,
        )
        if result.locked:
            response.headers["Retry-After"] = str(retry_after(result.locked_until))
        return response
    sign_in(request, result.user)
    flash(request, f"Xin chào {result.user.full_name}.", "success")
    return _redirect(safe_next(next, home_for(result.user)))


def home_for(user) -> str:
    """Where a user starts the day: the counter, the inbox, or administration."""
    roles = {r.role for r in user.roles}
    if Role.province_admin in roles or Role.agency_admin in roles:
        return "/quan-tri"
    if Role.counter_officer in roles:
        return "/quay"
    if roles & {Role.specialist, Role.head, Role.clerk}:
        return "/xu-ly"
    return "/quan-tri"


@router.post("/dang-xuat")
def logout(request: Request):
    sign_out(request)
    flash(request, "Bạn đã đăng xuất.", "info")
    return _redirect("/")


# --- admin home ------------------------------------------------------------------------------


@router.get("/quan-tri")
def admin_home(request: Request, user: CurrentUser):
    return _render(
        request,
        "admin_home.html",
        {
            "sections": [
                (href, title, description)
                for href, title, description, roles in ADMIN_SECTIONS
                if policies.has_role(user, *roles)
            ],
            "user": user,
        },
    )


# --- user administration ----------------------------------------------------------------------


def _grant_options(session: Session, actor: User) -> dict:
    roles = [r for r in Role if r != Role.province_admin or policies.is_province_admin(actor)]
    return {
        "role_options": [(r.value, ROLE_LABELS[r]) for r in roles],
        "agency_options": service.grantable_agencies(session, actor),
    }


@router.get(USERS)
def users_list(
    request: Request,
    user: CurrentUser,
    session: DbSession,
    q: Annotated[str, Query(max_length=200)] = "",
    role: Annotated[str, Query(max_length=40)] = "",
    agency: Annotated[str, Query(max_length=40)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
):
    policies.ensure_user_admin(user)
    role_value = role if role in Role.__members__ else None
    try:
        agency_id = uuid.UUID(agency) if agency else None
    except ValueError:
        agency_id = None
    active = {"active": True, "inactive": False}.get(status)
    result = service.list_users(
        session, user, q=q, agency_id=agency_id, role=role_value, active=active, page=page, per_page=30
    )
    filters = {"q": q, "role": role_value or "", "agency": str(agency_id or ""), "status": status}
    base_query = urlencode({k: v for k, v in filters.items() if v})
    return _render(
        request,
        "users.html",
        {"result": result, "filters": filters, "base_query": base_query, **_grant_options(session, user)},
    )


def _new_user_context(session: Session, actor: User, values: dict | None = None, error: str | None = None) -> dict:
    return {"values": values or {}, "error": error, **_grant_options(session, actor)}


@router.get(f"{USERS}/moi")
def user_new_form(request: Request, user: CurrentUser, session: DbSession):
    policies.ensure_user_admin(user)
    return _render(request, "user_new.html", _new_user_context(session, user))


@router.post(f"{USERS}/moi")
def user_create(request: Request, user: CurrentUser, session: DbSession, form: PageForm):
    policies.ensure_user_admin(user)
    values = {
        key: str(form.get(key) or "")[:1000]
        for key in ("username", "full_name", "email", "phone", "agency_id")
    }
    roles = [str(r)[:40] for r in form.getlist("roles")][:20]
    values["roles"] = roles
    try:
        created = service.create_user(
            session,
            actor=user,
            username=values["username"],
            password=str(form.get("password") or "")[:1000],
            full_name=values["full_name"],
            agency=service.get_agency(session, values["agency_id"]),
            roles=roles,
            email=values["email"] or None,
            phone=values["phone"] or None,
        )
    except DomainError as exc:
        session.rollback()
        user = service.get_user_by_id(session, user.id)  # the rollback expired it
        return _render(
            request, "user_new.html", _new_user_context(session, user, values, exc.message), exc.status_code
        )
    flash(request, f"Đã tạo tài khoản “{created.username}”.", "success")
    return _redirect(f"{USERS}/{created.username}")


def _managed(session: Session, actor: User, username: str) -> User:
    policies.ensure_user_admin(actor)
    target = service.get_user(session, username)
    policies.ensure_can_manage_user(actor, target, session=session)
    return target


def _detail_context(session: Session, actor: User, target: User, **refused) -> dict:
    """The user page; `refused` puts one form's typed values (`*_form`) and message (`*_error`) back."""
    return {
        "target": target,
        "tokens": service.list_tokens(session, target),
        "is_self": target.id == actor.id,
        **_grant_options(session, actor),
        "info_form": None,
        "info_error": None,
        "roles_form": None,
        "roles_error": None,
        "password_error": None,
        "action_error": None,
    } | refused


def _detail_again(request: Request, session: Session, actor: User, username: str, exc: DomainError, **refused):
    def context() -> dict:
        return _detail_context(session, actor, _managed(session, actor, username), **refused)

    return form_again(request, session, exc, "auth/user_detail.html", context)


@router.get(f"{USERS}/{{username}}")
def user_detail(request: Request, username: str, user: CurrentUser, session: DbSession):
    target = _managed(session, user, username)
    return _render(request, "user_detail.html", _detail_context(session, user, target))


@router.post(f"{USERS}/{{username}}")
def user_update(
    request: Request,
    username: str,
    user: CurrentUser,
    session: DbSession,
    full_name: FormText = "",
    email: FormText = "",
    phone: FormText = "",
):
    target = _managed(session, user, username)
    back = f"{USERS}/{target.username}"
    try:
        service.update_user(
            session,
            actor=user,
            target=target,
            full_name=full_name,
            email=email or None,
            phone=phone or None,
            clear_email=not email.strip(),
            clear_phone=not phone.strip(),
        )
    except DomainError as exc:
        typed = {"full_name": full_name, "email": email, "phone": phone}
        return _detail_again(request, session, user, username, exc, info_form=typed, info_error=exc.message)
    flash(request, "Đã lưu thông tin tài khoản.", "success")
    return _redirect(back)


@router.post(f"{USERS}/{{username}}/vai-tro")
def user_roles(request: Request, username: str, user: CurrentUser, session: DbSession, form: PageForm):
    target = _managed(session, user, username)
    back = f"{USERS}/{target.username}"
    keep = {str(k) for k in form.getlist("keep")}
    try:
        grants = [(r.role, r.agency) for r in target.roles if str(r.id) in keep]
        add_role = str(form.get("add_role") or "").strip()
        if add_role:
            grants.append((add_role, service.get_agency(session, str(form.get("add_agency") or ""))))
        service.set_roles(session, actor=user, target=target, grants=grants)
    except DomainError as exc:
        typed = {"keep": keep, **typed_values(form, ("add_role", "add_agency"))}
        return _detail_again(request, session, user, username, exc, roles_form=typed, roles_error=exc.message)
    flash(request, "Đã cập nhật vai trò.", "success")
    return _redirect(back)


@router.post(f"{USERS}/{{username}}/mat-khau")
def user_reset_password(
    request: Request,
    username: str,
    user: CurrentUser,
    session: DbSession,
    password: FormText = "",
):
    target = _managed(session, user, username)
    back = f"{USERS}/{target.username}"
    try:
        if target.id == user.id:
            raise InvalidInput("Đổi mật khẩu của chính bạn tại trang Tài khoản của tôi.")
        service.set_password(session, actor=user, target=target, password=password)
    except DomainError as exc:  # the password itself is typed again, never sent back
        return _detail_again(request, session, user, username, exc, password_error=exc.message)
    flash(request, "Đã đặt lại mật khẩu; hãy báo mật khẩu mới cho người dùng qua kênh an toàn.", "success")
    return _redirect(back)


@router.post(f"{USERS}/{{username}}/{{action}}")
def user_action(request: Request, username: str, action: str, user: CurrentUser, session: DbSession):
    actions = {
        "mo-khoa": (service.unlock_user, "Đã gỡ khoá đăng nhập."),
        "khoa": (service.deactivate_user, "Đã khoá (ngừng hoạt động) tài khoản."),
        "kich-hoat": (service.activate_user, "Đã kích hoạt lại tài khoản."),
        "thu-hoi-ma": (
            lambda s, *, actor, target: service.revoke_all_tokens(s, actor=actor, target=target),
            "Đã thu hồi mọi mã truy cập của tài khoản.",
        ),
    }
    if action not in actions:
        raise NotFound("Không tìm thấy thao tác yêu cầu.")
    target = _managed(session, user, username)
    back = f"{USERS}/{target.username}"
    func, message = actions[action]
    try:
        func(session, actor=user, target=target)
    except DomainError as exc:
        return _detail_again(request, session, user, username, exc, action_error=exc.message)
    flash(request, message, "success")
    return _redirect(back)


# --- own account ---------------------------------------------------------------------------------


def _account_context(session: Session, user: User, new_token: str | None = None, **refused) -> dict:
    """One's own account; `refused` puts one form's typed values and message back."""
    return {
        "user": user,
        "tokens": service.list_tokens(session, user),
        "new_token": new_token,
        "password_error": None,
        "token_form": None,
        "token_error": None,
        "action_error": None,
    } | refused


def _account_again(request: Request, session: Session, user: User, exc: DomainError, **refused) -> Response:
    return form_again(request, session, exc, "auth/account.html", lambda: _account_context(session, user, **refused))


@router.get("/tai-khoan")
def account(request: Request, user: CurrentUser, session: DbSession):
    return _render(request, "account.html", _account_context(session, user))


@router.post("/tai-khoan/mat-khau")
def account_password(
    request: Request,
    user: CurrentUser,
    session: DbSession,
    current_password: FormText = "",
    new_password: FormText = "",
    confirm_password: FormText = "",
):
    try:
        if new_password != confirm_password:
            raise InvalidInput("Mật khẩu nhập lại không khớp.")
        service.set_password(
            session, actor=user, target=user, password=new_password, current_password=current_password
        )
    except DomainError as exc:  # passwords are typed again, never sent back
        return _account_again(request, session, user, exc, password_error=exc.message)
    sign_in(request, user)  # new session stamp: other sessions end, this one continues
    flash(request, "Đã đổi mật khẩu.", "success")
    return _redirect("/tai-khoan")


@router.post("/tai-khoan/ma-truy-cap")
def account_token_create(request: Request, user: CurrentUser, session: DbSession, name: FormText = ""):
    try:
        token = service.issue_token(session, user, name)
    except DomainError as exc:
        return _account_again(request, session, user, exc, token_form={"name": name}, token_error=exc.message)
    # Shown in this response only: never stored in plaintext, never put in a cookie.
    return _render(request, "account.html", _account_context(session, user, new_token=token), 201)


@router.post("/tai-khoan/ma-truy-cap/{token_id}/thu-hoi")
def account_token_revoke(request: Request, token_id: uuid.UUID, user: CurrentUser, session: DbSession):
    try:
        service.revoke_token(session, actor=user, token=service.get_token(session, user, token_id))
    except DomainError as exc:
        return _account_again(request, session, user, exc, action_error=exc.message)
    flash(request, "Đã thu hồi mã truy cập.", "success")
    return _redirect("/tai-khoan")
