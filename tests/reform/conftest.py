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
