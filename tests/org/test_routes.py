"""Pages: the public directory and agency administration (access checked server-side)."""

from datetime import date

import pytest

from motcua.auth import service as auth_service
from motcua.auth.roles import Role
from motcua.org import service
from tests.auth.conftest import PASSWORD, csrf_from, login


@pytest.fixture
def admin_user(db):
    def _make(username, role, agency):
        return auth_service.create_user(
            db, username=username, password=PASSWORD, full_name=f"Cán bộ {username}", agency=agency, roles=(role,)
        )

    return _make


def test_public_directory_lists_and_marks_historical(client):
    r = client.get("/co-quan", params={"q": "ke hoach dau tu", "historical": "1"})
    assert r.status_code == 200
    assert "Sở Kế hoạch và Đầu tư" in r.text
    assert "Đã giải thể/sáp nhập ngày 01/03/2025" in r.text
    assert "Sở Tài chính" in r.text  # the successor
    r = client.get("/co-quan", params={"q": "ke hoach dau tu"})
    assert "Sở Kế hoạch và Đầu tư" not in r.text  # current agencies only by default


def test_public_agency_page(client):
    r = client.get("/co-quan/000.00.05.H37")
    assert r.status_code == 200
    assert "Sở Kế hoạch và Đầu tư" in r.text and "Đơn vị kế thừa" in r.text
    assert "năm 2018" in r.text  # appendix II roadmap year
    r = client.get("/co-quan/000.00.00.H37")
    assert "Cơ quan, đơn vị trực thuộc" in r.text


def test_public_pages_bad_input(client):
    r = client.get("/co-quan/khong-co")
    assert r.status_code == 404 and "Không tìm thấy cơ quan có mã" in r.text
    r = client.get("/co-quan", params={"level": "tinh"})
    assert r.status_code == 422 and "không hợp lệ" in r.text
    assert client.get("/co-quan", params={"page": "x"}).status_code == 422


def test_admin_pages_need_an_administrator(client, db, admin_user):
    assert client.get("/quan-tri/co-quan", follow_redirects=False).status_code in (302, 303, 401)
    so_tu_phap = service.find_agency_by_name(db, "Sở Tư pháp")
    admin_user("chuyenvien.org", Role.specialist, so_tu_phap)
    login(client, "chuyenvien.org")
    assert client.get("/quan-tri/co-quan").status_code == 403


def test_province_admin_edits_code_and_dissolves(client, db, admin_user):
    ubnd = service.get_agency_by_code(db, "000.00.00.H37")
    admin_user("quantri.org", Role.province_admin, ubnd)
    login(client, "quantri.org")
    page = client.get("/quan-tri/co-quan/000.00.18.H37")
    assert page.status_code == 200 and "Giải thể hoặc sáp nhập" in page.text
    token = csrf_from(page.text)
    r = client.post(
        "/quan-tri/co-quan/000.00.18.H37",
        data={"csrf_token": token, "name": "Sở Ngoại vụ", "short_name": "SNGV", "new_code": "000.00.88.H37", "code_official": "1"},
    )
    assert r.status_code == 200 and r.url.path == "/quan-tri/co-quan/000.00.88.H37"
    assert "Đã lưu cơ quan “Sở Ngoại vụ” (000.00.88.H37)" in r.text
    agency = service.get_agency_by_code(db, "000.00.88.H37")
    assert (agency.code_provisional, agency.short_name) == (False, "SNGV")

    r = client.post(
        "/quan-tri/co-quan/000.00.88.H37/giai-the",
        data={"csrf_token": token, "on": "2030-01-01", "successor_code": "000.00.03.H37"},
    )
    assert r.status_code == 200 and "Đã ghi nhận giải thể" in r.text
    db.expire_all()
    agency = service.get_agency_by_code(db, "000.00.88.H37")
    assert agency.dissolved_on == date(2030, 1, 1)
    assert service.current_successor(db, agency).name == "Sở Nội vụ"

    r = client.post("/quan-tri/co-quan/000.00.04.H37/giai-the", data={"csrf_token": token, "on": "hôm qua"})
    assert "Ngày giải thể/sáp nhập không hợp lệ" in r.text
    r = client.post("/quan-tri/co-quan/000.00.04.H37", data={"csrf_token": token, "name": "X", "new_code": "abc"})
    assert "không đúng định dạng QCVN 102" in r.text


def test_agency_admin_may_rename_only_its_own_agency(client, db, admin_user):
    so_tu_phap = service.find_agency_by_name(db, "Sở Tư pháp")
    admin_user("quantri.stp", Role.agency_admin, so_tu_phap)
    login(client, "quantri.stp")
    page = client.get("/quan-tri/co-quan/000.00.04.H37")
    assert "Giải thể hoặc sáp nhập" not in page.text
    token = csrf_from(page.text)
    r = client.post(
        "/quan-tri/co-quan/000.00.04.H37",
        data={"csrf_token": token, "name": "Sở Tư pháp tỉnh Lạng Sơn", "new_code": "000.00.99.H37"},
    )
    assert r.status_code == 200 and "Đã lưu cơ quan “Sở Tư pháp tỉnh Lạng Sơn” (000.00.04.H37)" in r.text
    r = client.post("/quan-tri/co-quan/000.00.17.H37", data={"csrf_token": token, "name": "Sở Y tế mới"})
    assert "Chỉ Quản trị tỉnh hoặc Quản trị đơn vị của chính cơ quan này" in r.text
    r = client.post("/quan-tri/co-quan/000.00.04.H37/giai-the", data={"csrf_token": token, "on": "2030-01-01"})
    assert "Chỉ Quản trị tỉnh được sửa mã" in r.text
    db.expire_all()
    assert service.find_agency_by_name(db, "Sở Y tế").dissolved_on is None
    assert service.find_agency_by_name(db, "Sở Tư pháp").dissolved_on is None


def test_admin_form_errors_keep_what_was_typed(client, db, admin_user):
    ubnd = service.get_agency_by_code(db, "000.00.00.H37")
    admin_user("quantri.giu", Role.province_admin, ubnd)
    login(client, "quantri.giu")
    page = client.get("/quan-tri/co-quan/000.00.18.H37")
    token = csrf_from(page.text)
    assert 'name="on" type="text"' in page.text and 'placeholder="dd/mm/yyyy"' in page.text
    assert 'type="date"' not in page.text

    # the code is taken by another agency: 409, the form shows what was typed
    r = client.post(
        "/quan-tri/co-quan/000.00.18.H37",
        data={"csrf_token": token, "name": "Sở Ngoại vụ mới", "short_name": "SNV", "new_code": "000.00.03.H37",
              "note": "Ghi chú đang gõ"},
    )
    assert r.status_code == 409
    assert "Mã 000.00.03.H37 đã được dùng cho “Sở Nội vụ”." in r.text
    assert 'value="Sở Ngoại vụ mới"' in r.text and 'value="SNV"' in r.text
    assert 'value="000.00.03.H37"' in r.text and ">Ghi chú đang gõ</textarea>" in r.text
    r = client.post("/quan-tri/co-quan/000.00.18.H37", data={"csrf_token": token, "name": " ", "short_name": "SNV"})
    assert r.status_code == 422 and "Tên cơ quan không được để trống." in r.text
    db.expire_all()
    assert service.get_agency_by_code(db, "000.00.18.H37").short_name != "SNV"

    # a bad date: 422, the dissolve form keeps the typed date, successor and note
    r = client.post(
        "/quan-tri/co-quan/000.00.18.H37/giai-the",
        data={"csrf_token": token, "on": "31/02/2030", "successor_code": "000.00.03.H37", "note": "QĐ 1/QĐ-UBND"},
    )
    assert r.status_code == 422
    assert "Ngày giải thể/sáp nhập không hợp lệ: “31/02/2030” (nhập dạng dd/mm/yyyy" in r.text
    assert 'value="31/02/2030"' in r.text and 'value="000.00.03.H37"' in r.text
    assert ">QĐ 1/QĐ-UBND</textarea>" in r.text
    # an unknown successor: 404 from the service, still on the form
    r = client.post(
        "/quan-tri/co-quan/000.00.18.H37/giai-the",
        data={"csrf_token": token, "on": "01/07/2030", "successor_code": "000.00.77.H37"},
    )
    assert r.status_code == 404 and 'value="01/07/2030"' in r.text

    # dd/mm/yyyy is accepted
    r = client.post(
        "/quan-tri/co-quan/000.00.18.H37/giai-the",
        data={"csrf_token": token, "on": "01/07/2030", "successor_code": "000.00.03.H37"},
    )
    assert r.status_code == 200 and "Đã ghi nhận giải thể" in r.text and "01/07/2030" in r.text
    db.expire_all()
    assert service.get_agency_by_code(db, "000.00.18.H37").dissolved_on == date(2030, 7, 1)


def test_agency_admin_refused_gets_403_with_the_message(client, db, admin_user):
    admin_user("quantri.stp2", Role.agency_admin, service.find_agency_by_name(db, "Sở Tư pháp"))
    login(client, "quantri.stp2")
    token = csrf_from(client.get("/quan-tri/co-quan/000.00.04.H37").text)
    r = client.post("/quan-tri/co-quan/000.00.17.H37", data={"csrf_token": token, "name": "Sở Y tế mới"})
    assert r.status_code == 403
    assert "Chỉ Quản trị tỉnh hoặc Quản trị đơn vị của chính cơ quan này" in r.text
    r = client.post("/quan-tri/co-quan/000.00.04.H37/giai-the", data={"csrf_token": token, "on": "01/01/2030"})
    assert r.status_code == 403 and "Chỉ Quản trị tỉnh được sửa mã" in r.text
