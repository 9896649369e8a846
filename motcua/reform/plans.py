"""Yearly reform plans and their tasks: the vocabularies, how a deadline is read, creating a
plan with its tasks, and the lists (a province's plan, one unit's plan derived from it).

A deadline is written in plans as officials write it ("Quý II/2021", "Tháng 9/2021",
"Năm 2021", "Nhiệm vụ thường xuyên", "Theo Văn bản số …"): the text is kept and the date
it means, when it means one, is derived here once (`deadline_from_text`).
"""

from __future__ import annotations

import calendar
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.core.text import clean_text, fold
from motcua.org.models import Agency
from motcua.reform.indicators import SOURCE_LABELS, Source
from motcua.reform.models import ReformPlan, ReformTask, ReformTaskUnit


class ContentGroup(StrEnum):
    """The content groups of a CCHC plan (Bộ Nội vụ's structure, seed 004's appendix)."""

    direction = "direction"
    institutions = "institutions"
    procedures = "procedures"
    apparatus = "apparatus"
    civil_service = "civil_service"
    public_finance = "public_finance"
    e_government = "e_government"


GROUP_LABELS: dict[ContentGroup, str] = {
    ContentGroup.direction: "Công tác chỉ đạo, điều hành",
    ContentGroup.institutions: "Cải cách thể chế",
    ContentGroup.procedures: "Cải cách thủ tục hành chính",
    ContentGroup.apparatus: "Cải cách tổ chức bộ máy",
    ContentGroup.civil_service: "Cải cách chế độ công vụ",
    ContentGroup.public_finance: "Cải cách tài chính công",
    ContentGroup.e_government: "Xây dựng và phát triển Chính quyền điện tử, chuyển đổi số",
}


# Other names plans use for the groups (seed 004 writes "Cải cách công vụ", "Chính phủ điện tử").
GROUP_ALIASES: dict[ContentGroup, tuple[str, ...]] = {
    ContentGroup.direction: ("Chỉ đạo, điều hành", "Công tác chỉ đạo điều hành cải cách hành chính"),
    ContentGroup.civil_service: ("Cải cách công vụ",),
    ContentGroup.public_finance: ("Công tác cải cách tài chính công",),
    ContentGroup.e_government: ("Chính phủ điện tử", "Chính quyền điện tử", "Chuyển đổi số",
                                "Xây dựng và phát triển Chính phủ điện tử"),
}


class TaskStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"


STATUS_LABELS: dict[TaskStatus, str] = {
    TaskStatus.not_started: "Chưa triển khai",
    TaskStatus.in_progress: "Đang thực hiện",
    TaskStatus.done: "Đã hoàn thành",
}


class UnitRole(StrEnum):
    lead = "lead"
    cooperate = "cooperate"


ROLE_LABELS: dict[UnitRole, str] = {UnitRole.lead: "Chủ trì", UnitRole.cooperate: "Phối hợp"}


class Indicator(StrEnum):
    """Indicators the system measures itself (motcua.reports counting): never typed."""

    on_time_share = "on_time_share"
    online_share = "online_share"


# The labels of what the system measures, written once (reform.indicators).
INDICATOR_LABELS: dict[Indicator, str] = {i: SOURCE_LABELS[Source(i.value)] for i in Indicator}


class ReminderKind(StrEnum):
    before_deadline = "before_deadline"
    overdue = "overdue"


def parse_choice(enum: type[StrEnum], labels: dict, value: str | None, *, what: str,
                 aliases: dict | None = None) -> StrEnum:
    """An enum member from its identifier, its Vietnamese label or an alias (folded: case and
    accents do not matter), or InvalidInput listing the choices."""
    wanted = fold(value)
    for member in enum:
        names = (member.value, labels[member], *(aliases or {}).get(member, ()))
        if wanted in {fold(n) for n in names}:
            return member
    choices = "; ".join(labels[m] for m in enum)
    raise InvalidInput(f"{what} “{(value or '').strip()[:60]}” không hợp lệ; chọn một trong: {choices}.")


# --- deadlines --------------------------------------------------------------------------------

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTH = re.compile(r"thang (\d{1,2}) ?/ ?(\d{4})")
_QUARTER = re.compile(r"quy (iv|iii|ii|i|[1-4]) ?/ ?(\d{4})")
_HALF = re.compile(r"6 thang dau nam (\d{4})")
_YEAR = re.compile(r"nam (\d{4})")
RECURRING = "nhiem vu thuong xuyen"
CONDITIONAL = ("theo ", "khi ")  # "per document …", "when …": no date of its own


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def deadline_from_text(text: str | None) -> date | None:
    """The date a written deadline means: a day (dd/mm/yyyy) itself; a month, quarter, the
    first six months or a year their last day. None for a recurring task or a condition
    ("Khi có …", "Theo Văn bản …"). When the text names several moments, the last one counts
    (a plan's "Tháng 4/2021 (kế hoạch); Tháng 9/2021 (báo cáo)"). InvalidInput for a day or
    month that does not exist (31/02/2021, Tháng 13/2021)."""
    folded = fold(text)
    # "Theo Văn bản số … ngày 09/10/2020": the date is the letter's, not the deadline's.
    if not folded or RECURRING in folded or folded == "thuong xuyen" or folded.startswith(CONDITIONAL):
        return None
    found: list[date] = []
    try:
        for m in _DAY.finditer(folded):
            found.append(date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
        rest = _DAY.sub(" ", folded)
        for m in _MONTH.finditer(rest):
            found.append(_month_end(int(m.group(2)), int(m.group(1))))
        for m in _QUARTER.finditer(rest):
            found.append(_month_end(int(m.group(2)), 3 * _ROMAN[m.group(1)]))
        for m in _HALF.finditer(rest):
            found.append(date(int(m.group(1)), 6, 30))
        rest = _HALF.sub(" ", rest)
        if not found:
            found.extend(date(int(m.group(1)), 12, 31) for m in _YEAR.finditer(rest))
    except ValueError:
        raise InvalidInput(f"Thời hạn “{(text or '').strip()[:60]}” có ngày hoặc tháng không tồn tại.") from None
    return max(found) if found else None


# --- creating plans ----------------------------------------------------------------------------

@dataclass
class TaskData:
    """A task as read from a data file, an XLSX row or a form, checked."""

    content_group: ContentGroup
    title: str
    lead_unit: str
    number: str | None = None
    cooperating_units: str | None = None
    product: str | None = None
    deadline_text: str | None = None
    deadline: date | None = None
    lead_agency_id: uuid.UUID | None = None
    cooperating_agency_ids: list[uuid.UUID] = field(default_factory=list)
    procedure_id: uuid.UUID | None = None
    indicator: Indicator | None = None
    target_percent: Decimal | None = None
    note: str | None = None


@dataclass
class PlanData:
    year: int
    province: str
    decision: str
    title: str
    decision_date: date | None = None
    signer: str | None = None
    source: str = ""
    unreadable: str | None = None
    is_sample: bool = False


def parse_group(value: str | None) -> ContentGroup:
    return parse_choice(ContentGroup, GROUP_LABELS, value, what="Nhóm nội dung", aliases=GROUP_ALIASES)


def check_plan(data: PlanData) -> list[str]:
    problems = []
    if not 2000 <= data.year <= 2100:
        problems.append("Năm của kế hoạch phải trong khoảng 2000–2100.")
    for value, label in ((data.province, "Tỉnh"), (data.decision, "Quyết định ban hành"), (data.title, "Tên kế hoạch")):
        if not (value or "").strip():
            problems.append(f"Thiếu {label.lower()}.")
    return problems


def create_plan(session: Session, data: PlanData, tasks: list[TaskData]) -> ReformPlan:
    """A plan with its tasks, in the order given. Refused (Conflict) when a plan of the same
    year, province and decision exists: a plan is issued once; a change is a new decision."""
    problems = check_plan(data)
    if problems:
        raise InvalidInput(" ".join(problems))
    exists = session.scalar(select(ReformPlan.id).where(
        ReformPlan.year == data.year, ReformPlan.province == data.province, ReformPlan.decision == data.decision))
    if exists is not None:
        raise Conflict(f"Đã có kế hoạch năm {data.year} của tỉnh {data.province} theo {data.decision}.")
    plan = ReformPlan(year=data.year, province=data.province, decision=data.decision, title=data.title,
                      decision_date=data.decision_date, signer=data.signer, source=data.source,
                      unreadable=data.unreadable, is_sample=data.is_sample)
    session.add(plan)
    session.flush()
    for position, t in enumerate(tasks, start=1):
        task = ReformTask(plan_id=plan.id, position=position, content_group=t.content_group.value, number=t.number,
                          title=t.title, lead_unit=t.lead_unit, lead_agency_id=t.lead_agency_id,
                          cooperating_units=t.cooperating_units, product=t.product, deadline=t.deadline,
                          deadline_text=t.deadline_text, status=TaskStatus.not_started.value, percent=0,
                          procedure_id=t.procedure_id, indicator=t.indicator.value if t.indicator else None,
                          target_percent=t.target_percent, note=t.note)
        session.add(task)
        session.flush()
        if t.lead_agency_id:
            session.add(ReformTaskUnit(task_id=task.id, agency_id=t.lead_agency_id, role=UnitRole.lead.value))
        for agency_id in dict.fromkeys(t.cooperating_agency_ids):
            if agency_id != t.lead_agency_id:
                session.add(ReformTaskUnit(task_id=task.id, agency_id=agency_id, role=UnitRole.cooperate.value))
    session.flush()
    return plan


def task_from_record(record: dict) -> TaskData:
    """A task of a data file (data/reform/*.json): the same checks as an imported row."""
    group = parse_group(record["content_group"])
    text = clean_text(record.get("deadline_text"), max_length=255)
    return TaskData(content_group=group, title=clean_text(record["title"]), lead_unit=clean_text(record["lead_unit"], max_length=255),
                    number=clean_text(record.get("number"), max_length=16),
                    cooperating_units=clean_text(record.get("cooperating_units")),
                    product=clean_text(record.get("product")), deadline_text=text, deadline=deadline_from_text(text),
                    indicator=Indicator(record["indicator"]) if record.get("indicator") else None,
                    note=clean_text(record.get("note")))


# --- reading plans -----------------------------------------------------------------------------

def list_plans(session: Session, *, year: int | None = None) -> list[ReformPlan]:
    stmt = select(ReformPlan).order_by(ReformPlan.year.desc(), ReformPlan.province, ReformPlan.created_at)
    if year is not None:
        stmt = stmt.where(ReformPlan.year == year)
    return list(session.scalars(stmt))


def get_plan(session: Session, plan_id: uuid.UUID) -> ReformPlan:
    plan = session.get(ReformPlan, plan_id)
    if plan is None:
        raise NotFound("Không tìm thấy kế hoạch cải cách hành chính.")
    return plan


def get_task(session: Session, task_id: uuid.UUID) -> ReformTask:
    task = session.get(ReformTask, task_id)
    if task is None:
        raise NotFound("Không tìm thấy nhiệm vụ cải cách hành chính.")
    return task


def unit_task_ids(session: Session, agency_ids: set[uuid.UUID] | None) -> set[uuid.UUID] | None:
    """The tasks agencies take part in (lead or co-operating); None (every agency): all."""
    if agency_ids is None:
        return None
    if not agency_ids:
        return set()
    return set(session.scalars(select(ReformTaskUnit.task_id).where(ReformTaskUnit.agency_id.in_(agency_ids))))


@dataclass
class TaskPage:
    items: list[ReformTask]
    total: int
    page: int
    page_size: int


MAX_PAGE_SIZE = 200


def task_page(session: Session, plan: ReformPlan, *, visible: set[uuid.UUID] | None = None,
              group: ContentGroup | None = None, status: TaskStatus | None = None,
              page: int = 1, page_size: int = 50) -> TaskPage:
    """One page of a plan's tasks in plan order, `visible` restricting them (None: all)."""
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"Mỗi trang có từ 1 đến {MAX_PAGE_SIZE} nhiệm vụ.")
    where = [ReformTask.plan_id == plan.id]
    if visible is not None:
        where.append(ReformTask.id.in_(visible))
    if group is not None:
        where.append(ReformTask.content_group == group.value)
    if status is not None:
        where.append(ReformTask.status == status.value)
    total = session.scalar(select(func.count()).select_from(ReformTask).where(*where)) or 0
    items = list(session.scalars(select(ReformTask).where(*where).order_by(ReformTask.position)
                                 .offset((page - 1) * page_size).limit(page_size)))
    return TaskPage(items, total, page, page_size)


def plan_tasks(session: Session, plan: ReformPlan, *, visible: set[uuid.UUID] | None = None) -> list[ReformTask]:
    stmt = select(ReformTask).where(ReformTask.plan_id == plan.id).order_by(ReformTask.position)
    if visible is not None:
        stmt = stmt.where(ReformTask.id.in_(visible))
    return list(session.scalars(stmt))


def unit_plan(session: Session, plan: ReformPlan, agency_id: uuid.UUID) -> list[ReformTask]:
    """A unit's plan for the year, derived from the province's: the tasks it leads or
    co-operates on."""
    return plan_tasks(session, plan, visible=unit_task_ids(session, {agency_id}))


def group_counts(tasks: list[ReformTask]) -> dict[ContentGroup, int]:
    counts = dict.fromkeys(ContentGroup, 0)
    for t in tasks:
        counts[ContentGroup(t.content_group)] += 1
    return counts


def plan_agencies(session: Session, plan: ReformPlan, scope: set[uuid.UUID] | None = None) -> list[Agency]:
    """The agencies of this installation taking part in the plan's tasks (within `scope`; None: all),
    by name: whose derived plans exist."""
    stmt = (select(Agency).where(Agency.id.in_(select(ReformTaskUnit.agency_id).join(
        ReformTask, ReformTask.id == ReformTaskUnit.task_id).where(ReformTask.plan_id == plan.id))).order_by(Agency.name))
    if scope is not None:
        stmt = stmt.where(Agency.id.in_(scope))
    return list(session.scalars(stmt))
