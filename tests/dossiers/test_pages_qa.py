"""Regressions found by hands-on QA of the counter and the dossier page."""

from __future__ import annotations

import re

from tests.documents.conftest import PROCEDURE, csrf_from, login


def _checked_outcomes(html: str) -> list[str]:
    return re.findall(r'<input type="radio" name="outcome" value="(\w+)" checked>', html)


def test_counter_preselects_accepted_on_a_fresh_form(client, staff):
    login(client, "tn.quay")
    page = client.get("/quay", params={"ma_tt": PROCEDURE})
    assert page.status_code == 200
    assert _checked_outcomes(page.text) == ["accepted"]


def test_counter_error_keeps_outcome_and_free_component_lines(client, staff, org):
    login(client, "tn.quay")
    token = csrf_from(client.get("/quay", params={"ma_tt": PROCEDURE}).text)

    response = client.post(
        "/quay",
        data={
            "csrf_token": token, "procedure_code": PROCEDURE, "receiving_unit_id": str(org.centre.id),
            "agency_id": str(org.justice.id), "full_name": "", "outcome": "refused",
            "refusal_reason": "Không thuộc thẩm quyền", "extra-0-name": "Tờ khai", "extra-0-kind": "copy",
            "extra-0-count": "4",
        },
    )

    assert response.status_code == 422
    assert _checked_outcomes(response.text) == ["refused"]
    row = response.text.split('name="extra-0-kind"')[1].split("</tr>")[0]
    assert '<option value="copy" selected>' in row
    assert 'name="extra-0-count" value="4"' in row


def test_assign_at_the_assignment_step_offers_the_next_steps_handlers(client, receive, staff):
    dossier = receive()
    login(client, "tn.lanhdao")

    page = client.get(f"/ho-so/{dossier.id}")

    assert page.status_code == 200
    select = page.text.split('name="assignee"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]+)"', select) == ["tn.chuyenvien"]
    assert re.search(r'<button type="submit" name="do" value="assign"\s*>', page.text)  # live, not disabled
    response = client.post(
        f"/ho-so/{dossier.id}/thao-tac/assign",
        data={"csrf_token": csrf_from(page.text), "assignee": "tn.chuyenvien"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Đã thực hiện: Phân công." in client.get(f"/ho-so/{dossier.id}").text


def test_missing_items_are_no_longer_shown_as_missing_once_the_supplement_arrived(client, db, receive, staff):
    dossier = receive()
    for username, action, fields in [
        ("tn.lanhdao", "forward", {}),
        ("tn.chuyenvien", "request_supplement", {"missing_items": "Bản sao CCCD"}),
    ]:
        client.cookies.clear()
        login(client, username)
        page = client.get(f"/ho-so/{dossier.id}")
        client.post(f"/ho-so/{dossier.id}/thao-tac/{action}", data={"csrf_token": csrf_from(page.text), **fields})
    waiting = client.get(f"/ho-so/{dossier.id}").text
    assert "<dt>Giấy tờ còn thiếu</dt><dd>Bản sao CCCD</dd>" in waiting

    client.cookies.clear()
    login(client, "tn.quay")
    page = client.get(f"/ho-so/{dossier.id}")
    response = client.post(f"/ho-so/{dossier.id}/thao-tac/receive_supplement",
                           data={"csrf_token": csrf_from(page.text)}, follow_redirects=False)
    assert response.status_code == 303
    db.refresh(dossier)
    assert dossier.status == "processing"
    after = client.get(f"/ho-so/{dossier.id}").text
    assert "Giấy tờ còn thiếu" not in after
    assert "Yêu cầu bổ sung: từ" in after  # the request stays in the pauses' history


def test_inbox_title_is_plain_text_and_the_tracking_book_form_appears_once(client, staff):
    login(client, "tn.quay")

    page = client.get("/xu-ly")

    assert page.status_code == 200
    title = re.search(r"<title>(.*?)</title>", page.text, re.S).group(1)
    assert "<" not in title and "Hồ sơ cần xử lý" in title
    assert page.text.count('action="/so-theo-doi"') == 1
    assert page.text.count('id="book-unit"') == 1


def test_assign_without_any_candidate_explains_and_offers_no_live_button(client, db, receive, walk, staff):
    dossier = walk(receive(), "awaiting_result")
    staff.clerk.is_active = False  # the unit has nobody left for the "issue" step
    db.flush()
    login(client, "tn.lanhdao")

    page = client.get(f"/ho-so/{dossier.id}")

    assert page.status_code == 200
    form = page.text.split(f'action="/ho-so/{dossier.id}/thao-tac/assign"')[1].split("</form>")[0]
    assert "<option" not in form
    assert "Đơn vị chưa có cán bộ nào giữ vai trò xử lý bước này" in form
    assert re.search(r'<button type="submit" name="do" value="assign" disabled', form)
