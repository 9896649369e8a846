"""Overdue alerts (ND 61/2018, ND 118/2025; DOMAIN.md §2.5): at least one working day before
the appointment (here: ALERT_WORKING_DAYS), the handler and the head of the competent agency are notified (outbox rows
in `dossier_notifications`, sent by the notify worker). Each dossier is alerted once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User, UserRole
from motcua.calendar import engine as cal_engine
from motcua.core.clock import now, to_local
from motcua.dossiers.enums import ALERT_EXCLUDED_FILTER
from motcua.dossiers.models import Dossier, Notification
from motcua.dossiers.policies import system_actor
from motcua.dossiers.service.common import load_calendar, record

# The law asks for the alert at least one working day before the due time; two leave the
# head a full working day to issue the apology (form 04), which itself must be issued at
# least one working day before the due time (calendar.engine.check_reappointment).
ALERT_WORKING_DAYS = 2


def send_overdue_alerts(session: Session, *, at: datetime | None = None) -> list[Dossier]:
    """Alert on every active dossier whose alert instant (ALERT_WORKING_DAYS before due) has come."""
    at = at or now()
    # Candidates: due within the next 10 calendar days (1 working day is never longer), read
    # through the partial index ix_dossiers_alert_due (same predicate): the running dossiers
    # not yet alerted, whatever the size of the history.
    stmt = select(Dossier).where(
        Dossier.overdue_alerted_at.is_(None),
        Dossier.status.not_in(ALERT_EXCLUDED_FILTER),
        Dossier.due_at <= at + timedelta(days=10),
    ).order_by(Dossier.due_at)
    alerted = []
    calendars: dict = {}
    heads_of: dict = {}
    for dossier in session.scalars(stmt).all():
        cal = calendars.get(dossier.agency_id) or calendars.setdefault(dossier.agency_id, load_calendar(session, dossier.agency_id))
        if at < cal_engine.working_days_before(cal, dossier.due_at, ALERT_WORKING_DAYS):
            continue
        if dossier.agency_id not in heads_of:
            heads_of[dossier.agency_id] = set(session.scalars(
                select(User.id).join(UserRole, UserRole.user_id == User.id).where(
                    UserRole.role == "head", UserRole.agency_id == dossier.agency_id, User.is_active.is_(True)
                )
            ))
        recipients = set(heads_of[dossier.agency_id])
        if dossier.current_assignee_id:
            recipients.add(dossier.current_assignee_id)
        due_text = to_local(dossier.due_at).strftime("%H:%M ngày %d/%m/%Y")
        late = at > dossier.due_at
        message = (
            f"Hồ sơ {dossier.code} ({dossier.procedure_name[:120]}) "
            + ("đã quá hạn" if late else "sắp đến hạn") + f" trả kết quả lúc {due_text}. "
            "Đề nghị xử lý hoặc gửi văn bản xin lỗi, hẹn lại ngày trả kết quả (mẫu 04)."
        )
        for recipient in sorted(recipients, key=str):
            session.add(Notification(dossier_id=dossier.id, recipient_id=recipient,
                                     recipient_unit_id=dossier.agency_id, kind="overdue_alert", message=message,
                                     created_at=at))
        if not recipients:
            session.add(Notification(dossier_id=dossier.id, recipient_id=None, recipient_unit_id=dossier.agency_id,
                                     kind="overdue_alert", message=message, created_at=at))
        dossier.overdue_alerted_at = at
        record(session, dossier, actor=system_actor(), action="overdue_alert", at=at, from_status=dossier.status,
               from_step=dossier.current_step_name, from_unit_id=dossier.current_unit_id, note=message,
               data={"recipients": [str(r) for r in sorted(recipients, key=str)]})
        alerted.append(dossier)
    session.flush()
    return alerted
