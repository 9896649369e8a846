"""Who may act on a dossier: the state-machine table's `who` resolved against a user's roles.

Roles are held per agency (motcua.auth); `has_role` treats province_admin as every role
everywhere. Reading a dossier is allowed within the user's agency scope (receiving,
competent, return or a consulted agency; see queries.visible_dossiers).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from motcua.auth.models import User
from motcua.auth.policies import has_role, is_province_admin
from motcua.dossiers.models import Dossier, StepExecution
from motcua.dossiers.transitions import Transition


@dataclass(frozen=True)
class Actor:
    """The capacity in which a user acts: recorded on the audit row."""

    user_id: uuid.UUID | None
    name: str | None
    role: str | None
    unit_id: uuid.UUID | None


def _as(user: User, role: str, unit_id: uuid.UUID | None) -> Actor:
    held = any(r.role == role and (unit_id is None or r.agency_id == unit_id) for r in user.roles)
    return Actor(user.id, user.full_name, role if held else "province_admin", unit_id)


def match_actor(
    dossier: Dossier, transition: Transition, user: User | None, *, open_steps: list[StepExecution] = ()
) -> Actor | None:
    """The capacity in which `user` may perform `transition` on `dossier`, or None."""
    if user is None or not user.is_active:
        return None
    for who in transition.who:
        if who == "step":
            role, unit = dossier.current_role, dossier.current_unit_id
            if not role or unit is None:
                continue
            if has_role(user, role, agency_id=unit):
                assignee = dossier.current_assignee_id
                if transition.action == "claim" and assignee is not None:
                    continue  # already taken; the head re-assigns
                if assignee is None or assignee == user.id or has_role(user, "head", agency_id=unit):
                    return _as(user, role, unit)
        elif who == "counter":
            for unit in (dossier.receiving_unit_id, dossier.return_unit_id):
                for role in transition.roles:
                    if has_role(user, role, agency_id=unit):
                        return _as(user, role, unit)
        elif who == "competent":
            for role in transition.roles:
                if has_role(user, role, agency_id=dossier.agency_id):
                    return _as(user, role, dossier.agency_id)
        elif who == "consulted":
            for step in open_steps:
                if step.parallel_group is None:
                    continue
                for role in (step.role, *transition.roles):
                    if has_role(user, role, agency_id=step.unit_id):
                        return _as(user, role, step.unit_id)
    return None


def system_actor(name: str = "Hệ thống") -> Actor:
    return Actor(None, name, None, None)


def can_read(dossier: Dossier, scope: set[uuid.UUID] | None, consulted_units: set[uuid.UUID] = frozenset()) -> bool:
    """Pure: may a user with agency `scope` (None = everything) read `dossier`?"""
    if scope is None:
        return True
    units = {dossier.agency_id, dossier.receiving_unit_id, dossier.return_unit_id} | set(consulted_units)
    return bool(units & scope)


__all__ = ["Actor", "can_read", "is_province_admin", "match_actor", "system_actor"]
