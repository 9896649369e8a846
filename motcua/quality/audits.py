"""Internal audits and management reviews of a unit's system (ISO 9001:2015 clauses 9.2, 9.3,
10.2; QĐ 19/2014 requires both at least yearly).

An audit is planned (date, scope, auditors), then held (its summary and findings). A
nonconformity carries its root cause and is corrected by actions, each with an owner and a
deadline; when every action is done its effectiveness is verified and it is closed. An audit
held whose nonconformities are all closed is closed, on the day the last one closed. A
management review is planned, then held with its inputs (clause 9.3.2) and decisions.
Reminders before the due dates go to the unit's quality secretaries (`remind`, a job).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from motcua.auth.models import User
from motcua.core.clock import now, to_local
from motcua.core.db import session_scope
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.notify import service as outbox
from motcua.org.models import Agency
from motcua.quality import audit_access
from motcua.quality.audit_enums import AuditStatus, FindingKind, FindingStatus
from motcua.quality.audit_schemas import (
    ActionDoneIn,
    ActionIn,
    AuditHeldIn,
    AuditPlanIn,
    CloseFindingIn,
    FindingIn,
    ReviewHeldIn,
    ReviewPlanIn,
)
from motcua.quality.legal_changes import quality_recipients
from motcua.quality.models import (
    AuditFinding,
    CorrectiveAction,
    InternalAudit,
    ManagementReview,
    QualityUnit,
)

# Reminders go this many days before an audit, a review or an action's deadline.
REMIND_DAYS = 7


def today() -> date:
    return to_local(now()).date()


def _not_future(day: date, label: str) -> None:
    if day > today():
        raise InvalidInput(f"{label} không được sau hôm nay.")


def _load_audit(session: Session, audit_id: uuid.UUID) -> InternalAudit:
    audit = session.scalars(select(InternalAudit).where(InternalAudit.id == audit_id).options(
        selectinload(InternalAudit.findings).selectinload(AuditFinding.actions))).one_or_none()
    if audit is None:
        raise NotFound("Không có cuộc đánh giá nội bộ này.")
    return audit


def get_audit(session: Session, user: User | None, audit_id: uuid.UUID, *, act: bool = False) -> InternalAudit:
    audit = _load_audit(session, audit_id)
    audit_access.ensure_unit(session, user, audit.unit_id, act=act)
    return audit


def list_audits(session: Session, user: User | None, *, unit_id: uuid.UUID | None = None,
                year: int | None = None) -> list[InternalAudit]:
    stmt = audit_access.scoped(session, user, select(InternalAudit).options(
        selectinload(InternalAudit.findings).selectinload(AuditFinding.actions)), InternalAudit.unit_id, unit_id)
    if year is not None:
        stmt = stmt.where(InternalAudit.planned_on >= date(year, 1, 1), InternalAudit.planned_on <= date(year, 12, 31))
    return list(session.scalars(stmt.order_by(InternalAudit.planned_on.desc(), InternalAudit.id)))


def list_nonconformities(session: Session, user: User | None, *, open_only: bool = False,
                         unit_id: uuid.UUID | None = None) -> list[AuditFinding]:
    """Nonconformities of the units the user may view, newest audit first (actions and audit loaded)."""
    stmt = audit_access.scoped(session, user, select(AuditFinding)
                               .join(InternalAudit, InternalAudit.id == AuditFinding.audit_id)
                               .where(AuditFinding.kind == FindingKind.nonconformity.value)
                               .options(selectinload(AuditFinding.actions), selectinload(AuditFinding.audit)),
                               InternalAudit.unit_id, unit_id)
    if open_only:
        stmt = stmt.where(AuditFinding.status == FindingStatus.open.value)
    return list(session.scalars(stmt.order_by(InternalAudit.held_on.desc(), AuditFinding.number)))


def plan_audit(session: Session, user: User, unit_id: uuid.UUID, data: AuditPlanIn) -> InternalAudit:
    audit_access.ensure_unit(session, user, unit_id)
    audit = InternalAudit(unit_id=unit_id, planned_on=data.planned_on, scope=data.scope, auditors=data.auditors,
                          status=AuditStatus.planned.value, created_by=user.username, created_at=now(), findings=[])
    session.add(audit)
    session.flush()
    return audit


def record_held(session: Session, user: User, audit_id: uuid.UUID, data: AuditHeldIn) -> InternalAudit:
    audit = get_audit(session, user, audit_id, act=True)
    if audit.status != AuditStatus.planned.value:
        raise Conflict("Cuộc đánh giá này đã được ghi kết quả.")
    _not_future(data.held_on, "Ngày đánh giá")
    audit.held_on, audit.summary, audit.status = data.held_on, data.summary, AuditStatus.held.value
    session.flush()
    return audit


def add_finding(session: Session, user: User, audit_id: uuid.UUID, data: FindingIn) -> AuditFinding:
    audit = get_audit(session, user, audit_id, act=True)
    if audit.status != AuditStatus.held.value:
        raise Conflict("Chỉ ghi phát hiện cho cuộc đánh giá đã tiến hành và chưa kết thúc.")
    if data.kind == FindingKind.nonconformity and not data.root_cause:
        raise InvalidInput("Điểm không phù hợp phải có nguyên nhân gốc.",
                           details=[{"name": "root_cause", "label": "Nguyên nhân gốc",
                                     "message": "Điểm không phù hợp phải có nguyên nhân gốc."}])
    is_nc = data.kind == FindingKind.nonconformity
    finding = AuditFinding(
        audit_id=audit.id, number=len(audit.findings) + 1, kind=data.kind.value, clause=data.clause,
        description=data.description, root_cause=data.root_cause,
        # An observation needs no correction: it is recorded closed.
        status=FindingStatus.open.value if is_nc else FindingStatus.closed.value,
        closed_on=None if is_nc else audit.held_on, created_at=now(), actions=[],
    )
    audit.findings.append(finding)
    session.flush()
    return finding


def _finding(session: Session, user: User | None, finding_id: uuid.UUID) -> AuditFinding:
    """The finding with its actions and audit, when `user` acts for its unit."""
    finding = session.scalars(select(AuditFinding).where(AuditFinding.id == finding_id).options(
        selectinload(AuditFinding.actions), selectinload(AuditFinding.audit).selectinload(InternalAudit.findings)
    )).one_or_none()
    if finding is None:
        raise NotFound("Không có phát hiện đánh giá này.")
    audit_access.ensure_unit(session, user, finding.audit.unit_id)
    return finding


def add_action(session: Session, user: User, finding_id: uuid.UUID, data: ActionIn) -> CorrectiveAction:
    finding = _finding(session, user, finding_id)
    if finding.kind != FindingKind.nonconformity.value or finding.status != FindingStatus.open.value:
        raise Conflict("Chỉ thêm hành động khắc phục cho điểm không phù hợp chưa đóng.")
    if finding.audit.held_on and data.due_on < finding.audit.held_on:
        raise InvalidInput("Thời hạn khắc phục không được trước ngày đánh giá.")
    action = CorrectiveAction(finding_id=finding.id, description=data.description, owner=data.owner,
                              due_on=data.due_on, created_at=now())
    finding.actions.append(action)
    session.flush()
    return action


def complete_action(session: Session, user: User, action_id: uuid.UUID, data: ActionDoneIn) -> CorrectiveAction:
    action = session.get(CorrectiveAction, action_id)
    if action is None:
        raise NotFound("Không có hành động khắc phục này.")
    finding = _finding(session, user, action.finding_id)
    if action.done_on is not None:
        raise Conflict("Hành động khắc phục này đã được ghi hoàn thành.")
    _not_future(data.done_on, "Ngày hoàn thành")
    if finding.audit.held_on and data.done_on < finding.audit.held_on:
        raise InvalidInput("Ngày hoàn thành không được trước ngày đánh giá.")
    action.done_on, action.result = data.done_on, data.result
    session.flush()
    return action


def close_finding(session: Session, user: User, finding_id: uuid.UUID, data: CloseFindingIn) -> AuditFinding:
    """Verify that the corrections worked and close the nonconformity (and the audit when it
    was the last open one)."""
    finding = _finding(session, user, finding_id)
    if finding.status != FindingStatus.open.value:
        raise Conflict("Điểm không phù hợp này đã được đóng.")
    if not finding.actions:
        raise Conflict("Chưa có hành động khắc phục nào cho điểm không phù hợp này.")
    pending = [a for a in finding.actions if a.done_on is None]
    if pending:
        raise Conflict(f"Còn {len(pending)} hành động khắc phục chưa hoàn thành.")
    _not_future(data.verified_on, "Ngày kiểm tra hiệu lực")
    last_done = max(a.done_on for a in finding.actions if a.done_on)
    if data.verified_on < last_done:
        raise InvalidInput("Ngày kiểm tra hiệu lực không được trước ngày hoàn thành hành động khắc phục.")
    finding.verified_on, finding.verified_by = data.verified_on, user.username
    finding.verification_note = data.verification_note
    finding.status, finding.closed_on = FindingStatus.closed.value, data.verified_on
    _close_if_done(finding.audit)
    session.flush()
    return finding


def _close_if_done(audit: InternalAudit) -> None:
    """An audit whose last open nonconformity closed ends that day."""
    ncs = [f for f in audit.findings if f.kind == FindingKind.nonconformity.value]
    if audit.status == AuditStatus.held.value and ncs and all(f.status == FindingStatus.closed.value for f in ncs):
        audit.status, audit.closed_on = AuditStatus.closed.value, max(f.closed_on for f in ncs if f.closed_on)


def close_audit(session: Session, user: User, audit_id: uuid.UUID) -> InternalAudit:
    """End an audit held without nonconformities (with some, it ends when the last closes)."""
    audit = get_audit(session, user, audit_id, act=True)
    if audit.status != AuditStatus.held.value:
        raise Conflict("Chỉ kết thúc cuộc đánh giá đã tiến hành và chưa kết thúc.")
    if any(f.kind == FindingKind.nonconformity.value for f in audit.findings):
        raise Conflict("Cuộc đánh giá có điểm không phù hợp kết thúc khi điểm cuối cùng được đóng.")
    audit.status, audit.closed_on = AuditStatus.closed.value, audit.held_on
    session.flush()
    return audit


def nonconformity_overdue(finding: AuditFinding, on: date) -> bool:
    """An open nonconformity with an action past its deadline and not done."""
    return finding.status == FindingStatus.open.value and any(
        a.done_on is None and a.due_on < on for a in finding.actions)


# --- management reviews --------------------------------------------------------------------


def list_reviews(session: Session, user: User | None, *, unit_id: uuid.UUID | None = None) -> list[ManagementReview]:
    stmt = audit_access.scoped(session, user, select(ManagementReview), ManagementReview.unit_id, unit_id)
    return list(session.scalars(stmt.order_by(ManagementReview.planned_on.desc(), ManagementReview.id)))


def plan_review(session: Session, user: User, unit_id: uuid.UUID, data: ReviewPlanIn) -> ManagementReview:
    audit_access.ensure_unit(session, user, unit_id)
    review = ManagementReview(unit_id=unit_id, planned_on=data.planned_on, inputs=[], decisions=[],
                              created_by=user.username, created_at=now())
    session.add(review)
    session.flush()
    return review


def get_review(session: Session, user: User | None, review_id: uuid.UUID, *, act: bool = False) -> ManagementReview:
    review = session.get(ManagementReview, review_id)
    if review is None:
        raise NotFound("Không có cuộc họp xem xét của lãnh đạo này.")
    audit_access.ensure_unit(session, user, review.unit_id, act=act)
    return review


def record_review(session: Session, user: User, review_id: uuid.UUID, data: ReviewHeldIn) -> ManagementReview:
    review = get_review(session, user, review_id, act=True)
    if review.held_on is not None:
        raise Conflict("Cuộc họp xem xét này đã được ghi biên bản.")
    _not_future(data.held_on, "Ngày họp")
    review.held_on, review.chaired_by = data.held_on, data.chaired_by
    review.inputs = [i.model_dump(mode="json") for i in data.inputs]
    review.decisions = list(data.decisions)
    session.flush()
    return review


# --- reminders (job) -----------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    key: str
    agency_id: uuid.UUID
    subject: str
    text: str


def _reminders(session: Session, on: date, *, mark: bool, at: datetime | None = None) -> list[Reminder]:
    """Audits and reviews planned, and corrective actions due, within REMIND_DAYS of `on` (or
    already past), not yet reminded; `mark`: set their `reminded_at` (under lock)."""
    until = on + timedelta(days=REMIND_DAYS)

    def lock(stmt, entity):  # PostgreSQL: the reminded rows only (SQLite serialises writers)
        return stmt.with_for_update(of=entity) if mark else stmt

    out: list[Reminder] = []
    audits = session.execute(lock(select(InternalAudit, Agency).join(QualityUnit, QualityUnit.id == InternalAudit.unit_id)
                                  .join(Agency, Agency.id == QualityUnit.agency_id).where(
        InternalAudit.status == AuditStatus.planned.value, InternalAudit.planned_on <= until,
        InternalAudit.reminded_at.is_(None)), InternalAudit)).all()
    for audit, agency in audits:
        out.append(Reminder(f"quality-audit:{audit.id}", agency.id, f"Nhắc lịch đánh giá nội bộ ngày {audit.planned_on:%d/%m/%Y}",
                            f"{agency.name} có lịch đánh giá nội bộ ngày {audit.planned_on:%d/%m/%Y} "
                            f"(phạm vi: {audit.scope[:200]})."))
        if mark:
            audit.reminded_at = at
    reviews = session.execute(lock(select(ManagementReview, Agency).join(QualityUnit, QualityUnit.id == ManagementReview.unit_id)
                                   .join(Agency, Agency.id == QualityUnit.agency_id).where(
        ManagementReview.held_on.is_(None), ManagementReview.planned_on <= until,
        ManagementReview.reminded_at.is_(None)), ManagementReview)).all()
    for review, agency in reviews:
        out.append(Reminder(f"quality-review:{review.id}", agency.id,
                            f"Nhắc lịch họp xem xét của lãnh đạo ngày {review.planned_on:%d/%m/%Y}",
                            f"{agency.name} có lịch họp xem xét của lãnh đạo ngày {review.planned_on:%d/%m/%Y}."))
        if mark:
            review.reminded_at = at
    actions = session.execute(lock(select(CorrectiveAction, Agency).join(AuditFinding, AuditFinding.id == CorrectiveAction.finding_id)
                                   .join(InternalAudit, InternalAudit.id == AuditFinding.audit_id)
                                   .join(QualityUnit, QualityUnit.id == InternalAudit.unit_id)
                                   .join(Agency, Agency.id == QualityUnit.agency_id).where(
        CorrectiveAction.done_on.is_(None), CorrectiveAction.due_on <= until,
        CorrectiveAction.reminded_at.is_(None)), CorrectiveAction)).all()
    for action, agency in actions:
        out.append(Reminder(f"quality-action:{action.id}", agency.id,
                            f"Nhắc hạn hành động khắc phục ngày {action.due_on:%d/%m/%Y}",
                            f"Hành động khắc phục “{action.description[:200]}” của {agency.name} "
                            f"({action.owner}) có hạn ngày {action.due_on:%d/%m/%Y}."))
        if mark:
            action.reminded_at = at
    return out


def send_reminders(session: Session, *, at: datetime) -> int:
    """Writes: mark and send every reminder due at `at`; returns how many items were reminded."""
    due = _reminders(session, to_local(at).date(), mark=True, at=at)
    people = quality_recipients(session, {r.agency_id for r in due})
    for r in due:
        for user in people.get(r.agency_id, []):
            outbox.enqueue(session, key=f"{r.key}:{user.id}", kind="quality_reminder", recipient=user.email or "",
                           recipient_name=user.full_name, subject=r.subject,
                           body=f"Kính gửi {user.full_name},\n\n{r.text}\n\n"
                                "Thư gửi tự động từ hệ thống một cửa; xin không trả lời thư này.\n", at=at)
    session.flush()
    return len(due)


def run_reminders(factory: sessionmaker[Session]) -> str:
    at = now()
    with session_scope(factory, write=False) as session:
        pending = bool(_reminders(session, to_local(at).date(), mark=False))
    sent = 0
    if pending:  # the write lock is taken only when there is something to remind
        with session_scope(factory) as session:
            sent = send_reminders(session, at=at)
    return f"nhắc {sent} lịch đánh giá, họp xem xét, hạn khắc phục"
