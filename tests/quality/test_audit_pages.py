"""The pages: a quality secretary records an internal audit with a nonconformity, its corrective
action and closure through the forms; the Department reads the province summary and its XLSX
has the page's totals."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from motcua.core.clock import frozen
from motcua.org.models import Agency
from motcua.quality.models import QualityUnit
from tests import factories
from tests.factories import local
from tests.html_forms import csrf_from, signed_in


def test_a_secretary_records_an_audit_to_closure_and_the_department_exports_the_summary(client, db, agencies):
    # Sở Tư pháp runs a seeded system (plan 71 appendix II); the Department is Sở KH&CN.
    assert db.scalars(select(QualityUnit).where(QualityUnit.agency_id == agencies.justice.id)).one()
    khcn = db.scalars(select(Agency).where(Agency.seed_key == "so-khcn")).one()
    factories.account(db, "tk_iso_tp", "quality_secretary", agency=agencies.justice)
    db.commit()
    with frozen(local(2027, 3, 20, 16)):
        signed_in(client, "tk_iso_tp")
        token = csrf_from(client.get("/chat-luong/danh-gia").text)
        r = client.post("/chat-luong/danh-gia", data={
            "csrf_token": token, "agency_code": agencies.justice.code, "planned_on": "20/03/2027",
            "scope": "Lĩnh vực hộ tịch", "auditors": "Nguyễn Văn Đánh Giá"}, follow_redirects=False)
        assert r.status_code == 303
        url = r.headers["location"]
        client.post(f"{url}/ket-qua", data={"csrf_token": token, "held_on": "20/03/2027", "summary": "Cơ bản phù hợp"})
        refused = client.post(f"{url}/phat-hien", data={"csrf_token": token, "kind": "nonconformity",
                                                         "description": "Sổ theo dõi thiếu ngày trả"})
        assert refused.status_code == 422 and "Sổ theo dõi thiếu ngày trả" in refused.text
        client.post(f"{url}/phat-hien", data={"csrf_token": token, "kind": "nonconformity", "clause": "7.5.3",
                                              "description": "Sổ theo dõi thiếu ngày trả", "root_cause": "Mẫu sổ cũ"})
        page = client.get(url).text
        finding_id = re.search(r'name="finding_id" value="([^"]+)"', page).group(1)
        client.post(f"{url}/khac-phuc", data={"csrf_token": token, "finding_id": finding_id,
                                              "description": "Dùng mẫu sổ mới", "owner": "Trần Thị Một Cửa",
                                              "due_on": "10/04/2027"})
        action_id = re.search(r'name="action_id" value="([^"]+)"', client.get(url).text).group(1)
    with frozen(local(2027, 4, 12, 9)):
        client.post(f"{url}/hoan-thanh", data={"csrf_token": token, "action_id": action_id, "done_on": "11/04/2027",
                                               "result": "Đã dùng mẫu mới"})
        client.post(f"{url}/dong", data={"csrf_token": token, "finding_id": finding_id, "verified_on": "12/04/2027",
                                         "verification_note": "Kiểm tra 20 hồ sơ: đạt"})
        page = client.get(url).text
        assert "Đã kết thúc (12/04/2027)" in page and "Đã đóng" in page
        assert client.get("/chat-luong/bao-cao").status_code == 403  # a unit's secretary: own unit only
        report = client.get(f"/chat-luong/don-vi/{agencies.justice.code}/bao-cao", params={"loai": "year", "nam": 2027})
        assert report.status_code == 200
        assert re.search(r"<th scope=\"row\">Đánh giá nội bộ đã thực hiện</th><td>1</td>", report.text)
        assert re.search(r"<th scope=\"row\">Điểm không phù hợp chưa đóng</th><td>0</td>", report.text)
    factories.account(db, "khcn_iso", "quality_secretary", agency=khcn)
    db.commit()
    with frozen(local(2027, 7, 10, 9)):
        signed_in(client, "khcn_iso")
        summary = client.get("/chat-luong/bao-cao", params={"loai": "half", "nam": 2027, "ky": 1})
        assert summary.status_code == 200
        xlsx = client.get("/chat-luong/bao-cao.xlsx", params={"loai": "half", "nam": 2027, "ky": 1})
    total_row = re.search(r'<tr class="total">(.*?)</tr>', summary.text, re.S).group(1)
    page_total = [c.strip() for c in re.findall(r"<td>(.*?)</td>", total_row, re.S)]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    file_total = ["" if c.value is None else str(c.value) for c in list(sheet.iter_rows(min_row=4))[-1]]
    assert page_total == file_total
    assert file_total[2] == "Tổng cộng" and file_total[6] == "1"  # the one audit held in the half year
