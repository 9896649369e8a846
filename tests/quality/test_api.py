"""The quality API: the public register of units (paged, with total; group and year of
appendix II), one unit, documents with their versions (signed in, role-checked), the roadmap."""

from motcua.org.appendix import load_appendix_ii
from tests import factories


def test_units_are_paged_with_total_and_the_plan_rows_match_the_seed(client):
    first = client.get("/api/v1/quality/units", params={"page_size": 50})
    assert first.status_code == 200
    body = first.json()
    assert (body["total"], body["page"], len(body["items"])) == (121, 1, 50)
    assert body["items"][0] == body["items"][0] | {
        "agency_code": "000.00.01.H37", "name": "Văn phòng UBND tỉnh Lạng Sơn", "standard": "iso_9001_2008",
        "stage": "maintain", "plan_group": "I", "plan_year": 2018, "plan_row": "I.1",
    }
    items = []
    for page in (1, 2, 3):
        items += client.get("/api/v1/quality/units", params={"page_size": 50, "page": page}).json()["items"]
    assert len(items) == 121
    served = {(i["plan_row"], i["plan_group"], i["plan_year"]) for i in items if i["plan_row"]}
    assert served == {(u.row, u.group_numeral, u.year) for u in load_appendix_ii()}
    assert [i["plan_group"] for i in items if i["plan_row"] is None] == [None, None]
    group_vi = client.get("/api/v1/quality/units", params={"plan_group": "VI", "page_size": 200}).json()
    assert group_vi["total"] == 23 and {i["plan_year"] for i in group_vi["items"]} <= {2018, 2019, 2020}
    assert client.get("/api/v1/quality/units", params={"plan_group": "VII"}).status_code == 422


def test_one_unit_and_its_handover(client):
    old = client.get("/api/v1/quality/units/000.00.11.H37").json()
    assert (old["plan_group"], old["plan_year"], old["current"], old["handed_over_to"]) == ("I", 2018, False, "000.00.23.H37")
    assert [h["kind"] for h in old["history"]] == ["created", "handed_over"]
    missing = client.get("/api/v1/quality/units/000.00.00.X99")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"


def test_documents_through_the_api(client, db, people, agencies):
    unit_url = f"/api/v1/quality/units/{agencies.justice.code}"
    assert client.get(f"{unit_url}/documents").status_code == 401
    secretary, head = factories.bearer(db, people.secretary), factories.bearer(db, people.head)
    other = factories.bearer(db, people.other_secretary)
    department = factories.bearer(db, people.department)
    db.commit()
    created = client.post(f"{unit_url}/documents", headers=secretary,
                          json={"kind": "policy", "code": "CSCL", "title": "Chính sách chất lượng"})
    assert created.status_code == 201, created.text
    doc = created.json()
    assert client.post(f"{unit_url}/documents", headers=other, json={"kind": "form", "code": "BM", "title": "X"}).status_code == 403
    url = f"/api/v1/quality/documents/{doc['id']}"
    drafted = client.post(f"{url}/versions", headers=secretary, json={"content": "Cam kết", "distribution": ["Lãnh đạo Sở"]})
    assert drafted.status_code == 201 and drafted.json()["versions"][0]["status"] == "draft"
    assert client.post(f"{url}/approve", headers=secretary, json={"effective_from": "2026-01-05"}).status_code == 403
    approved = client.post(f"{url}/approve", headers=head, json={"effective_from": "2026-01-05"})
    assert approved.status_code == 200 and approved.json()["in_force"] == 1
    seen = client.get(f"{unit_url}/documents", headers=department).json()
    assert [(d["code"], d["kind_label"], [v["status"] for v in d["versions"]]) for d in seen] == [
        ("CSCL", "Chính sách chất lượng", ["approved"])
    ]
    assert client.get(url, headers=other).status_code == 403
    refused = client.post(f"{unit_url}/stage", headers=secretary, json={"stage": "build"})
    assert refused.status_code == 409 and "Duy trì, cải tiến" in refused.json()["title"]


def test_roadmap(client):
    body = client.get("/api/v1/quality/roadmap").json()
    assert [(y["year"], y["planned_units"], y["communes_target"], y["communes_share_target"]) for y in body["years"]] == [
        (2018, 33, 50, None), (2019, 45, 42, None), (2020, 41, None, 70),
    ]
    assert len(body["activities"]) == 7


def test_details_scope_and_roadmap_through_the_api(client, db, people, agencies):
    unit_url = f"/api/v1/quality/units/{agencies.justice.code}"
    secretary, department = factories.bearer(db, people.secretary), factories.bearer(db, people.department)
    db.commit()
    details = client.post(f"{unit_url}/details", headers=secretary, json={
        "consultant": "Công ty Tư vấn ISO Lạng Sơn", "budget_vnd": 30_000_000, "leader_name": "Phó Giám đốc Sở",
        "secretary_username": "tk.tuphap"})
    assert details.status_code == 200, details.text
    assert (details.json()["consultant"], details.json()["budget_vnd"]) == ("Công ty Tư vấn ISO Lạng Sơn", 30_000_000)
    wrong = client.post(f"{unit_url}/details", headers=secretary, json={"secretary_username": "ld.tuphap"})
    assert wrong.status_code == 422 and "giữ vai trò Thư ký ISO tại đơn vị" in wrong.json()["title"]
    gaps = len(details.json()["gaps"])
    assert gaps > 0 and details.json()["covered"] == []
    unknown = client.post(f"{unit_url}/scope", headers=secretary, json={"procedure_codes": ["KHONG-CO"]})
    assert unknown.status_code == 422
    covered = client.post(f"{unit_url}/scope", headers=secretary, json={"all_gaps": True}).json()
    assert (len(covered["covered"]), covered["gaps"]) == (gaps, [])
    assert client.post("/api/v1/quality/roadmap/I.1/done", headers=secretary, json={"on": "2018-06-20"}).status_code == 403
    done = client.post("/api/v1/quality/roadmap/I.1/done", headers=department, json={"on": "2018-06-20"})
    assert done.status_code == 200 and done.json()["done_on"] == "2018-06-20"
