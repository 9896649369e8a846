"""The statistics API: figures, the total row, scope, Vietnamese 422s, OpenAPI."""

from __future__ import annotations

from motcua.core.clock import frozen
from motcua.reports.counting import COLUMNS
from tests import factories
from tests.reports.conftest import LOOK_AT

URL = "/api/v1/reports/statistics"


def get(client, headers, **params):
    with frozen(LOOK_AT):
        return client.get(URL, params=params, headers=headers)


def test_statistics_by_agency_and_total(client, db, history):
    headers = factories.bearer(db, history.viewer)
    response = get(client, headers, **{"from": "2027-06-01", "to": "2027-06-30", "group_by": "agency"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["from"] == "2027-06-01" and body["to"] == "2027-06-30" and body["group_by"] == "agency"
    [row] = body["rows"]
    assert (row["code"], row["name"]) == (history.world.dept.code, history.world.dept.name)
    expected = {"carried_over": 1, "received": 9, "finished_early": 2, "finished_on_time": 2, "finished_late": 1,
                "withdrawn": 1, "refused": 1, "in_progress": 1, "overdue": 1, "waiting_applicant": 1}
    assert {k: row[k] for k in expected} == expected
    assert all(isinstance(row[c.value], int) for c in COLUMNS)
    assert body["total"]["name"] == "Tổng cộng"
    assert {k: body["total"][k] for k in expected} == expected
    assert row["online_share"] == 0.0


def test_every_grouping_answers_with_a_total_equal_to_the_rows(client, db, history):
    headers = factories.bearer(db, history.viewer)
    for group_by in ("agency", "receiving_unit", "field", "procedure", "channel", "officer"):
        body = get(client, headers, **{"from": "2027-06-01", "to": "2027-06-30", "group_by": group_by}).json()
        for column in COLUMNS:
            assert body["total"][column.value] == sum(r[column.value] for r in body["rows"]), (group_by, column)
        assert body["total"]["received"] == 9


def test_bad_parameters_are_refused_in_vietnamese(client, db, history):
    headers = factories.bearer(db, history.viewer)
    cases = [
        {"from": "2027-06-31", "to": "2027-06-30"},
        {"from": "2027-06-01"},
        {"from": "2027-06-30", "to": "2027-06-01"},
        {"from": "2027-06-01", "to": "2027-06-30", "group_by": "district"},
        {"from": "1999-01-01", "to": "2027-06-30"},
    ]
    for params in cases:
        response = get(client, headers, **params)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        body = response.json()
        detail = " ".join([body["title"], str(body.get("detail", "")), *(e["message"] for e in body.get("errors", []))])
        assert any(ch in detail for ch in "ạảãàáâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữ"), (params, detail)
    refused = get(client, headers, **cases[2]).json()
    assert "sau hoặc bằng ngày bắt đầu" in refused["title"] + str(refused.get("detail", ""))


def test_anonymous_is_refused(client, history):
    assert get(client, {}, **{"from": "2027-06-01", "to": "2027-06-30"}).status_code == 401


def test_openapi_documents_the_response(client):
    spec = client.get("/openapi.json").json()
    op = spec["paths"][URL]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"from", "to", "group_by"}
    schema = spec["components"]["schemas"]["StatisticsRow"]
    assert set(schema["properties"]) >= {"code", "name", *(c.value for c in COLUMNS)}
