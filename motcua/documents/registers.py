"""The numbers printed on the slips, read from the system's own registers.

The system keeps no separate numbering table for slips: every number is derived from rows it
already keeps, so printing (a read) never writes, and a slip printed twice carries the same
number. Every register restarts on 1 January (local time), as ND 30/2020 numbers documents
by calendar year.

- **The tracking book** of a receiving unit: one "quyển" per calendar year (`Quyển số` is the
  year), and the dossier's `Số thứ tự` is its position among the dossiers that unit received
  that year, in the book's order (received, then id) — the STT the dossier has when the book
  is printed from 1 January (documents.book prints in the same order). The slips issued at
  receipt (01 receipt, 02 at the counter, 03 refusal at the counter, 06 control slip) carry
  that number: "Số: 15/GTN" is the receipt of the book's entry 15.
- **Letters of an agency** (02 when a department asks for a supplement during handling, 04
  apology, 05 stop notice, 03a refusal notice) are numbered by the audit rows of that action:
  the n-th such action of the issuing unit in the year, in time order (then id). The audit
  trail is append-only, so a number never changes once given.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, time

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from motcua.core.clock import LOCAL_TZ, to_local
from motcua.dossiers.models import Dossier, DossierEvent


def year_start(moment: datetime) -> datetime:
    """1 January 00:00 local time of the year `moment` falls in."""
    local = to_local(moment)
    return datetime.combine(local.date().replace(month=1, day=1), time.min, tzinfo=LOCAL_TZ)


def book_volume(moment: datetime) -> str:
    """"Quyển số" of the book a dossier received at `moment` is written in: its year."""
    return str(to_local(moment).year)


def book_position(session: Session, dossier: Dossier) -> int:
    """The dossier's "Số thứ tự" in its receiving unit's book of the year."""
    stmt = select(func.count(Dossier.id)).where(
        Dossier.receiving_unit_id == dossier.receiving_unit_id,
        Dossier.received_at >= year_start(dossier.received_at),
        or_(Dossier.received_at < dossier.received_at,
            and_(Dossier.received_at == dossier.received_at, Dossier.id <= dossier.id)),
    )
    return int(session.scalar(stmt) or 0)


def action_number(
    session: Session,
    event: DossierEvent,
    actions: Iterable[str],
    *,
    agency_id: uuid.UUID | None = None,
    actor_unit_id: uuid.UUID | None = None,
) -> int:
    """The position of `event` among the audit rows of `actions` in the year of `event`, of
    the dossiers of the competent agency `agency_id` or done by the unit `actor_unit_id`."""
    stmt = select(func.count(DossierEvent.id)).where(
        DossierEvent.action.in_(list(actions)),
        DossierEvent.at >= year_start(event.at),
        or_(DossierEvent.at < event.at, and_(DossierEvent.at == event.at, DossierEvent.id <= event.id)),
    )
    if agency_id is not None:
        stmt = stmt.join(Dossier, Dossier.id == DossierEvent.dossier_id).where(Dossier.agency_id == agency_id)
    if actor_unit_id is not None:
        stmt = stmt.where(DossierEvent.actor_unit_id == actor_unit_id)
    return int(session.scalar(stmt) or 0)


def document_number(number: int | None, suffix: str) -> str:
    """"05/TB-DGQ": numbers below 10 with a leading zero (ND 30/2020, Appendix I)."""
    return f"{number:02d}/{suffix}" if number else ""
