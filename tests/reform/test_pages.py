"""The pages: a reform officer reports a task of the sample plan with evidence; the year's
report page, its XLSX and its PDF carry the same totals; the API gives the same figures."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from motcua.reform.models import ReformTask
from tests import factories
from tests.documents.pdfutil import pdf_text
from tests.html_forms import csrf_from, signed_in
from tests.reform.test_imports import xlsx

BASE = "/quan-tri/cai-cach-hanh-chinh"
PDF = b"%PDF-1.4\n% bao cao ket qua\n"
# The sample plan's year judged at 31/12/2021 after one task (due 28/02/2021) was done on
# 20/02/2021: tasks, done on time, done late, in progress, not started, overdue, entries.
YEAR_TOTALS = [23, 1, 0, 0, 22, 4, 1]


def _task(db, sample, title_start):
    return db.scalar(select(ReformTask).where(ReformTask.plan_id == sample.id,
                                              ReformTask.title.startswith(title_start)))


def test_a_reform_officer_reports_a_task_with_evidence_and_the_reports_agree(client, db, officer, sample):
    signed_in(client, "t_cchc")
    listing = client.get(BASE)
    assert listing.status_code == 200 and "Kế hoạch cải cách hành chính tỉnh Quảng Ninh năm 2021" in listing.text
    plan_page = client.get(f"{BASE}/{sample.id}")
    assert "Cải cách tài chính công (2)" in plan_page.text and "Những phần của văn bản gốc không đọc được (11)" in plan_page.text
    task = _task(db, sample, "Điều tra xã hội học")
    page = client.get(f"{BASE}/nhiem-vu/{task.id}")
    assert page.status_code == 200
    token = csrf_from(page.text)

    refused = client.post(f"{BASE}/nhiem-vu/{task.id}/tien-do", data={
        "csrf_token": token, "role": "lead", "status": "done", "reported_on": "2021-02-20",
        "content": "Đã có báo cáo kết quả điều tra xã hội học."})
    assert refused.status_code == 422 and "ít nhất một tệp minh chứng" in refused.text
    assert "Đã có báo cáo kết quả điều tra xã hội học." in refused.text  # what was typed comes back

    done = client.post(f"{BASE}/nhiem-vu/{task.id}/tien-do", data={
        "csrf_token": token, "role": "lead", "status": "done", "reported_on": "2021-02-20",
        "content": "Đã có báo cáo kết quả điều tra xã hội học."},
        files=[("evidence", ("bao-cao-dieu-tra.pdf", PDF, "application/pdf"))], follow_redirects=False)
    assert done.status_code == 303, done.text[:800]
    after = client.get(done.headers["location"])
    assert "Đã hoàn thành (100 %)" in after.text and "bao-cao-dieu-tra.pdf" in after.text
    link = after.text.split(f'href="{BASE}/minh-chung/')[1].split('"')[0]
    evidence = client.get(f"{BASE}/minh-chung/{link}")
    assert evidence.content == PDF and evidence.headers["content-type"] == "application/pdf"

    report = client.get(f"{BASE}/{sample.id}/bao-cao", params={"ky": "year"})
    assert report.status_code == 200
    total_row = report.text.split('class="total"')[1].split("</tr>")[0]
    assert [int(v) for v in total_row.replace("</td>", "").split("<td>")[2:]] == YEAR_TOTALS

    wb = load_workbook(io.BytesIO(client.get(f"{BASE}/{sample.id}/bao-cao.xlsx", params={"ky": "year"}).content))
    last = list(wb["Tổng hợp"].iter_rows(values_only=True))[-1]
    assert last[0] == "Tổng cộng" and list(last[1:]) == YEAR_TOTALS
    assert wb["Nhiệm vụ"].max_row == 24

    pdf = client.get(f"{BASE}/{sample.id}/bao-cao.pdf", params={"ky": "year"})
    text = " ".join(pdf_text(pdf.content).split())
    assert "Tổng cộng " + " ".join(map(str, YEAR_TOTALS)) in text

    api = client.get(f"/api/v1/reform/plans/{sample.id}/reports/year", headers=factories.bearer(db, officer)).json()
    assert [api["total"][k] for k in ("tasks", "done_on_time", "done_late", "in_progress", "not_started", "overdue",
                                      "entries")] == YEAR_TOTALS
    assert api["groups"]["direction"]["done_on_time"] == 1 and api["judged_on"] == "2021-12-31"


def test_a_malformed_import_on_the_page_lists_the_bad_rows(client, db, officer):
    signed_in(client, "t_cchc")
    token = csrf_from(client.get(BASE).text)
    response = client.post(f"{BASE}/nhap", data={"csrf_token": token, "year": "2027", "province": "Lạng Sơn",
                                                 "decision": "Quyết định số 5/QĐ-UBND", "title": "Kế hoạch 2027"},
                           files={"file": ("sai.xlsx", xlsx(["Nhóm lạ", "1", "Nhiệm vụ", "Sở Tư pháp"]),
                                           "application/octet-stream")})
    assert response.status_code == 422
    assert "Dòng 2, cột “Nhóm nội dung”" in response.text and 'value="Quyết định số 5/QĐ-UBND"' in response.text


def test_the_api_reports_progress_with_evidence(client, db, officer, sample):
    headers = factories.bearer(db, officer)
    task = _task(db, sample, "Điều tra xã hội học")
    created = client.post(f"/api/v1/reform/tasks/{task.id}/progress", headers=headers,
                          data={"role": "lead", "status": "in_progress", "percent": "60", "reported_on": "2021-01-15",
                                "content": "Đang tổng hợp phiếu."},
                          files=[("files", ("phieu.pdf", PDF, "application/pdf"))])
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["status"], body["percent"], body["unit_name"], [e["name"] for e in body["evidence"]]) == (
        "in_progress", 60, "Sở Nội vụ", ["phieu.pdf"])
    detail = client.get(f"/api/v1/reform/tasks/{task.id}", headers=headers).json()
    assert (detail["status"], detail["percent"], detail["overdue"]) == ("in_progress", 60, True)
    # The task is past its 2021 deadline (its own flag says so), but the sample plan raises no
    # overdue alert: the list of overdue tasks leaves it out.
    assert client.get("/api/v1/reform/overdue", headers=headers).json() == []
