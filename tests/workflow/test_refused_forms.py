"""A refused process page form ("open a process", JSON import) comes back with what was
typed, its message beside it and the refusal's status, and writes nothing (the step editor:
tests/dossiers/test_pages.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from motcua.auth import service as auth_service
from motcua.auth.roles import Role
from motcua.org import service as org_service
from motcua.workflow.models import ProcessTemplate
from tests.auth.conftest import PASSWORD, csrf_from, login
from tests.html_forms import form_fields

BASE = "/quan-tri/quy-trinh"
PROCEDURE = "T-LSN-285002-TT"  # Cấp bản sao trích lục hộ tịch — Sở Tư pháp


@pytest.fixture
def admin(client, db):
    auth_service.create_user(db, username="qt.quytrinh", password=PASSWORD, full_name="Quản Trị Quy Trình",
                             agency=org_service.get_agency_by_code(db, "000.00.00.H37"), roles=[Role.province_admin])
    login(client, "qt.quytrinh")
    return org_service.find_agency_by_name(db, "Sở Tư pháp")


def _templates(db) -> int:
    return db.scalar(select(func.count()).select_from(ProcessTemplate))


def test_refused_open_keeps_the_typed_codes(client, db, admin):
    page = client.get(BASE)
    before = _templates(db)
    response = client.post(f"{BASE}/mo", data={"csrf_token": csrf_from(page.text), "procedure_code": "T-LSN-000000-XX",
                                              "agency_code": admin.code}, follow_redirects=False)
    assert response.status_code == 404
    assert ('id="open-error">Không tìm thấy thủ tục hành chính có mã “T-LSN-000000-XX”.</div>'
            in response.text)
    fields = form_fields(response.text, f"{BASE}/mo")
    assert fields["procedure_code"] == "T-LSN-000000-XX" and fields["agency_code"] == admin.code
    assert csrf_from(response.text)
    assert _templates(db) == before


def test_refused_import_keeps_the_pasted_json(client, db, admin):
    opened = client.post(f"{BASE}/mo", data={"csrf_token": csrf_from(client.get(BASE).text),
                                            "procedure_code": PROCEDURE, "agency_code": admin.code},
                         follow_redirects=False)
    assert opened.status_code == 303
    detail = opened.headers["location"]
    before = _templates(db)
    pasted = '{"steps": [{"kind": "receive", "name": "Tiếp nhận <hồ sơ>"'  # cut off while copying
    response = client.post(f"{detail}/nhap", data={"csrf_token": csrf_from(client.get(detail).text),
                                                   "content": pasted}, follow_redirects=False)
    assert response.status_code == 422
    assert 'id="import-error">Nội dung không phải JSON hợp lệ.</div>' in response.text
    assert form_fields(response.text, f"{detail}/nhap")["content"] == pasted
    # the step editor beside it shows the stored process, untouched
    assert form_fields(response.text, detail)["step-0-name"]
    assert _templates(db) == before

    # valid JSON that the service refuses: its message, the JSON still there
    invalid = '{"steps": [{"kind": "dance", "name": "Nhảy", "role": "specialist"}]}'
    response = client.post(f"{detail}/nhap", data={"csrf_token": csrf_from(response.text), "content": invalid})
    assert response.status_code == 422
    assert "Bước 1: loại bước “dance” không hợp lệ" in response.text
    assert form_fields(response.text, f"{detail}/nhap")["content"] == invalid
    assert _templates(db) == before
