"""Reads: the staff list, the public search of published answers, the 766 statistics."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.core.clock import LOCAL_TZ, now
from motcua.core.dates import parse_date
from motcua.core.errors import InvalidInput
from motcua.core.text import fold_words
from motcua.feedback import policies
from motcua.feedback.enums import OPEN_STATUSES, Status
from motcua.feedback.models import FeedbackEvent, FeedbackItem
from motcua.org.models import Agency
from motcua.org.service import agency_current_clause, today

PAGE_SIZE = 20


def _words(q: str | None):
    return [FeedbackItem.search_folded.contains(word, autoescape=True) for word in fold_words(q)]


def overdue_clause(at: datetime):
    """SQL twin of service.is_overdue: the deadline of the item's current stage has passed."""
    return or_(
        and_(FeedbackItem.status == Status.received, FeedbackItem.classify_due_at < at),
        and_(FeedbackItem.status == Status.processing, FeedbackItem.answer_due_at < at),
        and_(FeedbackItem.status == Status.answered, FeedbackItem.publish_due_at < at),
    )


@dataclass
class Page:
    items: list[FeedbackItem]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _page(session: Session, stmt: Select, page: int, order) -> Page:
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = list(session.scalars(stmt.order_by(*order).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    return Page(items, total, page)


def staff_page(session: Session, user: User | None, *, status: str | None = None, overdue: bool = False,
               q: str | None = None, page: int = 1, at: datetime | None = None) -> Page:
    """The items of the user's agencies (every item for the PAKN unit), oldest deadline first."""
    scope = policies.ensure_staff(session, user)
    stmt = select(FeedbackItem).where(*_words(q))
    if scope is not None:
        stmt = stmt.where(FeedbackItem.agency_id.in_(scope))
    if status:
        stmt = stmt.where(FeedbackItem.status == status)
    if overdue:
        stmt = stmt.where(overdue_clause(at or now()))
    return _page(session, stmt, page, (FeedbackItem.received_at.desc(), FeedbackItem.code))


def public_page(session: Session, *, q: str | None = None, agency_id: uuid.UUID | None = None,
                procedure_id: uuid.UUID | None = None, page: int = 1) -> Page:
    """Published answers only, newest first."""
    stmt = select(FeedbackItem).where(FeedbackItem.status == Status.published, *_words(q))
    if agency_id:
        stmt = stmt.where(FeedbackItem.agency_id == agency_id)
    if procedure_id:
        stmt = stmt.where(FeedbackItem.procedure_id == procedure_id)
    return _page(session, stmt, page, (FeedbackItem.published_at.desc(), FeedbackItem.code))


def public_agencies(session: Session) -> list[Agency]:
    """The agencies that have published answers (the search's filter)."""
    ids = select(FeedbackItem.agency_id).where(FeedbackItem.status == Status.published).distinct()
    return list(session.scalars(select(Agency).where(Agency.id.in_(ids)).order_by(Agency.name)))


def agency_names(session: Session, ids) -> dict[uuid.UUID, str]:
    ids = set(ids)
    return dict(session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(ids))).all()) if ids else {}


# --- the 766 statistics: PAKN handled on time ---------------------------------------------


@dataclass(frozen=True)
class OnTime:
    """One agency's PAKN handled on time over a period (docs/feedback.md "Statistics")."""

    agency_id: uuid.UUID
    agency_name: str
    agency_code: str
    received: int  # received in the period, not refused
    counted: int  # of those, answered or past their answer deadline (the denominator)
    on_time: int  # answered no later than the answer deadline (the numerator)
    late: int  # answered after it, or unanswered past it
    pending: int  # unanswered, deadline not reached
    no_deadline: int  # no answer limit was recorded when it was received: not counted

    @property
    def ratio(self) -> float | None:
        return self.on_time / self.counted if self.counted else None

    @property
    def score(self) -> float:
        """QĐ 766 indicator PETITION_PROCESSING_ON_TIME (max 6): 6·on_time/counted, 6 with
        nothing counted (qd766.md §2)."""
        return round(6 * self.on_time / self.counted, 2) if self.counted else 6.0


def on_time_statistics(session: Session, *, start: date, end: date, as_of: datetime | None = None,
                       agency_ids: set[uuid.UUID] | None = None) -> list[OnTime]:
    """Per agency, the items received from `start` to `end` (local days, inclusive)."""
    as_of = as_of or now()
    lo = datetime.combine(start, time.min, LOCAL_TZ)
    hi = datetime.combine(end + timedelta(days=1), time.min, LOCAL_TZ)
    answered_on_time = and_(FeedbackItem.answered_at.is_not(None), FeedbackItem.answered_at <= FeedbackItem.answer_due_at)
    answered_late = and_(FeedbackItem.answered_at.is_not(None), FeedbackItem.answered_at > FeedbackItem.answer_due_at)
    unanswered = FeedbackItem.answered_at.is_(None)
    has_due = FeedbackItem.answer_due_at.is_not(None)

    def count(*conditions):
        return func.sum(case((and_(*conditions), 1), else_=0))

    stmt = (select(FeedbackItem.agency_id, func.count(),
                   count(has_due, answered_on_time),
                   count(has_due, or_(answered_late, and_(unanswered, FeedbackItem.answer_due_at < as_of))),
                   count(has_due, unanswered, FeedbackItem.answer_due_at >= as_of),
                   count(FeedbackItem.answer_due_at.is_(None)))
            .where(FeedbackItem.received_at >= lo, FeedbackItem.received_at < hi,
                   FeedbackItem.status != Status.rejected)
            .group_by(FeedbackItem.agency_id))
    if agency_ids is not None:
        stmt = stmt.where(FeedbackItem.agency_id.in_(agency_ids))
    rows = session.execute(stmt).all()
    agencies = {a.id: a for a in session.scalars(select(Agency).where(Agency.id.in_([r[0] for r in rows])))}
    stats = [OnTime(agency_id, agencies[agency_id].name, agencies[agency_id].code, received, on_time + late, on_time, late, pending, none)
             for agency_id, received, on_time, late, pending, none in
             ((r[0], r[1], int(r[2] or 0), int(r[3] or 0), int(r[4] or 0), int(r[5] or 0)) for r in rows)]
    return sorted(stats, key=lambda s: s.agency_name)


def open_items_due(session: Session, at: datetime) -> list[tuple[str, str, uuid.UUID]]:
    """(code, status, agency) of the open items whose current stage is past due."""
    return list(session.execute(select(FeedbackItem.code, FeedbackItem.status, FeedbackItem.agency_id)
                                .where(FeedbackItem.status.in_(OPEN_STATUSES), overdue_clause(at))
                                .order_by(FeedbackItem.received_at)).all())


def current_agencies(session: Session) -> list[Agency]:
    """The agencies a sender may choose (current ones, by name)."""
    return list(session.scalars(select(Agency).where(agency_current_clause(today())).order_by(Agency.name)))


def events_of(session: Session, item: FeedbackItem) -> list[FeedbackEvent]:
    return list(session.scalars(select(FeedbackEvent).where(FeedbackEvent.feedback_code == item.code)
                                .order_by(FeedbackEvent.at, FeedbackEvent.id)))


def parse_period(start: str | None, end: str | None, *, today: date) -> tuple[date, date]:
    """The statistics' period as typed (dd/mm/yyyy or ISO); blank: this month up to today."""
    first = parse_date(start, label="Từ ngày") if (start or "").strip() else today.replace(day=1)
    last = parse_date(end, label="Đến ngày") if (end or "").strip() else today
    if last < first or last - first > timedelta(days=3660):
        raise InvalidInput("Khoảng thời gian không hợp lệ: “đến ngày” phải sau “từ ngày”, tối đa 10 năm.")
    return first, last
