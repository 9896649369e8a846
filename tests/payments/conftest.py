# ruff: noqa: F811  (fixtures imported by name are parameters of the fixtures below)
import pytest

from motcua.catalog.models import Fee
from motcua.dossiers.enums import DossierStatus
from tests.dossiers.conftest import desk, tokens, world  # noqa: F401  (pytest finds fixtures by name)
from tests.integrations.payment.fixtures import (  # noqa: F401
    payment_settings,
    payment_simulator,
    payment_simulator_server,
    platform,
)

FEE_BASIS = "Thông tư 244/2016/TT-BTC (mức thu của bộ kiểm thử)"
ENTERED_BASIS = "Điều 5 Thông tư 244/2016/TT-BTC: 3 trang × 4.000 đồng"


def in_processing(desk) -> dict:
    """A dossier received at the counter and handed to the appraisal step."""
    return desk.dossier_in(DossierStatus.processing)


def request_body(fees, amount: int = 12000) -> dict:
    return {"entered": [{"fee_id": str(fees["by_case"].id), "amount": amount, "basis": ENTERED_BASIS}]}


def ask(desk, dossier_id, body, who: str = "specialist"):
    return desk.client.post(f"/api/v1/dossiers/{dossier_id}/payments", json=body, headers=desk.headers[who])


@pytest.fixture
def fees(db, world):
    """The test procedure's fees: one with its amount and basis in the catalogue, one whose
    amount depends on the case (the officer determines it)."""
    fixed = Fee(procedure_id=world.p_dept.id, position=1, name="Lệ phí cấp phiếu lý lịch tư pháp", amount=200000,
                basis=FEE_BASIS)
    by_case = Fee(procedure_id=world.p_dept.id, position=2, name="Phí cung cấp bản sao theo số trang", amount=None,
                  note="Theo số trang bản sao")
    free = Fee(procedure_id=world.p_dept.id, position=3, name="Phí tra cứu", amount=0, basis=FEE_BASIS)
    db.add_all([fixed, by_case, free])
    db.flush()
    return {"fixed": fixed, "by_case": by_case, "free": free}


@pytest.fixture
def requested(desk, fees, payment_settings, payment_simulator):
    """A dossier at the appraisal step whose payment was requested through the platform."""
    dossier = in_processing(desk)
    response = ask(desk, dossier["id"], request_body(fees))
    assert response.status_code == 201, response.text
    return dossier, response.json()
