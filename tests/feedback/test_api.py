"""Feedback JSON API: send, read published answers, vote, statistics (problem+json in Vietnamese)."""

from motcua.feedback import service
from motcua.feedback.schemas import AnswerIn, ClassifyIn
from tests import factories
from tests.api_fuzz import fuzz_operations


def _body(world, **values) -> dict:
    return {"subject": "procedure", "procedure_code": world.p_dept.code, "title": "Hỏi về lệ phí",
            "content": "Lệ phí niêm yết tại quầy khác với lệ phí trong danh mục thủ tục.",
            "sender_name": "Lý Văn Hỏi", "email": "hoi@example.vn"} | values


def test_send_answer_publish_read_and_vote(client, db, world):
    created = client.post("/api/v1/feedback", json=_body(world))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["agency_code"] == world.dept.code and body["status"] == "received"
    assert body["classify_due_at"] and body["answer_due_at"] is None
    refused = client.post("/api/v1/feedback", json=_body(world, email=None, subject="agency"))
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    assert "Cần chọn cơ quan được phản ánh." in refused.text

    item = service.get_item(db, body["code"])
    service.classify(db, item, world.specialist, ClassifyIn(classification="regulation"))
    service.answer(db, item, world.specialist, AnswerIn(answer="Lệ phí đúng là 200.000 đồng theo danh mục."))
    service.publish(db, item, world.specialist)
    db.commit()

    page = client.get("/api/v1/feedback/published", params={"q": "le phi", "agency": world.dept.code})
    assert page.status_code == 200
    assert [i["code"] for i in page.json()["items"]] == [body["code"]]
    assert "Lý Văn Hỏi" not in page.text and "hoi@example.vn" not in page.text
    assert page.json()["items"][0]["procedure_code"] == world.p_dept.code
    assert client.get("/api/v1/feedback/published", params={"agency": "KHONG-CO"}).json()["total"] == 0

    assert client.post("/api/v1/feedback/vote", json={"code": body["code"], "key": body["key"],
                                                      "helpful": True}).json() == {"code": body["code"],
                                                                                   "helpful": True}
    again = client.post("/api/v1/feedback/vote", json={"code": body["code"], "key": body["key"], "helpful": False})
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"


def test_statistics_need_a_staff_member(client, db, world):
    assert client.get("/api/v1/feedback/statistics", params={"from": "01/12/2026", "to": "31/12/2026"}).status_code == 401
    headers = factories.bearer(db, world.specialist)
    db.commit()
    bad = client.get("/api/v1/feedback/statistics", params={"from": "31/12/2026", "to": "01/12/2026"}, headers=headers)
    assert bad.status_code == 422 and "Khoảng thời gian không hợp lệ" in bad.json()["title"]
    ok = client.get("/api/v1/feedback/statistics", params={"from": "01/12/2026", "to": "31/12/2026"}, headers=headers)
    assert ok.status_code == 200 and ok.json() == []


def test_the_feedback_api_never_answers_with_a_server_error(app, world):
    assert fuzz_operations(app, r"^/api/v1/feedback") == 4
