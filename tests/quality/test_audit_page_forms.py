"""The audit page's forms repeated per row (a corrective action's completion, a nonconformity's
new action or closure) when refused: what was typed comes back in that row's form only, its
inputs marked under their row's ids (which the error summary links to); the same for a
legal-change update on the audits page; and the reports open on the half year running today."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from motcua.catalog import changes
from motcua.core.clock import frozen
from motcua.org.models import Agency
from motcua.quality import legal_changes
from motcua.quality.models import LegalChangeTask
from tests import factories
from tests.factories import local
from tests.html_forms import csrf_from, signed_in
from tests.quality.audit_world import build


def _accounts(db, agencies) -> None:
    """Sở Tư pháp's quality secretary and a specialist of the Department (Sở KH&CN)."""
    factories.account(db, "tk_iso_tp", "quality_secretary", agency=agencies.justice)
    factories.account(db, "cv_khcn", "specialist", agency=db.scalars(select(Agency).where(Agency.seed_key == "so-khcn")).one())
    db.commit()


def _audit_with_an_action(client, code: str) -> tuple[str, str, str, str]:
    """An audit held 20/03/2027 with one nonconformity and one corrective action: (audit
    URL, CSRF token, finding id, action id)."""
    token = csrf_from(client.get("/chat-luong/danh-gia").text)
    url = client.post("/chat-luong/danh-gia", data={
        "csrf_token": token, "agency_code": code, "planned_on": "20/03/2027", "scope": "Hộ tịch",
        "auditors": "Nguyễn Văn Đánh Giá"}, follow_redirects=False).headers["location"]
    client.post(f"{url}/ket-qua", data={"csrf_token": token, "held_on": "20/03/2027", "summary": "Cơ bản phù hợp"})
    client.post(f"{url}/phat-hien", data={"csrf_token": token, "kind": "nonconformity", "description": "Sổ thiếu ngày trả",
                                          "root_cause": "Mẫu sổ cũ"})
    finding_id = re.search(r'name="finding_id" value="([^"]+)"', client.get(url).text).group(1)
    client.post(f"{url}/khac-phuc", data={"csrf_token": token, "finding_id": finding_id, "description": "Dùng mẫu mới",
                                          "owner": "Trần Thị Một Cửa", "due_on": "10/04/2027"})
    action_id = re.search(r'name="action_id" value="([^"]+)"', client.get(url).text).group(1)
    return url, token, finding_id, action_id


def test_a_refused_row_form_keeps_what_was_typed_in_that_row_only(client, db, agencies):
    _accounts(db, agencies)
    with frozen(local(2027, 3, 25, 9)):
        signed_in(client, "tk_iso_tp")
        url, token, finding_id, action_id = _audit_with_an_action(client, agencies.justice.code)
        # Done "tomorrow": refused by the rule, with no field named; the result typed stays.
        r = client.post(f"{url}/hoan-thanh", data={"csrf_token": token, "action_id": action_id,
                                                   "done_on": "26/03/2027", "result": "Đã dùng mẫu mới"})
        assert r.status_code == 422
        assert "Ngày hoàn thành không được sau hôm nay." in r.text
        assert (f'id="done_on-{action_id}" name="done_on" placeholder="dd/mm/yyyy" maxlength="10" value="26/03/2027"'
                in r.text)
        assert f'id="result-{action_id}" name="result" maxlength="4000" value="Đã dùng mẫu mới"' in r.text
        # A new action without its owner: the owner of that nonconformity's form is marked, the
        # summary links to it, the form is open and keeps the rest; the finding form stays empty.
        r = client.post(f"{url}/khac-phuc", data={"csrf_token": token, "finding_id": finding_id,
                                                  "description": "Tập huấn cán bộ", "due_on": "15/04/2027"})
        assert r.status_code == 422
        assert f'<a href="#owner-{finding_id}">Người thực hiện</a>: Trường này là bắt buộc.' in r.text
        assert (f'<input id="owner-{finding_id}" name="owner" maxlength="255" value="" aria-invalid="true" '
                f'aria-describedby="owner-{finding_id}-error">') in r.text
        assert f'<p class="field-error" id="owner-{finding_id}-error">Trường này là bắt buộc.</p>' in r.text
        assert "<details open><summary>Thêm hành động khắc phục</summary>" in r.text
        assert f'id="description-{finding_id}" name="description" maxlength="4000" value="Tập huấn cán bộ"' in r.text
        assert f'id="due_on-{finding_id}" name="due_on" placeholder="dd/mm/yyyy" maxlength="10" value="15/04/2027"' in r.text
        assert re.search(r'<textarea id="description" name="description" rows="2" maxlength="4000">\s*</textarea>', r.text)
        # Nothing of the refused posts was written.
        page = client.get(url).text
        assert "Tập huấn cán bộ" not in page and "Đã dùng mẫu mới" not in page


def test_the_reports_open_on_the_half_year_running_today(client, db, agencies):
    _accounts(db, agencies)
    with frozen(local(2027, 10, 5, 9)):
        signed_in(client, "cv_khcn")
        summary = client.get("/chat-luong/bao-cao")
        assert summary.status_code == 200
        assert "<h2>Báo cáo 6 tháng cuối năm 2027 (từ 01/07/2027 đến 31/12/2027)</h2>" in summary.text
        assert 'href="/chat-luong/bao-cao.xlsx?loai=half&amp;nam=2027&amp;ky=2"' in summary.text
        first = client.get("/chat-luong/bao-cao", params={"nam": 2027, "ky": 1})
        assert "<h2>Báo cáo 6 tháng đầu năm 2027 (từ 01/01/2027 đến 30/06/2027)</h2>" in first.text
        signed_in(client, "tk_iso_tp")
        report = client.get(f"/chat-luong/don-vi/{agencies.justice.code}/bao-cao")
        assert "<h1>Báo cáo 6 tháng cuối năm 2027 – Sở Tư pháp</h1>" in report.text
    with frozen(local(2027, 3, 5, 9)):
        signed_in(client, "cv_khcn")
        assert "<h2>Báo cáo 6 tháng đầu năm 2027" in client.get("/chat-luong/bao-cao").text


def test_a_refused_legal_change_update_keeps_its_row_typing(client, db, session_factory):
    world = build(db)
    factories.procedure(db, "QTST-9", "Cấp giấy phép xây dựng (thử biểu mẫu)", days=15, agencies=[world.a])
    factories.account(db, "tk_iso_a", "quality_secretary", agency=world.a)
    with frozen(local(2027, 2, 1)):
        changes.apply(db, changes.diff(db, [changes.Entry(record={"code": "QTST-9", "time_limit_days": 10})]),
                      changes.Decision("15/QĐ-UBND", date(2027, 1, 10), date(2027, 1, 31), "Chủ tịch UBND tỉnh"),
                      actor="t_admin")
        db.commit()
        legal_changes.run(session_factory)
        task_id = db.scalars(select(LegalChangeTask.id)).one()
        signed_in(client, "tk_iso_a")
        token = csrf_from(client.get("/chat-luong/danh-gia").text)
        # Before the change took effect: refused; the note typed stays in that row's form.
        r = client.post(f"/chat-luong/viec-cap-nhat/{task_id}", data={
            "csrf_token": token, "done_on": "30/01/2027", "note": "Quy trình nội bộ QT-09 lần 2"})
        assert r.status_code == 422
        assert "Ngày hoàn thành không được trước ngày thay đổi có hiệu lực." in r.text
        assert f'id="done_on-{task_id}" name="done_on" placeholder="dd/mm/yyyy" maxlength="10" value="30/01/2027"' in r.text
        assert f'id="note-{task_id}" name="note" maxlength="4000" value="Quy trình nội bộ QT-09 lần 2"' in r.text
        # An empty date: that row's date input is marked and the summary links to it.
        r = client.post(f"/chat-luong/viec-cap-nhat/{task_id}", data={"csrf_token": token, "note": "QT-09"})
        assert r.status_code == 422
        assert f'<a href="#done_on-{task_id}">Ngày cập nhật xong</a>' in r.text
        assert f'aria-invalid="true" aria-describedby="done_on-{task_id}-error"' in r.text
        # The audit plan form of the same page stays empty.
        assert 'id="planned_on" name="planned_on" placeholder="dd/mm/yyyy" maxlength="10" value=""' in r.text
