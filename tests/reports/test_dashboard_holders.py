"""The leaders' dashboard "overdue by officer" figures open the list of exactly their dossiers
(issue 13: every figure drills down): the holder filter of `/bao-cao/thong-ke/ho-so` and of
`GET /api/v1/reports/statistics/dossiers`, on the known week of test_dashboard_panels."""

from __future__ import annotations

import html
import re
import uuid

import pytest
from sqlalchemy import update

from motcua.core.clock import frozen
from motcua.dossiers.enums import StepState
from motcua.dossiers.models import StepExecution
from tests import factories
from tests.html_forms import signed_in
from tests.reports.test_dashboard_panels import AT, JULY, Week, board_of

LIST = "/bao-cao/thong-ke/ho-so"
API = "/api/v1/reports/statistics/dossiers"
JULY_API = {"from": "2027-07-01", "to": "2027-07-31", "group_by": "agency", "column": "overdue"}
CODE = re.compile(r'<a href="/ho-so/[0-9a-f-]+">([^<]+)</a>')
VIETNAMESE = "ạảãàáâấầậăắằặđêếềệôốồộơớờợưứừựíìịýỳóòọúùụ"


@pytest.fixture
def week(db) -> Week:
    return Week(db)


def officer_links(text: str) -> list[tuple[str, str, str]]:
    """(row header, figure, link) of each figure of the page's overdue-by-officer table."""
    table = text[text.index('id="overdue-officers"'):]
    table = table[:table.index("</table>")]
    return [(html.unescape(name), figure, html.unescape(url)) for name, url, figure in re.findall(
        r'<th scope="row">([^<]+)</th>.*?<a href="([^"]+)" data-figure="overdue_held">([^<]+)</a>', table, re.S)]


def expected(week: Week) -> dict[tuple[str, str], list[str]]:
    """(officer's username or "", unit code) -> the codes of the overdue dossiers held there, by receipt."""
    w, d = week.w, week.d
    return {
        ("t_chuyenvien", w.dept.code): [d["overdue_a"].code, d["overdue_b"].code],
        ("t_chuyenvien2", w.dept2.code): [d["dept2"].code],
        ("", w.dept.code): [d["overdue_unassigned"].code],
    }


def test_every_officer_figure_links_to_exactly_its_dossiers(client, db, week):
    w = week.w
    signed_in(client, "t_bangdieuhanh")
    with frozen(AT):
        page = client.get("/bao-cao")
    assert page.status_code == 200, page.text[:300]
    links = officer_links(page.text)
    assert [(name, figure) for name, figure, _ in links] == [
        ("Trần Văn Chuyên (Sở Tư pháp thử nghiệm)", "2"),
        ("Vũ Thị Phối Hợp (Sở Tài chính thử nghiệm)", "1"),
        ("Chưa có người nhận xử lý (Sở Tư pháp thử nghiệm)", "1"),
    ]
    officer = {"t_chuyenvien": w.specialist.id, "t_chuyenvien2": w.specialist2.id}
    unit = {w.dept.code: w.dept.id, w.dept2.code: w.dept2.id}
    want = expected(week)
    board = board_of(db, week.viewer)
    assert [(h.username, h.unit_code) for h in board.holders] == list(want)
    for (name, figure, url), h in zip(links, board.holders, strict=True):
        held = str(officer[h.username]) if h.username else "unassigned"
        assert url == f"{LIST}?{JULY}&cot=overdue&nguoi_giu={held}&don_vi_giu={unit[h.unit_code]}"
        with frozen(AT):
            listed = client.get(url)
        assert listed.status_code == 200, listed.text[:300]
        codes = CODE.findall(listed.text)
        assert codes == want[h.username, h.unit_code], name
        assert f'data-total="{figure}"' in listed.text and len(codes) == int(figure) == h.overdue
        assert f'<strong id="behind-holder">{name}</strong>' in listed.text


def test_the_api_gives_each_officer_figure_its_list(client, db, week):
    headers = factories.bearer(db, week.viewer)
    with frozen(AT):
        rows = client.get("/api/v1/reports/dashboard", headers=headers).json()["overdue_by_officer"]
    want = expected(week)
    assert [(r["username"], r["unit_code"], r["overdue"]) for r in rows] == [(*k, len(v)) for k, v in want.items()]
    assert (rows[2]["holder"], rows[2]["holder_unit"]) == ("unassigned", str(week.w.dept.id))
    for row in rows:
        with frozen(AT):
            body = client.get(row["dossiers"], headers=headers).json()
        assert (body["total"], body["column"], body["key"]) == (row["overdue"], "overdue", ""), row
        assert [i["code"] for i in body["items"]] == want[row["username"], row["unit_code"]]
        assert (body["holder"], body["holder_unit"]) == (row["holder"], row["holder_unit"])
        assert body["holder_name"] == f'{row["name"]} ({row["unit_name"]})'
        # The same list from the parameters written out, as a client would send them.
        with frozen(AT):
            again = client.get(API, headers=headers, params=JULY_API | {
                "holder": row["holder"], "holder_unit": row["holder_unit"]}).json()
        assert again["items"] == body["items"]
    spec = client.get("/openapi.json").json()
    names = {p["name"] for p in spec["paths"][API]["get"]["parameters"]}
    assert {"holder", "holder_unit"} <= names


def test_a_dossier_with_no_open_step_is_listed_under_the_unassigned_row(client, db, week):
    # An imported dossier whose steps were not carried over: overdue, held at no step.
    d = week.d["overdue_unassigned"]
    db.execute(update(StepExecution).where(StepExecution.dossier_id == d.id, StepExecution.state == StepState.open)
               .values(state=StepState.cancelled))
    db.flush()
    board = board_of(db, week.viewer)
    assert [(h.username, h.unit_code, h.overdue) for h in board.holders][-1] == ("", "", 1)
    assert board.holders[-1].filter_keys == ("unassigned", "none")
    signed_in(client, "t_bangdieuhanh")
    with frozen(AT):
        page = client.get("/bao-cao")
        name, figure, url = officer_links(page.text)[-1]
        listed = client.get(url)
        body = client.get(API, headers=factories.bearer(db, week.viewer),
                          params=JULY_API | {"holder": "unassigned", "holder_unit": "none"}).json()
    assert (name, figure) == ("Chưa có người nhận xử lý ((Không xác định))", "1")
    assert url.endswith("&cot=overdue&nguoi_giu=unassigned&don_vi_giu=none")
    assert CODE.findall(listed.text) == [d.code] and 'data-total="1"' in listed.text
    assert (body["total"], [i["code"] for i in body["items"]]) == (1, [d.code])


def test_a_head_of_another_unit_and_an_officer_cannot_list_them(client, db, week):
    w = week.w
    held = {"holder": str(w.specialist.id), "holder_unit": str(w.dept.id)}
    page_url = f"{LIST}?{JULY}&cot=overdue&nguoi_giu={w.specialist.id}&don_vi_giu={w.dept.id}"
    # The other department's head: the department is outside the units whose workload they see.
    signed_in(client, "t_lanhdaotc")
    with frozen(AT):
        page = client.get(page_url)
    assert page.status_code == 403
    assert "Sở Tư pháp thử nghiệm” không thuộc phạm vi" in html.unescape(page.text)
    for user in (w.head2, w.specialist):  # a head of the other unit; an officer who is no head
        with frozen(AT):
            response = client.get(API, headers=factories.bearer(db, user), params=JULY_API | held)
        assert response.status_code == 403, (user.username, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    # Their own unit's row still opens: the head of the other department lists their specialist's one.
    with frozen(AT):
        own = client.get(API, headers=factories.bearer(db, w.head2), params=JULY_API | {
            "holder": str(w.specialist2.id), "holder_unit": str(w.dept2.id)}).json()
    assert (own["total"], [i["code"] for i in own["items"]]) == (1, [week.d["dept2"].code])


@pytest.mark.parametrize("holder, unit, message", [
    ("somebody", "none", "Cán bộ đang giữ hồ sơ “somebody” không hợp lệ"),
    ("unassigned", "", "cần cả cán bộ"),
    ("", "none", "cần cả cán bộ"),
    ("unassigned", "phong-1", "Đơn vị đang giữ hồ sơ “phong-1” không hợp lệ"),
    (str(uuid.UUID(int=7)), "none", "cần mã đơn vị"),
    ("unassigned", str(uuid.UUID(int=8)), "Không có đơn vị đang giữ hồ sơ"),
    ("@unit", "@unit", "Không có cán bộ đang giữ hồ sơ"),
])
def test_bad_or_unknown_holders_are_refused_in_vietnamese(client, db, week, holder, unit, message):
    if holder == "@unit":
        holder, unit = str(uuid.UUID(int=9)), str(week.w.dept.id)
    signed_in(client, "t_bangdieuhanh")
    with frozen(AT):
        page = client.get(f"{LIST}?{JULY}&cot=overdue&nguoi_giu={holder}&don_vi_giu={unit}")
        api = client.get(API, headers=factories.bearer(db, week.viewer),
                         params=JULY_API | {"holder": holder, "holder_unit": unit})
    assert page.status_code == 422 and message in html.unescape(page.text), page.text[:500]
    assert api.status_code == 422 and api.headers["content-type"].startswith("application/problem+json")
    assert message in str(api.json()) and any(ch in str(api.json()) for ch in VIETNAMESE)
