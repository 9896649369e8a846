from sqlalchemy import func, select

from motcua.auth.seed import seed_demo_users
from motcua.dossiers.audit import verify_chains
from motcua.dossiers.models import Dossier
from motcua.dossiers.seed import DEMO_NOTE, seed_demo_dossiers


def test_demo_dossiers_are_seeded_once_in_different_states(db):
    seed_demo_users(db)
    created = seed_demo_dossiers(db)
    assert seed_demo_dossiers(db) == []
    statuses = {d.status for d in created}
    assert {"awaiting_assignment", "processing", "supplement_requested", "awaiting_approval", "result_ready",
            "returned", "refused_at_receipt", "incomplete"} <= statuses
    assert db.scalar(select(func.count()).select_from(Dossier).where(Dossier.note == DEMO_NOTE)) == len(created)
    assert verify_chains(db)[1] == []
