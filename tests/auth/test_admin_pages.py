"""User administration pages: create, edit roles, lock/unlock, reset password."""

from datetime import timedelta

from motcua.auth import service
from motcua.auth.roles import Role
from motcua.core.clock import now
from tests.auth.conftest import csrf_from, login


def signed_in_admin(client, make_user, agencies, role=Role.province_admin, agency=None):
    make_user("trang.admin", role, agency=agency or agencies.province)
    login(client, "trang.admin")
    return csrf_from(client.get("/quan-tri/nguoi-dung").text)


def test_user_list_searches_and_shows_roles(client, make_user, agencies):
    make_user("trang.dao", full_name="Nguyễn Thị Đào", agency=agencies.finance)
    signed_in_admin(client, make_user, agencies)
    page = client.get("/quan-tri/nguoi-dung", params={"q": "thi dao"})
    assert page.status_code == 200
    assert "Nguyễn Thị Đào" in page.text and "Chuyên viên — Sở Tài chính" in page.text
    assert "trang.admin</a>" not in page.text
    assert "Tìm thấy 1 tài khoản." in page.text


def test_create_user_through_the_form(client, db, make_user, agencies):
    token = signed_in_admin(client, make_user, agencies)
    form = {"csrf_token": token, "username": "trang.moi", "full_name": "Lê Văn Mới", "password": "matkhau-dai",
            "agency_id": str(agencies.justice.id), "roles": ["specialist", "head"], "email": "", "phone": ""}
    response = client.post("/quan-tri/nguoi-dung/moi", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/quan-tri/nguoi-dung/trang.moi"
    detail = client.get("/quan-tri/nguoi-dung/trang.moi")
    assert "Đã tạo tài khoản “trang.moi”." in detail.text
    assert sorted(r.role for r in service.get_user(db, "trang.moi").roles) == ["head", "specialist"]

    # bad input re-renders the form with the message and the values typed
    again = client.post("/quan-tri/nguoi-dung/moi", data=form | {"full_name": "Trùng Tên"})
    assert again.status_code == 409
    assert "Tên đăng nhập “trang.moi” đã được sử dụng." in again.text
    assert 'value="Trùng Tên"' in again.text


def test_agency_admin_form_refuses_another_agency(client, db, make_user, agencies):
    token = signed_in_admin(client, make_user, agencies, Role.agency_admin, agencies.justice)
    page = client.get("/quan-tri/nguoi-dung/moi").text
    assert "Sở Tư pháp" in page and "Sở Tài chính" not in page and "Quản trị tỉnh" not in page
    response = client.post("/quan-tri/nguoi-dung/moi", data={
        "csrf_token": token, "username": "trang.ngoai", "full_name": "Ngoài", "password": "matkhau-dai",
        "agency_id": str(agencies.finance.id), "roles": ["specialist"],
    })
    assert response.status_code == 403
    assert "nằm ngoài phạm vi" in response.text
    assert service.find_user(db, "trang.ngoai") is None


def test_edit_roles_lock_unlock_and_reset_password(client, db, make_user, agencies):
    target = make_user("trang.sua", Role.specialist, agency=agencies.justice)
    token = signed_in_admin(client, make_user, agencies)
    base = "/quan-tri/nguoi-dung/trang.sua"

    keep = str(target.roles[0].id)
    client.post(f"{base}/vai-tro", data={"csrf_token": token, "keep": keep, "add_role": "head",
                                          "add_agency": str(agencies.finance.id)})
    db.expire_all()
    user = service.get_user(db, "trang.sua")
    assert sorted((r.role, r.agency_id) for r in user.roles) == sorted(
        [("specialist", agencies.justice.id), ("head", agencies.finance.id)]
    )

    user.locked_until = now() + timedelta(minutes=10)
    db.flush()
    assert "Tạm khoá đăng nhập đến" in client.get(base).text
    client.post(f"{base}/mo-khoa", data={"csrf_token": token})
    db.expire_all()
    assert service.get_user(db, "trang.sua").locked_until is None

    client.post(f"{base}/khoa", data={"csrf_token": token})
    db.expire_all()
    assert service.get_user(db, "trang.sua").is_active is False
    client.post(f"{base}/kich-hoat", data={"csrf_token": token})
    db.expire_all()
    assert service.get_user(db, "trang.sua").is_active is True

    short = client.post(f"{base}/mat-khau", data={"csrf_token": token, "password": "ngan"})
    assert "Mật khẩu phải có ít nhất 8 ký tự." in short.text
    client.post(f"{base}/mat-khau", data={"csrf_token": token, "password": "mat-khau-moi-2"})
    db.expire_all()
    assert service.verify_password("mat-khau-moi-2", service.get_user(db, "trang.sua").password_hash)

    # removing every role is refused and changes nothing
    response = client.post(f"{base}/vai-tro", data={"csrf_token": token})
    assert "Tài khoản cần có ít nhất một vai trò." in response.text
    db.expire_all()
    assert len(service.get_user(db, "trang.sua").roles) == 2


def test_unknown_user_page_is_404(client, make_user, agencies):
    signed_in_admin(client, make_user, agencies)
    response = client.get("/quan-tri/nguoi-dung/khong.ton.tai")
    assert response.status_code == 404
    assert "Không tìm thấy tài khoản “khong.ton.tai”." in response.text


def test_demo_users_are_idempotent(db):
    from motcua.auth.seed import DEMO_PASSWORD, seed_demo_users

    first = seed_demo_users(db)
    assert first == ["admin", "motcua", "quantri.stp", "chuyenvien", "lanhdao", "vanthu", "motcua.xa", "motcua.chilang"]
    assert seed_demo_users(db) == []
    admin = service.get_user(db, "admin")
    assert [(r.role, r.agency.code) for r in admin.roles] == [("province_admin", "000.00.00.H37")]
    assert service.authenticate(db, username="motcua", password=DEMO_PASSWORD).ok
    commune_officer = service.get_user(db, "motcua.xa")
    assert {r.agency.level for r in commune_officer.roles} == {"commune"}




def test_user_list_query_count_does_not_grow_with_rows(client, db, engine, make_user, agencies):
    from sqlalchemy import event

    signed_in_admin(client, make_user, agencies)

    def count_queries() -> int:
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get("/quan-tri/nguoi-dung").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    for i in range(2):
        make_user(f"dem.a{i}", Role.specialist, agency=agencies.finance)
    db.flush()
    few = count_queries()
    assert few > 3
    for i in range(8):
        make_user(f"dem.b{i}", Role.head, agency=agencies.justice)
    db.flush()
    assert count_queries() == few


def test_admin_home_lists_only_the_sections_the_user_may_open(client, make_user, agencies):
    """QA: a counter officer's /quan-tri offered five sections that all answered 403."""
    make_user("trang.quay", Role.counter_officer, agency=agencies.province)
    login(client, "trang.quay")
    page = client.get("/quan-tri")
    assert page.status_code == 200
    for href in ("/quan-tri/nguoi-dung", "/quan-tri/co-quan", "/quan-tri/thu-tuc", "/quan-tri/lich"):
        assert f'href="{href}"' not in page.text
    assert 'href="/tai-khoan"' in page.text
    make_user("trang.qtdv", Role.agency_admin, agency=agencies.finance)
    login(client, "trang.qtdv")
    page = client.get("/quan-tri")
    assert 'href="/quan-tri/thu-tuc"' in page.text and 'href="/quan-tri/nguoi-dung"' in page.text
    assert 'href="/quan-tri/lich"' in page.text  # its agencies' office hours
    assert 'href="/quan-tri/bieu-mau"' not in page.text
    make_user("trang.qttinh", Role.province_admin, agency=agencies.province)
    login(client, "trang.qttinh")
    page = client.get("/quan-tri")
    for href in ("/quan-tri/nguoi-dung", "/quan-tri/co-quan", "/quan-tri/thu-tuc", "/quan-tri/lich",
                 "/quan-tri/bieu-mau"):
        assert f'href="{href}"' in page.text


def test_user_pages_show_role_labels_without_identifiers(client, make_user, agencies):
    make_user("trang.nhan", Role.specialist, agency=agencies.justice)
    signed_in_admin(client, make_user, agencies)
    detail = client.get("/quan-tri/nguoi-dung/trang.nhan").text
    assert "<td>Chuyên viên</td>" in detail
    assert "(specialist)" not in detail
    new_form = client.get("/quan-tri/nguoi-dung/moi").text
    assert 'value="specialist"' in new_form and "> Chuyên viên</label>" in new_form
    assert "(specialist)" not in new_form and "(province_admin)" not in new_form
