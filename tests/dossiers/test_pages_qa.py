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


def test_process_edit_error_keeps_what_was_typed_and_saves_nothing(client, db, staff, org):
    from sqlalchemy import func, select

    from motcua.workflow.models import ProcessTemplate

    login(client, "tn.quantri")
    listing = client.get("/quan-tri/quy-trinh")
    opened = client.post(
        "/quan-tri/quy-trinh/mo",
        data={"csrf_token": csrf_from(listing.text), "procedure_code": PROCEDURE, "agency_code": org.justice.code},
        follow_redirects=False,
    )
    url = opened.headers["location"]
    detail = client.get(url)
    form = dict(re.findall(r'name="(step-\d+-(?:name|hours|position|unit|group))" value="([^"]*)"', detail.text))
    for name, value in re.findall(r'<select name="(step-\d+-(?:kind|role))"[^>]*>.*?<option value="(\w+)" selected', detail.text, re.S):
        form[name] = value
    form.update({"step-2-hours": "mười", "step-6-name": "Lấy ý kiến Sở Nội vụ", "step-6-unit": "000.00.09.H37",
                 "step-6-kind": "consult", "name": "Quy trình đã sửa"})
    versions = db.scalar(select(func.count()).select_from(ProcessTemplate).where(
        ProcessTemplate.agency_id == org.justice.id))

    response = client.post(url, data={"csrf_token": csrf_from(detail.text), "step_count": "7", **form})

    assert response.status_code == 422
    assert "Bước “Thẩm định, xử lý hồ sơ”: thời gian phải là số giờ làm việc." in response.text
    assert 'name="step-2-hours" value="mười"' in response.text
    assert 'name="step-6-name" value="Lấy ý kiến Sở Nội vụ"' in response.text
    assert 'name="step-6-unit" value="000.00.09.H37"' in response.text
    assert 'value="Quy trình đã sửa"' in response.text
    assert db.scalar(select(func.count()).select_from(ProcessTemplate).where(
        ProcessTemplate.agency_id == org.justice.id)) == versions
    assert versions >= 1


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
