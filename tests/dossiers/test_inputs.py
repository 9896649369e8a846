"""Page and API share one input model per use case, one error mapping and the idempotency of
receipt (issue 9 §2): a replayed counter form creates no second dossier, on both backends."""

from __future__ import annotations

import re
import threading
import uuid

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, selectinload

from motcua.auth.models import User
from motcua.auth.service import issue_token
from motcua.core.clock import frozen
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.dossiers.models import Dossier, DossierAttachment, DossierEvent, IdempotencyRecord
from motcua.dossiers.schemas import ReceiptIn
from motcua.dossiers.service import receive
from tests.databases import fresh_url
from tests.documents.conftest import ENTERED_BASIS, PROCEDURE, csrf_from, login
from tests.dossiers.world import build_world, local
from tests.html_forms import shown_errors

PDF_BYTES = b"%PDF-1.4\n% scan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def counter_form(client, org, **changes) -> dict:
    """The counter form of PROCEDURE as the page hands it out: its CSRF token and idempotency key."""
    page = client.get("/quay", params={"ma_tt": PROCEDURE})
    assert page.status_code == 200
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)
    assert key, "the counter form has no idempotency key"
    return {
        "csrf_token": csrf_from(page.text), "idempotency_key": key.group(1), "procedure_code": PROCEDURE,
        "receiving_unit_id": str(org.centre.id), "agency_id": str(org.justice.id), "channel": "counter",
        "applicant_kind": "person", "full_name": "Hà Thị Lan", "id_number": "020190009999",
        "extra-0-name": "Tờ khai", "extra-0-kind": "original", "extra-0-count": "1", "fees": "8.000",
        "outcome": "accepted", "time_limit_days": "3", "time_limit_basis": ENTERED_BASIS, **changes,
    }


def bearer(db, user) -> dict:
    token = issue_token(db, user, "test")
    db.flush()
    return {"Authorization": f"Bearer {token}"}


def test_a_replayed_counter_form_creates_no_second_dossier(client, db, staff, org):
    login(client, "tn.quay")
    form = counter_form(client, org)
    before = count(db, Dossier)

    first = client.post("/quay", data=form, files={"scans": ("scan.pdf", PDF_BYTES, "application/pdf")},
                        follow_redirects=False)
    again = client.post("/quay", data=form, files={"scans": ("scan.pdf", PDF_BYTES, "application/pdf")},
                        follow_redirects=False)

    assert first.status_code == again.status_code == 303
    assert again.headers["location"] == first.headers["location"]
    assert count(db, Dossier) == before + 1
    dossier = db.scalars(select(Dossier).order_by(Dossier.created_at.desc())).first()
    assert first.headers["location"] == f"/ho-so/{dossier.id}"
    assert count(db, DossierAttachment) == 1  # the replay attached its scan again to nothing
    shown = client.get(again.headers["location"]).text
    assert (f"Biểu mẫu này đã được gửi trước đó: hồ sơ {dossier.code} đã được ghi nhận, "
            "không tạo thêm hồ sơ mới.") in shown

    # A form shown anew has a new key: that is a second receipt.
    other = counter_form(client, org)
    assert other["idempotency_key"] != form["idempotency_key"]
    second = client.post("/quay", data=other, follow_redirects=False)
    assert second.status_code == 303 and second.headers["location"] != first.headers["location"]
    assert count(db, Dossier) == before + 2


def test_the_key_survives_a_refused_form_and_guards_the_corrected_one(client, db, staff, org):
    login(client, "tn.quay")
    form = counter_form(client, org, outcome="incomplete")
    before = count(db, Dossier)

    refused = client.post("/quay", data=form)
    assert refused.status_code == 422
    assert f'name="idempotency_key" value="{form["idempotency_key"]}"' in refused.text

    corrected = {**form, "missing_items": "Bản sao giấy khai sinh"}
    first = client.post("/quay", data=corrected, follow_redirects=False)
    again = client.post("/quay", data=corrected, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert count(db, Dossier) == before + 1

    # The same key with other content (the browser's back button, a field changed): refused,
    # and the form comes back with a fresh key so that a deliberate new receipt can be made.
    changed = client.post("/quay", data={**corrected, "full_name": "Hà Văn Lâm"}, follow_redirects=False)
    assert changed.status_code == 409
    assert "đã được dùng cho một yêu cầu có nội dung khác" in changed.text
    assert 'value="Hà Văn Lâm"' in changed.text
    fresh = re.search(r'name="idempotency_key" value="([^"]+)"', changed.text).group(1)
    assert fresh != form["idempotency_key"]
    assert count(db, Dossier) == before + 1


def test_the_api_and_the_page_share_one_key_space_per_user(client, db, staff, org):
    login(client, "tn.quay")
    form = counter_form(client, org)
    first = client.post("/quay", data=form, follow_redirects=False)
    body = {"procedure_code": PROCEDURE, "agency_code": org.justice.code, "receiving_unit_code": org.centre.code,
            "applicant": {"kind": "person", "full_name": "Hà Thị Lan", "id_number": "020190009999"},
            "components": [{"name": "Tờ khai"}], "fees": 8000,
            "time_limit_days": 3, "time_limit_basis": ENTERED_BASIS}
    headers = {**bearer(db, staff.counter), "Idempotency-Key": form["idempotency_key"]}

    r = client.post("/api/v1/dossiers", json=body, headers=headers)

    # The page's form named its agencies by id, the API by code: another request body.
    assert r.status_code == 409 and r.json()["code"] == "idempotency_key_reused"
    replay = client.post("/api/v1/dossiers", json=body, headers={**headers, "Idempotency-Key": "api-1"})
    again = client.post("/api/v1/dossiers", json=body, headers={**headers, "Idempotency-Key": "api-1"})
    assert (replay.status_code, again.status_code) == (201, 200)
    assert replay.json()["id"] == again.json()["id"] != first.headers["location"].rsplit("/", 1)[1]


def test_form_and_json_refuse_bad_input_with_the_same_message(client, db, staff, org):
    login(client, "tn.quay")
    before = count(db, Dossier)
    page = client.post("/quay", data=counter_form(client, org, fees="mười nghìn", **{"extra-0-count": "0"}))
    body = {"procedure_code": PROCEDURE, "agency_code": org.justice.code, "receiving_unit_code": org.centre.code,
            "applicant": {"kind": "person", "full_name": "Hà Thị Lan"},
            "components": [{"name": "Tờ khai", "count": 0}], "fees": "mười nghìn"}
    api = client.post("/api/v1/dossiers", json=body, headers=bearer(db, staff.counter))

    assert page.status_code == api.status_code == 422
    assert api.headers["content-type"].startswith("application/problem+json")
    assert [(e["field"], e["message"]) for e in api.json()["errors"]] == [
        ("components.0.count", "Phải lớn hơn hoặc bằng 1."), ("fees", "Phải là số nguyên."),
    ]
    at_fields, summary = shown_errors(page.text)  # the API's messages, each at its field
    assert at_fields == {"extra-0-count": "Phải lớn hơn hoặc bằng 1.", "fees": "Phải là số nguyên."}
    assert summary == ["Thành phần hồ sơ 1 — Số lượng: Phải lớn hơn hoặc bằng 1.", "Phí, lệ phí: Phải là số nguyên."]
    assert count(db, Dossier) == before


def test_an_unknown_assignee_is_422_on_the_page_and_in_the_api(client, db, staff, received):
    dossier = received()
    events = count(db, DossierEvent)
    login(client, "tn.lanhdao")
    token = csrf_from(client.get(f"/ho-so/{dossier.id}").text)

    page = client.post(f"/ho-so/{dossier.id}/thao-tac/assign", data={"csrf_token": token, "assignee": "khong.co.ai"})
    api = client.post(f"/api/v1/dossiers/{dossier.id}/actions/assign", json={"assignee": "khong.co.ai"},
                      headers=bearer(db, staff.head))

    message = "Không tìm thấy cán bộ “khong.co.ai”."
    assert page.status_code == api.status_code == 422
    assert f'<p class="field-error action-error" role="alert">{message}</p>' in page.text
    assert api.json()["title"] == message and api.json()["code"] == "invalid_input"
    assert count(db, DossierEvent) == events
    db.refresh(dossier)
    assert dossier.status == "awaiting_assignment"


def test_an_unknown_agency_code_is_422_in_the_api(client, db, staff, org):
    body = {"procedure_code": PROCEDURE, "agency_code": "000.99.99.H37", "receiving_unit_code": org.centre.code,
            "applicant": {"kind": "person", "full_name": "Hà Thị Lan"}, "components": [{"name": "Tờ khai"}]}
    r = client.post("/api/v1/dossiers", json=body, headers=bearer(db, staff.counter))
    assert r.status_code == 422
    assert r.json()["title"] == "Cơ quan giải quyết: Không tìm thấy cơ quan có mã “000.99.99.H37”."


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_a_concurrent_replay_still_creates_one_dossier(backend, tmp_path):
    """Two requests with the same key at once, each on its own connection: the second waits for
    the first's claim of the key and answers with the first's dossier."""
    engine = make_engine(fresh_url(backend, "migrated", tmp_path, "replay"))
    factory = make_sessionmaker(engine)
    with session_scope(factory) as session:
        w = build_world(session)
        user_id = w.counter.id
        data = ReceiptIn(procedure_code=w.p_dept.code, agency_code=w.dept.code, receiving_unit_code=w.centre.code,
                         applicant={"kind": "person", "full_name": "Nguyễn Văn An"}, components=[{"name": "Tờ khai"}])

    barrier = threading.Barrier(2)
    results: list[tuple[str, bool]] = []
    errors: list[BaseException] = []

    def hold_the_commit(_session) -> None:
        # Keep each transaction open a moment after its claim, so the two overlap.
        threading.Event().wait(0.3)

    def work() -> None:
        try:
            barrier.wait(timeout=30)
            with session_scope(factory) as s:
                event.listen(s, "before_commit", hold_the_commit)
                user = s.scalars(select(User).where(User.id == user_id).options(selectinload(User.roles))).one()
                receipt = receive(s, user=user, data=data, idempotency_key="double-click")
                results.append((str(receipt.dossier.id), receipt.replayed))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    with frozen(local(2027, 3, 2, 9, 0)):
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    with Session(engine) as session:
        dossiers = session.scalar(select(func.count()).select_from(Dossier))
        keys = session.scalar(select(func.count()).select_from(IdempotencyRecord))
    engine.dispose()
    assert errors == []
    assert dossiers == keys == 1
    assert len({dossier_id for dossier_id, _ in results}) == 1
    assert sorted(replayed for _, replayed in results) == [False, True]


def test_a_procedure_without_a_catalogue_limit_needs_the_officers_limit_and_basis(client, db, staff, org):
    body = {"procedure_code": PROCEDURE, "agency_code": org.justice.code, "receiving_unit_code": org.centre.code,
            "applicant": {"kind": "person", "full_name": "Hà Thị Lan"}, "components": [{"name": "Tờ khai"}]}
    headers = bearer(db, staff.counter)

    none = client.post("/api/v1/dossiers", json=body, headers=headers)
    no_basis = client.post("/api/v1/dossiers", json=body | {"time_limit_days": 3}, headers=headers)
    entered = client.post("/api/v1/dossiers", json=body | {"time_limit_days": 3, "time_limit_basis": ENTERED_BASIS},
                          headers=headers)

    assert none.status_code == no_basis.status_code == 422
    assert "chưa có thời hạn giải quyết trong danh mục" in none.json()["title"]
    assert "căn cứ" in no_basis.json()["title"]
    assert entered.status_code == 201, entered.text
    dossier = db.get(Dossier, uuid.UUID(entered.json()["id"]))
    assert (dossier.time_limit_days, dossier.time_limit_basis, dossier.time_limit_entered) == (3, ENTERED_BASIS, True)
