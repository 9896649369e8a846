"""Pydantic shapes of the auth API (`/api/v1/me`, `/auth/token`, `/users`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from motcua.auth.models import ApiToken, User, UserRole
from motcua.auth.roles import Role
from motcua.core.text import has_control


def _no_control(value: str) -> str:
    if has_control(value):
        raise ValueError("Không được chứa ký tự điều khiển.")
    return value


Text = Annotated[str, AfterValidator(_no_control)]
AgencyCode = Annotated[
    str, Field(min_length=1, max_length=20, examples=["000.00.00.H37"]), AfterValidator(_no_control)
]


class RoleGrant(BaseModel):
    """One role held at one agency (by its QCVN 102 code)."""

    model_config = ConfigDict(extra="forbid")

    role: Role = Field(description="Mã vai trò")
    agency_code: AgencyCode = Field(description="Mã cơ quan (QCVN 102)")


class RoleGrantRead(BaseModel):
    role: Role
    role_label: str = Field(description="Tên vai trò")
    agency_code: str
    agency_name: str

    @classmethod
    def of(cls, grant: UserRole) -> RoleGrantRead:
        return cls(
            role=Role(grant.role),
            role_label=grant.role_label,
            agency_code=grant.agency.code,
            agency_name=grant.agency.name,
        )


class UserRead(BaseModel):
    """A staff account as administrators see it (never the password hash)."""

    username: str
    full_name: str
    email: str | None = None
    phone: str | None = None
    is_active: bool
    locked_until: datetime | None = Field(None, description="Bị tạm khoá đến (UTC)")
    last_login_at: datetime | None = None
    created_at: datetime
    roles: list[RoleGrantRead]

    @classmethod
    def of(cls, user: User) -> UserRead:
        return cls(
            username=user.username,
            full_name=user.full_name,
            email=user.email,
            phone=user.phone,
            is_active=user.is_active,
            locked_until=user.locked_until if user.is_locked() else None,
            last_login_at=user.last_login_at,
            created_at=user.created_at,
            roles=[RoleGrantRead.of(r) for r in user.roles],
        )


class UserList(BaseModel):
    total: int = Field(description="Tổng số tài khoản khớp điều kiện")
    page: int
    page_size: int
    items: list[UserRead]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Text = Field(min_length=3, max_length=64, examples=["nguyenvana"])
    password: Text = Field(min_length=8, max_length=256)
    full_name: Text = Field(min_length=1, max_length=200, examples=["Nguyễn Văn A"])
    agency_code: AgencyCode = Field(description="Cơ quan nơi giao các vai trò")
    roles: list[Role] = Field(min_length=1, max_length=8)
    email: Text | None = Field(None, max_length=254)
    phone: Text | None = Field(None, max_length=32)


class UserUpdate(BaseModel):
    """Fields to change; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    full_name: Text | None = Field(None, min_length=1, max_length=200)
    email: Text | None = Field(None, max_length=254, description="Chuỗi rỗng để xoá")
    phone: Text | None = Field(None, max_length=32, description="Chuỗi rỗng để xoá")
    is_active: bool | None = Field(None, description="false để khoá (ngừng hoạt động) tài khoản")
    unlock: bool | None = Field(None, description="true để gỡ khoá tạm thời do đăng nhập sai")
    password: Text | None = Field(None, min_length=8, max_length=256, description="Đặt lại mật khẩu")
    roles: list[RoleGrant] | None = Field(None, min_length=1, max_length=50)


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Text = Field(min_length=1, max_length=64)
    password: Text = Field(min_length=1, max_length=256)
    name: Text = Field("API", min_length=1, max_length=100, description="Tên gợi nhớ của mã")


class TokenIssued(BaseModel):
    access_token: str = Field(description="Chỉ hiển thị một lần; lưu lại an toàn")
    token_type: str = "bearer"
    name: str
    prefix: str


class TokenRead(BaseModel):
    id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> TokenRead:
        return cls(
            id=str(token.id),
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
            expires_at=token.expires_at,
        )
