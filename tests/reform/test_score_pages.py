"""Reform index pages: a unit scores itself (points typed 1,5), a refused score keeps what was typed,
the ranking page."""

from decimal import Decimal

from motcua.reform import scoring
from tests.html_forms import csrf_from, form_fields, shown_errors, signed_in
from tests.reform.test_scoring import _sheet


def test_a_unit_scores_itself_on_the_page(client, db, people, agencies):
    sheet = _sheet(db, people["council"])
    db.commit()
    signed_in(client, "t_stp")
    url = f"/quan-tri/cai-cach/chi-so/{sheet.id}"
    page = client.get(url, params={"don_vi": agencies.justice.code})
    assert page.status_code == 200 and "Chấm điểm: " + agencies.justice.name in page.text
    token = csrf_from(page.text)
    base = {"csrf_token": token, "agency_code": agencies.justice.code}
    refused = client.post(f"{url}/tu-cham", data=base | {"item_code": "1.2", "points": "2,5", "note": "Đủ 4 báo cáo"})
    assert refused.status_code == 422
    assert shown_errors(refused.text)[0] == {"points": "Tối đa 1,5 điểm."}
    kept = form_fields(refused.text, f"{url}/tu-cham")
    assert (kept["item_code"], kept["points"], kept["note"]) == ("1.2", "2,5", "Đủ 4 báo cáo")
    saved = client.post(f"{url}/tu-cham", data=base | {"item_code": "1.2", "points": "1,5"}, follow_redirects=False)
    assert saved.status_code == 303
    row = next(iter(scoring.unit_rows(db, sheet, agencies.justice).values()))
    assert row.self_points == Decimal("1.50")
    ranking = client.get(f"{url}/xep-hang")
    assert ranking.status_code == 200 and "Chưa thẩm định xong" in ranking.text and "1,5" in ranking.text


def test_the_council_adds_an_item_measured_by_the_system(client, db, people):
    sheet = scoring.create_sheet(db, people["council"], scoring.SheetIn(year=2026, name="Bộ chỉ số đang soạn",
                                                                        basis="Kiểm thử"))
    db.commit()
    signed_in(client, "t_snv")
    url = f"/quan-tri/cai-cach/chi-so/{sheet.id}"
    token = csrf_from(client.get(url).text)
    item = {"csrf_token": token, "code": "1", "title": "Tỷ lệ hồ sơ đúng hạn", "max_points": "2,5",
            "source": "on_time_share"}
    both = client.post(f"{url}/muc", data=item | {"from_survey": "1"})
    assert both.status_code == 422 and "Một mục chỉ lấy điểm từ khảo sát hoặc từ số liệu của hệ thống" in both.text
    assert form_fields(both.text, f"{url}/muc")["source"] == "on_time_share"
    assert client.post(f"{url}/muc", data=item, follow_redirects=False).status_code == 303
    [saved] = scoring.items_of(db, sheet)
    assert (saved.code, saved.max_points, saved.source, saved.from_survey) == ("1", Decimal("2.50"), "on_time_share",
                                                                             False)
    page = client.get(url)
    assert "(điểm từ số liệu hệ thống: Tỷ lệ hồ sơ giải quyết đúng hạn (%))" in page.text
