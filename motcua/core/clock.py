"""The one injectable clock. Nothing else reads the wall clock, so tests can move time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """Current instant, timezone-aware UTC."""
    return _now()


def local_now() -> datetime:
    return now().astimezone(LOCAL_TZ)


def to_local(moment: datetime) -> datetime:
    """Convert for display and for working-day arithmetic; naive values are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ)


def set_clock(func: Callable[[], datetime]) -> None:
    global _now
    _now = func


@contextmanager
def frozen(moment: datetime) -> Iterator[None]:
    """Freeze the clock at `moment` (aware) for the duration of the block."""
    if moment.tzinfo is None:
        raise ValueError("frozen() needs an aware datetime")
    global _now
    previous = _now
    _now = lambda: moment.astimezone(UTC)  # noqa: E731
    try:
        yield
    finally:
        _now = previous
