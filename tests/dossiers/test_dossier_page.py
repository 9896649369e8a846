"""The dossier page built around the next action (issue 16): the primary action per state and
role, the confirmation with a reason of withdraw / stop / refuse, downloads of scans and
result files in scope only, the electronic return, the late apology, and the typed values
kept after a refused result file."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

import pytest
from sqlalchemy import func, select

from motcua.core.clock import LOCAL_TZ, frozen, to_local
from motcua.dossiers.models import DossierAttachment, DossierEvent
from motcua.dossiers.service import ActionParams, attach_file, perform_action
from tests.documents.conftest import csrf_from, login
from tests.html_forms import form_fields

PDF_BYTES = b"%PDF-1.4\n% ket qua\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SCAN_BYTES = b"%PDF-1.4\n% ban quet\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RECEIVED = datetime(2027, 3, 2, 9, 0, tzinfo=LOCAL_TZ)  # a Tuesday; the test procedure takes 3 working days
USERS = {"counter": "tn.quay", "head": "tn.lanhdao", "specialist": "tn.chuyenvien", "clerk": "tn.vanthu"}


def _page(client, username: str, dossier_id) -> str:
    client.cookies.clear()
    login(client, username)
    page = client.get(f"/ho-so/{dossier_id}")
    assert page.status_code == 200, page.text[:500]
    return page.text


def _primary(html: str) -> str | None:
    match = re.search(r'<div id="primary-action">\s*<form[^>]*data-action="(\w+)"', html)
    return match.group(1) if match else None


def _secondary(html: str) -> list[str]:
    listed = html.split('id="secondary-actions"')[1].split("</ul>")[0] if 'id="secondary-actions"' in html else ""
    return re.findall(r'<details data-action="(\w+)"', listed)


def _trail(db, dossier) -> tuple:
    db.expire_all()
    count = db.scalar(select(func.count()).select_from(DossierEvent).where(DossierEvent.dossier_id == dossier.id))
    db.refresh(dossier)
    return dossier.status, dossier.lock_version, count


def _last_event(db, dossier) -> DossierEvent:
    return db.scalars(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id)
                      .order_by(DossierEvent.seq.desc()).limit(1)).one()


# --- the next action -----------------------------------------------------------------------


@pytest.mark.parametrize(("status", "who", "primary", "listed"), [
    ("awaiting_assignment", "counter", None, ["withdraw"]),
    ("awaiting_assignment", "head", "assign", ["forward", "request_supplement", "apologize_reschedule", "stop"]),
    ("processing", "specialist", "forward", ["claim", "request_supplement", "request_payment", "consult"]),
    ("processing", "head", None, ["assign", "refuse", "apologize_reschedule", "stop"]),  # re-assigning is not next
    ("awaiting_approval", "head", "approve", ["refuse", "send_back", "apologize_reschedule", "stop"]),
    ("awaiting_result", "clerk", "issue_result", ["send_back", "request_payment"]),
    ("result_ready", "counter", "return_result", []),
])
def test_one_primary_action_per_state_and_role_and_the_others_listed(client, receive, walk, staff, status, who,
                                                                     primary, listed):
    dossier = walk(receive(), status)
    html = _page(client, USERS[who], dossier.id)

    assert _primary(html) == primary
    assert html.count('class="action-form primary-action"') == (1 if primary else 0)
    secondary = _secondary(html)
    assert primary not in secondary
    assert set(listed) <= set(secondary), secondary
    # One note per action form, never a grid of them: each listed action's fields sit in its
    # own closed <details>.
    assert html.count('<details data-action="') == len(secondary)
    assert "<details data-action" not in html.split('id="secondary-actions"')[0]


def test_a_new_dossier_offers_withdraw_in_the_actions_list_not_under_the_print_links(client, receive, staff):
    dossier = receive()
    html = _page(client, "tn.quay", dossier.id)

    assert _primary(html) is None
    assert _secondary(html) == ["withdraw"]
    # the actions come first, the "In phiếu" section after them holds no action
    assert html.index('id="actions"') < html.index('id="forms"')
    printing = html.split('id="forms"')[1].split("</section>")[0]
    assert "thao-tac" not in printing
    assert "Tiếp tục: rút hồ sơ theo yêu cầu…" in html


def test_no_internal_jargon_on_the_page(client, receive, staff):
    html = _page(client, "tn.lanhdao", receive().id)
    assert "Trạng thái trao đổi" not in html
    assert "766" not in html
    badge = re.search(r'<span class="badge" id="national-status" title="([^"]+)">([^<]+)</span>', html)
    assert badge and badge.groups() == ("Trạng thái trên Cổng Dịch vụ công quốc gia", "Cổng DVC: Được tiếp nhận")


# --- confirmation with a reason ---------------------------------------------------------------

REASON = "Công dân có đơn đề nghị, ký ngày 02/3/2027"
IRREVERSIBLE = [
    ("withdraw", "counter", "awaiting_assignment", "withdrawn", "Rút hồ sơ theo yêu cầu"),
    ("stop", "head", "processing", "stopped", "Dừng xử lý"),
    ("refuse", "head", "awaiting_approval", "refused", "Từ chối giải quyết"),
]


@pytest.mark.parametrize(("action", "who", "status", "after", "label"), IRREVERSIBLE)
def test_irreversible_actions_ask_for_a_reason_then_a_confirmation(client, db, receive, walk, staff, action, who,
                                                                    status, after, label):
    dossier = walk(receive(), status)
    url = f"/ho-so/{dossier.id}/thao-tac/{action}"
    html = _page(client, USERS[who], dossier.id)
    token = csrf_from(html)
    before = _trail(db, dossier)

    # 1. no reason: the page again, the error at this action's reason field, nothing written
    missing = client.post(url, data={"csrf_token": token, "note": "  "}, follow_redirects=False)
    assert missing.status_code == 422
    assert f'<details data-action="{action}" open>' in missing.text
    assert re.search(rf'<p class="field-error" id="note-{action}-error" role="alert">Cần ghi rõ lý do khi '
                     rf'{label.lower()}\.</p>', missing.text)
    assert missing.text.count("Cần ghi rõ lý do") == 1  # at the field only, not repeated above the form
    assert _trail(db, dossier) == before

    # 2. with a reason: a confirmation page, the reason kept, still nothing written
    asked = client.post(url, data={"csrf_token": token, "note": REASON}, follow_redirects=False)
    assert asked.status_code == 200
    assert f"<h1>Xác nhận: {label}</h1>" in asked.text
    fields = form_fields(asked.text, url)
    assert fields["confirm"] == "1" and fields["note"] == REASON
    assert "<script" not in asked.text.split('id="confirm"')[1]  # works without script (CSP)
    assert _trail(db, dossier) == before

    # 3. confirmed with the reason erased: the confirmation again, with the error at its field
    erased = client.post(url, data={**fields, "note": ""}, follow_redirects=False)
    assert erased.status_code == 422
    assert 'id="confirm-note-error"' in erased.text and f"<h1>Xác nhận: {label}</h1>" in erased.text
    assert _trail(db, dossier) == before

    # 4. confirmed: done, the reason in the audit trail
    done = client.post(url, data=fields, follow_redirects=False)
    assert done.status_code == 303
    assert _trail(db, dossier)[0] == after
    event = _last_event(db, dossier)
    assert (event.action, event.note) == (action, REASON)


def test_the_api_requires_the_reason_of_a_withdrawal(client, db, receive, staff):
    dossier = receive()
    login(client, "tn.quay")
    token = csrf_from(client.get(f"/ho-so/{dossier.id}").text)
    headers = {"X-CSRF-Token": token}
    before = _trail(db, dossier)

    refused = client.post(f"/api/v1/dossiers/{dossier.id}/actions/withdraw", json={}, headers=headers)

    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["title"] == "Cần ghi rõ lý do khi rút hồ sơ theo yêu cầu."
    assert body["detail"] == [{"field": "note", "location": ["body", "note"], "message": body["title"]}]
    assert _trail(db, dossier) == before
    done = client.post(f"/api/v1/dossiers/{dossier.id}/actions/withdraw", json={"note": REASON}, headers=headers)
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"


# --- files ------------------------------------------------------------------------------------


def _issue(client, dossier, **fields):
    html = _page(client, "tn.vanthu", dossier.id)
    files = fields.pop("files", {})
    return client.post(f"/ho-so/{dossier.id}/thao-tac/issue_result",
                       data={"csrf_token": csrf_from(html), **fields}, files=files, follow_redirects=False)


def test_scans_and_result_files_download_in_scope_only(client, db, receive, walk, staff, settings):
    dossier = receive()
    other = receive()
    scan = attach_file(db, dossier, user=staff.counter, content=SCAN_BYTES, filename="don-de-nghi.pdf",
                       storage_root=settings.storage_dir)
    foreign = attach_file(db, other, user=staff.counter, content=SCAN_BYTES, filename="khac.pdf",
                          storage_root=settings.storage_dir)
    walk(dossier, "awaiting_result")
    issued = _issue(client, dossier, result_number="15/QĐ-STP",
                    files={"result_file": ("quyet-dinh.pdf", PDF_BYTES, "application/pdf")})
    assert issued.status_code == 303
    result = db.scalars(select(DossierAttachment).where(DossierAttachment.dossier_id == dossier.id,
                                                        DossierAttachment.purpose == "result")).one()

    html = _page(client, "tn.quay", dossier.id)
    files = html.split('id="files"')[1].split("</section>")[0]
    assert f'href="/ho-so/{dossier.id}/tep/{result.id}"' in files and "quyet-dinh.pdf" in files
    assert f'href="/ho-so/{dossier.id}/tep/{scan.id}"' in files and "don-de-nghi.pdf" in files
    assert files.index("Tệp kết quả") < files.index("Bản quét khi tiếp nhận")

    for attachment, content in ((result, PDF_BYTES), (scan, SCAN_BYTES)):
        got = client.get(f"/ho-so/{dossier.id}/tep/{attachment.id}")
        assert got.status_code == 200 and got.content == content
        assert got.headers["content-type"] == "application/pdf"
        assert got.headers["content-disposition"].startswith("inline; filename*=UTF-8''")
    # another dossier's file through this dossier, or no file at all: not found
    assert client.get(f"/ho-so/{dossier.id}/tep/{foreign.id}").status_code == 404
    assert client.get(f"/ho-so/{dossier.id}/tep/{uuid.uuid4()}").status_code == 404

    client.cookies.clear()
    login(client, "tn.ngoai")  # outside the dossier's agencies
    outside = client.get(f"/ho-so/{dossier.id}/tep/{result.id}")
    assert outside.status_code == 403 and outside.content != PDF_BYTES


def test_electronic_return_records_the_result_file_and_it_stays_downloadable(client, db, receive, walk, staff):
    dossier = walk(receive(), "awaiting_result")
    assert _issue(client, dossier, result_number="16/QĐ-STP",
                  files={"result_file": ("ket-qua.pdf", PDF_BYTES, "application/pdf")}).status_code == 303
    result = db.scalars(select(DossierAttachment).where(DossierAttachment.dossier_id == dossier.id,
                                                        DossierAttachment.purpose == "result")).one()
    html = _page(client, "tn.quay", dossier.id)
    returned = client.post(f"/ho-so/{dossier.id}/thao-tac/return_result",
                           data={"csrf_token": csrf_from(html), "method": "online"}, follow_redirects=False)
    assert returned.status_code == 303

    db.refresh(dossier)
    assert (dossier.status, dossier.return_method) == ("returned", "online")
    assert _last_event(db, dossier).data == {"method": "online", "result_files": [str(result.id)]}
    after = client.get(f"/ho-so/{dossier.id}")
    assert 'id="electronic-return"' in after.text
    assert client.get(f"/ho-so/{dossier.id}/tep/{result.id}").content == PDF_BYTES


def test_a_wrong_result_file_keeps_the_typed_number_and_summary(client, db, receive, walk, staff):
    dossier = walk(receive(), "awaiting_result")
    before = _trail(db, dossier)

    refused = _issue(client, dossier, result_number="17/QĐ-STP", result_summary="Cấp bản sao trích lục khai sinh",
                     note="Ký số ngày 05/3", files={"result_file": ("ket-qua.pdf", b"khong phai pdf", "application/pdf")})

    assert refused.status_code == 422
    url = f"/ho-so/{dossier.id}/thao-tac/issue_result"
    fields = form_fields(refused.text, url)
    assert (fields["result_number"], fields["result_summary"], fields["note"]) == (
        "17/QĐ-STP", "Cấp bản sao trích lục khai sinh", "Ký số ngày 05/3")
    error = re.search(r'<p class="field-error" id="file-issue_result-error" role="alert">([^<]+)</p>', refused.text)
    assert error and error.group(1).startswith("Định dạng tệp không được chấp nhận")
    assert 'aria-invalid="true" aria-describedby="file-issue_result-error"' in refused.text
    assert _trail(db, dossier) == before
    assert db.scalar(select(func.count()).select_from(DossierAttachment)
                     .where(DossierAttachment.dossier_id == dossier.id)) == 0


# --- the apology with a new appointment (form 04) -------------------------------------------------


def _apologize(client, dossier, days: str = "3"):
    html = _page(client, "tn.lanhdao", dossier.id)
    assert "apologize_reschedule" in _secondary(html)
    return html, client.post(f"/ho-so/{dossier.id}/thao-tac/apologize_reschedule",
                             data={"csrf_token": csrf_from(html), "extra_working_days": days,
                                   "note": "Cần xác minh thêm tại địa phương"}, follow_redirects=False)


def test_an_apology_after_the_due_time_is_allowed_and_marked_late(client, db, receive, staff):
    with frozen(RECEIVED):
        dossier = receive()
    old_due = dossier.due_at
    late_at = datetime(2027, 3, 10, 9, 0, tzinfo=LOCAL_TZ)  # the appointment has passed
    assert to_local(old_due) < late_at
    with frozen(late_at):
        before, response = _apologize(client, dossier)
        assert "thư xin lỗi vẫn được lập và ghi nhận là muộn" in before
        assert response.status_code == 303
        db.refresh(dossier)
        event = _last_event(db, dossier)
        assert event.data["late"] is True and event.note == "Cần xác minh thêm tại địa phương"
        # three working days counted from today, the old appointment having passed
        assert to_local(dossier.due_at) == datetime(2027, 3, 15, to_local(old_due).hour, to_local(old_due).minute,
                                                    tzinfo=LOCAL_TZ)
        assert dossier.reappointed and dossier.original_due_at == old_due
        html = client.get(f"/ho-so/{dossier.id}").text
    assert 'id="late-apology"' in html and "Xin lỗi, hẹn lại muộn" in html
    assert '<span class="badge badge-late">muộn</span>' in html.split('id="timeline"')[1]


def test_an_apology_in_time_is_not_marked_late(client, db, receive, staff):
    with frozen(RECEIVED):
        dossier = receive()
    with frozen(datetime(2027, 3, 2, 14, 0, tzinfo=LOCAL_TZ)):
        before, response = _apologize(client, dossier)
        assert "thư xin lỗi vẫn được lập và ghi nhận là muộn" not in before
        assert response.status_code == 303
        db.refresh(dossier)
        assert _last_event(db, dossier).data["late"] is False
        html = client.get(f"/ho-so/{dossier.id}").text
    assert 'id="late-apology"' not in html


def test_the_late_mark_is_kept_by_the_service_too(db, receive, staff):
    with frozen(RECEIVED):
        dossier = receive()
    with frozen(datetime(2027, 3, 5, 9, 0, tzinfo=LOCAL_TZ)):  # the due day itself: less than one working day left
        perform_action(db, dossier, user=staff.head, action="apologize_reschedule",
                       params=ActionParams(note="Chờ kết quả xác minh", extra_working_days=2))
    assert _last_event(db, dossier).data["late"] is True
