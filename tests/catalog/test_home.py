"""The home page: figures derived from the cached catalogue index, never stale, one query."""

from __future__ import annotations

import json
import re

from motcua.auth.roles import Role
from motcua.catalog import transfer
from motcua.catalog.search import _SIGNATURE_SQL
from motcua.catalog.service import get_procedure_by_code, procedure_record
from tests.catalog.test_admin_pages import CODE as EDITED_CODE
from tests.catalog.test_admin_pages import edit_data

STAT = re.compile(r'<div class="stat">([\d.]+)</div>\s*<div>(?:<a href="/thu-tuc\?level=(\w+)">)?')
FIELD = re.compile(r'<a href="/thu-tuc\?field=([^"]+)">[^<]*</a> <span class="muted">\((\d+)\)</span>')


def figures(html: str) -> dict[str, int]:
    """{"in_force": …, "province": …, "district": …, "commune": …, "field:<code>": …}."""
    found: dict[str, int] = {}
    for number, level in STAT.findall(html):
        found[level or "in_force"] = int(number.replace(".", ""))
    for code, count in FIELD.findall(html):
        found[f"field:{code}"] = int(count)
    return found


def test_home_shows_the_seeded_figures(client):
    seen = figures(client.get("/").text)
    assert seen["in_force"] == 1680
    # by the levels implementing them today: none at district level since 01/07/2025; a
    # procedure at province and commune level counts at both
    assert seen["district"] == 0
    assert seen["province"] + seen["commune"] >= 1680
    assert seen["field:dat-dai"] > 0
    assert not [key for key, n in seen.items() if key.startswith("field:") and n == 0]


def test_home_figures_follow_an_import_at_once(client, make_user, bearer):
    before = figures(client.get("/").text)
    record = {"code": "LSN-MOI-HOME", "name": "Thủ tục mới trên trang chủ", "level": "commune",
              "field_code": "dat-dai"}
    created = client.post(
        "/api/v1/procedures/import",
        files={"file": ("x.json", json.dumps([record]).encode())},
        headers=bearer(make_user("qt-home", Role.province_admin)),
    )
    assert created.status_code == 200 and created.json()["created"] == 1, created.text
    after = figures(client.get("/").text)
    assert after["in_force"] == before["in_force"] + 1
    assert after["commune"] == before["commune"] + 1
    assert after["province"] == before["province"] and after["district"] == before["district"]
    assert after["field:dat-dai"] == before["field:dat-dai"] + 1


def test_home_figures_follow_an_administrator_edit_at_once(client, db, make_user, login):
    procedure = get_procedure_by_code(db, EDITED_CODE, full=True)
    old_field, old_level = f"field:{procedure.field.code}", procedure.level
    before = figures(client.get("/").text)
    make_user("qt-home2", Role.province_admin)
    login("qt-home2")
    form = client.get(f"/quan-tri/thu-tuc/{EDITED_CODE}/sua")
    response = client.post(
        f"/quan-tri/thu-tuc/{EDITED_CODE}/sua",
        data=edit_data(form.text, status="abolished", field_code="dat-dai"),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:2000]
    after = figures(client.get("/").text)  # the officer sees the same content
    assert after["in_force"] == before["in_force"] - 1
    assert after[old_level] == before[old_level] - 1
    assert after["field:dat-dai"] == before["field:dat-dai"] + 1  # fields count every status
    assert after.get(old_field, 0) == before[old_field] - 1


def test_home_figures_follow_a_write_outside_the_web_app(client, db, make_user):
    """A write in another unit of work, outside any request (as a script would do), is seen
    by the next page view: nothing has to tell the cache, the signature query notices."""
    admin = make_user("qt-home3", Role.province_admin)
    before = figures(client.get("/").text)
    record = procedure_record(get_procedure_by_code(db, EDITED_CODE, full=True))
    record["status"] = "abolished"
    result = transfer.import_records(db, [record], user=admin, decision_number="1/QĐ-UBND")
    assert result.updated == 1
    db.commit()
    assert figures(client.get("/").text)["in_force"] == before["in_force"] - 1


def selects(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


def test_home_page_runs_one_query(client, db, make_user, statements):
    """Once the catalogue is cached, a citizen's home page costs the signature query alone
    (no GROUP BY over the catalogue); after a change, one load and then one query again."""
    client.get("/")  # the index may have been built by another test's catalogue state
    statements.clear()
    assert client.get("/").status_code == 200
    assert selects(statements) == [_SIGNATURE_SQL]

    record = procedure_record(get_procedure_by_code(db, EDITED_CODE, full=True))
    record["name"] = "Chứng thực chữ ký (đổi tên)"
    admin = make_user("qt-home4", Role.province_admin)
    transfer.import_records(db, [record], user=admin, decision_number="2/QĐ-UBND")
    db.commit()
    statements.clear()
    assert client.get("/").status_code == 200
    assert len(selects(statements)) > 1  # the index is built again for the new state
    statements.clear()
    assert client.get("/").status_code == 200
    assert selects(statements) == [_SIGNATURE_SQL]


def test_officer_home_page_adds_one_query_for_the_header(client, make_user, login, statements):
    """Staff get the same page with their name and the staff links; the layout's user
    (CurrentUserMiddleware) is one query with the role rows, not three."""
    make_user("tiepnhan-home", Role.counter_officer)
    login("tiepnhan-home")
    client.get("/")
    statements.clear()
    page = client.get("/")
    assert page.status_code == 200
    assert "Cán bộ tiepnhan-home" in page.text and 'href="/quay"' in page.text
    queries = selects(statements)
    assert len(queries) == 2 and _SIGNATURE_SQL in queries
    assert "user_roles" in next(q for q in queries if q != _SIGNATURE_SQL)
