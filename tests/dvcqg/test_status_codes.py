"""Counter dossiers are synced too, and each of the ten external status codes is produced by
some path and reaches the portal (simulator, real HTTP): the counter paths of the dossier tests
(factories.STATUS_PATHS, through the API) give 2–10, the online submission gives 1
(test_online_channel)."""

from __future__ import annotations

import uuid

from motcua.catalog.models import NationalCode
from motcua.dossiers.enums import EXTERNAL_STATUS, DossierStatus
from motcua.dossiers.models import Dossier
from motcua.dvcqg.outbound import send_pending
from tests.dossiers.conftest import desk, tokens, world  # noqa: F401  (fixtures)
from tests.factories import STATUS_PATHS

MARRIAGE = "1.000894"


def test_every_counter_status_reaches_the_portal(db, session_factory, portal, simulator, world, desk):  # noqa: F811
    db.add(NationalCode(procedure_id=world.p_dept.id, national_code=MARRIAGE, national_name="Đăng ký kết hôn",
                        confirmed_by="kiểm thử"))
    db.commit()
    dossiers = {status: desk.dossier_in(status)["id"] for status in STATUS_PATHS}
    report = send_pending(session_factory, portal)
    assert report.failed == {} and len(report.synced) == len(STATUS_PATHS)

    held = {}
    for status, dossier_id in dossiers.items():
        code = db.get(Dossier, uuid.UUID(dossier_id)).code
        held[status] = int(simulator.held(code)["TrangThaiHoSo"])
        assert held[status] == EXTERNAL_STATUS[status], status
    assert set(held.values()) | {int(EXTERNAL_STATUS[DossierStatus.submitted_online])} == set(range(1, 11))
