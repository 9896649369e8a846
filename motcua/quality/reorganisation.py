"""Reorganisations recorded from now on: when an administrator records an agency's dissolution
or merger in the organisation's admin screens (org.service.dissolve_agency), the agency's
quality system is handed to its successor in the same transaction (units.hand_over: scope
and documents move, the old record stays, read-only, and both histories say so).

The organisation domain sits below this one and imports none of it; this module registers
itself with org's `on_dissolved` when the quality package is imported (quality/__init__.py),
as dvcqg's outbox does with the dossiers' audit trail. The 2025 mergers already in the seed are
handed over by the quality seed (the quality units do not exist yet when org seeds them).
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.org.models import Agency
from motcua.org.service import on_dissolved
from motcua.quality import units


def hand_over_on_dissolution(session: Session, agency: Agency, actor_id: uuid.UUID | None) -> None:
    """Hand the agency's system to its final successor. Nothing to do for an agency without a
    system, or dissolved without a successor (its system stays as it is: nobody took its work)."""
    unit = units.unit_of_agency(session, agency.id)
    if unit is None:
        return
    units.hand_over(session, unit, actor=session.get(User, actor_id) if actor_id else None)


on_dissolved("quality-hand-over", hand_over_on_dissolution)
