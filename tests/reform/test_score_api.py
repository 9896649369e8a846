"""The reform index API: a sheet created and opened by the council, self and appraised scores,
the ranking as JSON, refusals as Vietnamese problem+json."""

from tests import factories
from tests.reform.test_surveys import answer, make_form

API = "/api/v1/reform"
SHEET = {"year": 2026, "name": "Bộ chỉ số CCHC các sở (kiểm thử)", "basis": "Kiểm thử", "items": [
    {"code": "1", "title": "Công tác chỉ đạo, điều hành"},
    {"code": "1.1", "title": "Kế hoạch CCHC", "max_points": "2", "evidence_required": True},
    {"code": "1.2", "title": "Báo cáo CCHC", "max_points": "1.5"},
    {"code": "2", "title": "Sự hài lòng"},
    {"code": "2.1", "title": "Chỉ số hài lòng", "max_points": "4", "from_survey": True}]}


def test_sheet_scores_and_ranking(client, db, people, agencies):
    council, justice = factories.bearer(db, people["council"]), factories.bearer(db, people["justice"])
    finance = factories.bearer(db, people["finance"])
    form = make_form(db, people["council"])
    answer(db, form, agencies.justice, [5, 5, 5, 5, 4, 1])  # 5 of 6 satisfied: 4 × 5/6 = 3.33
    db.commit()
    assert client.post(f"{API}/score-sheets", json=SHEET, headers=justice).status_code == 403
    created = client.post(f"{API}/score-sheets", json=SHEET, headers=council)
    assert created.status_code == 201, created.text
    sheet = created.json()
    assert (sheet["max_points"], sheet["survey_points"], sheet["status"]) == ("7.50", "4.00", "draft")
    assert [(i["code"], i["level"], i["max_points"], i["scored"]) for i in sheet["items"]] == [
        ("1", 1, "3.50", False), ("1.1", 2, "2.00", True), ("1.2", 2, "1.50", True), ("2", 1, "4.00", False),
        ("2.1", 2, "4.00", True)]
    url = f"{API}/score-sheets/{sheet['id']}"
    closed = client.post(f"{url}/self-scores", json={"agency_code": agencies.justice.code, "item_code": "1.2",
                                                    "points": "1"}, headers=justice)
    assert closed.status_code == 409 and closed.json()["title"] == "Bộ chỉ số không ở trạng thái chấm điểm."
    assert client.post(f"{url}/status", json={"status": "open"}, headers=council).json()["status"] == "open"

    def score(headers, agency, code, points, path="self-scores", **extra):
        return client.post(f"{url}/{path}", json={"agency_code": agency.code, "item_code": code, "points": points,
                                                  **extra}, headers=headers)

    assert score(justice, agencies.justice, "1.1", "2", evidence="Kế hoạch 12/KH-STP ngày 05/01/2026").status_code == 200
    assert score(justice, agencies.justice, "1.2", "1.5").status_code == 200
    assert score(finance, agencies.finance, "1.1", "2", evidence="KH 3").status_code == 200
    assert score(finance, agencies.finance, "1.2", "1.25").status_code == 200
    over = score(justice, agencies.justice, "1.2", "1.75")
    assert over.status_code == 422 and over.json()["title"] == "Điểm của mục 1.2 không được vượt quá 1,5."
    other = score(justice, agencies.finance, "1.2", "1")
    assert other.status_code == 403
    assert score(justice, agencies.justice, "1.1", "1", path="appraisals").status_code == 403
    appraised = score(council, agencies.justice, "1.1", "1", path="appraisals", note="Kế hoạch ban hành muộn")
    assert appraised.status_code == 200 and appraised.json()["appraised_points"] == "1.00"
    assert score(council, agencies.finance, "1.1", "2", path="appraisals").status_code == 200
    assert score(council, agencies.finance, "1.2", "1.25", path="appraisals").status_code == 200

    ranked = client.get(f"{url}/ranking", headers=justice).json()
    assert [(r["agency_name"], r["self_total"], r["appraised_total"], r["survey_total"], r["total"],
             r["appraised_complete"], r["rank"]) for r in ranked] == [
        (agencies.justice.name, "3.50", "1.00", "3.33", "5.83", False, 1),  # 1 + 1.5 + 3.33
        (agencies.finance.name, "3.25", "3.25", "0.00", "3.25", True, 2),
    ]
    scores = client.get(f"{url}/scores", params={"agency": agencies.justice.code}, headers=justice).json()
    assert [(s["item_code"], s["self_points"], s["appraised_points"]) for s in scores] == [
        ("1.1", "2.00", "1.00"), ("1.2", "1.50", None)]
    assert client.get(f"{url}/scores", params={"agency": agencies.finance.code}, headers=justice).status_code == 403


def test_survey_api_public_response_and_results(client, db, people, agencies):
    council = factories.bearer(db, people["council"])
    form = make_form(db, people["council"])
    db.commit()
    body = {"agency_code": agencies.justice.code, "answers": {"1": 5, "2": 5, "3": 4, "4": 4, "5": 5, "6": 2}}
    assert client.post(f"{API}/surveys/public/sipas-2026/responses", json=body).status_code == 201
    bad = client.post(f"{API}/surveys/public/sipas-2026/responses", json=body | {"answers": {"1": 7}})
    assert bad.status_code == 422 and "Câu 1: mức đánh giá phải từ 1 đến 5." in bad.json()["title"]
    results = client.get(f"{API}/surveys/{form.id}/results", headers=council).json()
    assert results["province"]["overall"] == {"answers": 6, "satisfied": 5, "percent": "83.3"}
    assert results["province"]["by_element"]["feedback"] == {"answers": 1, "satisfied": 0, "percent": "0.0"}
    assert results["province"]["target_met"] is False
    assert results["dossier_ratings"][0] == {"agency_id": None, "total": 0, "satisfied": 0, "share_satisfied": None}
    surveys_closed = client.post(f"{API}/surveys", json={"slug": "x", "title": "Ngắn", "year": 2026, "questions": []},
                                 headers=council)
    assert surveys_closed.status_code == 422
    form.is_open = False
    db.commit()
    refused = client.post(f"{API}/surveys/public/sipas-2026/responses", json=body)
    assert refused.status_code == 409 and "đã đóng" in refused.json()["title"]
