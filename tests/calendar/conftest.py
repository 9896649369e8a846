"""A calendar built from the same data the seed loads (package + corrections), confirmed days only."""

import pytest

from motcua.calendar.engine import WorkingCalendar
from motcua.calendar.sources import MAKEUP_WORKDAY, seed_days


def seeded_calendar() -> WorkingCalendar:
    days = seed_days()
    off = {d.day: d.name for d in days if d.kind != MAKEUP_WORKDAY and d.confirmed}
    makeup = {d.day: d.name for d in days if d.kind == MAKEUP_WORKDAY and d.confirmed}
    return WorkingCalendar(off, makeup)


@pytest.fixture(scope="session")
def cal() -> WorkingCalendar:
    return seeded_calendar()
