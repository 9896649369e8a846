"""The base layout's staff navigation offers only pages the signed-in user may open."""

from motcua.auth import service as auth_service
from motcua.auth.roles import Role
from motcua.org import service as org_service
from tests.auth.conftest import PASSWORD, login


def _user(db, username, role, agency_code):
    return auth_service.create_user(
        db,
        username=username,
        password=PASSWORD,
        full_name=f"Cán bộ {username}",
        agency=org_service.get_agency_by_code(db, agency_code),
        roles=(role,),
    )


def test_counter_link_only_for_counter_officers(client, db):
    """QA: specialists, heads and clerks saw "Quầy tiếp nhận", which answered 403."""
    _user(db, "nav.cv", Role.specialist, "000.00.04.H37")
    login(client, "nav.cv")
    page = client.get("/thu-tuc")
    assert 'href="/xu-ly"' in page.text and 'href="/quay"' not in page.text
    assert client.get("/quay").status_code == 403
    _user(db, "nav.mc", Role.counter_officer, "000.00.02.H37")
    login(client, "nav.mc")
    assert 'href="/quay"' in client.get("/thu-tuc").text
    _user(db, "nav.qt", Role.province_admin, "000.00.00.H37")
    login(client, "nav.qt")
    assert 'href="/quay"' in client.get("/thu-tuc").text


def test_error_page_names_parameters_in_vietnamese(client):
    """QA: "/co-quan?page=abc" showed "page: Phải là số nguyên." to citizens."""
    page = client.get("/co-quan", params={"page": "abc"})
    assert page.status_code == 422
    assert "<strong>Số trang</strong>: Phải là số nguyên." in page.text
    assert "<strong>page</strong>" not in page.text
    # the API keeps the parameter name (programs read it)
    problem = client.get("/api/v1/procedures", params={"page": "abc"}).json()
    assert problem["errors"][0]["field"] == "page"


def test_staff_links_are_grouped_and_sign_out_is_short(client, db):
    """QA: the signed-in header wrapped to 2–3 lines at 1366×768 (see tests/browser too)."""
    _user(db, "nav.nhom", Role.specialist, "000.00.04.H37")
    login(client, "nav.nhom")
    html = client.get("/thu-tuc").text
    staff = html[html.index('class="nav-group nav-staff"') : html.index("</span>", html.index("nav-staff"))]
    assert 'href="/xu-ly"' in staff and 'href="/quan-tri"' in staff
    assert '<span class="user-name" title="Cán bộ nav.nhom">Cán bộ nav.nhom</span>' in html
    assert '<button type="submit" class="link">Đăng xuất</button>' in html
