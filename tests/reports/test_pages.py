"""The statistics page: pickers, the table, and every figure's list holds exactly that many dossiers."""

from __future__ import annotations

import html
import re

from motcua.core.clock import frozen
from motcua.reports.counting import COLUMNS
from tests.html_forms import signed_in
from tests.reports.conftest import LOOK_AT

LINK = re.compile(r'<a href="(/bao-cao/thong-ke/ho-so\?[^"]+)" data-column="(\w+)">(\d+)</a>')


def page(client, url):
    with frozen(LOOK_AT):
        return client.get(url)


def test_every_figure_links_to_a_list_of_exactly_that_many_dossiers(client, history):
    signed_in(client, "t_thongke")
    for group_by in ("agency", "receiving_unit", "officer"):
        response = page(client, f"/bao-cao/thong-ke?ky=month&nam=2027&so=6&nhom={group_by}")
        assert response.status_code == 200, response.text
        links = LINK.findall(response.text)
        rows = 2 if group_by == "agency" else 3  # the rows and the total row
        assert len(links) == rows * len(COLUMNS)
        assert {c for _, c, _ in links} == {c.value for c in COLUMNS}
        for url, column, figure in links:
            listed = page(client, html.unescape(url))
            assert listed.status_code == 200, listed.text
            total = int(re.search(r'data-total="(\d+)"', listed.text).group(1))
            shown = len(re.findall(r'<a href="/ho-so/[0-9a-f-]+">', listed.text))
            assert total == int(figure) == shown, (group_by, column, url)


def test_the_list_behind_late_names_the_late_dossier(client, history):
    signed_in(client, "t_thongke")
    listed = page(client, "/bao-cao/thong-ke/ho-so?ky=custom&tu_ngay=01/06/2027&den_ngay=30/06/2027&nhom=agency"
                          "&cot=finished_late")
    assert history.d["late"].code in listed.text and "Quá hạn: 1 hồ sơ" in listed.text


def test_pickers_quarter_half_year_and_custom(client, history):
    signed_in(client, "t_thongke")
    for query in ("ky=quarter&nam=2027&so=2", "ky=half&nam=2027&so=1", "ky=year&nam=2027",
                  "ky=custom&tu_ngay=01/06/2027&den_ngay=30/06/2027"):
        response = page(client, f"/bao-cao/thong-ke?{query}&nhom=agency")
        assert response.status_code == 200, (query, response.text[:300])
        assert "Tổng cộng" in response.text


def test_bad_pickers_show_a_vietnamese_error_and_keep_what_was_typed(client, history):
    signed_in(client, "t_thongke")
    response = page(client, "/bao-cao/thong-ke?ky=custom&tu_ngay=31/02/2027&den_ngay=30/06/2027&nhom=agency")
    assert response.status_code == 422
    assert "31/02/2027" in response.text and 'role="alert"' in response.text
    response = page(client, "/bao-cao/thong-ke?ky=quarter&nam=2027&so=7&nhom=agency")
    assert response.status_code == 422 and "từ 1 đến 4" in response.text
    assert page(client, "/bao-cao/thong-ke/ho-so?ky=month&nam=2027&so=6&nhom=agency&cot=nothing").status_code == 422


def test_the_page_and_a_list_cost_the_same_statements_whatever_the_figures(client, history, statements):
    """Query-count test (STYLE.md §11): one aggregate for the table, one count and one page for a
    list, whether a figure holds one dossier or nine."""
    signed_in(client, "t_thongke")
    base = "/bao-cao/thong-ke/ho-so?ky=month&nam=2027&so=6&nhom=agency"
    counts = []
    for url in ("/bao-cao/thong-ke?ky=month&nam=2027&so=6&nhom=agency", "/bao-cao/thong-ke?ky=month&nam=2027&so=5&nhom=agency",
                f"{base}&cot=received", f"{base}&cot=finished_late"):
        statements.clear()
        assert page(client, url).status_code == 200
        counts.append(sum(1 for s in statements if "dossiers" in s))
    assert counts[0] == counts[1] == 1
    assert counts[2] == counts[3] == 2
