"""What an officer typed survives a refused action, an expired CSRF token and a control
character (fixtures of tests/dossiers/conftest.py: a received dossier and its staff)."""

from __future__ import annotations

import re

from tests.documents.conftest import csrf_from, login

NOTE = "Giao anh Chuyên xử lý, ưu tiên vì công dân ở xa"


def _form(html: str, dossier_id, action: str) -> str:
    return html.split(f'action="/ho-so/{dossier_id}/thao-tac/{action}"')[1].split("</form>")[0]


def test_a_refused_action_shows_the_page_again_with_the_typed_note(client, receive, staff):
    dossier = receive()
    login(client, "tn.lanhdao")
    page = client.get(f"/ho-so/{dossier.id}")
    response = client.post(f"/ho-so/{dossier.id}/thao-tac/assign",
                           data={"csrf_token": csrf_from(page.text), "assignee": "khong.co.ai", "note": NOTE},
                           follow_redirects=False)
    assert response.status_code in (403, 404, 409, 422)
    form = _form(response.text, dossier.id, "assign")
    assert f'>{NOTE}</textarea>' in form
    assert 'class="field-error action-error" role="alert"' in form
    assert csrf_from(form)
    # the other action forms are not filled with it
    assert NOTE not in _form(response.text, dossier.id, "forward")


def test_an_expired_csrf_token_keeps_the_typed_text_and_sending_again_works(client, receive, staff):
    dossier = receive()
    login(client, "tn.lanhdao")
    client.get(f"/ho-so/{dossier.id}")
    response = client.post(f"/ho-so/{dossier.id}/thao-tac/assign",
                           data={"csrf_token": "het-han", "assignee": "tn.chuyenvien", "note": NOTE})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.text
    form = response.text.split('id="resubmit"')[1]
    assert f'action="/ho-so/{dossier.id}/thao-tac/assign"' in form
    assert f'name="note" value="{NOTE}"' in form
    assert 'name="assignee" value="tn.chuyenvien"' in form
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    again = client.post(f"/ho-so/{dossier.id}/thao-tac/assign", data=fields, follow_redirects=False)
    assert again.status_code == 303
    assert "Đã thực hiện: Phân công." in client.get(f"/ho-so/{dossier.id}").text


def test_an_expired_token_on_the_login_page_never_echoes_the_password(client):
    client.get("/dang-nhap")
    response = client.post("/dang-nhap", data={"csrf_token": "cu", "username": "ai.do", "password": "bi-mat-123"})
    assert response.status_code == 403
    assert 'name="username" value="ai.do"' in response.text
    assert "bi-mat-123" not in response.text
