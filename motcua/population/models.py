"""The access log of population lookups: one row per lookup, written in the request that made
it (found or not). It keeps whose number was looked up, never what the database answered:
the personal data stays in the national database and in the dossier the officer fills in.

Distributed by its own id: a row may exist before any dossier (the counter form), so it is
not dossier-scoped; `dossier_ref_id` is a lookup, like `dossier_codes.dossier_ref_id`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from motcua.core.clock import now
from motcua.core.db import Base, IdMixin, distributed


class PopulationLookup(IdMixin, Base):
    __tablename__ = "population_lookups"
    __table_args__ = (
        Index("ix_population_lookups_at", "at"),
        Index("ix_population_lookups_id_number", "id_number"),
        Index("ix_population_lookups_user_id_at", "user_id", "at"),
        {"info": distributed("id")},
    )

    at: Mapped[datetime] = mapped_column(default=now)
    # Who looked up: an officer (`user_id`), or a signed-in citizen looking up their own
    # number to fill in an online form (`citizen_id`, motcua.eservice); exactly one is set.
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    citizen_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("citizens.id"))
    username: Mapped[str] = mapped_column(String(64))  # as it was at the time ("công dân" for a citizen)
    user_name: Mapped[str] = mapped_column(String(200))
    # The unit in whose scope the lookup was made: the counter's one-stop section, or the
    # dossier's competent agency; agency administrators see their scope's rows.
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    id_number: Mapped[str] = mapped_column(String(12))
    dossier_ref_id: Mapped[uuid.UUID | None]
    dossier_code: Mapped[str | None] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(String(32))  # enums.LookupPurpose
    outcome: Mapped[str] = mapped_column(String(32))  # enums.LookupOutcome
    message: Mapped[str | None] = mapped_column(Text)  # the error shown, when not found
