"""JSON API: /api/v1/procedures (filters, total, pagination), /procedures/{code}, /fields."""

from motcua.org import service as org_service


def test_list_searches_without_diacritics_and_counts(client):
    body = client.get(
        "/api/v1/procedures", params={"q": "dang ky khai sinh", "page_size": 5}
    ).json()
    assert body["items"][0]["name"] == "Đăng ký khai sinh"
    assert body["page"] == 1 and body["page_size"] == 5 and len(body["items"]) == 5
    assert body["total"] == 9 and body["approximate"] == []


def test_list_offers_approximate_matches_apart(client):
    body = client.get("/api/v1/procedures", params={"q": "dang ky khai sinh be gai"}).json()
    assert (body["total"], body["items"]) == (0, [])
    assert body["approximate"][0]["name"] == "Đăng ký khai sinh"


def test_pagination_is_consistent_with_total(client):
    # the level filter follows the applications current today: the district procedures moved
    # to the commune committees on 01/07/2025 (four to provincial bodies, as their national records
    # say), so "district" finds none and "commune" 303
    assert client.get("/api/v1/procedures", params={"level": "district"}).json()["total"] == 0
    pages = [
        client.get("/api/v1/procedures", params={"level": "commune", "page_size": 100, "page": n}).json()
        for n in (1, 2, 3, 4)
    ]
    assert pages[0]["total"] == 303
    codes = [i["code"] for page in pages for i in page["items"]]
    assert len(codes) == len(set(codes)) == 303
    assert all("commune" in i["levels"] for page in pages for i in page["items"])


def test_filter_by_field_and_agency(client, db):
    fields = client.get("/api/v1/fields").json()
    land = next(f for f in fields if f["code"] == "dat-dai")
    body = client.get("/api/v1/procedures", params={"field": "dat-dai", "page_size": 100}).json()
    assert body["total"] == land["procedure_count"] == len(body["items"])
    assert {i["field"]["code"] for i in body["items"]} == {"dat-dai"}

    commune = org_service.list_commune_committees(db, include_historical=False)[0]
    at_commune = client.get(
        "/api/v1/procedures", params={"agency": commune.code, "page_size": 100}
    ).json()
    # the procedures of the seed's commune rows and those of its district rows (moved to
    # the commune committees on 01/07/2025), 303 in all
    assert at_commune["total"] == 303
    assert all("commune" in i["levels"] for i in at_commune["items"])
    combined = client.get(
        "/api/v1/procedures", params={"agency": commune.code, "q": "khai sinh"}
    ).json()
    assert combined["items"][0]["name"] == "Đăng ký khai sinh"
    assert combined["total"] < at_commune["total"]


def test_detail_lists_agencies_and_versions(client):
    body = client.get("/api/v1/procedures/T-LSN-285814-TT").json()
    assert body["code"] == "T-LSN-285814-TT"
    # Sở Nội vụ, the 11 district committees until 30/06/2025, the 65 commune committees since
    assert len(body["agencies"]) == 77
    assert body["levels"] == ["commune", "province"]
    ended = [a for a in body["agencies"] if a["valid_to"] == "2025-06-30"]
    assert len(ended) == 11 and {a["level"] for a in ended} == {"district"}
    assert body["versions"][0]["decision_number"] == "517/QĐ-UBND"
    assert body["components"] == [] and body["fees"] == []
    spaced = client.get("/api/v1/procedures/%20T-LSN-%20285814-TT")
    assert spaced.status_code == 200 and spaced.json()["code"] == "T-LSN-285814-TT"


def test_unknown_code_is_a_vietnamese_problem(client):
    response = client.get("/api/v1/procedures/KHONG-CO-MA")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Không tìm thấy thủ tục hành chính có mã “KHONG-CO-MA”."


def test_bad_filters_are_422_in_vietnamese(client):
    for params, needle in [
        ({"level": "tinh"}, "level"),
        ({"online_level": "x"}, "online_level"),
        ({"page_size": 101}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": "abc"}, "page"),
        ({"agency": "999.99.99.H37"}, "cơ quan"),
        ({"field": "khong-co"}, "lĩnh vực"),
        ({"agency": "a\x00b"}, "ký tự điều khiển không hợp lệ ở: agency"),
    ]:
        response = client.get("/api/v1/procedures", params=params)
        assert response.status_code == 422, params
        assert response.headers["content-type"] == "application/problem+json"
        assert needle in response.json()["title"], response.json()


def test_odd_queries_never_fail(client):
    for q in ["%", "_", "'", "đ" * 200, "(((", "LSN-TT-"]:
        response = client.get("/api/v1/procedures", params={"q": q})
        assert response.status_code == 200, q
    assert client.get("/api/v1/procedures", params={"q": "x" * 201}).status_code == 422
    # Control characters are refused at the boundary, in the query and in the path alike.
    for response in (client.get("/api/v1/procedures", params={"q": "\x00"}), client.get("/api/v1/procedures/%00")):
        assert response.status_code == 422
        assert response.json()["title"].startswith("Dữ liệu chứa ký tự điều khiển không hợp lệ")


def test_openapi_documents_the_catalogue(client):
    spec = client.get("/openapi.json").json()
    assert spec["paths"]["/api/v1/procedures"]["get"]["summary"] == "Tra cứu thủ tục hành chính"
    assert "/api/v1/procedures/{code}" in spec["paths"]
    assert "/api/v1/fields" in spec["paths"]
    assert "/api/v1/procedures/import" in spec["paths"]
