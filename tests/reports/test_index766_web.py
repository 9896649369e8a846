"""The 766 API and page over the June history: figures, scope, Vietnamese 422s, OpenAPI, and
the points-at-risk list linking each dossier."""

from __future__ import annotations

import re

from motcua.core.clock import frozen
from motcua.reports.index766 import METRICS, PROGRESS, REASONS
from tests import factories
from tests.html_forms import signed_in
from tests.reports.conftest import LOOK_AT

URL = "/api/v1/reports/766"
JUNE = {"from": "2027-06-01", "to": "2027-06-30"}
VIETNAMESE = "ạảãàáâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữ"


def get(client, headers, **params):
    with frozen(LOOK_AT):
        return client.get(URL, params=params, headers=headers)


def test_the_api_scores_an_agency_and_refuses_bad_parameters_in_vietnamese(client, db, history):
    w = history.world
    headers = factories.bearer(db, history.viewer)
    response = get(client, headers, **JUNE, agency=w.dept.code)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["from"], body["to"]) == ("2027-06-01", "2027-06-30")
    [score] = body["scores"]
    assert (score["agency_code"], score["agency_name"], score["maximum"]) == (w.dept.code, w.dept.name, 100)
    assert [(i["code"], i["part"]) for i in score["indicators"]] == [(m.code, m.part) for m in METRICS]
    progress = next(i for i in score["indicators"] if i["code"] == PROGRESS)
    assert {k: progress[k] for k in ("numerator", "denominator", "value", "points", "maximum", "reason")} == {
        "numerator": 4, "denominator": 6, "value": 66.67, "points": 13.33, "maximum": 20, "reason": None}
    reuse = next(i for i in score["indicators"] if i["code"] == "REUSED_DIGITIZED_DATA")
    assert reuse["points"] is None and reuse["reason"]
    # Without an agency: every agency in scope with dossiers in the period (here the department only).
    assert [s["agency_code"] for s in get(client, headers, **JUNE).json()["scores"]] == [w.dept.code]
    # Per procedure.
    one = get(client, headers, **JUNE, agency=w.dept.code, procedure=w.p_cross.code).json()["scores"][0]
    assert next(i for i in one["indicators"] if i["code"] == PROGRESS)["denominator"] == 1

    # The commune's officer may not read the department's score; unknown codes and bad dates are 422.
    commune = factories.bearer(db, w.counter_commune)
    assert get(client, commune, **JUNE, agency=w.dept.code).status_code == 403
    assert get(client, commune, **JUNE).json()["scores"] == []
    for params in ({"from": "2027-06-31", "to": "2027-06-30"}, {"from": "2027-06-01"},
                   {"from": "2027-06-30", "to": "2027-06-01"}, JUNE | {"agency": "KHONG-CO"},
                   JUNE | {"procedure": "KHONG-CO"}, JUNE | {"agency": "x" * 21}):
        refused = get(client, headers, **params)
        assert refused.status_code == 422, (params, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        problem = refused.json()
        text = " ".join([problem["title"], str(problem.get("detail", "")),
                         *(e["message"] for e in problem.get("errors", []))])
        assert any(ch in text for ch in VIETNAMESE), (params, text)
    assert get(client, {}, **JUNE).status_code == 401


def test_openapi_documents_the_766_response(client):
    spec = client.get("/openapi.json").json()
    op = spec["paths"][URL]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"from", "to", "agency", "procedure"}
    indicator = spec["components"]["schemas"]["IndicatorOut"]
    assert set(indicator["properties"]) >= {"code", "value", "points", "maximum", "reason"}


def test_the_page_lists_the_indicators_and_the_dossiers_losing_points(client, history):
    d = history.d
    signed_in(client, "t_thongke")
    with frozen(LOOK_AT):
        page = client.get("/bao-cao/chi-so-766?ky=custom&tu_ngay=01/06/2027&den_ngay=30/06/2027")
    assert page.status_code == 200, page.text
    text = page.text
    assert f'data-agency="{history.world.dept.code}"' in text
    assert text.count("<tr data-code=") == len(METRICS)
    assert re.search(rf'<tr data-code="{PROGRESS}">.*?data-points>13,33<', text, re.S)
    rows = dict(re.findall(r'<tr data-dossier="([^"]+)" data-reasons="([^"]*)">', text))
    assert rows[d["overdue"].code] == "overdue not_synced"
    assert rows[d["carried"].code] == "no_e_result unrated"
    assert f'<a href="/ho-so/{d["overdue"].id}">{d["overdue"].code}</a>' in text
    assert REASONS["overdue"] in text and REASONS["not_synced"] in text
    with frozen(LOOK_AT):
        bad = client.get("/bao-cao/chi-so-766?ky=custom&tu_ngay=31/06/2027&den_ngay=30/06/2027")
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    assert 'value="31/06/2027"' in bad.text  # the pickers keep what was typed
