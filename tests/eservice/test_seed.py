"""The demo list: procedures the catalogue marks online, chosen once, never changing the catalogue."""

from __future__ import annotations

from sqlalchemy import select

from motcua.catalog.models import DossierComponentSpec, NationalCode, Procedure
from motcua.eservice.models import OnlineService
from motcua.eservice.offers import offered_procedures
from motcua.eservice.seed import DEMO_BASIS, DEMO_COUNT, seed_demo
from tests.dossiers.world import build_world


def test_demo_procedures_are_online_in_the_catalogue_and_listed_once(db):
    world = build_world(db)
    for p in (world.p_dept, world.p_cross):
        p.online_level = "partial"
        db.add(DossierComponentSpec(procedure_id=p.id, position=1, name="Tờ khai", original_count=1))
    db.add(NationalCode(procedure_id=world.p_cross.id, national_code="1.000894", national_name="Đăng ký kết hôn",
                        confirmed_by="kiểm thử"))
    db.flush()
    seed_demo(db)
    seed_demo(db)
    entries = db.scalars(select(OnlineService)).all()
    assert 1 <= len(entries) <= DEMO_COUNT and {e.basis for e in entries} == {DEMO_BASIS}
    listed = {e.procedure_id for e in entries}
    assert world.p_cross.id not in listed  # has a national code
    assert listed == {p.id for p in offered_procedures(db)}  # every one is offered
    for p in db.scalars(select(Procedure).where(Procedure.id.in_(listed))):
        assert (p.status, p.level) == ("in_force", "province") and p.online_level in ("full", "partial")
