"""JSON API: who am I, bearer tokens, user administration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from motcua.auth import policies, service
from motcua.auth.deps import CurrentUser
from motcua.auth.roles import Role
from motcua.auth.schemas import (
    TokenIssued,
    TokenRead,
    TokenRequest,
    UserCreate,
    UserList,
    UserRead,
    UserUpdate,
)
from motcua.core.db import DbSession
from motcua.core.errors import InvalidInput
from motcua.web.errors import problem
from motcua.web.ratelimit import client_address, retry_after

router = APIRouter(prefix="/api/v1", tags=["tài khoản"])


DEFAULT_PAGE_SIZE = 50
PROBLEM = {"content": {"application/problem+json": {}}}
AUTH_ERRORS = {401: {"description": "Chưa đăng nhập hoặc mã truy cập không hợp lệ", **PROBLEM}}
ADMIN_ERRORS = {**AUTH_ERRORS, 403: {"description": "Không có quyền", **PROBLEM}}


@router.get("/me", response_model=UserRead, summary="Tài khoản đang đăng nhập", responses=AUTH_ERRORS)
def me(user: CurrentUser) -> UserRead:
    return UserRead.of(user)


@router.get(
    "/me/tokens",
    response_model=list[TokenRead],
    summary="Các mã truy cập của tài khoản đang đăng nhập",
    responses=AUTH_ERRORS,
)
def my_tokens(user: CurrentUser, session: DbSession) -> list[TokenRead]:
    return [TokenRead.of(t) for t in service.list_tokens(session, user)]


@router.post(
    "/auth/token",
    response_model=TokenIssued,
    status_code=201,
    summary="Cấp mã truy cập (bearer token) bằng tên đăng nhập và mật khẩu",
    responses={
        401: {"description": "Sai tên đăng nhập hoặc mật khẩu", **PROBLEM},
        429: {"description": "Tài khoản tạm khoá do đăng nhập sai nhiều lần", **PROBLEM},
    },
)
def issue_token(body: TokenRequest, request: Request):
    # No request unit of work (`DbSession`): the password is checked with no lock held, then
    # one short write records the failure, or the success with the new token (see
    # auth.login.authenticate_then_record). A failure is answered, not raised: its counter
    # is committed.
    result, token = service.authenticate_then_record(
        request.app.state.sessionmaker, username=body.username, password=body.password,
        address=client_address(request), settings=request.app.state.settings,
        then=lambda session, user: service.issue_token(session, user, body.name),
    )
    if not result.ok:
        if result.locked:
            response = problem(429, result.error, code="account_locked")
            response.headers["Retry-After"] = str(retry_after(result.locked_until))
            return response
        return problem(401, result.error, code="invalid_credentials")
    return JSONResponse(
        TokenIssued(access_token=token, name=body.name, prefix=token[: service.TOKEN_SHOWN_CHARS]).model_dump(),
        status_code=201,
    )


@router.get("/users", response_model=UserList, summary="Danh sách người dùng (quản trị)", responses=ADMIN_ERRORS)
def list_users(
    user: CurrentUser,
    session: DbSession,
    q: Annotated[str | None, Query(max_length=200, description="Tìm theo tên, tên đăng nhập, thư điện tử")] = None,
    agency: Annotated[str | None, Query(max_length=20, description="Mã cơ quan")] = None,
    role: Annotated[Role | None, Query(description="Vai trò")] = None,
    active: Annotated[bool | None, Query(description="Đang hoạt động")] = None,
    page: Annotated[int, Query(ge=1, le=100_000, description="Trang (từ 1)")] = 1,
    page_size: Annotated[int | None, Query(ge=1, le=200, description="Số dòng mỗi trang (mặc định 50)")] = None,
    per_page: Annotated[
        int | None,
        Query(ge=1, le=200, deprecated=True, description="Tên cũ của page_size; dùng page_size"),
    ] = None,
) -> UserList:
    size = page_size or per_page or DEFAULT_PAGE_SIZE
    agency_id = service.agency_by_code(session, agency).id if agency else None
    result = service.list_users(
        session, user, q=q, agency_id=agency_id, role=role, active=active, page=page, per_page=size
    )
    return UserList(
        total=result.total,
        page=result.page,
        page_size=result.per_page,
        items=[UserRead.of(u) for u in result.items],
    )


@router.post(
    "/users",
    response_model=UserRead,
    status_code=201,
    summary="Tạo người dùng (quản trị)",
    responses={**ADMIN_ERRORS, 409: {"description": "Tên đăng nhập đã tồn tại", **PROBLEM}},
)
def create_user(body: UserCreate, user: CurrentUser, session: DbSession) -> UserRead:
    policies.ensure_user_admin(user)
    created = service.create_user(
        session,
        actor=user,
        username=body.username,
        password=body.password,
        full_name=body.full_name,
        agency=service.agency_by_code(session, body.agency_code),
        roles=body.roles,
        email=body.email,
        phone=body.phone,
    )
    return UserRead.of(created)


UsernamePath = Annotated[str, Path(max_length=64, description="Tên đăng nhập")]


def _managed_user(session: Session, actor, username: str):
    policies.ensure_user_admin(actor)
    target = service.get_user(session, username)
    policies.ensure_can_manage_user(actor, target, session=session)
    return target


@router.get(
    "/users/{username}",
    response_model=UserRead,
    summary="Xem một người dùng (quản trị)",
    responses={**ADMIN_ERRORS, 404: {"description": "Không tìm thấy", **PROBLEM}},
)
def get_user(username: UsernamePath, user: CurrentUser, session: DbSession) -> UserRead:
    return UserRead.of(_managed_user(session, user, username))


@router.patch(
    "/users/{username}",
    response_model=UserRead,
    summary="Sửa người dùng: thông tin, vai trò, khoá/mở khoá, đặt lại mật khẩu (quản trị)",
    responses={**ADMIN_ERRORS, 404: {"description": "Không tìm thấy", **PROBLEM}},
)
def update_user(username: UsernamePath, body: UserUpdate, user: CurrentUser, session: DbSession) -> UserRead:
    target = _managed_user(session, user, username)
    fields = body.model_fields_set
    if fields & {"full_name", "email", "phone"}:
        service.update_user(
            session,
            actor=user,
            target=target,
            full_name=body.full_name,
            email=body.email or None,
            phone=body.phone or None,
            clear_email="email" in fields and not body.email,
            clear_phone="phone" in fields and not body.phone,
        )
    if body.roles is not None:
        grants = [(g.role, service.agency_by_code(session, g.agency_code)) for g in body.roles]
        service.set_roles(session, actor=user, target=target, grants=grants)
    if body.password is not None:
        if target.id == user.id:
            raise InvalidInput("Đổi mật khẩu của chính bạn tại trang Tài khoản của tôi (/tai-khoan).")
        service.set_password(session, actor=user, target=target, password=body.password)
    if body.unlock:
        service.unlock_user(session, actor=user, target=target)
    if body.is_active is False and target.is_active:
        service.deactivate_user(session, actor=user, target=target)
    elif body.is_active is True and not target.is_active:
        service.activate_user(session, actor=user, target=target)
    return UserRead.of(target)
