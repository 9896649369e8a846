import pytest

from motcua.catalog.models import Fee
from tests.dossiers.conftest import desk, tokens, world  # noqa: F401, F811  (pytest finds fixtures by name)
from tests.integrations.payment.fixtures import (  # noqa: F401
    payment_settings,
    payment_simulator,
    payment_simulator_server,
    platform,
)

FEE_BASIS = "Thông tư 244/2016/TT-BTC (mức thu của bộ kiểm thử)"


@pytest.fixture
def fees(db, world):  # noqa: F811
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
