"""Control characters are refused the same way on both backends: 422 naming the field."""

from tests.auth.conftest import csrf_from


def test_api_json_with_a_nul_is_422_naming_the_field(client):
    response = client.post("/api/v1/auth/token", json={"username": "ai\x00do", "password": "x" * 10, "name": "m"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "control_characters"
    assert [e["field"] for e in body["errors"]] == ["username"]
    assert "ký tự điều khiển" in body["title"]


def test_nested_json_fields_are_named_by_their_path(client):
    response = client.post("/api/v1/auth/token", json={"username": "a", "password": "b", "name": ["ok", "x\x1by"]})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["name.1"]


def test_a_query_parameter_with_a_nul_is_refused_on_pages_too(client):
    response = client.get("/thu-tuc", params={"q": "khai\x00sinh"})
    assert response.status_code == 422
    assert "ký tự điều khiển" in response.text


def test_a_page_form_shows_the_typed_text_back_without_the_bad_character(client):
    token = csrf_from(client.get("/dang-nhap").text)
    response = client.post("/dang-nhap", data={"csrf_token": token, "username": "ten\x07dung", "password": "abc"})
    assert response.status_code == 422
    assert 'name="username" value="tendung"' in response.text
    assert "Tên đăng nhập" in response.text  # the field is named for people


def test_tab_and_line_breaks_are_allowed(client):
    response = client.post("/api/v1/auth/token", json={"username": "khong.co", "password": "a\tb\r\nc", "name": "m"})
    assert response.status_code == 401  # checked like any password, not refused
