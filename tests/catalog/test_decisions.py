"""Publication decisions as files: the admin page (upload → preview → confirm) and
`motcua catalog import-decision`, end to end; malformed files change nothing."""

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from motcua.auth.roles import Role
from motcua.catalog import decisions
from motcua.catalog.models import CatalogDecision, Procedure, ProcedureVersion
from motcua.catalog.service import get_procedure_by_code
from tests.catalog.conftest import csrf_from
from tests.catalog.conftest import run_cli as run
from tests.html_forms import form_fields

PAGE = "/quan-tri/thu-tuc/quyet-dinh"
AMENDED = "UBA-LSN-254487"
PROVINCE = "000.00.00.H37"
HEADER = {"Số quyết định": "2468/QĐ-UBND", "Ngày ký": "01/12/2026", "Ngày hiệu lực": "01/12/2026",
          "Cơ quan ban hành": "Chủ tịch UBND tỉnh Lạng Sơn"}


@pytest.fixture
def abolished_code(db):
    return db.scalar(select(Procedure.code).where(Procedure.status == "in_force", Procedure.code != AMENDED)
                     .order_by(Procedure.code).limit(1))


def workbook(header=HEADER, procedures=(), components=(), fees=(), columns=None):
    """A decision workbook from the blank template: `procedures` as dicts of column label → value."""
    book = load_workbook(io.BytesIO(decisions.template_xlsx()))
    sheet = book["Quyết định"]
    for row in sheet.iter_rows(min_row=2):
        row[1].value = header.get(row[0].value)
    labels = columns or [c.value for c in book["Thủ tục"][1]]
    if columns:
        for i, label in enumerate(columns, start=1):
            book["Thủ tục"].cell(row=1, column=i, value=label)
    for p in procedures:
        book["Thủ tục"].append([p.get(label) for label in labels])
    for c in components:
        book["Thành phần hồ sơ"].append(list(c))
    for f in fees:
        book["Phí, lệ phí"].append(list(f))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


KIND = decisions.KIND_COLUMN[1]
AGENCIES = decisions.AGENCY_COLUMN[1]


def good_rows(abolished):
    return [
        {KIND: "Thêm mới", "Mã thủ tục": "QD-NEW-1", "Tên thủ tục": "Cấp giấy phép thử theo quyết định",
         "Cấp thực hiện (province/district/commune)": "province", "Thời hạn (ngày làm việc)": 12,
         AGENCIES: PROVINCE},
        {KIND: "Sửa đổi, bổ sung", "Mã thủ tục": AMENDED, "Thời hạn (ngày làm việc)": 4,
         "Căn cứ pháp lý": "Nghị định 07/2026/NĐ-CP"},
        {KIND: "Bãi bỏ", "Mã thủ tục": abolished},
    ]


def state(db):
    return (db.scalar(select(func.count()).select_from(Procedure)),
            db.scalar(select(func.count()).select_from(ProcedureVersion)),
            db.scalar(select(func.count()).select_from(CatalogDecision)))


def upload(client, content, name="quyet-dinh.xlsx", **typed):
    token = csrf_from(client.get(PAGE).text)
    return client.post(PAGE, data={"csrf_token": token, **typed},
                       files={"file": (name, content, "application/octet-stream")}, follow_redirects=False)


@pytest.fixture
def admin(make_user, login):
    make_user("qt-qd", Role.province_admin)
    login("qt-qd")


def test_a_decision_is_previewed_then_applied_end_to_end(client, db, admin, abolished_code):
    before = state(db)
    content = workbook(procedures=good_rows(abolished_code),
                       components=[("QD-NEW-1", "Đơn đề nghị", "Mẫu 01", 1, 0, "Có")],
                       fees=[("QD-NEW-1", "Lệ phí", "150.000 đồng", None)])
    response = upload(client, content)
    assert response.status_code == 303, response.text[:2000]
    preview = client.get(response.headers["location"])
    assert preview.status_code == 200
    html = preview.text
    assert "Thêm mới 1, sửa đổi, bổ sung 1,\nbãi bỏ 1 thủ tục." in html
    # name, level, time limit, online level, status, components, fees, agencies: one row each
    assert html.count('data-code="QD-NEW-1"') == 8
    assert html.count(f'data-code="{AMENDED}"') == 2  # exactly the two changed fields
    assert html.count(f'data-code="{abolished_code}"') == 1
    assert "<td><del>—</del></td><td><mark>Nghị định 07/2026/NĐ-CP</mark></td>" in html
    assert "<mark>Đã bãi bỏ</mark>" in html and "<mark>Lệ phí: 150.000 đồng</mark>" in html
    assert state(db)[:2] == before[:2]  # the preview changed nothing in the catalogue

    confirm = client.post(f"{response.headers['location']}/ap-dung",
                          data={"csrf_token": csrf_from(html), "digest": form_fields(html, f"{response.headers['location']}/ap-dung")["digest"]},
                          follow_redirects=False)
    assert confirm.status_code == 303
    done = client.get(confirm.headers["location"]).text
    assert 'id="decision-status">Đã áp dụng' in done
    db.expire_all()
    new = get_procedure_by_code(db, "QD-NEW-1", full=True)
    assert (new.time_limit_days, [f.amount for f in new.fees], [c.name for c in new.components]) == (
        12, [150000], ["Đơn đề nghị"])
    assert [link.agency.code for link in new.agency_links] == [PROVINCE]
    assert get_procedure_by_code(db, AMENDED).time_limit_days == 4
    gone = get_procedure_by_code(db, abolished_code)
    assert (gone.status, gone.abolished_on) == ("abolished", date(2026, 12, 1))
    versions = db.scalars(select(ProcedureVersion).join(CatalogDecision).where(
        CatalogDecision.number == "2468/QĐ-UBND")).all()
    assert sorted(v.snapshot["code"] for v in versions) == sorted(["QD-NEW-1", AMENDED, abolished_code])
    assert {(v.decision_number, v.effective_date) for v in versions} == {("2468/QĐ-UBND", date(2026, 12, 1))}


def test_a_refused_upload_keeps_the_typed_header_and_changes_nothing(client, db, admin):
    before = state(db)
    typed = {"number": "9/QĐ-UBND", "signed_on": "02/12/2026", "effective_on": "40/12/2026", "issuer": "UBND tỉnh"}
    response = upload(client, workbook(header={}, procedures=[{KIND: "Sửa đổi", "Mã thủ tục": AMENDED,
                                                                "Thời hạn (ngày làm việc)": 3}]), **typed)
    assert response.status_code == 422
    assert "Ngày hiệu lực không hợp lệ: “40/12/2026”" in response.text
    fields = form_fields(response.text, PAGE)
    assert {k: fields[k] for k in typed} == typed
    assert state(db) == before


@pytest.mark.parametrize(("case", "expected"), [
    ("unknown column", ["Trang “Thủ tục” cột 3: tiêu đề “Tên gọi khác” không có trong mẫu."]),
    ("missing kind column", ["Trang “Thủ tục”: thiếu cột “Loại thay đổi (Thêm mới / Sửa đổi, bổ sung / Bãi bỏ)”."]),
    ("unknown code", ["Trang “Thủ tục” dòng 2 (mã KHONG-CO-MA): không có thủ tục mã “KHONG-CO-MA” trong danh mục "
                      "để sửa đổi."]),
    ("missing name", ["Trang “Thủ tục” dòng 2 (mã QD-NEW-2): Tên thủ tục: thiếu trường bắt buộc."]),
    ("duplicate", [f"Trang “Thủ tục” dòng 3 (mã {AMENDED}): mã thủ tục trùng với trang “thủ tục” dòng 2."]),
    ("bad kind", ["Trang “Thủ tục” dòng 2: loại thay đổi phải là “Thêm mới”, “Sửa đổi, bổ sung” hoặc “Bãi bỏ”."]),
    ("orphan fee", ["Trang “Phí, lệ phí” dòng 2: mã thủ tục không có trong trang “Thủ tục”."]),
    ("missing header", ["Thiếu số quyết định.", "Thiếu ngày hiệu lực."]),
])
def test_a_malformed_file_changes_nothing_and_says_where(client, db, admin, case, expected):
    before = state(db)
    amend = {KIND: "Sửa đổi", "Mã thủ tục": AMENDED, "Thời hạn (ngày làm việc)": 3}
    files = {
        "unknown column": lambda: workbook(procedures=[amend], columns=[KIND, "Mã thủ tục", "Tên gọi khác"]),
        "missing kind column": lambda: workbook(procedures=[amend], columns=["Mã thủ tục", "Tên thủ tục"]),
        "unknown code": lambda: workbook(procedures=[amend | {"Mã thủ tục": "KHONG-CO-MA"}]),
        "missing name": lambda: workbook(procedures=[{KIND: "Thêm mới", "Mã thủ tục": "QD-NEW-2",
                                                      AGENCIES: PROVINCE}]),
        "duplicate": lambda: workbook(procedures=[amend, amend | {"Thời hạn (ngày làm việc)": 9}]),
        "bad kind": lambda: workbook(procedures=[amend | {KIND: "Đổi tên"}]),
        "orphan fee": lambda: workbook(procedures=[amend], fees=[("KHAC-1", "Lệ phí", 1000, None)]),
        "missing header": lambda: workbook(header={"Ngày ký": "01/12/2026", "Cơ quan ban hành": "UBND tỉnh"},
                                           procedures=[amend]),
    }
    response = upload(client, files[case]())
    assert response.status_code == 422, response.text[:500]
    shown = [li.strip() for li in response.text.split('id="decision-errors">')[1].split("</ul>")[0]
             .replace("<li>", "").split("</li>") if li.strip()]
    assert shown == expected
    assert state(db) == before
    assert get_procedure_by_code(db, AMENDED).time_limit_days != 3


def test_a_broken_or_empty_file_is_refused(client, db, admin):
    before = state(db)
    broken = upload(client, b"PK\x03\x04 not really a workbook")
    assert broken.status_code == 422
    assert "Tệp không phải bảng tính XLSX hợp lệ (tệp hỏng hoặc sai định dạng)." in broken.text
    not_json = upload(client, b"{decision:", name="qd.json")
    assert not_json.status_code == 422 and "Tệp JSON không hợp lệ" in not_json.text
    wrong_shape = upload(client, json.dumps({"decision": {}, "changed": []}).encode(), name="qd.json")
    assert wrong_shape.status_code == 422 and "Khoá không có trong mẫu: “changed”." in wrong_shape.text
    assert state(db) == before


def test_the_blank_templates_are_downloadable_and_read_back(client, admin):
    xlsx = client.get(f"{PAGE}/mau.xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Quyết định", "Thủ tục", "Thành phần hồ sơ", "Phí, lệ phí"]
    assert [c.value for c in book["Quyết định"]["A"]][1:] == [
        "Số quyết định", "Ngày ký", "Ngày hiệu lực", "Cơ quan ban hành"]
    assert decisions.read_file(xlsx.content).entries == []
    blank = client.get(f"{PAGE}/mau.json").json()
    assert blank["format"] == "motcua-decision" and blank["added"] == []
    assert client.get(f"{PAGE}/mau.csv").status_code == 404


def test_only_province_administrators_import_decisions(client, make_user, login, agencies):
    make_user("qt-so", Role.agency_admin, agency=agencies.justice)
    login("qt-so")
    response = client.get(PAGE)
    assert response.status_code == 403
    assert "Chỉ quản trị tỉnh được nhập quyết định công bố thủ tục hành chính." in response.text


# --- CLI ----------------------------------------------------------------------------------


def test_cli_prints_the_changes_and_applies_only_with_apply(cli_db, tmp_path):
    document = {
        "format": "motcua-decision",
        "decision": {"number": "31/QĐ-UBND", "signed_on": "2026-12-01", "effective_on": "2099-01-01",
                     "issuer": "Chủ tịch UBND tỉnh Lạng Sơn"},
        "amended": [{"code": AMENDED, "time_limit_days": 6}],
    }
    path = tmp_path / "qd.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    shown = run("catalog", "import-decision", str(path))
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[0] == ("Quyết định số 31/QĐ-UBND ngày 01/12/2026 của Chủ tịch UBND tỉnh Lạng Sơn, "
                        "hiệu lực từ 01/01/2099.")
    assert lines[1:3] == ["Thêm mới 0, sửa đổi, bổ sung 1, bãi bỏ 0 thủ tục.", "Sửa đổi, bổ sung (1):"]
    assert lines[4] == "      Thời hạn (ngày làm việc): — → 6"
    assert lines[-1] == "Chưa áp dụng: chạy lại với --apply để áp dụng."

    applied = run("catalog", "import-decision", str(path), "--apply")
    assert applied.exit_code == 0, applied.output
    assert applied.output.splitlines()[-1] == "Đã lưu; các thay đổi sẽ áp dụng từ ngày 01/01/2099 (motcua worker)."
    again = run("catalog", "import-decision", str(path), "--apply")
    assert again.exit_code == 1
    assert "Quyết định số 31/QĐ-UBND ngày 01/12/2026 đã được nhập" in again.output


def test_cli_reports_every_bad_row_and_writes_the_template(cli_db, tmp_path):
    document = {"decision": {"number": "32/QĐ-UBND", "signed_on": "2026-12-01", "effective_on": "2026-12-01",
                             "issuer": "UBND tỉnh"},
                "added": [{"code": "QD-X", "name": "Thiếu cơ quan"}],
                "abolished": [{"code": "KHONG-CO"}]}
    path = tmp_path / "qd.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    refused = run("catalog", "import-decision", str(path), "--apply")
    assert refused.exit_code == 1
    assert refused.output.splitlines() == [
        "Lỗi: Không áp dụng: 2 thủ tục có lỗi; chưa thay đổi dữ liệu nào.",
        "  - Mục “added” bản ghi 1 (mã QD-X): thủ tục thêm mới phải có ít nhất một cơ quan thực hiện (mã cơ quan).",
        "  - Mục “abolished” bản ghi 1 (mã KHONG-CO): không có thủ tục mã “KHONG-CO” trong danh mục để bãi bỏ.",
    ]
    out = tmp_path / "mau.xlsx"
    written = run("catalog", "decision-template", "--output", str(out))
    assert written.exit_code == 0 and load_workbook(out).sheetnames[0] == "Quyết định"
