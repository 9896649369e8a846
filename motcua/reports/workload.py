"""Officer workload (issue 13 §5): per officer and unit, what they handled in a period.

A step an officer *handled* is a process step they handed over (`dossier_steps` row in state
`done`, `finished_by_id` = the officer, `finished_at` in the period), counted at the unit the
step belongs to. The hand-over rows are the ones the dossier services close together with
the audit row of the transition (dossiers.service.common.close_steps), so they are the record
of who did what. For those steps:

- **on time / late**: the step's stored `outcome`, set at hand-over by the calendar engine's
  one rule (`calendar.engine.outcome`) against the step's due time; early counts as on time,
  and a step without a due time counts as on time, as `Counting` counts a result without an
  appointment. No second on-time rule is written here.
- **handling time**: from the step's opening to its hand-over, in *office hours* of the
  working calendar with the unit's office hours (`WorkingCalendar.working_time_between`):
  nights, weekends and holidays are not counted. The average is per step, in hours.
- **open now**: steps open now (`open`) whose assignee is the officer, at that unit;
  `open_overdue` of them past their due time.
- **ratings**: the citizens' ratings (ratings domain, TT 01/2018) of the dossiers in which the
  officer handed over a step in the period, whenever they were given; satisfied = very
  satisfied + satisfied (`ratings.enums.SATISFIED`).

Who may see it: a head (role `head`) sees the units where they hold the role and the units
below them (`auth.policies.agency_scope`, as the statistics); a province administrator, or a
head of the province's top body, sees every unit. Anyone else is refused (403).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import Subquery

from motcua.auth.models import User
from motcua.auth.policies import agency_scope
from motcua.auth.roles import Role
from motcua.calendar.store import load_calendar
from motcua.core.clock import now
from motcua.core.errors import Forbidden, InvalidInput
from motcua.dossiers.enums import Outcome, StepState
from motcua.dossiers.models import Dossier, StepExecution
from motcua.org.models import Agency
from motcua.ratings.enums import SATISFIED
from motcua.ratings.models import Rating
from motcua.reports.counting import Period

FORBIDDEN = "Chỉ lãnh đạo đơn vị (hoặc quản trị tỉnh) được xem khối lượng công việc của cán bộ trong đơn vị mình."
NONE_NAME = "(Không xác định)"
UNASSIGNED = "Chưa có người nhận xử lý"  # the holder of a step nobody has claimed or been assigned yet
TOTAL_NAME = "Tổng cộng"

# The figures of a row as the page and the files show them, in order: (attribute, column name).
FIGURES: tuple[tuple[str, str], ...] = (
    ("steps", "Số bước đã xử lý"),
    ("dossiers", "Số hồ sơ"),
    ("on_time", "Đúng hạn (kể cả trước hạn)"),
    ("late", "Quá hạn"),
    ("average_hours", "Thời gian trung bình mỗi bước (giờ làm việc)"),
    ("open_now", "Đang xử lý"),
    ("open_overdue", "Trong đó quá hạn"),
    ("ratings", "Lượt đánh giá của người dân"),
    ("satisfied_share", "Hài lòng (%)"),
)


@dataclass
class OfficerRow:
    officer_id: uuid.UUID
    officer_name: str
    username: str
    unit_id: uuid.UUID
    unit_name: str
    steps: int = 0  # steps handed over in the period
    dossiers: int = 0  # distinct dossiers of those steps
    on_time: int = 0  # early or on time (or no due time)
    late: int = 0
    office_hours: float = 0.0  # total handling time of those steps, office hours
    open_now: int = 0
    open_overdue: int = 0
    ratings: int = 0
    satisfied: int = 0
    dossier_ids: set[uuid.UUID] = field(default_factory=set, repr=False)

    @property
    def average_hours(self) -> float | None:
        """Average handling time per step, office hours to one decimal (None: no step)."""
        return round(self.office_hours / self.steps, 1) if self.steps else None

    @property
    def on_time_share(self) -> float | None:
        return round(100 * self.on_time / self.steps, 1) if self.steps else None

    @property
    def satisfied_share(self) -> float | None:
        return round(100 * self.satisfied / self.ratings, 1) if self.ratings else None


@dataclass
class Workload:
    period: Period
    units: list[Agency]  # the units the viewer may choose from (sorted by code)
    unit: Agency | None  # the unit chosen (None: every unit in scope)
    rows: list[OfficerRow]

    @cached_property
    def total(self) -> OfficerRow:
        """The total row of the page and of its files (`totals`)."""
        return totals(self.rows)


def workload_scope(session: Session, user: User | None) -> set[uuid.UUID] | None:
    """The units whose workload `user` may see (None: all); Forbidden when none."""
    scope = agency_scope(session, user, Role.head) if user is not None else set()
    if scope is not None and not scope:
        raise Forbidden(FORBIDDEN)
    return scope


def visible_units(session: Session, user: User | None) -> tuple[set[uuid.UUID] | None, list[Agency]]:
    """The scope of `workload_scope` and its units, sorted by code (Forbidden when none)."""
    scope = workload_scope(session, user)
    stmt = select(Agency).order_by(Agency.code)
    if scope is not None:
        stmt = stmt.where(Agency.id.in_(scope))
    return scope, list(session.scalars(stmt))


def holders() -> Select:
    """Who holds each dossier now: its open steps (`dossier_id`, `assignee_id`, `unit_id`,
    `due_at`), one per consulted unit at an inter-agency step. `assignee_id` is None while the
    step waits at its unit for someone to claim it or be assigned. The workload's "open now" and
    the dashboard's overdue dossiers by officer both read it."""
    s = StepExecution
    return select(s.dossier_id, s.assignee_id, s.unit_id, s.due_at).where(s.state == StepState.open.value)


@dataclass(frozen=True)
class Held:
    """Who holds each dossier now, at the units a viewer may see (`units`; None: all): the rows
    of `holders()` (an officer, or None while the step waits for one, at the step's unit), and
    one row of nulls for a dossier with no open step. The dashboard's overdue dossiers by
    officer group by (`assignee_id`, `unit_id`) of `join`; the list behind each of its figures
    selects the group with `holding`, over the same join, so the list's length is the figure.
    A dossier whose open steps are all at units outside `units` has no row: nobody shown holds it."""

    units: set[uuid.UUID] | None
    rows: Subquery = field(default_factory=lambda: holders().subquery("holders"))

    def join(self, stmt: Select, dossier_id=Dossier.id) -> Select:
        """`stmt` (over the dossiers) with a row per holder of each dossier (`self.rows`)."""
        at_units = [] if self.units is None else [self.rows.c.unit_id.in_(self.units) | self.rows.c.unit_id.is_(None)]
        return stmt.outerjoin(self.rows, self.rows.c.dossier_id == dossier_id).where(*at_units)

    def holding(self, officer_id: uuid.UUID | None, unit_id: uuid.UUID | None) -> ColumnElement[bool]:
        """The dossiers of the group (`officer_id`, `unit_id`) of `join`: held by the officer (None:
        by nobody yet) at the unit (None with None: no open step)."""
        other = aliased(Dossier)  # not the outer query's dossiers: the group is found on its own
        r = self.rows.c
        key = [r.assignee_id.is_(None) if officer_id is None else r.assignee_id == officer_id,
               r.unit_id.is_(None) if unit_id is None else r.unit_id == unit_id]
        return Dossier.id.in_(self.join(select(other.id), other.id).where(*key))


def workload(session: Session, user: User | None, p: Period, *, unit_code: str = "") -> Workload:
    """The officers' workload in `p` at the units `user` may see (one unit when `unit_code`)."""
    scope, units = visible_units(session, user)
    unit = None
    if unit_code:
        unit = next((u for u in units if u.code == unit_code), None)
        if unit is None:  # an unknown code and one out of scope read the same
            raise Forbidden(f"Không có đơn vị “{unit_code[:40]}” trong phạm vi bạn được xem.")
    unit_ids = {unit.id} if unit is not None else (None if scope is None else scope)
    rows = _rows(session, p, unit_ids)
    return Workload(p, units, unit, rows)


def _rows(session: Session, p: Period, unit_ids: set[uuid.UUID] | None) -> list[OfficerRow]:
    s = StepExecution
    in_units = [] if unit_ids is None else [s.unit_id.in_(unit_ids)]
    done = session.execute(
        select(s.finished_by_id, s.unit_id, s.dossier_id, s.outcome, s.started_at, s.finished_at)
        .where(s.state == StepState.done.value, s.finished_by_id.is_not(None),
               s.finished_at >= p.start, s.finished_at < p.end, *in_units)
    ).all()
    current = now()
    open_steps = session.execute(holders().where(s.assignee_id.is_not(None), *in_units)).all()
    agencies = {a.id: a for a in session.scalars(select(Agency).where(
        Agency.id.in_({r.unit_id for r in done} | {r.unit_id for r in open_steps})))}
    calendars = {}
    found: dict[tuple[uuid.UUID, uuid.UUID], OfficerRow] = {}

    def row(officer_id: uuid.UUID, unit_id: uuid.UUID) -> OfficerRow:
        key = (officer_id, unit_id)
        if key not in found:
            unit = agencies.get(unit_id)
            found[key] = OfficerRow(officer_id, NONE_NAME, "", unit_id, unit.name if unit else NONE_NAME)
        return found[key]

    for r in done:
        target = row(r.finished_by_id, r.unit_id)
        target.steps += 1
        target.dossier_ids.add(r.dossier_id)
        if r.outcome == Outcome.late.value:
            target.late += 1
        else:
            target.on_time += 1
        if r.unit_id not in calendars:
            calendars[r.unit_id] = load_calendar(session, agencies.get(r.unit_id))
        spent = calendars[r.unit_id].working_time_between(r.started_at, r.finished_at)
        target.office_hours += max(spent.total_seconds(), 0) / 3600
    for r in open_steps:
        target = row(r.assignee_id, r.unit_id)
        target.open_now += 1
        if r.due_at is not None and r.due_at < current:
            target.open_overdue += 1
    _add_ratings(session, found.values())
    _add_names(session, found.values())
    for target in found.values():
        target.dossiers = len(target.dossier_ids)
    return sorted(found.values(), key=lambda r: (r.unit_name, r.officer_name, r.username))


def _add_ratings(session: Session, rows) -> None:
    rows = list(rows)
    ids = set().union(*(r.dossier_ids for r in rows)) if rows else set()
    if not ids:
        return
    levels: dict[uuid.UUID, str] = {}
    chunk = sorted(ids)
    for i in range(0, len(chunk), 1000):  # bounded IN lists
        levels.update(session.execute(select(Rating.dossier_id, Rating.satisfaction)
                                      .where(Rating.dossier_id.in_(chunk[i:i + 1000]))).tuples().all())
    satisfied = {level.value for level in SATISFIED}
    for r in rows:
        given = [levels[d] for d in r.dossier_ids if d in levels]
        r.ratings = len(given)
        r.satisfied = sum(1 for level in given if level in satisfied)


def _add_names(session: Session, rows) -> None:
    rows = list(rows)
    ids = {r.officer_id for r in rows}
    if not ids:
        return
    names = {u.id: (u.full_name, u.username) for u in session.scalars(select(User).where(User.id.in_(ids)))}
    for r in rows:
        r.officer_name, r.username = names.get(r.officer_id, (NONE_NAME, ""))


def parse_unit_code(value: str | None) -> str:
    value = (value or "").strip()
    if len(value) > 40:
        raise InvalidInput("Mã đơn vị quá dài.")
    return value


def totals(rows: list[OfficerRow]) -> OfficerRow:
    """The sum of the rows (an officer working in two units is two rows)."""
    total = OfficerRow(uuid.UUID(int=0), TOTAL_NAME, "", uuid.UUID(int=0), "")
    for r in rows:
        for name in ("steps", "on_time", "late", "office_hours", "open_now", "open_overdue", "ratings", "satisfied"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        total.dossier_ids |= r.dossier_ids
    total.dossiers = len(total.dossier_ids)
    return total
