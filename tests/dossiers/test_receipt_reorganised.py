"""Receipt after the 2025 reorganisation, through the JSON API: a dossier addressed to a
merged department is refused with its successor's name; the successor is accepted."""

from __future__ import annotations

from sqlalchemy import select

from motcua.catalog.models import Procedure, ProcedureAgency
from motcua.org.models import Agency
from tests import factories


def test_dissolved_agency_is_refused_naming_the_successor_and_the_successor_is_accepted(client, db, agencies):
    old = db.scalars(select(Agency).where(Agency.seed_key == "so-tn-mt")).one()
    new = db.scalars(select(Agency).where(Agency.seed_key == "so-nn-mt")).one()
    procedure = db.scalars(
        select(Procedure)
        .join(ProcedureAgency, ProcedureAgency.procedure_id == Procedure.id)
        .where(ProcedureAgency.agency_id == old.id)
        .order_by(Procedure.code)
    ).first()
    officer = factories.account(db, "motcua-tnmt", "counter_officer", agency=agencies.centre)
    headers = factories.bearer(db, officer)
    body = {
        "procedure_code": procedure.code, "agency_code": old.code, "receiving_unit_code": agencies.centre.code,
        "channel": "counter",
        "applicant": {"kind": "person", "full_name": "Hoàng Thị Mai", "id_number": "020190001234"},
        "components": [{"name": "Đơn đề nghị", "kind": "original", "count": 1}],
        "fees": 0,
    }
    refused = client.post("/api/v1/dossiers", json=body, headers=headers)
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["code"] == "agency_not_competent"
    detail = problem["title"]
    assert detail.startswith("Sở Tài nguyên và Môi trường đã giải thể/sáp nhập từ ngày 01/03/2025")
    assert "nhiệm vụ chuyển cho Sở Nông nghiệp và Môi trường" in detail
    assert "Cơ quan thực hiện hiện nay: Sở Nông nghiệp và Môi trường." in detail

    accepted = client.post("/api/v1/dossiers", json={**body, "agency_code": new.code}, headers=headers)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["status"] == "awaiting_assignment"
