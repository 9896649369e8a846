"""The exports read back: XLSX (openpyxl), CSV (UTF-8 with BOM), PDF (its text), with the
page's figures and totals; form 07 as XLSX and CSV with the printed book's rows."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from motcua.core.clock import frozen
from motcua.reports.counting import COLUMNS
from motcua.reports.enums import COLUMN_LABELS
from tests import factories
from tests.documents.pdfutil import pdf_text
from tests.html_forms import signed_in
from tests.reports.conftest import LOOK_AT

QUERY = "ky=month&nam=2027&so=6&nhom=receiving_unit"


def get(client, url):
    with frozen(LOOK_AT):
        response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    return response


def api_table(client, db, history):
    headers = factories.bearer(db, history.viewer)
    with frozen(LOOK_AT):
        return client.get("/api/v1/reports/statistics", headers=headers,
                          params={"from": "2027-06-01", "to": "2027-06-30", "group_by": "receiving_unit"}).json()


def test_xlsx_holds_the_rows_and_the_total_of_the_page(client, db, history):
    expected = api_table(client, db, history)
    signed_in(client, "t_thongke")
    response = get(client, f"/bao-cao/thong-ke.xlsx?{QUERY}")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "thong-ke-receiving_unit-20270601-20270630.xlsx" in response.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    lines = list(ws.iter_rows(values_only=True))
    assert "từ ngày 01/06/2027 đến ngày 30/06/2027" in lines[0][0]
    header = list(lines[2])
    assert header[:3] == ["STT", "Mã", "Bộ phận tiếp nhận"]
    assert header[3:3 + len(COLUMNS)] == [COLUMN_LABELS[c] for c in COLUMNS]
    body, total = lines[3:-1], lines[-1]
    assert [line[1] for line in body] == [r["code"] for r in expected["rows"]]
    for i, column in enumerate(COLUMNS, start=3):
        assert total[i] == expected["total"][column.value] == sum(line[i] for line in body), column
        assert [line[i] for line in body] == [r[column.value] for r in expected["rows"]]
    assert total[2] == "Tổng cộng" and total[3 + COLUMNS.index(COLUMNS[1])] == 9


def test_csv_is_utf8_with_bom_and_the_same_figures(client, db, history):
    expected = api_table(client, db, history)
    signed_in(client, "t_thongke")
    raw = get(client, f"/bao-cao/thong-ke.csv?{QUERY}").content
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert lines[0][2] == "Bộ phận tiếp nhận"
    total = lines[-1]
    assert total[2] == "Tổng cộng"
    assert [int(total[i]) for i in range(3, 3 + len(COLUMNS))] == [expected["total"][c.value] for c in COLUMNS]
    assert len(lines) == 1 + len(expected["rows"]) + 1


def test_pdf_prints_the_table_with_its_total(client, db, history):
    signed_in(client, "t_thongke")
    response = get(client, f"/bao-cao/thong-ke.pdf?{QUERY}")
    assert response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response.content).split())
    assert "Tổng cộng" in text and "01/06/2027" in text
    assert history.world.commune.name.upper()[:10] in text.upper()


def test_form_07_as_xlsx_and_csv_has_the_books_rows(client, db, history):
    w = history.world
    signed_in(client, "t_thongke")
    query = f"don_vi={w.centre.code}&tu_ngay=01/06/2027&den_ngay=30/06/2027"
    ws = load_workbook(io.BytesIO(get(client, f"/bao-cao/so-theo-doi.xlsx?{query}").content)).active
    lines = list(ws.iter_rows(values_only=True))
    assert "Mẫu số 07" in lines[0][0] and lines[2][1] == "Mã hồ sơ"
    rows = lines[3:]
    # The centre received in June: 8 accepted dossiers and the incomplete receipt (the book lists every receipt).
    assert [r[0] for r in rows] == list(range(1, 10))
    codes = {r[1] for r in rows}
    assert history.d["late"].code in codes and history.d["incomplete"].code in codes
    assert history.d["cross"].code not in codes  # received at the commune, in its own book
    raw = get(client, f"/bao-cao/so-theo-doi.csv?{query}").content
    assert raw.startswith(b"\xef\xbb\xbf")
    csv_rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[1:]
    assert [r[1] for r in csv_rows] == [r[1] for r in rows]


def test_form_07_export_of_a_unit_out_of_scope_is_refused(client, db, history):
    signed_in(client, "t_thongke")
    with frozen(LOOK_AT):
        response = client.get(f"/bao-cao/so-theo-doi.xlsx?don_vi={history.world.commune2.code}"
                              "&tu_ngay=01/06/2027&den_ngay=30/06/2027")
    assert response.status_code == 403
