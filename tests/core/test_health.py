def test_health_check_answers_on_each_backend(client, engine):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unknown_api_path_gets_vietnamese_problem_json(client):
    response = client.get("/api/v1/khong-co")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["title"] == "Không tìm thấy trang hoặc tài nguyên yêu cầu."


def test_unknown_page_gets_vietnamese_html(client):
    response = client.get("/khong-co-trang-nay", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "Không tìm thấy" in response.text
