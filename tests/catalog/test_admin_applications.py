"""The administrator page of procedures without a current agency: empty after seeding; a
procedure whose only agency ended appears, a refused resolution is shown again with what was
typed, and a resolution takes it off the list."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from motcua.auth.roles import Role
from motcua.catalog.applications import current_applications, procedures_without_current_agency
from motcua.catalog.models import ProcedureAgency
from motcua.catalog.service import get_procedure_by_code
from motcua.org import service as org_service
from tests.catalog.conftest import csrf_from

CODE = "LSN-TT-1444"  # a former district procedure, now at every commune committee
PAGE = "/quan-tri/thu-tuc/chua-co-co-quan"


def test_the_list_is_empty_after_seeding(client, make_user, login):
    make_user("qt-tinh", Role.province_admin)
    login("qt-tinh")
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Mọi thủ tục đang có hiệu lực đều có cơ quan thực hiện hiện nay." in page.text


def test_a_procedure_without_agency_is_listed_and_resolved(client, db, make_user, login):
    procedure = get_procedure_by_code(db, CODE)
    db.execute(
        update(ProcedureAgency)
        .where(ProcedureAgency.procedure_id == procedure.id, ProcedureAgency.valid_to.is_(None))
        .values(valid_to=date(2025, 12, 31))
    )
    db.flush()
    assert [p.code for p in procedures_without_current_agency(db)] == [CODE]
    make_user("qt-tinh", Role.province_admin)
    login("qt-tinh")
    page = client.get(PAGE)
    assert f"<code>{CODE}</code>" in page.text
    token = csrf_from(page.text)

    refused = client.post(PAGE, data={"csrf_token": token, "code": CODE, "agency_codes": "000.00.99.H37",
                                      "valid_from": "01/01/2026", "source": "QĐ 12/QĐ-UBND"})
    assert refused.status_code == 422
    assert "Không có cơ quan mã “000.00.99.H37”." in refused.text
    assert 'value="000.00.99.H37"' in refused.text

    justice = org_service.find_agency_by_name(db, "Sở Tư pháp")
    done = client.post(PAGE, data={"csrf_token": token, "code": CODE, "agency_codes": justice.code,
                                   "every_commune": "1", "valid_from": "01/01/2026",
                                   "source": "Quyết định 12/QĐ-UBND ngày 20/12/2025"}, follow_redirects=False)
    assert done.status_code == 303, done.text[:2000]
    assert procedures_without_current_agency(db) == []
    apps = current_applications(db, [procedure.id])
    assert len(apps) == 66
    assert {a.level for a in apps} == {"province", "commune"}
    assert {a.source for a in apps} == {"Quyết định 12/QĐ-UBND ngày 20/12/2025"}
    assert {a.valid_from for a in apps} == {date(2026, 1, 1)}


def test_only_a_province_administrator_resolves(client, make_user, login):
    make_user("qt-donvi", Role.agency_admin)
    login("qt-donvi")
    assert client.get(PAGE).status_code == 403
