"""Administrator pages: list, edit form (new version on save), import/export page; access."""

import json

from motcua.auth.roles import Role
from motcua.catalog.service import get_procedure_by_code
from motcua.org import service as org_service
from tests.catalog.conftest import csrf_from

CODE = "BTP-LSN-276597"  # Sở Tư pháp, UBND Huyện and UBND Xã


def edit_data(html: str, **changes) -> dict:
    data = {
        "csrf_token": csrf_from(html),
        "name": "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "level": "province",
        "field_code": "chung-thuc",
        "status": "in_force",
        "online_level": "full",
        "time_limit_days": "1",
        "time_limit_hours": "",
        "online_time_limit_days": "",
        "online_time_limit_hours": "",
        "receipt_cutoff": "",
        "time_limit_note": "",
        "result_description": "Bản chứng thực",
        "legal_basis": "Nghị định 23/2015/NĐ-CP",
        "simplification_resolution": "",
        "cross_boundary": "1",
        "comp_name": ["Giấy tờ cần chứng thực", ""],
        "comp_form": ["", ""],
        "comp_original": ["1", "1"],
        "comp_copy": ["0", "0"],
        "comp_required": ["1", "1"],
        "fee_name": ["Lệ phí chứng thực", ""],
        "fee_amount": ["10.000", ""],
        "fee_note": ["mỗi chữ ký", ""],
        "decision_number": "99/QĐ-UBND",
        "decision_date": "2026-10-01",
        "effective_date": "2026-10-15",
    }
    data.update(changes)
    return data


def test_anonymous_is_sent_to_login(client):
    response = client.get("/quan-tri/thu-tuc", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/dang-nhap?next=")


def test_province_admin_edits_and_a_version_is_made(client, db, make_user, login):
    make_user("qt-tinh", Role.province_admin)
    login("qt-tinh")
    listing = client.get("/quan-tri/thu-tuc", params={"q": CODE})
    assert listing.status_code == 200 and f"/quan-tri/thu-tuc/{CODE}/sua" in listing.text
    form = client.get(f"/quan-tri/thu-tuc/{CODE}/sua")
    assert form.status_code == 200
    versions_before = len(client.get(f"/api/v1/procedures/{CODE}").json()["versions"])
    response = client.post(
        f"/quan-tri/thu-tuc/{CODE}/sua", data=edit_data(form.text), follow_redirects=False
    )
    assert response.status_code == 303, response.text[:3000]
    assert response.headers["location"] == f"/thu-tuc/{CODE}"
    detail = client.get(f"/api/v1/procedures/{CODE}").json()
    assert (
        detail["time_limit_days"] == 1
        and detail["online_level"] == "full"
        and detail["cross_boundary"] is True
    )
    assert (
        detail["components"][0]["name"] == "Giấy tờ cần chứng thực"
        and len(detail["components"]) == 1
    )
    assert detail["fees"] == [{"name": "Lệ phí chứng thực", "amount": 10000, "note": "mỗi chữ ký", "basis": None}]
    assert (
        detail["versions"][-1]["number"] == versions_before + 1
        and detail["versions"][-1]["decision_number"] == "99/QĐ-UBND"
    )
    page = client.get(f"/thu-tuc/{CODE}").text
    assert "10.000 đ" in page and "1 ngày làm việc" in page and "Đã lưu thủ tục" in page


def test_invalid_form_is_shown_again_with_vietnamese_errors(client, db, make_user, login):
    make_user("qt-tinh2", Role.province_admin)
    login("qt-tinh2")
    limit_before = get_procedure_by_code(db, CODE).time_limit_days
    form = client.get(f"/quan-tri/thu-tuc/{CODE}/sua")
    response = client.post(
        f"/quan-tri/thu-tuc/{CODE}/sua",
        data=edit_data(
            form.text,
            time_limit_days="abc",
            receipt_cutoff="9h",
            decision_date="32/13/2026",
            level="x",
        ),
    )
    assert response.status_code == 422
    assert "Chưa lưu được" in response.text
    assert "phải là số nguyên" in response.text
    assert "Giờ chốt tiếp nhận phải có dạng HH:MM" in response.text
    assert "Ngày quyết định không hợp lệ" in response.text
    assert get_procedure_by_code(db, CODE).time_limit_days == limit_before


def test_agency_admin_edits_only_own_procedures(client, db, make_user, login):
    justice = org_service.find_agency_by_name(db, "Sở Tư pháp")
    make_user("qt-stp", Role.agency_admin, agency=justice)
    login("qt-stp")
    assert client.get(f"/quan-tri/thu-tuc/{CODE}/sua").status_code == 200
    other = client.get("/quan-tri/thu-tuc/UBA-LSN-254487/sua")
    assert other.status_code == 403
    assert "Bạn không có quyền sửa thủ tục UBA-LSN-254487" in other.text


def test_staff_without_admin_role_is_refused(client, make_user, login):
    make_user("chuyen-vien", Role.specialist)
    login("chuyen-vien")
    response = client.get("/quan-tri/thu-tuc")
    assert response.status_code == 403
    assert "Chỉ quản trị tỉnh hoặc quản trị đơn vị" in response.text


def test_import_page_shows_per_record_errors(client, make_user, login):
    make_user("qt-tinh3", Role.province_admin)
    login("qt-tinh3")
    page = client.get("/quan-tri/thu-tuc/nhap-xuat")
    assert page.status_code == 200 and "/api/v1/procedures/export" in page.text
    bad = json.dumps([{"code": CODE, "name": "X", "time_limit_days": -5}]).encode()
    response = client.post(
        "/quan-tri/thu-tuc/nhap-xuat",
        data={"csrf_token": csrf_from(page.text)},
        files={"file": ("x.json", bad, "application/json")},
    )
    assert response.status_code == 422
    assert "chưa thay đổi dữ liệu nào" in response.text
    assert "Thời hạn (ngày làm việc): không được âm" in response.text
    good = json.dumps([{"code": CODE, "name": "Chứng thực chữ ký", "time_limit_days": 2}]).encode()
    done = client.post(
        "/quan-tri/thu-tuc/nhap-xuat",
        data={"csrf_token": csrf_from(page.text)},
        files={"file": ("x.json", good, "application/json")},
    )
    assert done.status_code == 200 and "cập nhật 1" in done.text


def test_forms_need_the_csrf_token(client, make_user, login):
    make_user("qt-tinh4", Role.province_admin)
    login("qt-tinh4")
    response = client.post(f"/quan-tri/thu-tuc/{CODE}/sua", data={"name": "x"})
    assert response.status_code == 403


def test_edit_link_on_the_detail_page_only_for_those_who_may_edit(client, db, make_user, login):
    """QA: every signed-in user (counter officer, specialist) saw "Sửa thủ tục" leading to a 403."""
    assert "Sửa thủ tục" not in client.get(f"/thu-tuc/{CODE}").text
    make_user("cv-xem", Role.specialist)
    login("cv-xem")
    assert "Sửa thủ tục" not in client.get(f"/thu-tuc/{CODE}").text
    justice = org_service.find_agency_by_name(db, "Sở Tư pháp")
    make_user("qt-stp-xem", Role.agency_admin, agency=justice)
    login("qt-stp-xem")
    assert f'href="/quan-tri/thu-tuc/{CODE}/sua"' in client.get(f"/thu-tuc/{CODE}").text
    assert "Sửa thủ tục" not in client.get("/thu-tuc/UBA-LSN-254487").text


def test_edit_form_accepts_vietnamese_dates_and_amounts_in_dong(client, db, make_user, login):
    """QA: "24/11/2026" was refused with "(định dạng YYYY-MM-DD)"; "50.000 đồng" was not a number."""
    make_user("qt-tinh-vn", Role.province_admin)
    login("qt-tinh-vn")
    form = client.get(f"/quan-tri/thu-tuc/{CODE}/sua")
    response = client.post(
        f"/quan-tri/thu-tuc/{CODE}/sua",
        data=edit_data(
            form.text,
            decision_date="24/11/2026",
            effective_date="1/12/2026",
            fee_amount=["50.000 đồng", "20000đ"],
            fee_name=["Lệ phí chứng thực", "Phí sao lục"],
        ),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:3000]
    detail = client.get(f"/api/v1/procedures/{CODE}").json()
    assert [f["amount"] for f in detail["fees"]] == [50000, 20000]
    assert detail["versions"][-1]["decision_date"] == "2026-11-24"
    assert detail["versions"][-1]["effective_date"] == "2026-12-01"
    form = client.get(f"/quan-tri/thu-tuc/{CODE}/sua")
    bad = client.post(
        f"/quan-tri/thu-tuc/{CODE}/sua",
        data=edit_data(form.text, decision_date="31/02/2026", time_limit_days="3"),
    )
    assert bad.status_code == 422
    assert "Ngày quyết định không hợp lệ: “31/02/2026” (nhập dạng dd/mm/yyyy, ví dụ 01/07/2025)." in bad.text


def test_admin_list_offers_edit_only_for_procedures_in_scope(client, db, make_user, login):
    """QA: an agency administrator's list had "Sửa" on every procedure; most ended in 403."""
    justice = org_service.find_agency_by_name(db, "Sở Tư pháp")
    make_user("qt-stp-ds", Role.agency_admin, agency=justice)
    login("qt-stp-ds")
    own = client.get("/quan-tri/thu-tuc", params={"q": CODE})
    assert f'href="/quan-tri/thu-tuc/{CODE}/sua"' in own.text
    other = client.get("/quan-tri/thu-tuc", params={"q": "UBA-LSN-254487"})
    assert other.status_code == 200
    assert 'href="/quan-tri/thu-tuc/UBA-LSN-254487/sua"' not in other.text
    assert "Chỉ xem" in other.text


def test_coverage_page_for_administrators(client, db, make_user, login):
    make_user("qt-dophu", Role.province_admin)
    login("qt-dophu")
    page = client.get("/quan-tri/thu-tuc/do-phu")
    assert page.status_code == 200
    assert "Độ phủ nội dung pháp lý của danh mục" in page.text and "Thủ tục còn thiếu" in page.text
