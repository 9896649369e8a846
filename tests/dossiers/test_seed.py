import re

from sqlalchemy import func, select

from motcua.auth.seed import seed_demo_users
from motcua.catalog.limits import procedure_time_limit
from motcua.catalog.models import Procedure
from motcua.dossiers.audit import verify_chains
from motcua.dossiers.models import Dossier
from motcua.dossiers.seed import DEMO_NOTE, seed_demo_dossiers
from motcua.org.models import AdministrativeUnit, Agency
from motcua.org.service import is_current

# "…, phường Đông Kinh, tỉnh Lạng Sơn": the commune or ward an address names.
PLACE = re.compile(r",\s*((?:xã|phường|thị trấn) [^,]+), tỉnh Lạng Sơn$")


def test_demo_dossiers_are_seeded_once_in_different_states(db):
    seed_demo_users(db)
    created = seed_demo_dossiers(db)
    assert seed_demo_dossiers(db) == []
    statuses = {d.status for d in created}
    assert {"awaiting_assignment", "processing", "supplement_requested", "awaiting_approval", "result_ready",
            "returned", "refused_at_receipt", "incomplete"} <= statuses
    assert db.scalar(select(func.count()).select_from(Dossier).where(Dossier.note == DEMO_NOTE)) == len(created)
    assert verify_chains(db)[1] == []


def test_demo_dossiers_span_agencies_and_procedures_of_the_current_organisation(db):
    seed_demo_users(db)
    created = seed_demo_dossiers(db)
    agencies = {d.agency_id: db.get(Agency, d.agency_id) for d in created}
    assert all(is_current(a) for a in agencies.values())
    kinds = [a.kind for a in agencies.values()]
    assert kinds.count("department") >= 3 and kinds.count("commune_committee") >= 2, kinds
    assert len({d.procedure_code for d in created}) >= 8
    # Communes walk their own dossiers to the end; other departments' wait at the centre.
    commune_statuses = {d.status for d in created if agencies[d.agency_id].kind == "commune_committee"}
    assert {"awaiting_assignment", "processing", "returned", "result_ready"} <= commune_statuses
    # Appointments come from the catalogue's time limits, never an entered illustrative one.
    procedures = {p.code: p for p in db.scalars(select(Procedure).where(
        Procedure.code.in_({d.procedure_code for d in created})))}
    assert all(p.status == "in_force" and procedure_time_limit(p).known for p in procedures.values())
    assert not any(d.time_limit_entered for d in created)


def test_demo_addresses_name_current_communes_and_wards(db):
    seed_demo_users(db)
    created = seed_demo_dossiers(db)
    current = {u.id: u.name.casefold() for u in db.scalars(select(AdministrativeUnit).where(
        AdministrativeUnit.kind.in_(["commune", "ward"]), AdministrativeUnit.valid_to.is_(None)))}
    assert len(current) == 65  # 61 communes and 4 wards since 01/07/2025
    for dossier in created:
        place = PLACE.search(dossier.applicant_address)
        assert place, dossier.applicant_address
        # The address names the commune or ward the dossier is filed under (statistics by place).
        assert place.group(1).casefold() == current.get(dossier.applicant_admin_unit_id), dossier.applicant_address
