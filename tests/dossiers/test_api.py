"""The dossier JSON API through the ASGI app (shares the test's transaction)."""

from __future__ import annotations

import base64

from sqlalchemy import func, select

from motcua.core.clock import frozen
from motcua.dossiers.models import Dossier, DossierEvent
from tests.dossiers.world import local


def receipt_body(world, **extra):
    body = {
        "procedure_code": world.p_dept.code, "agency_code": world.dept.code,
        "receiving_unit_code": world.centre.code, "channel": "counter",
        "applicant": {"kind": "person", "full_name": "Nguyễn Văn An", "id_number": "012345678901",
                      "phone": "0912345678", "email": "an@example.vn", "address": "Số 1 Lê Lợi"},
        "components": [{"name": "Tờ khai", "kind": "original", "count": 1}],
        "fees": 200000,
    }
    body.update(extra)
    return body


def count(db, model):
    return db.scalar(select(func.count()).select_from(model))


def test_receipt_with_idempotency_key_then_walk_to_returned(client, db, world, tokens):
    with frozen(local(2027, 3, 2, 9, 0)):
        headers = {**tokens["counter"], "Idempotency-Key": "abc-1"}
        r = client.post("/api/v1/dossiers", json=receipt_body(world), headers=headers)
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["code"] == "T00.00.01.H99-270302-0001"
        assert (body["status"], body["external_status"]) == ("awaiting_assignment", 2)
        assert body["due_at"] == "2027-03-09T17:00:00+07:00"
        assert body["available_actions"] == ["withdraw"]
        before = count(db, Dossier)
        again = client.post("/api/v1/dossiers", json=receipt_body(world), headers=headers)
        assert again.status_code == 200 and again.json()["id"] == body["id"]
        assert count(db, Dossier) == before
        other = client.post("/api/v1/dossiers", json=receipt_body(world, fees=1), headers=headers)
        assert other.status_code == 409 and other.headers["content-type"].startswith("application/problem+json")

    dossier_id = body["id"]
    with frozen(local(2027, 3, 2, 10, 0)):
        r = client.post(f"/api/v1/dossiers/{dossier_id}/actions/assign",
                        json={"assignee": world.specialist.username, "note": "Giao xử lý"}, headers=tokens["head"])
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "processing"
        r = client.post(f"/api/v1/dossiers/{dossier_id}/actions/forward", json={"note": "Đủ điều kiện"},
                        headers=tokens["specialist"])
        assert r.json()["status"] == "awaiting_approval"
        r = client.post(f"/api/v1/dossiers/{dossier_id}/actions/approve", headers=tokens["head"])
        assert r.status_code == 200 and r.json()["status"] == "awaiting_result"
        pdf = base64.b64encode(b"%PDF-1.4\n% ket qua\n").decode()
        r = client.post(f"/api/v1/dossiers/{dossier_id}/actions/issue_result",
                        json={"result_number": "12/QĐ", "file_base64": pdf, "file_name": "kq.pdf"},
                        headers=tokens["clerk"])
        assert r.status_code == 200, r.text
        r = client.post(f"/api/v1/dossiers/{dossier_id}/actions/return_result", json={},
                        headers=tokens["counter"])
        assert r.json()["status"] == "returned" and r.json()["external_status"] == 10
    events = client.get(f"/api/v1/dossiers/{dossier_id}/events", headers=tokens["counter"]).json()
    assert [e["action"] for e in events] == ["receive", "assign", "forward", "approve", "issue_result",
                                             "return_result"]


def test_wrong_state_and_wrong_role_are_refused_and_nothing_changes(client, db, world, tokens):
    with frozen(local(2027, 3, 2, 9, 0)):
        created = client.post("/api/v1/dossiers", json=receipt_body(world), headers=tokens["counter"]).json()
        events_before = count(db, DossierEvent)
        r = client.post(f"/api/v1/dossiers/{created['id']}/actions/approve", json={}, headers=tokens["head"])
        assert r.status_code == 409
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "Không thể phê duyệt" in r.json()["title"]
        r = client.post(f"/api/v1/dossiers/{created['id']}/actions/stop", json={"note": "x"},
                        headers=tokens["clerk"])
        assert r.status_code == 403
        r = client.get(f"/api/v1/dossiers/{created['id']}", headers=tokens["outsider"])
        assert r.status_code == 403
        r = client.post(f"/api/v1/dossiers/{created['id']}/actions/fly", json={}, headers=tokens["head"])
        assert r.status_code == 422
        assert count(db, DossierEvent) == events_before
        detail = client.get(f"/api/v1/dossiers/{created['id']}", headers=tokens["head"]).json()
        assert detail["status"] == "awaiting_assignment"


def test_receipt_errors_are_vietnamese(client, db, world, tokens):
    with frozen(local(2027, 3, 2, 9, 0)):
        r = client.post("/api/v1/dossiers", json=receipt_body(world, procedure_code="KHONG-CO"),
                        headers=tokens["counter"])
        assert r.status_code == 404
        r = client.post("/api/v1/dossiers", json=receipt_body(world, receiving_unit_code=world.commune.code),
                        headers=tokens["counter_commune"])
        assert r.status_code == 422 and "địa giới hành chính" in r.json()["title"]
        r = client.post("/api/v1/dossiers", json=receipt_body(world), headers=tokens["specialist"])
        assert r.status_code == 403
        r = client.post("/api/v1/dossiers", json={"channel": "fax"}, headers=tokens["counter"])
        assert r.status_code == 422
        assert client.post("/api/v1/dossiers", json=receipt_body(world)).status_code == 401


def test_lists_mask_ids_and_phones_and_filter_by_code_and_box(client, db, world, tokens):
    with frozen(local(2027, 3, 2, 9, 0)):
        created = client.post("/api/v1/dossiers", json=receipt_body(world), headers=tokens["counter"]).json()
        r = client.get("/api/v1/dossiers", params={"code": created["code"]}, headers=tokens["head"])
        assert r.status_code == 200
        page = r.json()
        assert page["total"] == 1
        item = page["items"][0]
        assert item["applicant_id_number"] == "*********901" and item["applicant_phone"] == "*******678"
        todo = client.get("/api/v1/dossiers", params={"box": "todo"}, headers=tokens["head"]).json()
        assert [i["id"] for i in todo["items"]] == [created["id"]]
        assert client.get("/api/v1/dossiers", params={"box": "todo"}, headers=tokens["specialist"]).json()[
            "total"] == 0
        assert client.get("/api/v1/dossiers", params={"code": created["code"]},
                          headers=tokens["outsider"]).json()["total"] == 0
        assert client.get("/api/v1/dossiers", params={"box": "nope"}, headers=tokens["head"]).status_code == 422
    with frozen(local(2027, 3, 10, 9, 0)):
        overdue = client.get("/api/v1/dossiers", params={"box": "overdue"}, headers=tokens["head"]).json()
        assert [i["id"] for i in overdue["items"]] == [created["id"]]
    with frozen(local(2027, 3, 8, 9, 0)):
        soon = client.get("/api/v1/dossiers", params={"box": "due_soon"}, headers=tokens["head"]).json()
        assert [i["id"] for i in soon["items"]] == [created["id"]]


def test_scans_are_sniffed_stored_by_hash_and_audited(client, db, world, tokens, settings):
    with frozen(local(2027, 3, 2, 9, 0)):
        created = client.post("/api/v1/dossiers", json=receipt_body(world), headers=tokens["counter"]).json()
        url = f"/api/v1/dossiers/{created['id']}/attachments"
        png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
        r = client.post(url, files={"file": ("scan.pdf", png, "application/pdf")}, data={"purpose": "scan"},
                        headers=tokens["counter"])
        assert r.status_code == 201, r.text
        assert r.json()["content_type"] == "image/png" and r.json()["size"] == 108
        assert r.json()["filename"] == "scan.png"  # named after what it is, not what it claimed
        sha = r.json()["sha256"]
        assert (settings.storage_dir / sha[:2] / sha).read_bytes() == png
        bad = client.post(url, files={"file": ("x.pdf", b"MZ\x90\x00evil", "application/pdf")},
                          headers=tokens["counter"])
        assert bad.status_code == 422 and "Định dạng tệp" in bad.json()["title"]
        assert client.post(url, files={"file": ("x.png", png)}, headers=tokens["outsider"]).status_code == 403
        got = client.get(f"{url}/{r.json()['id']}", headers=tokens["head"])
        assert got.status_code == 200 and got.content == png
        events = client.get(f"/api/v1/dossiers/{created['id']}/events", headers=tokens["counter"]).json()
        assert [e["action"] for e in events] == ["receive", "attach"]
