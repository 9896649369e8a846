import pytest

from motcua.catalog.models import NationalCode
from tests.dossiers.world import build_world
from tests.integrations.dvcqg.fixtures import (  # noqa: F401  (pytest finds fixtures by name)
    PASSWORD,
    portal,
    portal_settings,
    simulator,
    simulator_server,
)

MARRIAGE = "1.000894"


@pytest.fixture
def world(db, simulator, monkeypatch):  # noqa: F811
    """The test world with its department's procedure mapped to a national code, and the
    worker's exchange jobs pointed at the simulator."""
    monkeypatch.setenv("DVCQG_URL", simulator.url)
    monkeypatch.setenv("MOTCUA_DVCQG_PASSWORD", PASSWORD)
    w = build_world(db)
    db.add(NationalCode(procedure_id=w.p_dept.id, national_code=MARRIAGE, national_name="Đăng ký kết hôn",
                        confirmed_by="kiểm thử"))
    db.commit()
    return w
