"""The audit API end to end: plan, hold, nonconformity, action, closure; the summary and its
XLSX agree; refusals are problem+json, never a 500."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from motcua.core.clock import frozen
from tests import factories
from tests.factories import local
from tests.quality.audit_world import build

API = "/api/v1/quality"


def test_an_audit_through_the_api_to_closure_and_the_summary_totals(db, client):
    w = build(db)
    sec, dept = factories.bearer(db, w.sec_a), factories.bearer(db, w.sec_dept)
    db.commit()
    with frozen(local(2027, 3, 20, 16)):
        r = client.post(f"{API}/units/{w.a.code}/audits", headers=sec,
                        json={"planned_on": "2027-03-20", "scope": "Lĩnh vực xây dựng", "auditors": "Nguyễn Văn A"})
        assert r.status_code == 201, r.text
        audit_id = r.json()["id"]
        assert r.json()["agency_code"] == w.a.code and r.json()["status"] == "planned"
        assert client.post(f"{API}/units/{w.a.code}/audits", headers=dept, json={
            "planned_on": "2027-03-20", "scope": "x", "auditors": "y"}).status_code == 403
        assert client.post(f"{API}/audits/{audit_id}/held", headers=sec,
                           json={"held_on": "2027-03-20", "summary": "Cơ bản phù hợp"}).status_code == 200
        bad = client.post(f"{API}/audits/{audit_id}/findings", headers=sec,
                          json={"kind": "nonconformity", "description": "Thiếu sổ"})
        assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
        r = client.post(f"{API}/audits/{audit_id}/findings", headers=sec, json={
            "kind": "nonconformity", "clause": "7.5.3", "description": "Thiếu sổ", "root_cause": "Chưa có mẫu"})
        assert r.status_code == 201
        nc_id = r.json()["id"]
        r = client.post(f"{API}/nonconformities/{nc_id}/actions", headers=sec,
                        json={"description": "Ban hành mẫu sổ", "owner": "Trần Thị B", "due_on": "2027-04-10"})
        action_id = r.json()["id"]
        assert client.post(f"{API}/nonconformities/{nc_id}/close", headers=sec, json={
            "verified_on": "2027-03-20", "verification_note": "x"}).status_code == 409
    with frozen(local(2027, 4, 12)):
        listed = client.get(f"{API}/nonconformities", headers=dept, params={"open_only": True}).json()
        assert [(n["id"], n["overdue"]) for n in listed] == [(nc_id, True)]
        assert client.post(f"{API}/actions/{action_id}/done", headers=sec,
                           json={"done_on": "2027-04-11", "result": "Đã dùng mẫu mới"}).status_code == 200
        r = client.post(f"{API}/nonconformities/{nc_id}/close", headers=sec,
                        json={"verified_on": "2027-04-12", "verification_note": "Đạt"})
        assert r.status_code == 200 and r.json()["status"] == "closed"
        audit = client.get(f"{API}/audits/{audit_id}", headers=dept).json()
        assert (audit["status"], audit["closed_on"]) == ("closed", "2027-04-12")
        summary = client.get(f"{API}/reports/summary", headers=dept, params={"kind": "half", "year": 2027})
        assert summary.status_code == 200
        assert client.get(f"{API}/reports/summary", headers=sec, params={"kind": "half", "year": 2027}).status_code == 403
        xlsx = client.get(f"{API}/reports/summary.xlsx", headers=dept, params={"kind": "half", "year": 2027})
    body = summary.json()
    row = next(r for r in body["rows"] if r["agency_code"] == w.a.code)
    assert row["figures"] | {} == {"announced_in_period": 0, "audits_held": 1, "reviews_held": 0, "ncs_found": 1,
                                   "ncs_open": 0, "ncs_overdue": 0, "legal_opened": 0, "legal_pending": 0,
                                   "legal_overdue": 0}
    assert body["total"]["audits_held"] == 1 and body["total"]["ncs_found"] == 1
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    total = [c.value for c in list(sheet.iter_rows(min_row=4))[-1]]
    assert total[5:] == list(body["total"].values())
    assert len(list(sheet.iter_rows(min_row=4))) == len(body["rows"]) + 1
