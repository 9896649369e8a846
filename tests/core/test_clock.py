"""The one clock: aware instants only; a naive datetime is refused, never guessed."""

from datetime import UTC, datetime

import pytest

from motcua.core import clock
from motcua.core.clock import LOCAL_TZ, assume_local, frozen, now, to_local

NAIVE = datetime(2027, 3, 2, 9, 0)


def test_to_local_converts_aware_instants():
    assert to_local(datetime(2027, 3, 2, 2, 0, tzinfo=UTC)) == datetime(2027, 3, 2, 9, 0, tzinfo=LOCAL_TZ)
    assert to_local(datetime(2027, 3, 2, 2, 0, tzinfo=UTC)).tzinfo is LOCAL_TZ


def test_a_naive_datetime_is_refused_by_the_clock():
    # It used to mean UTC here and local time in the deadline engine.
    with pytest.raises(TypeError, match="naive datetime 2027-03-02T09:00:00 refused"):
        to_local(NAIVE)
    with pytest.raises(TypeError, match="naive datetime"), frozen(NAIVE):
        pass


def test_a_clock_that_returns_naive_time_is_refused(monkeypatch):
    monkeypatch.setattr(clock, "_now", lambda: NAIVE)
    with pytest.raises(TypeError, match="naive datetime"):
        now()


def test_typed_times_are_made_local_explicitly():
    assert assume_local(NAIVE) == datetime(2027, 3, 2, 9, 0, tzinfo=LOCAL_TZ)
    aware = datetime(2027, 3, 2, 2, 0, tzinfo=UTC)
    assert assume_local(aware) is aware
