"""Public catalogue pages: home, list with filters, detail; bad input never a 500."""


def test_home_has_search_counts_and_fields(client):
    html = client.get("/").text
    assert 'action="/thu-tuc"' in html and 'name="q"' in html
    assert "1.680" in html  # procedures in force
    assert "/thu-tuc?level=commune" in html
    assert "/thu-tuc?field=dat-dai" in html
    for link in ('href="/thu-tuc"', 'href="/co-quan"', 'href="/tinh-han"'):
        assert link in html


def test_list_searches_without_diacritics(client):
    response = client.get("/thu-tuc", params={"q": "dang ky khai sinh"})
    assert response.status_code == 200
    html = response.text
    assert "thủ tục</strong>" not in html
    assert "khớp với “dang ky khai sinh”" in html
    first_link = html.index("Đăng ký khai sinh</a>")
    assert first_link < html.index("Đăng ký khai sinh lưu động</a>")


def test_list_shows_approximate_matches_apart(client):
    html = client.get("/thu-tuc", params={"q": "dang ky khai sinh be gai"}).text
    assert "<strong>0</strong> thủ tục" in html
    assert "Không tìm thấy thủ tục nào có đủ các từ khoá" in html
    section = html[html.index("Kết quả gần đúng") :]
    assert "Đăng ký khai sinh</a>" in section


def test_list_filters_and_pagination(client):
    html = client.get("/thu-tuc", params={"level": "commune", "page": 2}).text
    assert "<strong>303</strong> thủ tục" in html
    assert 'aria-current="page">2<' in html
    assert "/thu-tuc?level=commune&amp;page=3" in html


def test_htmx_request_gets_only_the_results(client):
    html = client.get("/thu-tuc", params={"q": "dat"}, headers={"HX-Request": "true"}).text
    assert "<html" not in html and "thủ tục" in html


def test_bad_filters_show_a_vietnamese_message(client):
    for params, message in [
        ({"level": "tinh"}, "Cấp thực hiện không hợp lệ"),
        ({"online_level": "x"}, "Mức trực tuyến không hợp lệ"),
        ({"agency": "khong-co"}, "Không có cơ quan thực hiện mã “khong-co”"),
        ({"field": "x\x00y"}, "ký tự điều khiển"),  # refused at the boundary (core.text)
        ({"page": "abc"}, "Số trang phải là số nguyên dương."),
        ({"page": "0"}, "Số trang phải từ 1"),
        ({"q": "x" * 300}, "Từ khoá tìm kiếm quá dài"),
    ]:
        response = client.get("/thu-tuc", params=params)
        assert response.status_code == 422, params
        assert message in response.text, params


def test_detail_shows_everything_known(client):
    html = client.get("/thu-tuc/T-LSN-285814-TT").text
    assert "<code>T-LSN-285814-TT</code>" in html
    assert "Sở Nội vụ" in html
    assert "UBND cấp xã, phường (65 đơn vị)" in html
    assert "Trước đây (11 lần giao đã kết thúc)" in html and "đến hết 30/06/2025" in html
    assert "517/QĐ-UBND" in html and "30/03/2020" in html
    assert "Chưa cập nhật" in html  # time limit, components, fees not in the seed
    assert "Hồ sơ nhận sau 15:00" in html


def test_detail_of_a_commune_procedure_groups_the_communes(client):
    html = client.get("/thu-tuc/TTR-LSN-4").text
    assert "UBND cấp xã, phường (" in html


def test_detail_unknown_code_is_a_vietnamese_404_page(client):
    response = client.get("/thu-tuc/KHONG-CO")
    assert response.status_code == 404
    assert "Không tìm thấy thủ tục hành chính có mã “KHONG-CO”." in response.text


def test_detail_accepts_stray_spaces(client):
    assert client.get("/thu-tuc/%20BCT-%20LSN-275407").status_code == 200


def test_page_beyond_the_last_links_back_to_the_last_page(client):
    response = client.get("/thu-tuc", params={"level": "commune", "page": 500})
    assert response.status_code == 200
    html = response.text
    assert "Không tìm thấy thủ tục phù hợp" not in html
    assert "Trang 500 không có thủ tục nào: kết quả chỉ có 16 trang (303 thủ tục)." in html
    assert 'href="/thu-tuc?level=commune&amp;page=16"' in html


def test_bad_filter_messages_use_vietnamese_labels_only(client):
    for params, message in [
        ({"level": "tinh"}, "Cấp thực hiện không hợp lệ; chọn cấp tỉnh, cấp huyện hoặc cấp xã."),
        (
            {"online_level": "x"},
            "Mức trực tuyến không hợp lệ; chọn toàn trình, một phần hoặc không trực tuyến.",
        ),
    ]:
        html = client.get("/thu-tuc", params=params).text
        assert message in html
        for english in ("(province)", "(district)", "(commune)", "(full)", "(partial)", "(none)"):
            assert english not in html
