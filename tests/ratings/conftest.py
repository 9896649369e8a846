import uuid

import pytest

from motcua.dossiers.enums import DossierStatus
from motcua.dossiers.models import Dossier
from tests.dossiers.conftest import desk, tokens, world  # noqa: F401  (fixtures)
from tests.factories import STATUS_PATHS
from tests.integrations.dvcqg.fixtures import (  # noqa: F401  (pytest finds fixtures by name)
    PASSWORD,
    portal,
    portal_settings,
    simulator,
    simulator_server,
)
from tests.integrations.vneid.fixtures import vneid, vneid_server  # noqa: F401

CITIZEN_ID_NUMBER = "020190000123"  # the national login simulator's seeded citizen (sim-cd-0001)
ANSWERS = {"time_score": "2", "contacts_score": "1", "attitude_score": "2", "satisfaction": "very_satisfied",
           "comment": "Cán bộ hướng dẫn tận tình"}


def dossier_in(desk, db, status: DossierStatus, id_number: str = CITIZEN_ID_NUMBER) -> Dossier:  # noqa: F811
    """A counter dossier of the applicant `id_number`, moved into `status` through the API."""
    body = desk.receipt_body()
    body["applicant"]["id_number"] = id_number
    response = desk.client.post("/api/v1/dossiers", json=body, headers=desk.headers["counter"])
    assert response.status_code == 201, response.text
    dossier_id = response.json()["id"]
    for move in STATUS_PATHS[status]:
        answer = desk.act(dossier_id, move.action, move.who, move.body)
        assert answer.status_code == 200, answer.text
    db.expire_all()
    dossier = db.get(Dossier, uuid.UUID(dossier_id))
    assert dossier.status == status
    return dossier


@pytest.fixture
def returned(desk, db):  # noqa: F811
    return dossier_in(desk, db, DossierStatus.returned)
