from __future__ import annotations

import pytest
from sqlalchemy import select

from motcua.reform.models import ReformPlan
from motcua.reform.policies import home_affairs
from tests import factories


@pytest.fixture
def officer(db):
    """A reform officer of the Department of Home Affairs (Sở Nội vụ): sees and manages all."""
    return factories.user(db, "t_cchc", "Trần Thị Cải Cách", ("reform_officer", home_affairs(db)),
                          password=factories.PASSWORD)


@pytest.fixture
def sample(db) -> ReformPlan:
    return db.scalar(select(ReformPlan).where(ReformPlan.is_sample.is_(True)))


@pytest.fixture
def people(db, agencies):
    """Index and surveys (i15score): the council (a reform officer of the Department of Home
    Affairs) and two units' officers."""
    home = home_affairs(db)
    return {
        "council": factories.user(db, "t_snv", "Hội Đồng Thẩm Định", ("reform_officer", home),
                                  password=factories.PASSWORD),
        "justice": factories.user(db, "t_stp", "Cán Bộ Tư Pháp", ("reform_officer", agencies.justice),
                                  password=factories.PASSWORD),
        "finance": factories.user(db, "t_stc", "Cán Bộ Tài Chính", ("head", agencies.finance)),
    }
