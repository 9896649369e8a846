"""Login pages, sessions, CSRF, redirects, admin pages."""

from sqlalchemy import func, select

from motcua.auth.models import ApiToken, User
from motcua.auth.roles import Role
from tests.auth.conftest import PASSWORD, csrf_from, login


def _count(db, username):
    db.expire_all()
    return db.scalar(select(User.failed_login_count).where(User.username == username))


def test_login_page_is_vietnamese_with_csrf_field(client):
    response = client.get("/dang-nhap")
    assert response.status_code == 200
    assert "Đăng nhập cán bộ" in response.text
    assert csrf_from(response.text)


def test_login_success_sets_session_and_redirects_to_local_next(client, make_user):
    make_user("trang.login", Role.specialist)
    response = login(client, "trang.login", next="/quan-tri/lich?nam=2026")
    assert response.status_code == 303
    assert response.headers["location"] == "/quan-tri/lich?nam=2026"
    page = client.get("/quan-tri")
    assert page.status_code == 200
    assert "Cán bộ trang.login" in page.text  # the layout shows the signed-in user
    assert "Đăng xuất" in page.text
    # public pages show the staff navigation too
    assert "Cán bộ trang.login" in client.get("/dang-nhap").text


def test_login_ignores_an_external_next(client, make_user):
    make_user("trang.next")
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example"]:
        client.cookies.clear()
        response = login(client, "trang.next", next=target)
        assert response.headers["location"] == "/xu-ly", target  # a specialist's start page


def test_each_role_lands_where_its_day_starts(client, make_user, agencies):
    make_user("trang.quay1", Role.counter_officer, agency=agencies.centre)
    make_user("trang.cv1", Role.specialist)
    make_user("trang.qt1", Role.agency_admin, Role.specialist)
    for username, start in [("trang.quay1", "/quay"), ("trang.cv1", "/xu-ly"), ("trang.qt1", "/quan-tri")]:
        client.cookies.clear()
        assert login(client, username).headers["location"] == start, username


def test_failed_login_is_400_and_the_counter_survives_the_request(client, db, make_user):
    make_user("trang.sai")
    response = login(client, "trang.sai", "sai-mat-khau")
    assert response.status_code == 400
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text
    assert _count(db, "trang.sai") == 1
    login(client, "trang.sai", "sai-lan-hai")
    assert _count(db, "trang.sai") == 2


def test_lock_out_after_repeated_failures_answers_429(client, db, make_user):
    make_user("trang.khoa")
    for _ in range(4):
        assert login(client, "trang.khoa", "sai").status_code == 400
    response = login(client, "trang.khoa", "sai")
    assert response.status_code == 429
    assert "Tài khoản tạm khoá do đăng nhập sai nhiều lần, thử lại sau" in response.text
    # even the right password is refused now
    assert login(client, "trang.khoa", PASSWORD).status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    # the lock holds for this client address only (tests/auth/test_login_throttle.py)
    db.expire_all()
    assert db.scalar(select(User.locked_until).where(User.username == "trang.khoa")) is None


def test_post_without_csrf_token_is_refused_and_changes_nothing(client, db, make_user):
    make_user("trang.csrf")
    client.get("/dang-nhap")
    response = client.post("/dang-nhap", data={"username": "trang.csrf", "password": "sai"})
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert _count(db, "trang.csrf") == 0
    # a signed-in user's form without the token does not create a token
    login(client, "trang.csrf")
    response = client.post("/tai-khoan/ma-truy-cap", data={"name": "Máy quầy"})
    assert response.status_code == 403
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_pages_redirect_anonymous_users_to_login_with_next(client):
    response = client.get("/quan-tri/nguoi-dung?q=an", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/dang-nhap?next=%2Fquan-tri%2Fnguoi-dung%3Fq%3Dan"


def test_api_answers_anonymous_callers_with_401_problem_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["title"] == "Bạn cần đăng nhập"


def test_logout_clears_the_session(client, make_user):
    make_user("trang.thoat")
    login(client, "trang.thoat")
    token = csrf_from(client.get("/quan-tri").text)
    response = client.post("/dang-xuat", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/quan-tri", follow_redirects=False).status_code == 303


def test_login_rotates_the_session(client, make_user):
    make_user("trang.xoay")
    before = csrf_from(client.get("/dang-nhap").text)
    client.post(
        "/dang-nhap",
        data={"username": "trang.xoay", "password": PASSWORD, "csrf_token": before},
        follow_redirects=False,
    )
    # the old session data (here its CSRF token) did not survive the login
    after = csrf_from(client.get("/quan-tri").text)
    assert after != before


def test_changing_password_ends_other_sessions(client, app, make_user):
    from fastapi.testclient import TestClient

    make_user("trang.doimk")
    login(client, "trang.doimk")
    with TestClient(app) as other:
        login(other, "trang.doimk")
        assert other.get("/tai-khoan", follow_redirects=False).status_code == 200
        token = csrf_from(client.get("/tai-khoan").text)
        response = client.post(
            "/tai-khoan/mat-khau",
            data={"csrf_token": token, "current_password": PASSWORD,
                  "new_password": "mat-khau-moi-9", "confirm_password": "mat-khau-moi-9"},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert client.get("/tai-khoan", follow_redirects=False).status_code == 200
        assert other.get("/tai-khoan", follow_redirects=False).status_code == 303


def test_personal_token_is_shown_once_on_the_account_page(client, make_user):
    make_user("trang.token")
    login(client, "trang.token")
    token = csrf_from(client.get("/tai-khoan").text)
    response = client.post("/tai-khoan/ma-truy-cap", data={"csrf_token": token, "name": "Máy quầy 1"})
    assert response.status_code == 201
    assert "mã sẽ không hiển thị lại" in response.text
    import re

    plaintext = re.search(r'<code id="new-token"[^>]*>(mct_[^<]+)</code>', response.text).group(1)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"})
    assert me.json()["username"] == "trang.token"
    assert plaintext not in client.get("/tai-khoan").text


def test_admin_home_links_every_admin_section(client, make_user):
    make_user("trang.qt", Role.province_admin)
    login(client, "trang.qt")
    page = client.get("/quan-tri").text
    for href in ["/quan-tri/nguoi-dung", "/quan-tri/co-quan", "/quan-tri/thu-tuc", "/quan-tri/lich", "/quan-tri/quy-trinh"]:
        assert f'href="{href}"' in page


def test_specialist_cannot_open_user_administration(client, make_user):
    make_user("trang.cv", Role.specialist)
    login(client, "trang.cv")
    response = client.get("/quan-tri/nguoi-dung")
    assert response.status_code == 403
    assert "quản trị" in response.text


def test_require_roles_guards_a_route(app, client, db, make_user, agencies):
    from fastapi import Depends

    from motcua.auth import service
    from motcua.auth.deps import require_roles

    @app.get("/api/v1/_test_heads_only", dependencies=[Depends(require_roles(Role.head))])
    def heads_only():
        return {"ok": True}

    head = make_user("dep.head", Role.head)
    clerk = make_user("dep.clerk", Role.clerk)
    boss = make_user("dep.boss", Role.province_admin, agency=agencies.province)
    for user, status in [(head, 200), (clerk, 403), (boss, 200)]:
        token = service.issue_token(db, user, "x")
        db.flush()
        response = client.get("/api/v1/_test_heads_only", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == status, user.username
    assert client.get("/api/v1/_test_heads_only").status_code == 401


def test_openapi_declares_the_bearer_scheme(client):
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert spec["paths"]["/api/v1/me"]["get"]["summary"] == "Tài khoản đang đăng nhập"


def test_api_writes_with_the_session_cookie_need_the_csrf_header(client, db, make_user, agencies):
    make_user("trang.cookie", Role.province_admin, agency=agencies.province)
    login(client, "trang.cookie")
    token = csrf_from(client.get("/tai-khoan").text)
    body = {"username": "qua.cookie", "password": "matkhau-dai", "full_name": "Qua Cookie",
            "agency_code": agencies.justice.code, "roles": ["specialist"]}
    refused = client.post("/api/v1/users", json=body)
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(User).where(User.username == "qua.cookie")) == 0
    assert client.get("/api/v1/me").json()["username"] == "trang.cookie"  # reads need no token
    accepted = client.post("/api/v1/users", json=body, headers={"X-CSRF-Token": token})
    assert accepted.status_code == 201
