"""Exports of the reform index and the surveys: a unit's score sheet, the ranking and a survey's
results as XLSX (read with openpyxl) and PDF (read with pdftotext) carry the page's figures and
totals."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from decimal import Decimal

from openpyxl import load_workbook

from motcua.reform import scoring, surveys
from motcua.reform.scoring import AppraisalIn, SelfScoreIn
from motcua.reform.surveys import Channel, Element, FormIn, QuestionIn, ResponseIn
from tests.documents.pdfutil import pdf_text
from tests.html_forms import signed_in
from tests.needs import require_tool
from tests.reform.test_scoring import _sheet
from tests.reform.test_surveys import answer, make_form

D = Decimal
ADMIN = "/quan-tri/cai-cach/chi-so"


def _scored(db, people, agencies):
    """test_scoring's history: justice 8 points (provisional), finance 4,25."""
    council = people["council"]
    sheet = _sheet(db, council)
    j, f = agencies.justice, agencies.finance
    for user, agency, code, points, evidence in (
            (people["justice"], j, "1.1", "2", "KH 12/KH-STP"), (people["justice"], j, "1.2", "1.5", None),
            (people["justice"], j, "2.1", "3", None), (people["finance"], f, "1.1", "1.75", "KH 3"),
            (people["finance"], f, "2.1", "2.5", None)):
        scoring.self_score(db, user, sheet, SelfScoreIn(agency_code=agency.code, item_code=code, points=D(points),
                                                        evidence=evidence))
    scoring.appraise(db, council, sheet, AppraisalIn(agency_code=j.code, item_code="1.1", points=D("1.5")))
    scoring.appraise(db, council, sheet, AppraisalIn(agency_code=j.code, item_code="2.1", points=D("2")))
    form = surveys.create_form(db, council, FormIn(slug="sipas-2026", title="Khảo sát hài lòng 2026", year=2026,
                                                   questions=[QuestionIn(element=Element.access, text="Dễ tìm?"),
                                                              QuestionIn(element=Element.servant, text="Tận tình?")]))
    for answers in ({1: 5, 2: 4}, {1: 2, 2: 4}):
        surveys.submit(db, form, ResponseIn(agency_code=j.code, answers=answers), channel=Channel.online)
    db.commit()
    return sheet


def pdf_lines(pdf: bytes) -> list[str]:
    """The PDF's lines as laid out (pdftotext -layout): a table row stays on its line; cells
    separated by one space."""
    out = subprocess.run([require_tool("pdftotext"), "-layout", "-enc", "UTF-8", "-", "-"], input=pdf,
                         capture_output=True, check=True).stdout.decode("utf-8")
    return [re.sub(r"\s+", " ", unicodedata.normalize("NFC", line)).strip() for line in out.splitlines()]


def _rows(content: bytes, sheet: str | None = None) -> list[tuple]:
    wb = load_workbook(io.BytesIO(content))
    return list((wb[sheet] if sheet else wb.worksheets[0]).iter_rows(values_only=True))


def test_a_units_score_sheet_page_xlsx_and_pdf_agree(client, db, people, agencies):
    sheet = _scored(db, people, agencies)
    signed_in(client, "t_snv")
    page = client.get(f"{ADMIN}/{sheet.id}", params={"don_vi": agencies.justice.code})
    assert page.status_code == 200
    foot = page.text.split("<tfoot>")[1].split("</tfoot>")[0]
    assert ">10,5<" in foot and ">6,5<" in foot and ">3,5<" in foot and '<td id="tong-diem"><strong>8</strong>' in foot
    assert "Khảo sát sự hài lòng năm 2026: 75,0 % ý kiến hài lòng" in page.text

    xlsx = client.get(f"{ADMIN}/{sheet.id}/bang-diem.xlsx", params={"don_vi": agencies.justice.code})
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith("application/vnd.openxml")
    rows = _rows(xlsx.content)
    header = rows.index(("Mục", "Nội dung", "Điểm tối đa", "Tự chấm", "Thẩm định", "Điểm tính",
                         "Cách tính / tài liệu kiểm chứng", "Số tệp kiểm chứng"))
    body = [r[:6] for r in rows[header + 1:-1]]
    assert body == [("1", "Công tác chỉ đạo, điều hành", 3.5, None, None, 3),
                    ("1.1", "Kế hoạch CCHC", 2, 2, 1.5, 1.5), ("1.2", "Báo cáo CCHC", 1.5, 1.5, None, 1.5),
                    ("2", "Cải cách thủ tục hành chính", 3, None, None, 2), ("2.1", "Công khai thủ tục", 3, 3, 2, 2),
                    ("3", "Sự hài lòng của người dân", 4, None, None, 3), ("3.1", "Chỉ số hài lòng", 4, None, None, 3)]
    assert rows[-1][:6] == (None, "Tổng điểm", 10.5, 6.5, 3.5, 8)  # the page's foot
    assert "chưa thẩm định xong" in rows[-1][6]

    pdf = client.get(f"{ADMIN}/{sheet.id}/bang-diem.pdf", params={"don_vi": agencies.justice.code})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text, lines = pdf_text(pdf.content), pdf_lines(pdf.content)
    assert ("Bảng điểm chỉ số cải cách hành chính năm 2026 — " + agencies.justice.name).upper() in text
    assert any(ln.startswith("Tổng điểm 10,5 6,5 3,5 8 Từ khảo sát: 3;") for ln in lines)
    assert any(ln.startswith("1.1 Kế hoạch CCHC 2 2 1,5 1,5 KH 12/KH-STP") for ln in lines)

    # Someone who does not see the unit gets no file of it.
    signed_in(client, "t_stp")
    refused = client.get(f"{ADMIN}/{sheet.id}/bang-diem.xlsx", params={"don_vi": agencies.finance.code})
    assert refused.status_code == 403


def test_the_ranking_page_xlsx_and_pdf_agree(client, db, people, agencies):
    sheet = _scored(db, people, agencies)
    signed_in(client, "t_snv")
    page = client.get(f"{ADMIN}/{sheet.id}/xep-hang")
    assert page.status_code == 200 and "Số đơn vị xếp hạng: 2" in page.text
    ranked = [(t.rank, t.agency_name, t.total) for t in scoring.ranking(db, sheet)]
    assert ranked == [(1, agencies.justice.name, D("8.00")), (2, agencies.finance.name, D("4.25"))]
    rows = _rows(client.get(f"{ADMIN}/{sheet.id}/xep-hang.xlsx").content)
    header = rows.index(("Hạng", "Cơ quan, đơn vị", "Tự chấm", "Thẩm định", "Từ khảo sát", "Từ số liệu hệ thống",
                         "Tổng điểm", "Ghi chú"))
    assert [r[:7] for r in rows[header + 1:-1]] == [(1, agencies.justice.name, 6.5, 3.5, 3, 0, 8),
                                                   (2, agencies.finance.name, 4.25, 0, 0, 0, 4.25)]
    assert rows[-1][1] == "Số đơn vị xếp hạng: 2"
    lines = pdf_lines(client.get(f"{ADMIN}/{sheet.id}/xep-hang.pdf").content)
    assert any(ln.startswith(f"1 {agencies.justice.name} 6,5 3,5 3 0 8") for ln in lines)
    assert any(ln.startswith(f"2 {agencies.finance.name} 4,25 0 0 0 4,25 Chưa thẩm định xong") for ln in lines)
    assert "Số đơn vị xếp hạng: 2" in " ".join(lines)  # the last row (its cell wraps)
    assert client.get(f"{ADMIN}/{sheet.id}/xep-hang.doc").status_code == 422


def test_survey_results_page_xlsx_and_pdf_agree(client, db, people, agencies):
    form = make_form(db, people["council"])
    answer(db, form, agencies.justice, [5, 4, 4, 5, 4, 3])
    answer(db, form, agencies.justice, [4, 4, 2, 5, 5, 4], channel=Channel.paper, staff=people["justice"])
    answer(db, form, agencies.finance, [5, 5, 5, 5, 5, 5])
    db.commit()
    signed_in(client, "t_snv")
    url = f"/quan-tri/cai-cach/khao-sat/{form.id}"
    page = client.get(url)
    province_row = page.text.split('id="ket-qua"')[1].split("<tbody>")[1].split("</tr>")[0]
    assert "Toàn tỉnh" in province_row and "<strong>88,9 %</strong>" in province_row and "Chưa đạt" in province_row

    rows = _rows(client.get(f"{url}/ket-qua.xlsx").content, "Theo đơn vị")
    header = next(i for i, r in enumerate(rows) if r[0] == "Phạm vi")
    body = {r[0]: r[1:] for r in rows[header + 1:-1]}
    assert body[agencies.justice.name] == (2, 100, 50, 100, 100, 50, 10, 12, 83.3, "Chưa đạt")
    assert body[agencies.finance.name] == (1, 100, 100, 100, 100, 100, 6, 6, 100, "Đạt")
    assert rows[-1] == ("Toàn tỉnh", 3, 100, 66.7, 100, 100, 66.7, 16, 18, 88.9, "Chưa đạt")  # the page's first row
    fields = _rows(client.get(f"{url}/ket-qua.xlsx").content, "Theo lĩnh vực")
    assert fields[-1] == rows[-1]

    lines = pdf_lines(client.get(f"{url}/ket-qua.pdf").content)
    assert lines.count("Toàn tỉnh 3 100 66,7 100 100 66,7 16 18 88,9 Chưa đạt") == 2  # units' and fields' totals
    assert f"{agencies.justice.name} 2 100 50 100 100 50 10 12 83,3 Chưa đạt" in lines
