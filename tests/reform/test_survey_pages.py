"""Survey pages: the public form (no login; refusals in Vietnamese keeping what was typed; closed
form; rate limit), the results page with the dossier ratings beside, paper entry."""

from motcua.documents.render import qr_data_uri
from motcua.reform import surveys
from tests.html_forms import csrf_from, form_fields, shown_errors, signed_in
from tests.reform.test_surveys import answer, make_form

URL = "/khao-sat/sipas-2026"


def _post(client, data: dict, url: str = URL):
    return client.post(url, data={"csrf_token": csrf_from(client.get(url).text), **data})


def _token(client):
    return csrf_from(client.get("/dang-nhap").text)


def _good(agencies, **values) -> dict:
    return {"agency_code": agencies.justice.code, "q1": "5", "q2": "4", "q3": "4", "q4": "5", "q5": "4", "q6": "3",
            "comment": "Cán bộ hướng dẫn rất tận tình."} | values


def test_a_citizen_answers_without_login(client, db, people, agencies):
    form = make_form(db, people["council"])
    db.commit()
    page = client.get(f"{URL}?co_quan={agencies.justice.code}")
    assert page.status_code == 200 and "Thông tin về thủ tục dễ tìm?" in page.text
    assert form_fields(page.text, URL)["agency_code"] == agencies.justice.code
    done = _post(client, _good(agencies))
    assert done.status_code == 201 and "Cảm ơn quý vị đã tham gia khảo sát!" in done.text
    province = surveys.results(db, form)["province"]
    assert (province.responses, province.overall.satisfied, province.overall.answers) == (1, 5, 6)


def test_bad_input_is_refused_in_vietnamese_keeping_what_was_typed(client, db, people, agencies):
    make_form(db, people["council"])
    db.commit()
    refused = _post(client, _good(agencies, q3="", q4="9", agency_code="KHONG-CO"))
    assert refused.status_code == 422
    at_fields, summary = shown_errors(refused.text)
    assert at_fields == {"agency_code": "Chọn cơ quan đã giải quyết hồ sơ của quý vị.",
                         "q3": "Câu 3: chưa chọn mức đánh giá.", "q4": "Câu 4: mức đánh giá phải từ 1 đến 5."}
    kept = form_fields(refused.text, URL)
    assert (kept["q1"], kept["q2"], kept["q6"], kept["comment"]) == ("5", "4", "3", "Cán bộ hướng dẫn rất tận tình.")


def test_a_closed_form_refuses_answers(client, db, people, agencies):
    form = make_form(db, people["council"])
    token = _token(client)
    surveys.set_open(db, people["council"], form, False)
    db.commit()
    page = client.get(URL)
    assert page.status_code == 409 and "đã đóng hoặc chưa mở" in page.text
    refused = client.post(URL, data={"csrf_token": token, **_good(agencies)})
    assert refused.status_code == 409 and "không nhận thêm ý kiến" in refused.text
    assert surveys.results(db, form)["province"].responses == 0


def test_one_client_is_limited(client, db, people, agencies):
    make_form(db, people["council"])
    db.commit()
    token = csrf_from(client.get(URL).text)
    # Accepted posts: in the tests both backends share one connection, where a refused request's
    # rollback would also undo PostgreSQL's counter (its own unit of work in production).
    codes = [client.post(URL, data={"csrf_token": token, **_good(agencies)}).status_code
             for _ in range(surveys.RATE_LIMIT + 1)]
    assert codes[:-1] == [201] * surveys.RATE_LIMIT and codes[-1] == 429


def test_results_page_and_paper_entry(client, db, people, agencies):
    form = make_form(db, people["council"])
    answer(db, form, agencies.justice, [5, 4, 4, 5, 4, 3])
    answer(db, form, agencies.finance, [5, 5, 5, 5, 5, 5])
    db.commit()
    signed_in(client, "t_stp")
    url = f"/quan-tri/cai-cach/khao-sat/{form.id}"
    page = client.get(url)
    assert page.status_code == 200
    # A unit's officer sees the province and their own unit, not the other units.
    assert "Toàn tỉnh" in page.text and "91,7 %" in page.text and "83,3 %" in page.text
    assert agencies.finance.name not in page.text.split('id="ket-qua"')[1].split("</table>")[0]
    assert "Chưa có đánh giá" in page.text
    action = f"{url}/phieu-giay"
    token = csrf_from(page.text)
    refused = client.post(action, data={"csrf_token": token, **_good(agencies, q5="")})
    assert refused.status_code == 422 and form_fields(refused.text, action)["q1"] == "5"
    saved = client.post(action, data={"csrf_token": token, **_good(agencies)}, follow_redirects=False)
    assert saved.status_code == 303
    justice = dict(surveys.results(db, form)["units"])[agencies.justice.id]
    assert (justice.responses, justice.overall.satisfied, justice.overall.answers) == (2, 10, 12)


def test_a_counter_sign_carries_the_form_and_the_counters_unit(client, db, people, agencies, settings):
    form = make_form(db, people["council"])
    db.commit()
    sign = f"/quan-tri/cai-cach/khao-sat/{form.id}/ma-qr"
    assert client.get(sign, follow_redirects=False).status_code in (303, 401)  # staff only
    signed_in(client, "t_stp")
    base = settings.public_base_url.rstrip("/")
    plain = client.get(sign)
    assert plain.status_code == 200
    assert f'<strong id="survey-url">{base}/khao-sat/sipas-2026</strong>' in plain.text
    assert f'src="{qr_data_uri(f"{base}/khao-sat/sipas-2026")}"' in plain.text
    at_counter = client.get(f"{sign}?co_quan={agencies.justice.code}")
    url = f"{base}/khao-sat/sipas-2026?co_quan={agencies.justice.code}"
    assert f'<strong id="survey-url">{url}</strong>' in at_counter.text
    assert f'src="{qr_data_uri(url)}"' in at_counter.text and f"tại {agencies.justice.name}" in at_counter.text
    # The address the code carries opens the form with the unit chosen.
    assert form_fields(client.get(url.removeprefix(base)).text, URL)["agency_code"] == agencies.justice.code
    unknown = client.get(f"{sign}?co_quan=KHONG-CO")
    assert unknown.status_code == 422 and 'id="survey-qr"' not in unknown.text
    assert shown_errors(unknown.text)[0] == {"co_quan": "Không có cơ quan đang hoạt động mang mã KHONG-CO."}
