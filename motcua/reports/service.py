"""The statistics table of a period and the dossiers behind each figure, in a user's scope.

The counting itself is `counting.Counting` (one GROUP BY); this module adds who may see
what (auth.policies.agency_scope, as the dossier lists) and the groups' codes and names.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import agency_scope
from motcua.catalog.models import Field, Procedure
from motcua.core.clock import LOCAL_TZ, to_local
from motcua.core.dates import parse_date
from motcua.core.errors import Forbidden, InvalidInput
from motcua.dossiers.detail import agency_names, user_names
from motcua.dossiers.enums import CHANNEL_LABELS, Channel
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import due_soon_limit
from motcua.org.models import Agency
from motcua.reports import workload
from motcua.reports.counting import (
    COLUMNS,
    Counting,
    Period,
    online_share,
    period,
    period_dates,
    scope_filter,
)
from motcua.reports.enums import Column, DueWindow, GroupBy, PeriodKind

# The key of a group whose value is missing (a procedure without a field, a dossier
# received by no officer, e.g. imported): it is a group of its own, shown as such.
NONE_KEY = "none"
NONE_NAME = "(Không xác định)"
MAX_LIST_PAGE = 100


@dataclass
class Row:
    key: str
    code: str
    name: str
    counts: dict[Column, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    @property
    def online_share(self) -> float | None:
        return online_share(self.counts[Column.received], self.counts[Column.received_online])


@dataclass
class Table:
    period: Period
    group_by: GroupBy
    rows: list[Row]
    total: Row


def _scope(session: Session, user: User | None) -> set[uuid.UUID] | None:
    return set() if user is None else agency_scope(session, user)


def _names(session: Session, group_by: GroupBy, keys: list) -> dict:
    """{key: (code, name)} of the groups found."""
    ids = [k for k in keys if k is not None]
    if not ids:
        return {}
    if group_by is GroupBy.channel:
        return {k: (k, CHANNEL_LABELS.get(Channel(k), k) if k in set(Channel) else k) for k in ids}
    if group_by in (GroupBy.agency, GroupBy.receiving_unit):
        rows = session.execute(select(Agency.id, Agency.code, Agency.name).where(Agency.id.in_(ids)))
    elif group_by is GroupBy.procedure:
        rows = session.execute(select(Procedure.id, Procedure.code, Procedure.name).where(Procedure.id.in_(ids)))
    elif group_by is GroupBy.field:
        rows = session.execute(select(Field.id, Field.code, Field.name).where(Field.id.in_(ids)))
    else:
        rows = session.execute(select(User.id, User.username, User.full_name).where(User.id.in_(ids)))
    return {r[0]: (r[1], r[2]) for r in rows}


def parse_group_by(value: str | None) -> GroupBy:
    try:
        return GroupBy(value or GroupBy.agency)
    except ValueError:
        choices = ", ".join(g.value for g in GroupBy)
        raise InvalidInput(f"Cách nhóm “{str(value)[:40]}” không hợp lệ; chọn một trong: {choices}.") from None


def statistics(session: Session, user: User | None, p: Period, group_by: GroupBy) -> Table:
    """One row per group of the dossiers `user` may count, and the total row (their sum: every
    grouping puts each dossier in exactly one group)."""
    scoped = scope_filter(group_by, _scope(session, user))
    return _tabulate(session, p, group_by, [] if scoped is None else [scoped])


def province_statistics(session: Session, p: Period, group_by: GroupBy = GroupBy.agency) -> Table:
    """The table over every dossier of the province, for the public statistics page (no user:
    the figures are counts per public body, no personal data)."""
    return _tabulate(session, p, group_by, [])


def _tabulate(session: Session, p: Period, group_by: GroupBy, where: list) -> Table:
    found = session.execute(Counting(p).aggregate(group_by, where=where)).all()
    names = _names(session, group_by, [r.key for r in found])
    rows, total = [], Row("", "", "Tổng cộng")
    for r in found:
        code, name = names.get(r.key, ("", NONE_NAME))
        row = Row(NONE_KEY if r.key is None else str(r.key), code, name,
                  {c: int(getattr(r, c.value) or 0) for c in COLUMNS})
        if any(row.counts.values()):
            rows.append(row)
    for row in rows:
        for c in COLUMNS:
            total.counts[c] += row.counts[c]
    rows.sort(key=lambda row: (row.key == NONE_KEY, row.code, row.name))
    return Table(p, group_by, rows, total)


def _key_value(group_by: GroupBy, key: str):
    if key == NONE_KEY:
        return None
    if group_by is GroupBy.channel:
        if key not in {c.value for c in Channel}:
            raise InvalidInput("Hình thức nộp không hợp lệ.")
        return key
    try:
        return uuid.UUID(key)
    except ValueError:
        raise InvalidInput("Mã nhóm trong thống kê không hợp lệ.") from None


def due_window(session: Session, counting: Counting, window: DueWindow) -> ColumnElement[bool]:
    """The dossiers in progress at the period's `at` (the statistics' `in_progress`) and due:
    - `today`: before the end of that day;
    - `soon`: after that day, up to the limit of the inbox's "Sắp đến hạn" box
      (`dossiers.queries.due_soon_limit`: the same clock time ALERT_WORKING_DAYS working days
      later, on the working calendar, so a weekend or a holiday in between does not count).
    The one place these two filters are written: the dashboard's figures and their lists read it."""
    at = counting.period.at
    day_end = datetime.combine(to_local(at).date() + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
    if DueWindow(window) is DueWindow.today:
        return and_(counting.due_by(day_end), Dossier.due_at < day_end)
    return and_(counting.due_by(due_soon_limit(session, at)), Dossier.due_at >= day_end)


def due_counts(session: Session, user: User | None, p: Period) -> dict[DueWindow, int]:
    """How many dossiers `user` counts (the statistics' scope by agency) are due today and soon,
    at `p.at`, in one query."""
    scoped = scope_filter(GroupBy.agency, _scope(session, user))
    counting = Counting(p)
    counts = [func.count().filter(due_window(session, counting, w)).label(w.value) for w in DueWindow]
    row = session.execute(counting.frame(select(*counts)).where(*([] if scoped is None else [scoped]))).one()
    return {w: int(getattr(row, w.value) or 0) for w in DueWindow}


def parse_window(value: str | None) -> DueWindow | None:
    if not value:
        return None
    try:
        return DueWindow(value)
    except ValueError:
        raise InvalidInput(f"Hạn “{str(value)[:40]}” không hợp lệ; chọn “today” (hôm nay) hoặc “soon” (sắp đến hạn).") \
            from None


def parse_column(value: str | None) -> Column:
    try:
        return Column(value or "")
    except ValueError:
        raise InvalidInput(f"Cột thống kê “{str(value)[:40]}” không có trong bảng.") from None


# The holder filter's values for "nobody has taken the step yet" and "no open step".
UNASSIGNED_KEY = "unassigned"


@dataclass(frozen=True)
class HeldBy:
    """The holder filter of the list behind a figure: the dossiers held now by `officer_id`
    (None: waiting for someone to take the step) at `unit_id` (None, with no officer: no open
    step), in the viewer's workload units (`units`): one row of the dashboard's overdue dossiers
    by officer (`workload.Held`, the rule both read)."""

    officer_id: uuid.UUID | None
    unit_id: uuid.UUID | None
    units: set[uuid.UUID] | None
    label: str  # "officer (unit)", as the dashboard's row says it

    @property
    def officer_key(self) -> str:
        return holder_keys(self.officer_id, self.unit_id)[0]

    @property
    def unit_key(self) -> str:
        return holder_keys(self.officer_id, self.unit_id)[1]

    def predicate(self) -> ColumnElement[bool]:
        return workload.Held(self.units).holding(self.officer_id, self.unit_id)


def holder_keys(officer_id: uuid.UUID | None, unit_id: uuid.UUID | None) -> tuple[str, str]:
    """The values of the holder filter for one holder (`parse_holder` reads them back)."""
    return (UNASSIGNED_KEY if officer_id is None else str(officer_id)), (NONE_KEY if unit_id is None else str(unit_id))


def _holder_id(value: str, empty: str, what: str) -> uuid.UUID | None:
    if value == empty:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidInput(f"{what} “{value[:40]}” không hợp lệ: cần mã định danh (UUID) hoặc “{empty}”.") from None


def parse_holder(session: Session, user: User | None, officer: str | None, unit: str | None) -> HeldBy | None:
    """The holder filter from its two values (both or neither): the officer's id or
    "unassigned", and the unit's id or "none" (only with "unassigned": no open step). Bad or
    unknown values are a Vietnamese 422; per-officer figures follow the workload rule (heads of
    their units and those below, province administrators; otherwise 403), as on the dashboard."""
    officer, unit = (officer or "").strip(), (unit or "").strip()
    if not officer and not unit:
        return None
    if not officer or not unit:
        raise InvalidInput("Lọc theo người đang giữ hồ sơ cần cả cán bộ (hoặc “unassigned”) và đơn vị (hoặc “none”).")
    officer_id = _holder_id(officer, UNASSIGNED_KEY, "Cán bộ đang giữ hồ sơ")
    unit_id = _holder_id(unit, NONE_KEY, "Đơn vị đang giữ hồ sơ")
    if officer_id is not None and unit_id is None:
        raise InvalidInput("Cán bộ giữ hồ sơ ở bước đang mở của một đơn vị: cần mã đơn vị, không phải “none”.")
    units = workload.workload_scope(session, user)
    unit_name, officer_name = workload.NONE_NAME, workload.UNASSIGNED
    if unit_id is not None:
        agency = session.get(Agency, unit_id)
        if agency is None:
            raise InvalidInput("Không có đơn vị đang giữ hồ sơ với mã định danh này.")
        if units is not None and unit_id not in units:
            raise Forbidden(f"Đơn vị “{agency.name}” không thuộc phạm vi bạn được xem khối lượng công việc.")
        unit_name = agency.name
    if officer_id is not None:
        person = session.get(User, officer_id)
        if person is None:
            raise InvalidInput("Không có cán bộ đang giữ hồ sơ với mã định danh này.")
        officer_name = person.full_name
    return HeldBy(officer_id, unit_id, units, f"{officer_name} ({unit_name})")


@dataclass
class Behind:
    """One page of the dossiers behind a figure, and their number (the figure)."""

    column: Column
    group_by: GroupBy
    key: str
    group_name: str
    total: int
    page: int
    page_size: int
    items: list[Dossier]
    window: DueWindow | None = None
    holder: HeldBy | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def dossiers_behind(session: Session, user: User | None, p: Period, group_by: GroupBy, key: str, column: Column,
                    *, page: int = 1, page_size: int = 50, window: DueWindow | None = None,
                    holder: HeldBy | None = None) -> Behind:
    """The dossiers counted in `column` for the group `key` ("" = the total row): the same
    predicate as the figure, so their number is the figure. `window` narrows the in-progress
    dossiers to those due today or soon (`due_window`, the dashboard's figures); `holder` to
    those held now by one officer at one unit (`parse_holder`: the dashboard's overdue by officer)."""
    if not 1 <= page_size <= MAX_LIST_PAGE:
        raise InvalidInput(f"Mỗi trang có từ 1 đến {MAX_LIST_PAGE} hồ sơ.")
    if window is not None and column is not Column.in_progress:
        raise InvalidInput("Lọc theo hạn (hôm nay, sắp đến hạn) chỉ áp dụng cho hồ sơ đang giải quyết, chưa đến hạn.")
    scoped = scope_filter(group_by, _scope(session, user))
    where = [] if scoped is None else [scoped]
    counting = Counting(p)
    if window is not None:
        where.append(due_window(session, counting, window))
    if holder is not None:
        where.append(holder.predicate())
    if key:
        value = _key_value(group_by, key)
        stmt = counting.matching(column, group_by=group_by, key=value, where=where)
        code, name = _names(session, group_by, [value]).get(value, ("", NONE_NAME))
        group_name = f"{name} ({code})" if code and code != name else name
    else:
        stmt = counting.matching(column, where=where)
        group_name = "Tổng cộng"
    total = session.scalar(select(func.count()).select_from(stmt.with_only_columns(Dossier.id).subquery())) or 0
    items = list(session.scalars(stmt.order_by(Dossier.received_at, Dossier.id)
                                 .offset((page - 1) * page_size).limit(page_size)))
    return Behind(column, group_by, key, group_name, total, page, page_size, items, window, holder)


@dataclass(frozen=True)
class Holder:
    """Where an open dossier is now: the unit and role of its current step, and the officer
    it is assigned to (None: anyone of that role there). A parallel step (consultation) has
    the competent agency and no role."""

    unit_code: str
    unit_name: str
    role: str | None
    assignee: str | None


def holders(session: Session, dossiers: list[Dossier]) -> dict[uuid.UUID, Holder]:
    """The holder of each dossier of a page that is at a step (two queries for the page);
    finished dossiers, and those not yet at any step, have none."""
    at_step = [d for d in dossiers if d.current_unit_id is not None]
    units = agency_names(session, [d.current_unit_id for d in at_step])
    people = user_names(session, [d.current_assignee_id for d in at_step])
    found = {}
    for d in at_step:
        unit = units.get(d.current_unit_id)
        found[d.id] = Holder(unit.code if unit else "", unit.name if unit else NONE_NAME, d.current_role,
                             people.get(d.current_assignee_id) if d.current_assignee_id else None)
    return found


def parse_period(kind: str | None, year: str | None, number: str | None, date_from: str | None,
                 date_to: str | None) -> Period:
    """The period the page's pickers describe: a month/quarter/six months/year of a year, or
    two dates (dd/mm/yyyy or ISO)."""
    try:
        kind_value = PeriodKind(kind or PeriodKind.custom)
    except ValueError:
        raise InvalidInput("Loại kỳ báo cáo không hợp lệ.") from None
    if kind_value is PeriodKind.custom:
        if not date_from or not date_to:
            raise InvalidInput("Cần nhập cả từ ngày và đến ngày của kỳ báo cáo.")
        return period(parse_date(date_from, label="Từ ngày"), parse_date(date_to, label="Đến ngày"))
    try:
        y, n = int(year or ""), int(number or "1")
    except ValueError:
        raise InvalidInput("Năm và số thứ tự của kỳ phải là số.") from None
    start, end = period_dates(kind_value, y, n)
    return period(start, end)
