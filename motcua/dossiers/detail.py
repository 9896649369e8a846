"""One read model of a dossier: what its page shows and what the API's detail returns.

Everything is loaded up front, one query per kind of row, so neither a template nor the API
serialiser triggers a query; the page adds only its own extras (printable forms, the
candidates of "assign") on top (dossiers/pages.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.dossiers.audit import dossier_events
from motcua.dossiers.models import (
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierPause,
    DossierResult,
    StepExecution,
)
from motcua.dossiers.service import available_actions
from motcua.org.models import Agency


def agency_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, Agency]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {a.id: a for a in session.scalars(select(Agency).where(Agency.id.in_(ids)))}


def user_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).tuples().all())


@dataclass
class DossierDetail:
    dossier: Dossier
    components: list[DossierComponent]
    steps: list[StepExecution]
    pauses: list[DossierPause]
    results: list[DossierResult]
    events: list[DossierEvent]
    agencies: dict[uuid.UUID, Agency]  # every agency the dossier or its steps name
    users: dict[uuid.UUID, str]  # full names of the people it names
    actions: list[str]  # what the reader may do now

    def agency_code(self, agency_id: uuid.UUID | None) -> str | None:
        agency = self.agencies.get(agency_id) if agency_id else None
        return agency.code if agency else None


def dossier_detail(session: Session, dossier: Dossier, user: User | None) -> DossierDetail:
    """The dossier as `user` reads it (the caller checked that `user` may read it)."""
    components = list(session.scalars(
        select(DossierComponent).where(DossierComponent.dossier_id == dossier.id).order_by(DossierComponent.position)
    ))
    steps = list(session.scalars(
        select(StepExecution).where(StepExecution.dossier_id == dossier.id)
        .order_by(StepExecution.started_at, StepExecution.position)
    ))
    pauses = list(session.scalars(
        select(DossierPause).where(DossierPause.dossier_id == dossier.id).order_by(DossierPause.started_at)
    ))
    results = list(session.scalars(
        select(DossierResult).where(DossierResult.dossier_id == dossier.id).order_by(DossierResult.issued_at)
    ))
    agencies = agency_names(
        session,
        {dossier.agency_id, dossier.receiving_unit_id, dossier.return_unit_id, dossier.current_unit_id}
        | {s.unit_id for s in steps},
    )
    users = user_names(
        session,
        {dossier.received_by_id, dossier.current_assignee_id}
        | {s.assignee_id for s in steps}
        | {s.finished_by_id for s in steps},
    )
    return DossierDetail(dossier, components, steps, pauses, results, dossier_events(session, dossier.id), agencies,
                         users, available_actions(session, dossier, user))
