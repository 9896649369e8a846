"""The one injectable clock. Nothing else reads the wall clock, so tests can move time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """Current instant, timezone-aware UTC; a clock set to return naive time is refused."""
    return require_aware(_now())


def local_now() -> datetime:
    return now().astimezone(LOCAL_TZ)


def require_aware(moment: datetime) -> datetime:
    """`moment` itself; TypeError for a naive datetime.

    A naive value has no meaning on its own (UTC to the database, local time to a person), so
    every function that reads instants refuses one instead of guessing. Typed local times are
    made aware where they are parsed (`assume_local`); values read from the database are
    aware (`motcua.core.db` attaches UTC on SQLite).
    """
    if moment.tzinfo is None:  # the one check, on the hot path of every deadline
        raise TypeError(
            f"naive datetime {moment.isoformat()} refused: pass an aware datetime "
            "(core.clock.now(), or core.clock.assume_local() for a time typed in Vietnam)"
        )
    return moment


def to_local(moment: datetime) -> datetime:
    """Convert for display and for working-day arithmetic; a naive datetime is refused."""
    return require_aware(moment).astimezone(LOCAL_TZ)


def assume_local(moment: datetime) -> datetime:
    """A date-time typed without an offset is Vietnamese local time (Asia/Ho_Chi_Minh);
    one with an offset keeps it. For parsing what a person typed, never for stored values."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=LOCAL_TZ)
    return moment


def set_clock(func: Callable[[], datetime]) -> None:
    global _now
    _now = func


@contextmanager
def frozen(moment: datetime) -> Iterator[None]:
    """Freeze the clock at `moment` (aware) for the duration of the block."""
    require_aware(moment)
    global _now
    previous = _now
    _now = lambda: moment.astimezone(UTC)  # noqa: E731
    try:
        yield
    finally:
        _now = previous
