"""`GET /api/v1/reports/statistics/dossiers`: the dossiers behind each figure, as JSON — for
every cell of every grouping, exactly as many as the figure; each item's fields; errors."""

from __future__ import annotations

from datetime import datetime

from motcua.auth.roles import ROLE_LABELS, Role
from motcua.core.clock import frozen
from motcua.dossiers.enums import STATUS_LABELS
from motcua.reports.counting import COLUMNS
from tests import factories
from tests.reports.conftest import LOOK_AT

STATS, BEHIND = "/api/v1/reports/statistics", "/api/v1/reports/statistics/dossiers"
JUNE = {"from": "2027-06-01", "to": "2027-06-30"}


def get(client, headers, url, **params):
    with frozen(LOOK_AT):
        return client.get(url, params=params, headers=headers)


def listed(client, headers, **params) -> tuple[int, list[dict]]:
    """The cell's total and every item over all its pages (3 a page: paging is exercised)."""
    items, page = [], 1
    while True:
        response = get(client, headers, BEHIND, page=page, page_size=3, **params)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        if page >= body["pages"]:
            return body["total"], items
        page += 1


def test_every_cell_of_every_grouping_lists_exactly_its_figure(client, db, history):
    headers = factories.bearer(db, history.viewer)
    cells = nonzero = 0
    for group_by in ("agency", "receiving_unit", "field", "procedure", "channel", "officer"):
        table = get(client, headers, STATS, group_by=group_by, **JUNE).json()
        for row in [*table["rows"], table["total"]]:
            for column in COLUMNS:
                figure = row[column.value]
                total, items = listed(client, headers, group_by=group_by, key=row["key"], column=column.value, **JUNE)
                assert total == figure == len(items) == len({i["id"] for i in items}), (group_by, row["key"], column)
                cells += 1
                nonzero += figure > 0
    assert nonzero >= 60 and cells >= 6 * 2 * len(COLUMNS)


def test_each_item_names_its_dossier_deadline_status_and_holder(client, db, history):
    headers = factories.bearer(db, history.viewer)
    w, d = history.world, history.d
    response = get(client, headers, BEHIND, group_by="agency", key=str(w.dept.id), column="overdue", **JUNE)
    body = response.json()
    assert (body["from"], body["to"], body["group_by"], body["column"], body["total"], body["pages"]) == (
        "2027-06-01", "2027-06-30", "agency", "overdue", 1, 1)
    assert body["group_name"] == f"{w.dept.name} ({w.dept.code})"
    assert body["column_label"] == "Đang giải quyết, quá hạn"
    [item] = body["items"]
    overdue = d["overdue"]
    assert (item["id"], item["code"], item["procedure_code"], item["procedure"]) == (
        str(overdue.id), overdue.code, w.p_dept.code, w.p_dept.name)
    assert datetime.fromisoformat(item["received_at"]) == overdue.received_at
    assert datetime.fromisoformat(item["deadline"]) == overdue.due_at
    assert item["received_at"].endswith("+07:00")
    # Forwarded by the head without naming a handler: at the department's appraisal, any specialist.
    assert (item["status"], item["status_label"]) == ("processing", STATUS_LABELS["processing"])
    assert item["holder"] == {"unit_code": w.dept.code, "unit_name": w.dept.name, "role": "specialist",
                              "role_label": ROLE_LABELS[Role.specialist], "assignee": None}
    # A withdrawn dossier is held by nobody.
    [withdrawn] = get(client, headers, BEHIND, column="withdrawn", **JUNE).json()["items"]
    assert (withdrawn["code"], withdrawn["status"], withdrawn["holder"]) == (d["withdrawn"].code, "withdrawn", None)
    # The total row of "received": the nine June receipts, in order of receipt.
    received = get(client, headers, BEHIND, column="received", page_size=100, **JUNE).json()
    assert received["total"] == 9 and received["group_name"] == "Tổng cộng"
    assert [i["received_at"] for i in received["items"]] == sorted(i["received_at"] for i in received["items"])


def test_bad_parameters_are_refused_in_vietnamese_and_outsiders_see_nothing(client, db, history):
    headers = factories.bearer(db, history.viewer)
    for params in ({"column": "lost"}, {"column": "received", "key": "not-a-key"},
                   {"column": "received", "page_size": 101}, {"column": "received", "group_by": "district"},
                   {"column": "received", "to": "2027-05-01"}):
        response = get(client, headers, BEHIND, **(JUNE | params))
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        body = response.json()
        text = " ".join([body["title"], str(body.get("detail", "")), *(e["message"] for e in body.get("errors", []))])
        assert any(ch in text for ch in "ạảãàáâấầậăắằặđêếềệôốồộơớờợưứừựíìịýỳóòọúùụ"), (params, text)
    assert get(client, {}, BEHIND, column="received", **JUNE).status_code == 401
    # An officer of another commune counts none of these dossiers, and lists none.
    outsider = factories.bearer(db, history.world.outsider)
    body = get(client, outsider, BEHIND, column="received", **JUNE).json()
    assert (body["total"], body["items"]) == (0, [])


def test_documented_in_openapi(client):
    spec = client.get("/openapi.json").json()
    operation = spec["paths"][BEHIND]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"from", "to", "group_by", "key", "column", "page",
                                                           "page_size", "holder", "holder_unit"}
    schema = spec["components"]["schemas"]["BehindItem"]
    assert set(schema["properties"]) >= {"code", "procedure", "received_at", "deadline", "status", "holder"}
    assert "Danh sách hồ sơ" in operation["summary"]
