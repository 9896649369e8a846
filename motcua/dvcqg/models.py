"""The national catalogue as last pulled from the portal (reference data, replicated).

A cache, not a source of truth: `motcua catalog sync` refreshes it, mapping candidates are
proposed from it (no portal call while a page renders), and the next pull's differences
(added, abolished) are computed against it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from motcua.core.clock import now
from motcua.core.db import REFERENCE, Base, IdMixin


class NationalProcedureRecord(IdMixin, Base):
    __tablename__ = "dvcqg_procedures"
    __table_args__ = {"info": REFERENCE}

    code: Mapped[str] = mapped_column(String(32), unique=True)  # MATTHC
    name: Mapped[str] = mapped_column(Text)  # TENTTHC
    name_folded: Mapped[str] = mapped_column(Text)
    # From LayThuTuc (pulled for mapped procedures only): the reply record as received.
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    first_seen_at: Mapped[datetime] = mapped_column(default=now)
    last_seen_at: Mapped[datetime] = mapped_column(default=now)
    # Set when a pull no longer lists the code (abolished nationally); cleared if it returns.
    gone_at: Mapped[datetime | None] = mapped_column()
