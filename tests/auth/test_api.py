"""Bearer tokens and the user administration API."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from motcua.auth import service
from motcua.auth.models import ApiToken, User
from motcua.auth.roles import Role
from motcua.core.clock import frozen
from tests.auth.conftest import PASSWORD


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_issue_token_stores_only_its_hash(db, make_user):
    user = make_user("api.hash")
    token = service.issue_token(db, user, "Máy quầy")
    row = db.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert token.startswith("mct_") and len(token) > 40
    assert row.token_hash != token and len(row.token_hash) == 64
    assert row.prefix == token[:12]
    assert service.resolve_token(db, token).id == user.id
    assert service.resolve_token(db, token + "x") is None


def test_bearer_token_works_for_me_and_revoked_token_gets_401(client, db, make_user, agencies):
    user = make_user("api.me", Role.counter_officer, agency=agencies.centre)
    token = service.issue_token(db, user, "Máy quầy")
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200
    assert response.json()["username"] == "api.me"
    assert response.json()["roles"] == [{
        "role": "counter_officer",
        "role_label": "Công chức Bộ phận Một cửa",
        "agency_code": agencies.centre.code,
        "agency_name": "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn",
    }]
    row = db.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    service.revoke_token(db, actor=user, token=row)
    db.flush()
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "thu hồi" in response.json()["title"]


def test_expired_token_and_inactive_user_are_refused(client, db, make_user):
    user = make_user("api.expiry")
    moment = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    with frozen(moment):
        token = service.issue_token(db, user, "Ngắn hạn", expires_at=moment + timedelta(hours=1))
        assert service.resolve_token(db, token) is not None
    with frozen(moment + timedelta(hours=2)):
        assert service.resolve_token(db, token) is None
    other = make_user("api.inactive")
    token2 = service.issue_token(db, other, "X")
    service.deactivate_user(db, actor=None, target=other)
    db.flush()
    assert client.get("/api/v1/me", headers=bearer(token2)).status_code == 401


def test_token_endpoint_issues_a_token_and_counts_failures(client, db, make_user):
    make_user("api.login")
    response = client.post("/api/v1/auth/token", json={"username": "api.login", "password": PASSWORD, "name": "Tích hợp"})
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "bearer" and body["name"] == "Tích hợp"
    assert client.get("/api/v1/me", headers=bearer(body["access_token"])).json()["username"] == "api.login"

    for _ in range(4):
        bad = client.post("/api/v1/auth/token", json={"username": "api.login", "password": "sai-mat-khau"})
        assert bad.status_code == 401
        assert bad.json()["title"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    db.expire_all()
    assert db.scalar(select(User.failed_login_count).where(User.username == "api.login")) == 4
    locked = client.post("/api/v1/auth/token", json={"username": "api.login", "password": "sai-mat-khau"})
    assert locked.status_code == 429
    assert locked.json()["title"].startswith("Tài khoản tạm khoá do đăng nhập sai nhiều lần, thử lại sau ")
    assert int(locked.headers["retry-after"]) > 800
    again = client.post("/api/v1/auth/token", json={"username": "api.login", "password": PASSWORD})
    assert again.status_code == 429


def test_token_endpoint_rejects_odd_input_in_vietnamese(client):
    response = client.post("/api/v1/auth/token", json={"username": "a\x00b", "password": "x"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    response = client.post("/api/v1/auth/token", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_admin_creates_lists_and_edits_users_through_the_api(client, db, make_user, agencies):
    admin = make_user("api.admin", Role.province_admin, agency=agencies.province)
    headers = bearer(service.issue_token(db, admin, "Quản trị"))
    created = client.post("/api/v1/users", headers=headers, json={
        "username": "Api.Moi", "password": "matkhau-dai", "full_name": "Người Mới",
        "agency_code": agencies.justice.code, "roles": ["specialist", "head"],
    })
    assert created.status_code == 201, created.text
    assert created.json()["username"] == "api.moi"
    assert sorted(r["role"] for r in created.json()["roles"]) == ["head", "specialist"]

    duplicate = client.post("/api/v1/users", headers=headers, json={
        "username": "api.moi", "password": "matkhau-dai", "full_name": "Trùng",
        "agency_code": agencies.justice.code, "roles": ["specialist"],
    })
    assert duplicate.status_code == 409
    assert duplicate.json()["title"] == "Tên đăng nhập “api.moi” đã được sử dụng."

    unknown_agency = client.post("/api/v1/users", headers=headers, json={
        "username": "api.khac", "password": "matkhau-dai", "full_name": "Khác",
        "agency_code": "999.99.99.H37", "roles": ["specialist"],
    })
    assert unknown_agency.status_code == 404

    listed = client.get("/api/v1/users", headers=headers, params={"q": "nguoi moi"})
    assert listed.status_code == 200
    assert [u["username"] for u in listed.json()["items"]] == ["api.moi"]
    assert listed.json()["total"] == 1

    patched = client.patch("/api/v1/users/api.moi", headers=headers, json={
        "full_name": "Người Đã Sửa", "roles": [{"role": "clerk", "agency_code": agencies.finance.code}],
        "is_active": False,
    })
    assert patched.status_code == 200, patched.text
    assert patched.json()["full_name"] == "Người Đã Sửa"
    assert patched.json()["is_active"] is False
    assert [(r["role"], r["agency_code"]) for r in patched.json()["roles"]] == [("clerk", agencies.finance.code)]
    assert client.get("/api/v1/users/api.moi", headers=headers).json()["full_name"] == "Người Đã Sửa"
    assert client.get("/api/v1/users/khong.co", headers=headers).status_code == 404


def test_users_api_refuses_non_admins_and_out_of_scope(client, db, make_user, agencies):
    officer = make_user("api.officer", Role.counter_officer, agency=agencies.centre)
    headers = bearer(service.issue_token(db, officer, "X"))
    assert client.get("/api/v1/users", headers=headers).status_code == 403
    created = client.post("/api/v1/users", headers=headers, json={
        "username": "api.cam", "password": "matkhau-dai", "full_name": "Cấm",
        "agency_code": agencies.centre.code, "roles": ["counter_officer"],
    })
    assert created.status_code == 403
    assert service.find_user(db, "api.cam") is None

    sub_admin = make_user("api.qt.stp", Role.agency_admin, agency=agencies.justice)
    make_user("api.taichinh", Role.specialist, agency=agencies.finance)
    sub_headers = bearer(service.issue_token(db, sub_admin, "X"))
    assert client.get("/api/v1/users/api.taichinh", headers=sub_headers).status_code == 403
    response = client.patch("/api/v1/users/api.qt.stp", headers=sub_headers,
                            json={"roles": [{"role": "province_admin", "agency_code": agencies.justice.code}]})
    assert response.status_code == 403
    db.expire_all()
    assert [r.role for r in service.get_user(db, "api.qt.stp").roles] == ["agency_admin"]


def test_users_api_pages_like_the_other_lists(client, db, make_user, agencies):
    admin = make_user("api.trang", Role.province_admin, agency=agencies.province)
    for n in range(3):
        make_user(f"api.trang{n}", agency=agencies.justice)
    headers = bearer(service.issue_token(db, admin, "Quản trị"))
    params = {"q": "api.trang"}
    body = client.get("/api/v1/users", headers=headers, params=params | {"page": 2, "page_size": 3}).json()
    assert set(body) == {"total", "page", "page_size", "items"}
    assert (body["total"], body["page"], body["page_size"]) == (4, 2, 3)
    assert [u["username"] for u in body["items"]] == ["api.trang2"]
    # the old name still works but is marked deprecated in the OpenAPI document
    old = client.get("/api/v1/users", headers=headers, params=params | {"per_page": 2}).json()
    assert old["page_size"] == 2 and len(old["items"]) == 2
    assert client.get("/api/v1/users", headers=headers, params=params).json()["page_size"] == 50
    bad = client.get("/api/v1/users", headers=headers, params={"page_size": 0})
    assert bad.status_code == 422
    spec = client.get("/openapi.json").json()["paths"]["/api/v1/users"]["get"]["parameters"]
    by_name = {p["name"]: p for p in spec}
    assert "page_size" in by_name and by_name["per_page"].get("deprecated") is True
    schema = client.get("/openapi.json").json()["components"]["schemas"]["UserList"]
    assert set(schema["properties"]) == {"total", "page", "page_size", "items"}
