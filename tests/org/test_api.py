"""JSON API of the organisation: filters, pagination, detail, units, bad input."""


def test_agencies_search_without_accents(client):
    r = client.get("/api/v1/agencies", params={"q": "so tu phap"})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] >= 1 and body["items"][0]["name"] == "Sở Tư pháp"
    item = body["items"][0]
    assert item["code"] == "000.00.04.H37" and item["parent"] == {"code": "000.00.00.H37", "name": "UBND tỉnh Lạng Sơn"}
    assert item["current"] is True and item["code_provisional"] is True


def test_agencies_default_to_current_and_paginate(client):
    r = client.get("/api/v1/agencies", params={"kind": "commune_committee", "page_size": 20, "page": 4})
    body = r.json()
    assert (body["total"], body["page"], body["page_size"], len(body["items"])) == (65, 4, 20, 5)
    r = client.get("/api/v1/agencies", params={"kind": "commune_committee", "include_historical": "true"})
    assert r.json()["total"] == 65 + 194


def test_agencies_filter_by_level_and_parent(client):
    r = client.get("/api/v1/agencies", params={"level": "district", "include_historical": True, "page_size": 200})
    body = r.json()
    assert body["total"] == 11 + 11 * 10 + 10 * 3 + 2
    assert all(i["dissolved_on"] == "2025-07-01" and i["current"] is False for i in body["items"])
    # the sub-departments of Sở NN&PTNT moved to Sở Nông nghiệp và Môi trường on 01/03/2025
    assert client.get("/api/v1/agencies", params={"parent_code": "000.00.08.H37"}).json()["items"] == []
    successor = client.get("/api/v1/agencies", params={"q": "Sở Nông nghiệp và Môi trường"}).json()["items"][0]
    r = client.get("/api/v1/agencies", params={"parent_code": successor["code"], "include_historical": True})
    names = {i["name"] for i in r.json()["items"]}
    assert "Chi cục Kiểm lâm" in names and "Chi cục Thú y" in names


def test_dissolved_agency_detail_points_to_successor(client):
    r = client.get("/api/v1/agencies", params={"q": "LĐTBXH", "include_historical": True})
    ldtbxh = r.json()["items"][0]
    assert ldtbxh["name"] == "Sở Lao động - Thương binh và Xã hội"
    detail = client.get(f"/api/v1/agencies/{ldtbxh['code']}").json()
    assert detail["dissolved_on"] == "2025-03-01"
    assert detail["successor"]["name"] == "Sở Nội vụ"
    assert detail["current_successor"]["name"] == "Sở Nội vụ"
    assert "Sở LĐTBXH" in detail["aliases"]
    # its units moved with their work: social evils to Sở Y tế, vocational education to Sở GD&ĐT
    assert detail["children"] == []


def test_units(client):
    r = client.get("/api/v1/units", params={"kind": "ward"})
    assert r.json()["total"] == 4
    r = client.get("/api/v1/units", params={"kind": "district", "include_historical": True})
    body = r.json()
    assert body["total"] == 11 and body["items"][0]["valid_to"] == "2025-06-30"
    r = client.get("/api/v1/units", params={"parent_code": "183", "include_historical": True})
    assert r.json()["total"] == 22


def test_bad_input_is_a_vietnamese_problem_not_a_500(client):
    r = client.get("/api/v1/agencies", params={"level": "tinh"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["title"].startswith("Dữ liệu không hợp lệ")
    for params in [{"page": 0}, {"page_size": 1000}, {"kind": "x"}]:
        assert client.get("/api/v1/agencies", params=params).status_code == 422
    r = client.get("/api/v1/agencies", params={"q": "'%_", "parent_code": "%"})
    assert r.status_code == 404 and r.json()["title"].startswith("Không tìm thấy cơ quan có mã")
    r = client.get("/api/v1/agencies", params={"q": "\x00'%_", "parent_code": "\x00"})
    assert r.status_code == 422 and "ký tự điều khiển" in r.json()["title"]
    r = client.get("/api/v1/agencies/khong-co")
    assert r.status_code == 404
    assert r.json()["title"] == "Không tìm thấy cơ quan có mã “khong-co”."
    r = client.get("/api/v1/units", params={"parent_code": "abc"})
    assert r.status_code == 422 and "không hợp lệ" in r.json()["title"]
