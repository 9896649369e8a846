"""Core's one table: the throttle counters of `core.throttle` (login and lookup limits)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from motcua.core.db import Base, distributed

KEY_MAX = 200


class ThrottleCounter(Base):
    """A fixed-window counter (see module doc); rows past their window are purged."""

    __tablename__ = "throttle_counters"
    # Each request touches one key: distributed by it, no join with other tables.
    __table_args__ = {"info": distributed("key")}

    key: Mapped[str] = mapped_column(String(KEY_MAX), primary_key=True)
    window_start: Mapped[datetime]
    hits: Mapped[int]
    blocked_until: Mapped[datetime | None]
