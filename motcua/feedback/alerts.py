"""Overdue feedback: the heads of the responsible agency are alerted once per stage missed —
an e-mail in the notify outbox (delivered by `motcua worker`, docs/notify.md) for each head
with an address, and an event in the item's history. The list page flags overdue items
itself (queries.overdue_clause); the alert is what reaches the head.

Like the dossiers' overdue alert (dossiers/service/alerts.py): candidates are read in a read
unit of work, the alerts written in short write units that re-check and lock their items,
so two workers alert an item once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from motcua.auth.models import User, UserRole
from motcua.auth.roles import Role
from motcua.core.clock import now, to_local
from motcua.core.db import session_scope
from motcua.feedback.enums import STATUS_LABELS, Status
from motcua.feedback.models import FeedbackItem
from motcua.feedback.queries import open_items_due
from motcua.feedback.service import current_due, current_stage, record_event
from motcua.notify import service as outbox

ALERT_BATCH = 50
STAGE_NAMES = {"classify": "tiếp nhận, phân loại", "answer": "trả lời", "publish": "công khai kết quả"}


def _heads(session: Session, agency_id) -> list[User]:
    return list(session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.head, UserRole.agency_id == agency_id, User.is_active.is_(True))
        .order_by(User.username)).unique())


def _alert(session: Session, codes: list[str], at: datetime) -> list[str]:
    items = session.scalars(select(FeedbackItem).where(FeedbackItem.code.in_(codes))
                            .order_by(FeedbackItem.code).with_for_update()).all()
    alerted = []
    for item in items:
        stage, due = current_stage(item), current_due(item)
        if stage is None or due is None or at <= due or item.alerted_stage == stage.value:
            continue  # handled, moved on, or alerted meanwhile
        heads = _heads(session, item.agency_id)
        due_text = to_local(due).strftime("%H:%M ngày %d/%m/%Y")
        message = (f"Phản ánh, kiến nghị {item.code} ({item.title[:120]}) đã quá hạn {STAGE_NAMES[stage.value]} "
                   f"lúc {due_text}; trạng thái: {STATUS_LABELS[Status(item.status)]}.")
        for head in heads:
            if head.email:
                outbox.enqueue(session, key=f"feedback:{item.code}:{stage.value}:{head.id}", kind="feedback_overdue",
                               recipient=head.email, recipient_name=head.full_name,
                               subject=f"Phản ánh, kiến nghị {item.code} quá hạn {STAGE_NAMES[stage.value]}",
                               body=f"Kính gửi {head.full_name},\n\n{message}\n\n"
                                    "Thư gửi tự động từ hệ thống một cửa; xin không trả lời thư này.\n", at=at)
        item.alerted_stage = stage.value
        record_event(session, item, "overdue_alert", at=at, note=message + (
            " Đã báo: " + ", ".join(h.full_name for h in heads) if heads else " Cơ quan chưa có lãnh đạo trên hệ thống."))
        alerted.append(item.code)
    session.flush()
    return alerted


def run_overdue_alerts(factory: sessionmaker[Session], *, at: datetime | None = None,
                       batch: int = ALERT_BATCH) -> list[str]:
    """Alert every overdue item not yet alerted for its current stage; returns their codes."""
    at = at or now()
    with session_scope(factory, write=False) as session:
        codes = [code for code, _status, _agency in open_items_due(session, at)]
    done: list[str] = []
    for start in range(0, len(codes), batch):
        with session_scope(factory) as session:
            done.extend(_alert(session, codes[start:start + batch], at))
    return done
