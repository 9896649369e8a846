"""A refused catalogue edit or import comes back with what was typed (never the file), its
message and the refusal's status, and writes nothing."""

import json

from motcua.auth.roles import Role
from motcua.catalog.service import get_procedure_by_code
from tests.catalog.conftest import csrf_from
from tests.catalog.test_admin_pages import CODE, edit_data
from tests.html_forms import form_fields

IMPORT = "/quan-tri/thu-tuc/nhap-xuat"


def test_refused_import_keeps_the_decision_fields(client, db, make_user, login):
    make_user("qt-nhap", Role.province_admin)
    login("qt-nhap")
    page = client.get(IMPORT)
    typed = {"decision_number": "15/QĐ-UBND", "decision_date": "2026-11-02", "effective_date": "2026-11-20"}
    bad = json.dumps([{"code": CODE, "name": "Tên mới", "time_limit_days": -5}]).encode()
    response = client.post(IMPORT, data={"csrf_token": csrf_from(page.text), **typed},
                           files={"file": ("danh-muc.json", bad, "application/json")})
    assert response.status_code == 422
    assert "Thời hạn (ngày làm việc): không được âm" in response.text
    fields = form_fields(response.text, IMPORT)
    assert {k: fields[k] for k in typed} == typed
    assert "file" not in fields and "danh-muc.json" not in response.text
    db.expire_all()
    assert get_procedure_by_code(db, CODE).name != "Tên mới"


def test_refused_edit_keeps_the_typed_record(client, db, make_user, login):
    make_user("qt-sua", Role.province_admin)
    login("qt-sua")
    page = client.get(f"/quan-tri/thu-tuc/{CODE}/sua")
    before = get_procedure_by_code(db, CODE).name
    data = edit_data(page.text, name="Chứng thực chữ ký (đang sửa)", time_limit_days="-2",
                     legal_basis="Nghị định 23/2015/NĐ-CP; Thông tư 01/2020/TT-BTP")
    response = client.post(f"/quan-tri/thu-tuc/{CODE}/sua", data=data)
    assert response.status_code == 422
    assert "Chưa lưu được" in response.text
    fields = form_fields(response.text, f"/quan-tri/thu-tuc/{CODE}/sua")
    assert fields["name"] == "Chứng thực chữ ký (đang sửa)"
    assert fields["time_limit_days"] == "-2"
    assert fields["legal_basis"] == "Nghị định 23/2015/NĐ-CP; Thông tư 01/2020/TT-BTP"
    assert fields["decision_number"] == "99/QĐ-UBND"
    assert fields["comp_name"][0] == "Giấy tờ cần chứng thực"
    db.expire_all()
    assert get_procedure_by_code(db, CODE).name == before
