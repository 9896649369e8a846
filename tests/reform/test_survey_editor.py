"""The survey editor: questions added, edited, moved and removed while the form has no answers;
once it has answers, the changes that would misread them are refused (nothing changes) and a new
version is made instead. Service, pages and API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from motcua.core.errors import Conflict, Forbidden, InvalidInput
from motcua.reform import survey_editor, surveys
from motcua.reform.models import SurveyAnswer
from motcua.reform.survey_editor import Direction, MoveIn, VersionIn
from motcua.reform.surveys import Element, FormSettingsIn, QuestionIn
from tests import factories
from tests.html_forms import csrf_from, form_fields, shown_errors, signed_in
from tests.reform.test_surveys import answer, make_form

E = Element
ADMIN = "/quan-tri/cai-cach/khao-sat"


def listed(db, form) -> list[tuple]:
    return [(q.position, q.element, q.text) for q in surveys.questions_of(db, form)]


def settings(form, **changes) -> FormSettingsIn:
    values = {name: getattr(form, name) for name in FormSettingsIn.model_fields}
    return FormSettingsIn(**(values | changes))


def test_questions_are_edited_while_nobody_answered(db, people):
    council = people["council"]
    form = make_form(db, council)
    survey_editor.add_question(db, council, form, QuestionIn(element=E.servant, text="Công chức đúng hẹn?"))
    survey_editor.update_question(db, council, form, 2, QuestionIn(element=E.procedure, text="Nơi nộp hồ sơ gần?"))
    survey_editor.move_question(db, council, form, 7, MoveIn(direction=Direction.up))
    survey_editor.move_question(db, council, form, 1, MoveIn(direction=Direction.down))
    survey_editor.remove_question(db, council, form, 3)
    assert listed(db, form) == [
        (1, "procedure", "Nơi nộp hồ sơ gần?"), (2, "access", "Thông tin về thủ tục dễ tìm?"),
        (3, "servant", "Công chức hướng dẫn tận tình?"), (4, "result", "Kết quả đúng quy định?"),
        (5, "servant", "Công chức đúng hẹn?"), (6, "feedback", "Góp ý được tiếp nhận, trả lời?")]
    survey_editor.update_settings(db, council, form, settings(form, scale_max=7, satisfied_from=5, year=2027))
    assert (form.scale_max, form.satisfied_from, form.year) == (7, 5, 2027)
    with pytest.raises(InvalidInput, match="đã ở đầu phiếu"):
        survey_editor.move_question(db, council, form, 1, MoveIn(direction=Direction.up))
    with pytest.raises(InvalidInput, match="đã ở cuối phiếu"):
        survey_editor.move_question(db, council, form, 6, MoveIn(direction=Direction.down))
    for position in (6, 5, 4, 3, 2):
        survey_editor.remove_question(db, council, form, position)
    with pytest.raises(InvalidInput, match="cần ít nhất một câu hỏi"):
        survey_editor.remove_question(db, council, form, 1)
    assert listed(db, form) == [(1, "procedure", "Nơi nộp hồ sơ gần?")]


def test_only_the_department_edits(db, people):
    form = make_form(db, people["council"])
    with pytest.raises(Forbidden, match="Sở Nội vụ"):
        survey_editor.add_question(db, people["justice"], form, QuestionIn(element=E.access, text="Câu hỏi thêm?"))
    assert len(listed(db, form)) == 6


def test_answered_forms_refuse_changes_that_would_misread_the_answers(db, people, agencies):
    council = people["council"]
    form = make_form(db, council)
    answer(db, form, agencies.justice, [5, 4, 4, 5, 4, 3])
    before, answers = listed(db, form), db.scalar(select(func.count()).select_from(SurveyAnswer))
    refusals = [
        lambda: survey_editor.add_question(db, council, form, QuestionIn(element=E.access, text="Câu hỏi thêm?")),
        lambda: survey_editor.update_question(db, council, form, 3, QuestionIn(element=E.servant,
                                                                                text="Thành phần hồ sơ hợp lý?")),
        lambda: survey_editor.update_question(db, council, form, 3, QuestionIn(element=E.procedure,
                                                                                text="Hồ sơ có đơn giản không?")),
        lambda: survey_editor.move_question(db, council, form, 2, MoveIn(direction=Direction.up)),
        lambda: survey_editor.remove_question(db, council, form, 6),
    ]
    for refused in refusals:
        with pytest.raises(Conflict, match="đã có 1 phiếu trả lời: không .* được nữa vì sẽ làm sai lệch"):
            refused()
    with pytest.raises(Conflict) as changed_scale:
        survey_editor.update_settings(db, council, form, settings(form, scale_max=7, satisfied_from=6))
    assert changed_scale.value.message.startswith("Phiếu khảo sát đã có 1 phiếu trả lời: không đổi thang điểm, mức "
                                                  "tính là hài lòng được nữa")
    assert (form.scale_max, form.satisfied_from) == (5, 4)
    assert listed(db, form) == before
    assert db.scalar(select(func.count()).select_from(SurveyAnswer)) == answers == 6
    # What does not touch the answers stays editable; so does a question saved unchanged.
    survey_editor.update_settings(db, council, form, settings(form, title="Khảo sát hài lòng năm 2026 (đợt 1)",
                                                              target_percent=85))
    survey_editor.update_question(db, council, form, 3, QuestionIn(element=E.procedure, text="Thành phần hồ sơ hợp lý?"))
    assert (form.title, form.target_percent) == ("Khảo sát hài lòng năm 2026 (đợt 1)", 85)


def test_a_new_version_copies_the_questions_and_closes_the_old_link(db, people, agencies):
    council = people["council"]
    form = make_form(db, council)
    answer(db, form, agencies.justice, [5, 4, 4, 5, 4, 3])
    with pytest.raises(InvalidInput, match="đã dùng cho phiếu khảo sát khác"):
        survey_editor.new_version(db, council, form, VersionIn(slug="sipas-2026"))
    copy = survey_editor.new_version(db, council, form, VersionIn(slug="sipas-2026-dot-2"))
    assert (copy.slug, copy.title, copy.year, copy.is_open, form.is_open) == (
        "sipas-2026-dot-2", form.title, 2026, True, False)
    assert listed(db, copy) == listed(db, form)
    survey_editor.add_question(db, council, copy, QuestionIn(element=E.result, text="Kết quả trả đúng hẹn?"))
    assert (len(listed(db, copy)), len(listed(db, form))) == (7, 6)
    assert surveys.results(db, form)["province"].responses == 1 and surveys.results(db, copy)["province"].responses == 0


def test_the_editor_pages(client, db, people, agencies):
    signed_in(client, "t_snv")
    page = client.get(ADMIN)
    token = csrf_from(page.text)
    new = {"csrf_token": token, "title": "Khảo sát tại Bộ phận Một cửa", "slug": "mot-cua-2026", "year": "2026",
           "scale_max": "5", "satisfied_from": "4", "target_percent": "90", "element": "access", "text": "Ngắn"}
    refused = client.post(ADMIN, data=new)
    assert refused.status_code == 422
    assert shown_errors(refused.text)[0] == {"text": "Cần ít nhất 5 ký tự."}
    kept = form_fields(refused.text, ADMIN)
    assert (kept["title"], kept["slug"], kept["element"], kept["text"]) == (
        "Khảo sát tại Bộ phận Một cửa", "mot-cua-2026", "access", "Ngắn")
    created = client.post(ADMIN, data=new | {"text": "Thông tin thủ tục dễ tìm?"}, follow_redirects=False)
    assert created.status_code == 303
    form = surveys.form_by_slug(db, "mot-cua-2026")
    edit = f"{ADMIN}/{form.id}/sua"
    assert created.headers["location"] == edit
    assert client.get(edit).status_code == 200

    def post(action, **data):
        return client.post(f"{edit}/{action}", data={"csrf_token": token, **data}, follow_redirects=False)

    assert post("them-cau-hoi", element="servant", text="Công chức tận tình?").status_code == 303
    assert post("them-cau-hoi", element="result", text="Kết quả đúng hẹn?").status_code == 303
    assert post("sua-cau-hoi", position="2", element="servant", text="Công chức hướng dẫn tận tình?").status_code == 303
    assert post("len", position="3").status_code == 303
    assert post("xoa", position="1").status_code == 303
    assert listed(db, form) == [(1, "result", "Kết quả đúng hẹn?"), (2, "servant", "Công chức hướng dẫn tận tình?")]
    bad = post("sua-cau-hoi", position="2", element="", text="Công chức có đúng hẹn không?")
    assert bad.status_code == 422 and shown_errors(bad.text)[0] == {"element": "Trường này là bắt buộc."}
    assert "Công chức có đúng hẹn không?" in bad.text  # what was typed is shown again

    answer(db, form, agencies.justice, [5, 4])
    db.commit()
    refused = post("them-cau-hoi", element="feedback", text="Góp ý được trả lời?")
    assert refused.status_code == 409
    assert "Phiếu khảo sát đã có 1 phiếu trả lời: không thêm câu hỏi được nữa" in refused.text
    assert form_fields(refused.text, f"{edit}/them-cau-hoi")["text"] == "Góp ý được trả lời?"
    assert len(listed(db, form)) == 2
    page = client.get(edit)
    assert 'id="da-co-tra-loi"' in page.text and "Đã có 1 phiếu trả lời." in page.text
    version = post("phien-ban-moi", new_slug="mot-cua-2026-v2")
    copy = surveys.form_by_slug(db, "mot-cua-2026-v2")
    assert version.headers["location"] == f"{ADMIN}/{copy.id}/sua" and listed(db, copy) == listed(db, form)


def test_the_editor_api(client, db, people, agencies):
    form = make_form(db, people["council"])
    db.commit()
    auth = factories.bearer(db, people["council"])
    base = f"/api/v1/reform/surveys/{form.id}"
    added = client.post(f"{base}/questions", json={"element": "result", "text": "Kết quả đúng hẹn?"}, headers=auth)
    assert added.status_code == 201 and added.json()["questions"][-1] == {
        "position": 7, "element": "result", "text": "Kết quả đúng hẹn?"}
    moved = client.post(f"{base}/questions/7/move", json={"direction": "up"}, headers=auth)
    assert [q["position"] for q in moved.json()["questions"] if q["text"] == "Kết quả đúng hẹn?"] == [6]
    removed = client.delete(f"{base}/questions/1", headers=auth)
    assert removed.status_code == 200 and len(removed.json()["questions"]) == 6
    edited = client.put(f"{base}/questions/1", json={"element": "access", "text": "Nơi tiếp nhận dễ tìm?"}, headers=auth)
    assert edited.json()["questions"][0] == {"position": 1, "element": "access", "text": "Nơi tiếp nhận dễ tìm?"}
    answer(db, form, agencies.justice, [5, 4, 4, 5, 4, 3])
    db.commit()
    refused = client.put(base, json=settings(form, scale_max=7).model_dump(mode="json"), headers=auth)
    assert refused.status_code == 409 and refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["title"].startswith("Phiếu khảo sát đã có 1 phiếu trả lời: không đổi thang điểm")
    assert client.get(f"/api/v1/reform/surveys/public/{form.slug}").json()["responses"] == 1
    missing = client.delete(f"{base}/questions/60", headers=auth)
    assert missing.status_code == 404 and missing.json()["title"] == "Phiếu khảo sát không có câu 60."
