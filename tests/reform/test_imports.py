"""XLSX import of a plan: all or nothing, bad rows named by row, column and reason."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from motcua.reform.imports import COLUMNS, template_xlsx
from motcua.reform.models import ReformPlan, ReformTask, ReformTaskUnit
from tests import factories

HEADERS = [c.header for c in COLUMNS]


def xlsx(*rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(HEADERS)
    for row in rows:
        ws.append(list(row) + [None] * (len(HEADERS) - len(row)))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def post(client, headers, content: bytes, decision="Quyết định số 99/QĐ-UBND ngày 20/12/2026"):
    return client.post("/api/v1/reform/plans/import", headers=headers,
                       data={"year": "2027", "province": "Lạng Sơn", "decision": decision,
                             "title": "Kế hoạch cải cách hành chính tỉnh Lạng Sơn năm 2027"},
                       files={"file": ("ke-hoach.xlsx", content, "application/octet-stream")})


def counts(db) -> tuple[int, int, int]:
    return tuple(db.scalar(select(func.count()).select_from(t)) for t in (ReformPlan, ReformTask, ReformTaskUnit))


def test_a_good_table_becomes_a_plan_with_linked_units(client, db, officer, agencies):
    headers = factories.bearer(db, officer)
    before = counts(db)
    content = xlsx(
        ["Cải cách thủ tục hành chính", "1", "Rà soát, đơn giản hóa TTHC", "Sở Tư pháp", agencies.justice.code,
         "Sở Tài chính", agencies.finance.code, "Quyết định phê duyệt", "Quý II/2027", None, None, None, None],
        ["e_government", "2", "Tăng tỷ lệ hồ sơ trực tuyến", "Sở Tư pháp", agencies.justice.code, None, None,
         "Báo cáo", "Năm 2027", None, "Tỷ lệ hồ sơ tiếp nhận trực tuyến (%)", "50", None],
    )
    created = post(client, headers, content)
    assert created.status_code == 201, created.text
    plan = created.json()
    assert (plan["year"], plan["province"], plan["tasks"], plan["is_sample"]) == (2027, "Lạng Sơn", 2, False)
    assert counts(db) == (before[0] + 1, before[1] + 2, before[2] + 3)
    tasks = client.get(f"/api/v1/reform/plans/{plan['id']}/tasks", headers=headers).json()["items"]
    assert [(t["content_group"], t["deadline"], t["indicator"]) for t in tasks] == [
        ("procedures", "2027-06-30", None), ("e_government", "2027-12-31", "online_share")]
    detail = client.get(f"/api/v1/reform/tasks/{tasks[1]['id']}", headers=headers).json()
    assert detail["measured"]["indicator"] == "online_share" and detail["measured"]["target_percent"] == "50.00"
    again = post(client, headers, content)
    assert again.status_code == 409 and counts(db)[0] == before[0] + 1


def test_a_malformed_table_changes_nothing_and_names_the_bad_rows(client, db, officer, agencies):
    headers = factories.bearer(db, officer)
    before = counts(db)
    content = xlsx(
        ["Cải cách thể chế", "1", "Một nhiệm vụ đúng", "Sở Tư pháp", None, None, None, None, "Năm 2027"],
        ["Cải cách gì đó", "2", "Nhóm sai", "Sở Tư pháp", None, None, None, None, "31/02/2027"],
        [],
        ["Cải cách công vụ", "4", None, None, "KHONG-CO", None, "XYZ; " + agencies.finance.code, None, None,
         "1.000000.KHONGCO", None, "120"],
    )
    refused = post(client, headers, content)
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    body = refused.json()
    assert [(p["row"], p["column"]) for p in body["detail"]] == [
        (3, "Nhóm nội dung"), (3, "Thời hạn hoàn thành"),
        (5, "Nhiệm vụ"), (5, "Đơn vị chủ trì"), (5, "Mã cơ quan chủ trì"), (5, "Mã cơ quan phối hợp"),
        (5, "Mã thủ tục hành chính"), (5, "Chỉ tiêu (%)")]
    assert "Tệp không được nhập (không dòng nào được ghi), 8 lỗi" in str(body)
    assert "Dòng 3, cột “Thời hạn hoàn thành”: Thời hạn “31/02/2027” có ngày hoặc tháng không tồn tại" in str(body)
    assert "Dòng 5, cột “Nhiệm vụ”: bắt buộc, đang để trống" in str(body)
    assert counts(db) == before


def test_not_a_spreadsheet_or_a_wrong_header_is_refused(client, db, officer):
    headers = factories.bearer(db, officer)
    before = counts(db)
    assert "không phải bảng tính XLSX" in post(client, headers, b"%PDF-1.4 no").text
    wb = Workbook()
    wb.active.append(["Nhiệm vụ", "Đơn vị"])
    out = io.BytesIO()
    wb.save(out)
    wrong = post(client, headers, out.getvalue())
    assert wrong.status_code == 422 and "thiếu cột" in wrong.text and "“Nhóm nội dung”" in wrong.text
    assert counts(db) == before


def test_only_home_affairs_imports(client, db, agencies):
    other = factories.user(db, "t_tp", "Lê Tư Pháp", ("reform_officer", agencies.justice))
    assert post(client, factories.bearer(db, other), template_xlsx()).status_code == 403


def test_the_template_has_the_columns_the_reader_checks():
    ws = load_workbook(io.BytesIO(template_xlsx())).active
    assert [c.value for c in ws[1]] == HEADERS and ws.title == "Nhiệm vụ"
