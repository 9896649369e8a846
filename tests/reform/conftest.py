import pytest
from sqlalchemy import select

from motcua.org.models import Agency
from motcua.reform import policies
from tests import factories


@pytest.fixture
def people(db, agencies):
    """The council (a reform officer of the Department of Home Affairs) and two units' officers."""
    home = db.scalar(select(Agency).where(Agency.seed_key == policies.HOME_AFFAIRS_KEY))
    return {
        "council": factories.user(db, "t_snv", "Hội Đồng Thẩm Định", ("reform_officer", home), password=factories.PASSWORD),
        "justice": factories.user(db, "t_stp", "Cán Bộ Tư Pháp", ("reform_officer", agencies.justice), password=factories.PASSWORD),
        "finance": factories.user(db, "t_stc", "Cán Bộ Tài Chính", ("head", agencies.finance)),
    }
