"""A refused user-administration or own-account form comes back with what was typed, its
message beside it and the refusal's status — never the passwords — and writes nothing."""

from motcua.auth import service
from motcua.auth.roles import Role
from tests.auth.conftest import PASSWORD, csrf_from, login
from tests.html_forms import form_fields

BASE = "/quan-tri/nguoi-dung/trang.giu"


def _admin(client, make_user, agencies):
    target = make_user("trang.giu", Role.specialist, agency=agencies.justice, full_name="Lò Văn Giữ")
    make_user("trang.qt", Role.province_admin, agency=agencies.province)
    login(client, "trang.qt")
    return target, csrf_from(client.get(BASE).text)


def test_refused_user_information_keeps_the_typed_values(client, db, make_user, agencies):
    _, token = _admin(client, make_user, agencies)
    response = client.post(BASE, data={"csrf_token": token, "full_name": "Lò Văn Giữ Mới",
                                       "email": "khong-phai-thu", "phone": "0912 345 678"})
    assert response.status_code == 422
    assert 'id="info-error"' in response.text
    assert "Địa chỉ thư điện tử không hợp lệ: “khong-phai-thu”." in response.text
    fields = form_fields(response.text, BASE)
    assert fields["full_name"] == "Lò Văn Giữ Mới"
    assert fields["email"] == "khong-phai-thu" and fields["phone"] == "0912 345 678"
    assert csrf_from(response.text)
    db.expire_all()
    stored = service.get_user(db, "trang.giu")
    assert stored.full_name == "Lò Văn Giữ" and stored.email is None and stored.phone is None


def test_refused_roles_keep_the_choices(client, db, make_user, agencies):
    target, token = _admin(client, make_user, agencies)
    response = client.post(f"{BASE}/vai-tro", data={"csrf_token": token, "add_role": "",
                                                     "add_agency": str(agencies.finance.id)})
    assert response.status_code == 422
    assert 'id="roles-error"' in response.text and "Tài khoản cần có ít nhất một vai trò." in response.text
    fields = form_fields(response.text, f"{BASE}/vai-tro")
    assert "keep" not in fields  # the role the officer unticked stays unticked
    assert fields["add_agency"] == str(agencies.finance.id)
    db.expire_all()
    assert [(r.role, r.agency_id) for r in service.get_user(db, "trang.giu").roles] == [
        ("specialist", agencies.justice.id)
    ]
    # a page shown without a refusal ticks every role
    assert form_fields(client.get(BASE).text, f"{BASE}/vai-tro")["keep"] == str(target.roles[0].id)


def test_refused_password_reset_never_echoes_the_password(client, db, make_user, agencies):
    _, token = _admin(client, make_user, agencies)
    response = client.post(f"{BASE}/mat-khau", data={"csrf_token": token, "password": "Ng4n!x"})
    assert response.status_code == 422
    assert 'id="password-error"' in response.text and "Mật khẩu phải có ít nhất 8 ký tự." in response.text
    assert "Ng4n!x" not in response.text
    assert form_fields(response.text, f"{BASE}/mat-khau")["password"] == ""
    db.expire_all()
    assert service.verify_password(PASSWORD, service.get_user(db, "trang.giu").password_hash)


def test_refused_button_shows_the_page_with_the_status(client, db, make_user, agencies):
    _admin(client, make_user, agencies)
    token = csrf_from(client.get("/quan-tri/nguoi-dung/trang.qt").text)
    response = client.post("/quan-tri/nguoi-dung/trang.qt/khoa", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 409
    assert 'id="action-error"' in response.text and "Bạn không thể tự khoá tài khoản của mình." in response.text
    db.expire_all()
    assert service.get_user(db, "trang.qt").is_active


def test_own_password_change_refused_without_echoing_any_password(client, db, make_user, agencies):
    make_user("trang.minh", Role.specialist, agency=agencies.justice)
    login(client, "trang.minh")
    token = csrf_from(client.get("/tai-khoan").text)
    typed = {"current_password": PASSWORD, "new_password": "Mat-khau-moi-1", "confirm_password": "Mat-khau-moi-2"}
    response = client.post("/tai-khoan/mat-khau", data={"csrf_token": token, **typed})
    assert response.status_code == 422
    assert 'id="password-error"' in response.text and "Mật khẩu nhập lại không khớp." in response.text
    for secret in typed.values():
        assert secret not in response.text
    assert set(form_fields(response.text, "/tai-khoan/mat-khau")) == {"csrf_token", *typed}
    assert all(v == "" for k, v in form_fields(response.text, "/tai-khoan/mat-khau").items() if k != "csrf_token")
    db.expire_all()
    assert service.verify_password(PASSWORD, service.get_user(db, "trang.minh").password_hash)


def test_refused_token_name_is_kept(client, db, make_user, agencies):
    user = make_user("trang.ma", Role.specialist, agency=agencies.justice)
    login(client, "trang.ma")
    token = csrf_from(client.get("/tai-khoan").text)
    name = "Máy tính quầy số 1 " * 6  # 114 characters
    response = client.post("/tai-khoan/ma-truy-cap", data={"csrf_token": token, "name": name})
    assert response.status_code == 422
    assert 'id="token-error"' in response.text
    assert "Tên mã truy cập không được dài quá 100 ký tự." in response.text
    assert form_fields(response.text, "/tai-khoan/ma-truy-cap")["name"] == name
    assert service.list_tokens(db, user) == []
