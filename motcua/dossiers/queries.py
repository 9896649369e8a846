"""Reading dossiers. Every staff list starts from `visible_dossiers(session, user)`.

A user sees a dossier when one of its agencies is within the user's agency scope
(auth.policies.agency_scope: the agencies where the user holds a role and those below):
the competent agency, the receiving unit, the place of return, or an agency consulted in
an inter-agency step. Province administrators see everything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, exists, false, func, or_, select, union
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import agency_scope, is_province_admin
from motcua.calendar.store import load_calendar
from motcua.core.clock import now
from motcua.core.errors import Forbidden, InvalidInput, NotFound
from motcua.core.text import fold
from motcua.dossiers.deadlines import due_soon_until as _due_soon_until
from motcua.dossiers.enums import (
    FINISHED_STATUSES,
    OPEN_STATUSES_FILTER,
    PAUSED_STATUSES,
    TERMINAL_STATUSES,
    DossierStatus,
    StepState,
)
from motcua.dossiers.models import Dossier, DossierCode, StepExecution
from motcua.org.models import Agency
from motcua.org.service import list_one_stop_agencies

BOXES = ("todo", "due_soon", "overdue", "waiting")
MAX_PAGE_SIZE = 100
# A history-wide total is counted up to this many and then shown as "more than" (issue 8:
# a list costs what the page shows; nobody pages through a thousand dossiers).
TOTAL_CAP = 1000
# Up to this many agencies in scope, a history list runs one ordered index scan per
# (agency, column): each stops after the page. Beyond it, one scan per column.
PER_UNIT_BRANCHES_MAX = 24
_SCOPE_COLUMNS = (Dossier.agency_id, Dossier.receiving_unit_id, Dossier.return_unit_id)


def _open():
    """Not terminal: every box (to do, due soon, overdue, waiting) lies within it, and so do the
    partial indexes `ix_dossiers_open_*` (same predicate, so PostgreSQL can use them)."""
    return Dossier.status.not_in(OPEN_STATUSES_FILTER)


def _consulted(scope: set[uuid.UUID], *, since: datetime | None = None):
    """Consulted in an inter-agency step by an agency of `scope`; with `since`, among the
    dossiers received from `since` on. A step starts after its dossier was received, so those
    dossiers' steps started from `since` on too, and the index on (unit_id, started_at) reads
    only the steps of the page's period, not of the whole history."""
    steps = select(StepExecution.dossier_id).where(StepExecution.parallel_group.is_not(None),
                                                   StepExecution.unit_id.in_(scope))
    if since is None:
        return Dossier.id.in_(steps)
    return and_(Dossier.received_at >= since, Dossier.id.in_(steps.where(StepExecution.started_at >= since)))


def _column_branches(scope: set[uuid.UUID], *, per_unit: bool = False) -> list:
    """The competent agency, the receiving unit, the place of return: one condition per column,
    or per column and agency (each an index scan ordered by received_at)."""
    if per_unit:
        return [column == unit for unit in sorted(scope) for column in _SCOPE_COLUMNS]
    return [column.in_(scope) for column in _SCOPE_COLUMNS]


def _scope_branches(scope: set[uuid.UUID], *, per_unit: bool = False) -> list:
    """The visibility rule as conditions whose OR is the rule, each one an index's business:
    the three agency columns and the agencies consulted in an inter-agency step."""
    return [*_column_branches(scope, per_unit=per_unit), _consulted(scope)]


def _scope_filter(scope: set[uuid.UUID]):
    if not scope:
        return false()
    return or_(*_scope_branches(scope))


def visible_dossiers(session: Session, user: User | None) -> Select[tuple[Dossier]]:
    """SELECT of the dossiers `user` may see (province_admin: all; nobody: none).

    Use it to filter further (a unit's book, one dossier). Lists of pages go through
    `visible_page` / `visible_count`, which apply the same rule branch by branch.
    """
    stmt = select(Dossier)
    if user is None:
        return stmt.where(false())
    scope = agency_scope(session, user)
    if scope is None:
        return stmt
    return stmt.where(_scope_filter(scope))


def _order(urgent: bool = False) -> tuple:
    """Newest first: received_at then id, both descending (an index on (column, received_at)
    read backwards). `urgent` (the boxes, issue 16): the earliest due time first — the most
    overdue at the top, then the rest overdue, due today, then by due time — dossiers without
    a due time last, then the oldest received."""
    if urgent:
        return (Dossier.due_at.is_(None), Dossier.due_at, Dossier.received_at, Dossier.id)
    return (Dossier.received_at.desc(), Dossier.id.desc())


def _urgency_key(row) -> tuple:
    """`_order(urgent=True)` in Python, to merge the branches' rows."""
    return (row.due_at is None, row.due_at or row.received_at, row.received_at, row.id)


def _branch_selects(branches: list, conditions: list, *, columns, limit: int | None = None,
                    ordered: bool = False, urgent: bool = False) -> list[Select]:
    """One SELECT per visibility branch, each stopping after `limit` rows when given (in the
    page's order when `ordered`; any rows will do for a capped count)."""
    selects = []
    for branch in branches:
        stmt = select(*columns).where(branch, *conditions)
        if ordered:
            stmt = stmt.order_by(*_order(urgent))
        if limit is not None:
            # Wrapped so that SQLite accepts ORDER BY/LIMIT inside a compound SELECT.
            stmt = select(stmt.limit(limit).subquery())
        selects.append(stmt)
    return selects


def _user_scope(session: Session, user: User | None) -> set[uuid.UUID] | None:
    """None: the user sees everything; an empty set: nothing."""
    return set() if user is None else agency_scope(session, user)


def visible_page(session: Session, user: User | None, conditions: list, *, offset: int, limit: int,
                 urgent: bool = False) -> list[Dossier]:
    """One page of the visible dossiers meeting `conditions`: newest first, or by urgency
    (`_order(urgent=True)`) when `urgent` — only for conditions within `_open()` (the boxes),
    whose rows are bounded by the work in progress (the open partial indexes), not the history.

    Each agency-column branch is an ordered index scan that stops after offset + limit rows;
    newest first, the received time of the last of those rows bounds the consultation branch
    (see `_consulted`). The few rows found are merged, sorted and cut: the cost depends on the
    page, not on the history.
    """
    scope = _user_scope(session, user)
    if scope is None:
        stmt = select(Dossier).where(*conditions).order_by(*_order(urgent)).offset(offset).limit(limit)
        return list(session.scalars(stmt))
    if not scope:
        return []
    wanted = offset + limit
    if urgent:
        columns = (Dossier.id, Dossier.received_at, Dossier.due_at)
        selects = _branch_selects(_scope_branches(scope), conditions, limit=wanted, ordered=True, urgent=True,
                                  columns=columns)
        rows = session.execute(select(union(*selects).subquery())).all()
        ids = list(dict.fromkeys(r.id for r in sorted(rows, key=_urgency_key)))[offset:offset + limit]
    else:
        columns = (Dossier.id, Dossier.received_at)
        branches = _column_branches(scope, per_unit=len(scope) <= PER_UNIT_BRANCHES_MAX)
        merged = union(*_branch_selects(branches, conditions, limit=wanted, ordered=True, columns=columns)).subquery()
        rows = session.execute(
            select(merged.c.id, merged.c.received_at).order_by(merged.c.received_at.desc(), merged.c.id.desc())
            .limit(wanted)
        ).all()
        since = rows[-1].received_at if len(rows) == wanted else None
        rows += session.execute(
            select(*columns).where(_consulted(scope, since=since), *conditions).order_by(*_order()).limit(wanted)
        ).all()
        newest = dict(sorted(((r.received_at, r.id), r.id) for r in rows)[::-1])  # (received_at, id) desc, unique
        ids = list(dict.fromkeys(newest.values()))[offset:offset + limit]
    if not ids:
        return []
    found = {d.id: d for d in session.scalars(select(Dossier).where(Dossier.id.in_(ids)))}
    return [found[i] for i in ids]


def visible_count(session: Session, user: User | None, conditions: list, *, cap: int | None = None) -> tuple[int, bool]:
    """(count, more): the visible dossiers meeting `conditions`, counted up to `cap` (TOTAL_CAP);
    `more` says there are more than `cap` (the page shows "hơn 1.000").

    Every branch stops after cap + 1 rows, in no particular order: if one has more, so has the
    union; if none has, each was read whole and the union is exact.
    """
    cap = TOTAL_CAP if cap is None else cap
    scope = _user_scope(session, user)
    if scope is None:
        inner = select(Dossier.id).where(*conditions).limit(cap + 1).subquery()
    elif not scope:
        return 0, False
    else:
        selects = _branch_selects(_scope_branches(scope), conditions, limit=cap + 1, ordered=False,
                                  columns=(Dossier.id,))
        inner = select(union(*selects).subquery().c.id).limit(cap + 1).subquery()
    n = session.scalar(select(func.count()).select_from(inner)) or 0
    return min(n, cap), n > cap


def is_visible(session: Session, dossier: Dossier, user: User | None) -> bool:
    if user is None:
        return False
    scope = agency_scope(session, user)
    if scope is None:
        return True
    stmt = select(Dossier.id).where(Dossier.id == dossier.id, _scope_filter(scope))
    return session.scalar(stmt) is not None


def ensure_visible(session: Session, dossier: Dossier, user: User | None) -> None:
    if not is_visible(session, dossier, user):
        raise Forbidden("Hồ sơ không thuộc phạm vi cơ quan, đơn vị của bạn.")


def get_dossier(session: Session, dossier_id: uuid.UUID, user: User | None) -> Dossier:
    """A dossier the user may see: 404 when it does not exist, 403 when out of scope."""
    dossier = session.get(Dossier, dossier_id)
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    ensure_visible(session, dossier, user)
    return dossier


def counter_units(session: Session, user: User) -> list[Agency]:
    """One-stop sections where `user` may receive dossiers (every one for a province admin)."""
    if is_province_admin(user):
        return list_one_stop_agencies(session)
    ids = {r.agency_id for r in user.roles if r.role == "counter_officer"}
    if not ids:
        return []
    return list(session.scalars(select(Agency).where(Agency.id.in_(ids)).order_by(Agency.name)))


def find_by_code(session: Session, code: str) -> Dossier | None:
    ref = session.scalar(select(DossierCode.dossier_ref_id).where(DossierCode.code == code.strip()))
    return session.get(Dossier, ref) if ref else None


@dataclass
class Page:
    total: int
    page: int
    page_size: int
    items: list[Dossier]
    more: bool = False  # there are more than `total` (a capped count)


def _active():
    return Dossier.status.not_in([s.value for s in FINISHED_STATUSES])


def _todo_filter(user: User):
    if is_province_admin(user):
        return _active()
    pairs = [(r.role, r.agency_id) for r in user.roles]
    if not pairs:
        return false()
    at_step = or_(*[and_(Dossier.current_role == role, Dossier.current_unit_id == unit) for role, unit in pairs])
    mine = or_(Dossier.current_assignee_id.is_(None), Dossier.current_assignee_id == user.id)
    units = {unit for _, unit in pairs}
    consulted = exists().where(
        StepExecution.dossier_id == Dossier.id, StepExecution.parallel_group.is_not(None),
        StepExecution.state == StepState.open, StepExecution.unit_id.in_(units),
    )
    counter_units = [unit for role, unit in pairs if role == "counter_officer"]
    refused_to_return = and_(Dossier.status == DossierStatus.refused, Dossier.return_unit_id.in_(counter_units))
    paused_at_counter = and_(Dossier.status.in_([s.value for s in PAUSED_STATUSES]),
                             Dossier.receiving_unit_id.in_(counter_units))
    return or_(
        # result_ready stays here: the result waits at the counter's return step
        and_(Dossier.status.not_in([s.value for s in TERMINAL_STATUSES | PAUSED_STATUSES]), at_step, mine),
        and_(Dossier.status == DossierStatus.awaiting_consultation, consulted),
        refused_to_return if counter_units else false(),
        paused_at_counter if counter_units else false(),
    )


def due_soon_limit(session: Session, at: datetime) -> datetime:
    """The latest due time in the "due soon" box at `at` (the one rule: dossiers.deadlines)."""
    return _due_soon_until(load_calendar(session), at)


def _box_filter(user: User, box: str, *, at: datetime, due_soon_until: datetime):
    """The condition of one box; every box lies within `_open()`."""
    running = Dossier.status.not_in([s.value for s in FINISHED_STATUSES | PAUSED_STATUSES])
    if box == "todo":
        return _todo_filter(user)
    if box == "due_soon":
        return and_(running, Dossier.due_at >= at, Dossier.due_at <= due_soon_until)
    if box == "overdue":
        return and_(running, Dossier.due_at < at)
    return Dossier.status.in_([*(s.value for s in PAUSED_STATUSES), DossierStatus.awaiting_consultation])


def box_counts(session: Session, user: User, *, at: datetime | None = None) -> dict[str, int]:
    """The number of dossiers in every box, in one grouped count over the open visible dossiers
    (bounded by the work in progress, not by the history)."""
    at = at or now()
    due_soon_until = due_soon_limit(session, at)
    flags = [case((_box_filter(user, box, at=at, due_soon_until=due_soon_until), 1), else_=0).label(box)
             for box in BOXES]
    # Each branch computes the flags of its own rows (no second pass over the dossiers); the
    # union drops the dossiers seen through two branches.
    scope = _user_scope(session, user)
    if scope is None:
        rows = select(Dossier.id, *flags).where(_open()).subquery()
    elif not scope:
        return dict.fromkeys(BOXES, 0)
    else:
        rows = union(*_branch_selects(_scope_branches(scope), [_open()], columns=(Dossier.id, *flags))).subquery()
    stmt = select(*[func.coalesce(func.sum(rows.c[box]), 0).label(box) for box in BOXES])
    row = session.execute(stmt).one()
    return {box: int(row._mapping[box]) for box in BOXES}


def inbox(
    session: Session, user: User, *, box: str | None = None, agency_id: uuid.UUID | None = None,
    status: str | None = None, code: str | None = None, q: str | None = None, page: int = 1, page_size: int = 20,
    at: datetime | None = None, total: int | None = None,
) -> Page:
    """The user's dossiers, filtered: box todo | due_soon | overdue | waiting, agency, status, code.

    A box lists the most urgent first (`_order(urgent=True)`); without a box (the whole
    history), the newest first.
    `total`, when the caller already knows it (the box's count), saves the count query;
    otherwise the total is counted up to TOTAL_CAP.
    """
    if box is not None and box not in BOXES:
        raise InvalidInput(f"Hộp hồ sơ không hợp lệ; chọn một trong: {', '.join(BOXES)}.")
    if status is not None:
        try:
            DossierStatus(status)
        except ValueError:
            raise InvalidInput("Trạng thái hồ sơ không hợp lệ.") from None
    if page < 1 or page_size < 1 or page_size > MAX_PAGE_SIZE:
        raise InvalidInput(f"Trang phải ≥ 1 và số hồ sơ mỗi trang từ 1 đến {MAX_PAGE_SIZE}.")
    at = at or now()
    conditions: list = []
    if box is not None:
        conditions += [_open(), _box_filter(user, box, at=at, due_soon_until=due_soon_limit(session, at))]
    if agency_id is not None:
        conditions.append(or_(Dossier.agency_id == agency_id, Dossier.receiving_unit_id == agency_id))
    if status is not None:
        conditions.append(Dossier.status == status)
        if status not in {s.value for s in TERMINAL_STATUSES}:
            conditions.append(_open())  # lets the open partial indexes serve it
    if code:
        conditions.append(Dossier.code == code.strip())
    if q:
        folded = fold(q)
        if folded:
            conditions.append(or_(Dossier.applicant_name_folded.contains(folded), Dossier.code.contains(q.strip())))
    more = False
    if total is None:
        total, more = visible_count(session, user, conditions)
    items = visible_page(session, user, conditions, offset=(page - 1) * page_size, limit=page_size,
                         urgent=box is not None)
    return Page(total, page, page_size, items, more)


def mask(value: str | None, keep: int = 3) -> str | None:
    """Pure: '012345678901' → '*********901' (lists and logs never show IDs and phones in full)."""
    if not value:
        return value
    value = value.replace(" ", "")
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]
