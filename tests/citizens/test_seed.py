"""The demo data's unlinked account: added once, and found by the simulator's second seeded identity."""

from __future__ import annotations

from sqlalchemy import select

from motcua.citizens import service
from motcua.citizens.models import Citizen
from motcua.citizens.seed import seed_demo
from motcua.integrations.vneid import wire
from motcua.integrations.vneid.simulator import SEED_IDENTITIES


def test_demo_account_is_seeded_once_and_links_to_the_simulator_identity(db):
    seed_demo(db)
    seed_demo(db)
    (citizen,) = db.scalars(select(Citizen)).all()
    assert (citizen.full_name, citizen.tech_id) == ("Hoàng Thị Bình", None)

    outcome = service.sign_in_with_national_identity(db, wire.identity(SEED_IDENTITIES[1]))

    assert outcome.link_request.citizen_id == citizen.id
