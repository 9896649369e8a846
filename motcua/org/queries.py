"""The agency hierarchy, read once per unit of work. Imports nothing from auth, so
`auth.policies` can compute a user's agency scope from it (org.service, which checks
roles, may import auth; auth never imports org.service)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from motcua.org.models import Agency

# session.info key of the agency tree: children of each agency (sub-agencies and the
# agencies merged into it), read once per unit of work.
_TREE = "motcua.org.agency_tree"


def _tree(session: Session) -> dict[uuid.UUID, list[uuid.UUID]]:
    tree = session.info.get(_TREE)
    if tree is None:
        tree = defaultdict(list)
        for agency_id, parent_id, successor_id in session.execute(
            select(Agency.id, Agency.parent_id, Agency.successor_id)
        ):
            if parent_id is not None:
                tree[parent_id].append(agency_id)
            if successor_id is not None:
                tree[successor_id].append(agency_id)
        session.info[_TREE] = tree
    return tree


def agencies_under(session: Session, roots: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """`roots` and everything under them: their children, recursively, and the agencies
    merged into them (their affairs are now theirs), with their own children.

    The whole hierarchy is one query per unit of work however often this is called (the
    inbox page asks for several roles' scopes); it is read again after agencies change."""
    children = _tree(session)
    found = set(roots)
    stack = list(found)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def subordinate_agency_ids(session: Session, agency: Agency) -> set[uuid.UUID]:
    """`agency` and everything under it (see `agencies_under`)."""
    return agencies_under(session, [agency.id])


@event.listens_for(Session, "after_flush")
def _forget_tree(session: Session, _flush_context) -> None:
    """An agency changed in this unit of work: the tree is read again."""
    if _TREE in session.info and any(
        isinstance(obj, Agency) for obj in (*session.new, *session.dirty, *session.deleted)
    ):
        session.info.pop(_TREE, None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_tree_at_end(session: Session) -> None:
    # Another unit of work may have changed the agencies since.
    session.info.pop(_TREE, None)
