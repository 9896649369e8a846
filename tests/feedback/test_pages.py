"""Feedback pages: the public form (errors in Vietnamese, typed values kept, attachment
checked by content, rate limit), the agency's handling pages, the public search, the vote."""

import re

from sqlalchemy import select

from motcua.feedback import service
from motcua.feedback.models import FeedbackItem
from motcua.feedback.schemas import AnswerIn, ClassifyIn, FeedbackIn
from tests import factories
from tests.html_forms import csrf_from, form_fields, signed_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM = "/phan-anh-kien-nghi/gui"


def _post(client, data: dict, files=None):
    token = csrf_from(client.get(FORM).text)
    return client.post(FORM, data={"csrf_token": token, **data}, files=files)


def _good(world, **values) -> dict:
    return {"subject": "procedure", "procedure_code": world.p_dept.code, "title": "Thời hạn cấp phiếu quá dài",
            "content": "Tôi chờ đã quá ngày hẹn mà chưa nhận được phiếu lý lịch tư pháp.",
            "sender_name": "Trần Thị Gửi", "phone": "0987654321"} | values


def test_the_form_links_in_with_the_procedure_filled(client, world):
    page = client.get(f"{FORM}?thu_tuc={world.p_dept.code}")
    assert page.status_code == 200
    assert form_fields(page.text, FORM)["procedure_code"] == world.p_dept.code


def test_bad_input_is_refused_in_vietnamese_and_keeps_what_was_typed(client, world):
    refused = _post(client, _good(world, title="Ngắn", phone="", email="khong-phai-thu"))
    assert refused.status_code == 422
    text = refused.text
    assert "Chưa ghi nhận được, cần sửa" in text
    assert "Địa chỉ thư điện tử không hợp lệ." in text and "Cần ít nhất 5 ký tự" in text
    fields = form_fields(text, FORM)
    assert fields["title"] == "Ngắn" and fields["email"] == "khong-phai-thu"
    assert fields["content"] == _good(world)["content"] and fields["sender_name"] == "Trần Thị Gửi"
    # the subject's own requirement and a way to reach the sender, each at its field
    missing = _post(client, _good(world, subject="dossier", phone=""))
    assert missing.status_code == 422
    assert 'id="dossier_code-error">Cần nhập mã hồ sơ (in trên giấy tiếp nhận).' in missing.text
    assert 'id="phone-error">Cần để lại số điện thoại hoặc thư điện tử' in missing.text


def test_an_attachment_is_checked_by_its_content(client, world, db):
    wrong = _post(client, _good(world), files={"attachment": ("anh.pdf", b"khong phai pdf", "application/pdf")})
    assert wrong.status_code == 422
    assert "Định dạng tệp không được chấp nhận" in wrong.text
    assert form_fields(wrong.text, FORM)["title"] == "Thời hạn cấp phiếu quá dài"
    assert db.scalar(select(FeedbackItem.code)) is None  # nothing half-written
    sent = _post(client, _good(world), files={"attachment": ("giay-hen.pdf", PDF, "application/pdf")})
    assert sent.status_code == 201
    item = db.scalar(select(FeedbackItem))
    assert (item.attachment_name, item.attachment_type, item.attachment_size) == ("giay-hen.pdf", "application/pdf",
                                                                                  len(PDF))


def test_sending_is_limited_per_client(app, client, world):
    app.state.settings.feedback_rate_limit = 2
    assert [_post(client, _good(world)).status_code for _ in range(2)] == [201, 201]
    refused = _post(client, _good(world))
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert "Bạn đã gửi quá nhiều phản ánh, kiến nghị trong thời gian ngắn." in refused.text
    assert form_fields(refused.text, FORM)["title"] == "Thời hạn cấp phiếu quá dài"


def _act(client, code: str, action: str, data: dict | None = None):
    page = client.get(f"/quan-tri/phan-anh-kien-nghi/{code}")
    return client.post(f"/quan-tri/phan-anh-kien-nghi/{code}/{action}",
                       data={"csrf_token": csrf_from(page.text), **(data or {})}, follow_redirects=False)


def test_the_agency_answers_and_publishes_and_the_sender_rates_once(app, client, db, world):
    sent = _post(client, _good(world, email="gui@example.vn"))
    assert sent.status_code == 201
    code = re.search(r'id="ma-pakn">([^<]+)<', sent.text).group(1)
    key = re.search(r'id="ma-danh-gia">([^<]+)<', sent.text).group(1)
    track = client.get(f"/phan-anh-kien-nghi/tra-cuu?ma={code.lower()}")
    assert track.status_code == 200 and "Đã tiếp nhận, chờ phân loại" in track.text
    assert "Trần Thị Gửi" not in track.text and "0987654321" not in track.text

    factories.account(db, "cv_pakn", "specialist", agency=world.dept)
    factories.account(db, "cv_khac", "specialist", agency=world.dept2)
    db.commit()
    signed_in(client, "cv_khac")
    assert client.get(f"/quan-tri/phan-anh-kien-nghi/{code}").status_code == 403
    assert code not in client.get("/quan-tri/phan-anh-kien-nghi").text
    signed_in(client, "cv_pakn")
    listing = client.get("/quan-tri/phan-anh-kien-nghi")
    assert code in listing.text and "Quá hạn" not in listing.text
    page = client.get(f"/quan-tri/phan-anh-kien-nghi/{code}")
    assert "Trần Thị Gửi" in page.text and "Nghị định 20/2008/NĐ-CP" in page.text
    assert f"/quan-tri/phan-anh-kien-nghi/{code}/route" not in page.text  # only the PAKN unit re-routes
    # a refused action: the page again, the error at its field, the typing kept
    short = _act(client, code, "reject", {"reason": "Sai"})
    assert short.status_code == 422 and 'id="reason-error">Cần ít nhất 5 ký tự' in short.text
    assert _act(client, code, "classify", {"classification": "regulation"}).status_code == 303
    assert _act(client, code, "publish").status_code == 409  # not answered yet
    answer = "Sở đã cấp phiếu cho ông/bà ngày 08/12/2026 và rút kinh nghiệm với bộ phận tiếp nhận."
    assert _act(client, code, "answer", {"answer": answer}).status_code == 303
    assert _act(client, code, "publish").status_code == 303

    public = client.get("/phan-anh-kien-nghi?q=rut kinh nghiem&co_quan=" + world.dept.code)
    assert public.status_code == 200 and code in public.text and answer in public.text
    assert "Trần Thị Gửi" not in public.text and "0987654321" not in public.text and "gui@example.vn" not in public.text
    assert code not in client.get("/phan-anh-kien-nghi?q=khai sinh").text
    by_procedure = client.get(f"/phan-anh-kien-nghi?thu_tuc={world.p_dept.code}")
    assert code in by_procedure.text

    vote = client.get(f"/phan-anh-kien-nghi/danh-gia?ma={code}")
    token = csrf_from(vote.text)
    wrong = client.post("/phan-anh-kien-nghi/danh-gia", data={"csrf_token": token, "code": code, "key": "sai",
                                                              "helpful": "true"})
    assert wrong.status_code == 422 and "Mã phản ánh, kiến nghị hoặc mã đánh giá không đúng." in wrong.text
    assert form_fields(wrong.text, "/phan-anh-kien-nghi/danh-gia")["code"] == code
    first = client.post("/phan-anh-kien-nghi/danh-gia", data={"csrf_token": token, "code": code, "key": key,
                                                              "helpful": "false"})
    assert first.status_code == 200 and "Cảm ơn bạn đã đánh giá" in first.text
    again = client.post("/phan-anh-kien-nghi/danh-gia", data={"csrf_token": token, "code": code, "key": key,
                                                              "helpful": "true"})
    assert again.status_code == 409 and "chỉ được đánh giá một lần" in again.text
    assert db.scalar(select(FeedbackItem.helpful).where(FeedbackItem.code == code)) is False

    stats = client.get("/quan-tri/thong-ke/phan-anh-kien-nghi")
    assert stats.status_code == 200 and "Sở Tư pháp thử nghiệm" in stats.text


def test_staff_pages_need_a_staff_member(client):
    assert client.get("/quan-tri/phan-anh-kien-nghi", follow_redirects=False).status_code in (303, 401)
    unknown = client.get("/phan-anh-kien-nghi/tra-cuu?ma=PAKN-000000-AAAAAA")
    assert unknown.status_code == 404 and "Không tìm thấy phản ánh, kiến nghị" in unknown.text


def test_the_public_list_pages_keep_the_filters(client, db, world):
    for n in range(21):
        item, _ = service.submit_feedback(db, FeedbackIn.model_validate(_good(world, title=f"Lệ phí số {n:02d}")))
        service.classify(db, item, world.specialist, ClassifyIn(classification="regulation"))
        service.answer(db, item, world.specialist, AnswerIn(answer="Đã trả lời về lệ phí."))
        service.publish(db, item, world.specialist)
    db.commit()
    first = client.get(f"/phan-anh-kien-nghi?q=le phi&co_quan={world.dept.code}")
    assert "Trang 1/2" in first.text and f"?q=le%20phi&amp;co_quan={world.dept.code}&amp;thu_tuc=&amp;page=2" in first.text
    second = client.get(f"/phan-anh-kien-nghi?q=le phi&co_quan={world.dept.code}&page=2")
    assert second.text.count('class="card pakn"') == 1
