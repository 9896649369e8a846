import pytest

from motcua.feedback.policies import pakn_unit
from tests import factories
from tests.dossiers.world import build_world


@pytest.fixture
def world(db):
    w = build_world(db)
    w.head.email = "lanhdao@sotuphap.example.vn"
    db.flush()
    return w


@pytest.fixture
def pakn_officer(db):
    """A specialist of the province's PAKN unit (Văn phòng UBND tỉnh), who may re-route."""
    return factories.user(db, "t_vpubnd", "Ngô Thị Đầu Mối", ("specialist", pakn_unit(db)))
