"""Process pages: open, edit, export and import an agency's process (administrators only)."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from motcua.workflow.models import ProcessTemplate
from tests.documents.conftest import PROCEDURE, csrf_from, login

PDF_BYTES = b"%PDF-1.4\n% scan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_process_pages_open_edit_export_import(client, db, staff, org):
    login(client, "tn.quantri")
    listing = client.get("/quan-tri/quy-trinh")
    assert listing.status_code == 200
    opened = client.post(
        "/quan-tri/quy-trinh/mo",
        data={"csrf_token": csrf_from(listing.text), "procedure_code": PROCEDURE, "agency_code": org.justice.code},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    detail = client.get(opened.headers["location"])
    assert detail.status_code == 200
    assert "Thẩm định, xử lý hồ sơ" in detail.text
    template_id = opened.headers["location"].rsplit("/", 1)[1]
    found = client.get("/quan-tri/quy-trinh", params={"q": "trich luc ho tich"})
    assert f'href="/quan-tri/quy-trinh/{template_id}"' in found.text

    form = dict(re.findall(r'name="(step-\d+-(?:name|kind|role|hours|position|unit|group))" value="([^"]*)"', detail.text))
    hours = [v for k, v in form.items() if k.endswith("-hours") and v]
    assert hours and all("." not in v for v in hours), hours  # Vietnamese decimal comma: "2,00"
    for name, kind in re.findall(r'<select name="(step-\d+-kind)"[^>]*>.*?<option value="(\w+)" selected', detail.text, re.S):
        form[name] = kind
    for name, role in re.findall(r'<select name="(step-\d+-role)"[^>]*>.*?<option value="(\w+)" selected', detail.text, re.S):
        form[name] = role
    form["step-2-name"] = "Thẩm định hồ sơ, xác minh"
    saved = client.post(
        f"/quan-tri/quy-trinh/{template_id}", data={"csrf_token": csrf_from(detail.text), "step_count": "7", **form},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    new = client.get(saved.headers["location"])
    assert "Thẩm định hồ sơ, xác minh" in new.text
    assert "Phiên bản 2" in new.text

    exported = client.get(saved.headers["location"] + "/xuat")
    data = exported.json()
    assert data["format"] == "motcua.process/1"
    assert [s["kind"] for s in data["steps"]] == ["receive", "assign", "appraise", "approve", "issue", "return"]
    imported = client.post(
        saved.headers["location"] + "/nhap",
        data={"csrf_token": csrf_from(new.text)},
        files={"file": ("quy-trinh.json", json.dumps(data).encode(), "application/json")},
        follow_redirects=False,
    )
    assert imported.status_code == 303
    versions = sorted(db.scalars(select(ProcessTemplate.version).where(ProcessTemplate.agency_id == org.justice.id,
                                                                       ProcessTemplate.procedure_code == PROCEDURE)))
    assert versions == [1, 2, 3]


def test_agency_admin_cannot_edit_another_agencys_process(client, db, staff, org):
    from motcua.auth import service as auth_service
    from motcua.auth.roles import Role

    auth_service.create_user(db, username="tn.qt.taichinh", password="matkhau-dung-1", full_name="QT Tài chính",
                             agency=org.finance, roles=[Role.agency_admin])
    login(client, "tn.qt.taichinh")
    token = csrf_from(client.get("/quan-tri/quy-trinh").text)
    response = client.post(
        "/quan-tri/quy-trinh/mo", data={"csrf_token": token, "procedure_code": PROCEDURE, "agency_code": org.justice.code},
    )
    assert "Bạn chỉ được sửa quy trình nội bộ của cơ quan, đơn vị mình quản trị." in response.text
    assert db.scalar(select(ProcessTemplate.id).where(ProcessTemplate.agency_id == org.justice.id,
                                                      ProcessTemplate.procedure_code == PROCEDURE)) is None


def test_process_pages_need_an_administrator(client, staff):
    login(client, "tn.chuyenvien")
    response = client.get("/quan-tri/quy-trinh")
    assert response.status_code == 403


def test_process_edit_error_keeps_what_was_typed_and_saves_nothing(client, db, staff, org):
    from sqlalchemy import func, select

    from motcua.workflow.models import ProcessTemplate

    login(client, "tn.quantri")
    listing = client.get("/quan-tri/quy-trinh")
    opened = client.post(
        "/quan-tri/quy-trinh/mo",
        data={"csrf_token": csrf_from(listing.text), "procedure_code": PROCEDURE, "agency_code": org.justice.code},
        follow_redirects=False,
    )
    url = opened.headers["location"]
    detail = client.get(url)
    form = dict(re.findall(r'name="(step-\d+-(?:name|hours|position|unit|group))" value="([^"]*)"', detail.text))
    for name, value in re.findall(r'<select name="(step-\d+-(?:kind|role))"[^>]*>.*?<option value="(\w+)" selected', detail.text, re.S):
        form[name] = value
    form.update({"step-2-hours": "mười", "step-6-name": "Lấy ý kiến Sở Nội vụ", "step-6-unit": "000.00.09.H37",
                 "step-6-kind": "consult", "name": "Quy trình đã sửa"})
    versions = db.scalar(select(func.count()).select_from(ProcessTemplate).where(
        ProcessTemplate.agency_id == org.justice.id))

    response = client.post(url, data={"csrf_token": csrf_from(detail.text), "step_count": "7", **form})

    assert response.status_code == 422
    assert "Bước “Thẩm định, xử lý hồ sơ”: thời gian phải là số giờ làm việc." in response.text
    assert 'name="step-2-hours" value="mười"' in response.text
    assert 'name="step-6-name" value="Lấy ý kiến Sở Nội vụ"' in response.text
    assert 'name="step-6-unit" value="000.00.09.H37"' in response.text
    assert 'value="Quy trình đã sửa"' in response.text
    assert db.scalar(select(func.count()).select_from(ProcessTemplate).where(
        ProcessTemplate.agency_id == org.justice.id)) == versions
    assert versions >= 1


