"""Full records out and in (JSON, XLSX): round trip, all-or-nothing, versions, access."""

import io
import json

from openpyxl import load_workbook
from sqlalchemy import func, select

from motcua.auth.roles import Role
from motcua.catalog import transfer
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.search import SearchFilters
from motcua.catalog.service import apply_record, get_procedure_by_code, procedure_record
from motcua.org import service as org_service

CODE = "UBA-LSN-254487"


def versions(db, code=CODE):
    procedure = get_procedure_by_code(db, code)
    return db.scalar(select(func.count()).where(ProcedureVersion.procedure_id == procedure.id))


def filled(record):
    record = dict(record)
    record.update(
        time_limit_days=15,
        online_time_limit_days=10,
        receipt_cutoff="16:30",
        result_description="Quyết định công nhận",
        legal_basis="Quyết định 12/2018/QĐ-TTg",
        online_level="partial",
        components=[
            {
                "name": "Văn bản đề nghị",
                "form_template": "Mẫu 01",
                "original_count": 1,
                "copy_count": 0,
                "required": True,
            },
            {
                "name": "Biên bản họp",
                "form_template": None,
                "original_count": 0,
                "copy_count": 1,
                "required": False,
            },
        ],
        fees=[{"name": "Lệ phí", "amount": 50000, "note": None, "basis": None}],
    )
    return record


def test_json_round_trip_creates_one_version_per_changed_procedure(client, db, make_user, bearer):
    admin = make_user("qt-tinh", Role.province_admin)
    headers = bearer(admin)
    exported = client.get(
        "/api/v1/procedures/export", params={"format": "json", "q": CODE}, headers=headers
    )
    assert exported.status_code == 200
    document = exported.json()
    assert document["format"] == "motcua-procedures"
    record = next(r for r in document["procedures"] if r["code"] == CODE)
    assert record["fees"] == [] and record["time_limit_days"] is None

    changed = filled(record)
    body = json.dumps({"procedures": [changed]}).encode()
    response = client.post(
        "/api/v1/procedures/import",
        files={"file": ("thu-tuc.json", body, "application/json")},
        data={"decision_number": "123/QĐ-UBND", "decision_date": "2026-11-01"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "records": 1,
        "created": 0,
        "updated": 1,
        "unchanged": 0,
        "versions_created": 1,
    }
    detail = client.get(f"/api/v1/procedures/{CODE}").json()
    assert detail["time_limit_days"] == 15 and detail["online_time_limit_days"] == 10
    assert detail["receipt_cutoff"] == "16:30"
    assert [c["name"] for c in detail["components"]] == ["Văn bản đề nghị", "Biên bản họp"]
    assert detail["fees"] == [{"name": "Lệ phí", "amount": 50000, "note": None, "basis": None}]
    assert [v["number"] for v in detail["versions"]] == [1, 2]
    assert detail["versions"][1]["decision_number"] == "123/QĐ-UBND"

    again = client.post(
        "/api/v1/procedures/import",
        files={"file": ("a.json", body, "application/json")},
        headers=headers,
    )
    assert again.json()["unchanged"] == 1 and again.json()["versions_created"] == 0
    assert versions(db) == 2


def test_xlsx_round_trip(client, db, make_user, bearer):
    admin = make_user("qt-tinh2", Role.province_admin)
    headers = bearer(admin)
    procedure = get_procedure_by_code(db, CODE, full=True)
    record = filled(procedure_record(procedure))
    apply_record(
        db,
        procedure,
        {k: v for k, v in record.items() if k not in {"code", "code_provisional", "field_code"}},
        field=procedure.field,
    )
    db.flush()

    exported = client.get(
        "/api/v1/procedures/export", params={"format": "xlsx", "level": "province"}, headers=headers
    )
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith(transfer.XLSX_MEDIA_TYPE)
    workbook = load_workbook(io.BytesIO(exported.content))
    assert workbook.sheetnames == ["Thủ tục", "Thành phần hồ sơ", "Phí, lệ phí"]
    # province level today: 1404 seed rows plus four former district procedures now at provincial bodies
    assert workbook["Thủ tục"].max_row == 1408 + 1

    records = transfer.parse_xlsx(exported.content)
    back = next(r for r in records if r["code"] == CODE)
    assert back["time_limit_days"] == 15 and back["receipt_cutoff"] == "16:30"
    assert [c["name"] for c in back["components"]] == ["Văn bản đề nghị", "Biên bản họp"]
    assert back["components"][1]["required"] is False
    assert back["fees"] == [{"name": "Lệ phí", "amount": 50000}]

    before = versions(db)
    response = client.post(
        "/api/v1/procedures/import",
        files={"file": ("thu-tuc.xlsx", exported.content, transfer.XLSX_MEDIA_TYPE)},
        headers=headers,
    )
    assert response.status_code == 200, response.text[:2000]
    assert response.json()["updated"] == 0 and response.json()["unchanged"] == 1408
    assert versions(db) == before


def test_import_is_all_or_nothing_with_per_record_errors(client, db, make_user, bearer):
    headers = bearer(make_user("qt-tinh3", Role.province_admin))
    good = filled(transfer.export_records(db, SearchFilters(q=CODE))[0])
    bad = [
        good,
        {"code": "BTP-LSN-276597", "name": "X", "time_limit_days": -1},
        {"code": "BTP-LSN-276597", "name": "Y", "level": "quoc-gia", "receipt_cutoff": "25:00"},
        {"name": "Không mã"},
        {"code": "T-LSN-285814-TT", "name": "Z", "field_code": "khong-co"},
        "không phải đối tượng",
    ]
    response = client.post(
        "/api/v1/procedures/import",
        files={"file": ("x.json", json.dumps(bad).encode(), "application/json")},
        headers=headers,
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["title"].startswith("Không nhập: 5 bản ghi có lỗi; chưa thay đổi dữ liệu nào.")
    by_record = {e["record"]: e["errors"] for e in problem["detail"]}
    assert sorted(by_record) == [2, 3, 4, 5, 6]
    assert by_record[2] == ["Thời hạn (ngày làm việc): không được âm"]
    assert "Mã thủ tục trùng với bản ghi 2." not in by_record[3]  # record 2 was invalid already
    assert any("Giờ chốt tiếp nhận phải có dạng HH:MM" in e for e in by_record[3])
    assert by_record[4] == ["Mã thủ tục: thiếu trường bắt buộc"]
    assert by_record[5] == ["Không có lĩnh vực mã “khong-co”."]
    assert by_record[6] == ["Bản ghi phải là một đối tượng."]
    assert (
        get_procedure_by_code(db, CODE).time_limit_days is None
    )  # the good record was not applied
    assert versions(db) == 1


def test_bad_files_are_422(client, make_user, bearer):
    headers = bearer(make_user("qt-tinh4", Role.province_admin))
    for content in [b"", b"{not json", b"PK\x03\x04garbage", b'{"procedures": 3}', b"[]"]:
        response = client.post(
            "/api/v1/procedures/import", files={"file": ("f", content)}, headers=headers
        )
        assert response.status_code == 422, content
        assert response.headers["content-type"] == "application/problem+json"


def test_access_is_checked(client, db, make_user, bearer):
    assert client.get("/api/v1/procedures/export").status_code == 401
    specialist = make_user("chuyen-vien", Role.specialist)
    assert client.get("/api/v1/procedures/export", headers=bearer(specialist)).status_code == 403
    # an agency administrator may edit only procedures of agencies in scope
    justice = org_service.find_agency_by_name(db, "Sở Tư pháp")
    agency_admin = make_user("qt-stp", Role.agency_admin, agency=justice)
    records = transfer.export_records(db, SearchFilters(q=CODE))
    response = client.post(
        "/api/v1/procedures/import",
        files={"file": ("x.json", json.dumps(records).encode(), "application/json")},
        headers=bearer(agency_admin),
    )
    assert response.status_code == 422
    assert (
        "Bạn không có quyền sửa thủ tục UBA-LSN-254487" in response.json()["detail"][0]["errors"][0]
    )
    own = transfer.export_records(db, SearchFilters(q="BTP-LSN-276597"))[:1]
    own[0]["time_limit_days"] = 1
    ok = client.post(
        "/api/v1/procedures/import",
        files={"file": ("x.json", json.dumps(own).encode(), "application/json")},
        headers=bearer(agency_admin),
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["updated"] == 1


def test_new_procedure_only_by_province_admin(client, db, make_user, bearer):
    record = {
        "code": "LSN-MOI-1",
        "name": "Thủ tục mới thử nghiệm",
        "level": "province",
        "field_code": "dat-dai",
    }
    justice = org_service.find_agency_by_name(db, "Sở Tư pháp")
    agency_admin = make_user("qt-stp2", Role.agency_admin, agency=justice)
    denied = client.post(
        "/api/v1/procedures/import",
        files={"file": ("x.json", json.dumps([record]).encode())},
        headers=bearer(agency_admin),
    )
    assert denied.status_code == 422
    assert denied.json()["detail"][0]["errors"] == [
        "Chỉ quản trị tỉnh được thêm thủ tục mới vào danh mục."
    ]
    admin = make_user("qt-tinh5", Role.province_admin)
    created = client.post(
        "/api/v1/procedures/import",
        files={"file": ("x.json", json.dumps([record]).encode())},
        headers=bearer(admin),
    )
    assert created.json()["created"] == 1
    assert client.get("/api/v1/procedures/LSN-MOI-1").json()["versions"][0]["number"] == 1
    assert (
        client.get("/api/v1/procedures", params={"q": "thu tuc moi thu nghiem"}).json()["items"][0][
            "code"
        ]
        == "LSN-MOI-1"
    )


def test_import_problem_title_has_no_double_full_stop(client, db, make_user, bearer):
    """QA: "… được sửa.. Bản ghi 2" — errors ending in a full stop got a second one."""
    justice = org_service.find_agency_by_name(db, "Sở Tư pháp")
    agency_admin = make_user("qt-stp-dot", Role.agency_admin, agency=justice)
    records = transfer.export_records(db, SearchFilters(q=CODE))
    response = client.post(
        "/api/v1/procedures/import",
        files={"file": ("x.json", json.dumps(records).encode(), "application/json")},
        headers=bearer(agency_admin),
    )
    assert response.status_code == 422
    title = response.json()["title"]
    assert f"Bản ghi 1 ({CODE}): Bạn không có quyền sửa thủ tục {CODE}" in title
    assert ".." not in title and title.endswith("được sửa.")


def test_xlsx_amount_typed_as_text_in_dong():
    """QA: an XLSX fee typed as text "1.500.000 đồng" was refused ("phải là số nguyên")."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = transfer.SHEET_PROCEDURES
    sheet.append([label for _, label in transfer.SCALAR_COLUMNS])
    sheet.append([CODE] + [None] * (len(transfer.SCALAR_COLUMNS) - 1))
    fees = workbook.create_sheet(transfer.SHEET_FEES)
    fees.append([label for _, label in transfer.FEE_COLUMNS])
    fees.append([CODE, "Lệ phí", "1.500.000 đồng", None])
    fees.append([CODE, "Phí", "20000đ", None])
    fees.append([CODE, "Phí khác", "tuỳ trường hợp", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    records = transfer.parse_xlsx(buffer.getvalue())
    assert [f["amount"] for f in records[0]["fees"]] == [1500000, 20000, "tuỳ trường hợp"]
