"""Feedback (PAKN) use cases: submit and route, classify, reject, re-route, answer, publish,
the sender's helpful vote; the deadlines of the stages (calendar engine, `feedback_stages`)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.calendar.deadlines import due_for
from motcua.calendar.store import load_calendar
from motcua.catalog.applications import current_applications
from motcua.catalog.limits import TimeLimit
from motcua.catalog.models import Procedure
from motcua.catalog.service import find_procedure_by_code
from motcua.citizens.models import Citizen
from motcua.core.clock import now, to_local
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.core.text import fold
from motcua.dossiers.queries import find_by_code
from motcua.dossiers.storage import name_for, store_bytes
from motcua.feedback import policies
from motcua.feedback.enums import STAGE_OF_STATUS, STATUS_LABELS, Stage, Status, Subject
from motcua.feedback.models import FeedbackEvent, FeedbackItem, FeedbackStage
from motcua.feedback.schemas import AnswerIn, ClassifyIn, FeedbackIn, RejectIn, RouteIn, VoteIn
from motcua.org.models import Agency
from motcua.org.service import is_current

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
# Which action each status allows (the page shows only these buttons).
ALLOWED: dict[str, tuple[Status, ...]] = {
    "classify": (Status.received,),
    "reject": (Status.received,),
    "route": (Status.received, Status.processing),
    "answer": (Status.processing,),
    "publish": (Status.answered,),
}
ACTION_LABELS = {"classify": "Tiếp nhận, phân loại", "reject": "Không tiếp nhận", "route": "Chuyển cơ quan khác",
                 "answer": "Trả lời", "publish": "Công khai kết quả"}


# --- stages and deadlines ------------------------------------------------------------------


def stages(session: Session) -> list[FeedbackStage]:
    return list(session.scalars(select(FeedbackStage).order_by(FeedbackStage.position)))


def stage_due(session: Session, stage: Stage, *, agency_id: uuid.UUID, start: datetime) -> datetime | None:
    """When `stage` is due for an item of `agency_id` whose stage started at `start`: the
    calendar's computation of the stage's working days (None when no figure is recorded)."""
    row = session.get(FeedbackStage, stage.value)
    if row is None or row.working_days is None:
        return None
    cal = load_calendar(session, session.get(Agency, agency_id))
    return due_for(cal, start, TimeLimit(days=row.working_days, basis=row.basis)).due_at


def set_stage_limit(session: Session, stage: Stage, *, working_days: int | None, basis: str,
                    note: str | None = None) -> FeedbackStage:
    """Record a stage's figure with the text it comes from (a province's decision). Applies
    to items received afterwards, like a calendar change."""
    row = session.get(FeedbackStage, stage.value)
    if row is None:
        raise NotFound(f"Không có bước “{stage.value}”.")
    if working_days is not None and not 0 <= working_days <= 365:
        raise InvalidInput("Số ngày làm việc phải từ 0 đến 365.")
    if not (basis or "").strip():
        raise InvalidInput("Cần ghi căn cứ (số, ngày, điều của văn bản quy định thời hạn).")
    row.working_days, row.basis, row.note, row.updated_at = working_days, basis.strip(), note, now()
    session.flush()
    return row


def current_stage(item: FeedbackItem) -> Stage | None:
    return STAGE_OF_STATUS.get(Status(item.status))


def current_due(item: FeedbackItem) -> datetime | None:
    """The deadline of the stage the item is in (None: closed, or no limit recorded)."""
    return {Stage.classify: item.classify_due_at, Stage.answer: item.answer_due_at,
            Stage.publish: item.publish_due_at}.get(current_stage(item))


def is_overdue(item: FeedbackItem, at: datetime | None = None) -> bool:
    due = current_due(item)
    return due is not None and (at or now()) > due


# --- submission and routing ----------------------------------------------------------------


def _refuse(name: str, message: str) -> InvalidInput:
    label = FeedbackIn.model_fields[name].title
    return InvalidInput(f"Dữ liệu không hợp lệ: {label}: {message}",
                        details=[{"name": name, "label": label, "message": message}])


def _current_agency(session: Session, code: str, field: str) -> Agency:
    agency = session.scalar(select(Agency).where(Agency.code == code.strip()))
    if agency is None or not is_current(agency):
        raise _refuse(field, f"Không tìm thấy cơ quan đang hoạt động có mã “{code}”.")
    return agency


def route_for(session: Session, data: FeedbackIn) -> tuple[Agency, Procedure | None, uuid.UUID | None]:
    """The responsible agency: the dossier's agency; the procedure's agency in the catalogue
    (the one chosen among several that implement it, or the PAKN unit to route it when the
    sender did not say which); the agency chosen directly. Returns (agency, procedure, dossier id)."""
    if data.subject == Subject.dossier:
        dossier = find_by_code(session, data.dossier_code.upper())
        if dossier is None:
            raise _refuse("dossier_code", f"Không tìm thấy hồ sơ có mã “{data.dossier_code}”. "
                                          "Vui lòng kiểm tra mã in trên giấy tiếp nhận.")
        return session.get(Agency, dossier.agency_id), session.get(Procedure, dossier.procedure_id), dossier.id
    if data.subject == Subject.procedure:
        procedure = find_procedure_by_code(session, data.procedure_code)
        if procedure is None:
            raise _refuse("procedure_code", f"Không tìm thấy thủ tục có mã “{data.procedure_code}”.")
        agencies = [a.agency for a in current_applications(session, [procedure.id])]
        if data.agency_code:
            chosen = _current_agency(session, data.agency_code, "agency_code")
            if chosen.id not in {a.id for a in agencies}:
                raise _refuse("agency_code", "Cơ quan đã chọn không thực hiện thủ tục này.")
            return chosen, procedure, None
        return (agencies[0] if len(agencies) == 1 else policies.pakn_unit(session)), procedure, None
    return _current_agency(session, data.agency_code, "agency_code"), None, None


def _new_code(session: Session, at: datetime) -> str:
    stamp = to_local(at).strftime("%y%m%d")
    while True:  # 32^6 codes a day: a repeat is rare, and checked
        code = f"PAKN-{stamp}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if session.get(FeedbackItem, code) is None:
            return code


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def record_event(session: Session, item: FeedbackItem, action: str, *, at: datetime, actor: User | None = None,
           actor_name: str | None = None, from_agency_id: uuid.UUID | None = None,
           to_agency_id: uuid.UUID | None = None, note: str | None = None) -> None:
    session.add(FeedbackEvent(feedback_code=item.code, at=at, action=action, actor_id=actor.id if actor else None,
                              actor_name=actor.full_name if actor else (actor_name or "Hệ thống"),
                              from_agency_id=from_agency_id, to_agency_id=to_agency_id, note=note))


def _search_text(item: FeedbackItem) -> str:
    return fold(" ".join(filter(None, [item.title, item.content, item.answer])))


def submit_feedback(
    session: Session, data: FeedbackIn, *, citizen: Citizen | None = None,
    attachment: tuple[str | None, bytes] | None = None, storage_root: Path | None = None,
    max_bytes: int | None = None, at: datetime | None = None,
) -> tuple[FeedbackItem, str]:
    """Record a feedback, routed, with the deadlines of its stages. Returns the item and the
    key the sender needs to rate the answer (shown once; only its hash is kept)."""
    missing = data.missing()
    if missing:
        raise InvalidInput("Dữ liệu không hợp lệ: " + " ".join(f"{d['label']}: {d['message']}" for d in missing),
                           details=missing)
    at = at or now()
    agency, procedure, dossier_id = route_for(session, data)
    stored = None
    if attachment is not None:
        filename, content = attachment
        try:
            digest, kind, size = store_bytes(content, root=storage_root, max_bytes=max_bytes)
        except InvalidInput as exc:
            raise _refuse_file(exc.message) from None
        stored = (name_for(filename, kind), kind, size, digest)
    key = secrets.token_urlsafe(9)
    item = FeedbackItem(
        code=_new_code(session, at), subject=data.subject, procedure_id=procedure.id if procedure else None,
        dossier_code=data.dossier_code.upper() if data.subject == Subject.dossier else None, dossier_ref=dossier_id,
        officer=data.officer if data.subject == Subject.officer else None, agency_id=agency.id,
        title=data.title, content=data.content, sender_name=data.sender_name, sender_phone=data.phone,
        sender_email=data.email, citizen_id=citizen.id if citizen else None, vote_key_hash=_hash_key(key),
        status=Status.received, received_at=at,
        classify_due_at=stage_due(session, Stage.classify, agency_id=agency.id, start=at),
        answer_due_at=stage_due(session, Stage.answer, agency_id=agency.id, start=at),
    )
    if stored:
        item.attachment_name, item.attachment_type, item.attachment_size, item.attachment_sha256 = stored
    item.search_folded = _search_text(item)
    session.add(item)
    session.flush([item])
    record_event(session, item, "submitted", at=at, actor_name=data.sender_name, to_agency_id=agency.id)
    session.flush()
    return item, key


def _refuse_file(message: str) -> InvalidInput:
    return InvalidInput(f"Dữ liệu không hợp lệ: Tệp đính kèm: {message}",
                        details=[{"name": "attachment", "label": "Tệp đính kèm", "message": message}])


# --- handling by the agency ----------------------------------------------------------------


def get_item(session: Session, code: str) -> FeedbackItem:
    item = session.get(FeedbackItem, (code or "").strip().upper())
    if item is None:
        raise NotFound(f"Không tìm thấy phản ánh, kiến nghị có mã “{code}”.")
    return item


def get_for_staff(session: Session, code: str, user: User | None, *, for_update: bool = False) -> FeedbackItem:
    item = get_item(session, code)
    if for_update:  # one handler at a time (PostgreSQL row lock; SQLite serialises writers)
        session.execute(select(FeedbackItem.code).where(FeedbackItem.code == item.code).with_for_update())
        session.refresh(item)
    policies.ensure_may_handle(session, user, item.agency_id)
    return item


def _check(item: FeedbackItem, action: str) -> None:
    if item.status not in ALLOWED[action]:
        raise Conflict(f"Không thể “{ACTION_LABELS[action].lower()}” phản ánh, kiến nghị đang ở trạng thái "
                       f"“{STATUS_LABELS[Status(item.status)]}”.")


def classify(session: Session, item: FeedbackItem, user: User, data: ClassifyIn, *, at: datetime | None = None) -> None:
    _check(item, "classify")
    at = at or now()
    item.status, item.classification, item.classified_at = Status.processing, data.classification, at
    record_event(session, item, "classify", at=at, actor=user, note=data.note)
    session.flush()


def reject(session: Session, item: FeedbackItem, user: User, data: RejectIn, *, at: datetime | None = None) -> None:
    _check(item, "reject")
    at = at or now()
    item.status, item.rejected_reason = Status.rejected, data.reason
    record_event(session, item, "reject", at=at, actor=user, note=data.reason)
    session.flush()


def reroute(session: Session, item: FeedbackItem, user: User, data: RouteIn, *, at: datetime | None = None) -> None:
    """The PAKN unit sends an item to another agency; the deadlines keep running from the
    receipt (ND 20/2008 Art. 9: forwarding is part of the first stage)."""
    policies.ensure_may_route(session, user)
    _check(item, "route")
    target = session.scalar(select(Agency).where(Agency.code == data.agency_code.strip()))
    if target is None or not is_current(target):
        raise InvalidInput(f"Không tìm thấy cơ quan đang hoạt động có mã “{data.agency_code}”.",
                           details=[{"name": "agency_code", "label": "Chuyển đến cơ quan",
                                     "message": "Không tìm thấy cơ quan đang hoạt động có mã này."}])
    if target.id == item.agency_id:
        raise InvalidInput("Phản ánh, kiến nghị đã thuộc cơ quan này.")
    at = at or now()
    record_event(session, item, "route", at=at, actor=user, from_agency_id=item.agency_id, to_agency_id=target.id,
           note=data.note)
    item.agency_id = target.id
    session.flush()


def answer(session: Session, item: FeedbackItem, user: User, data: AnswerIn, *, at: datetime | None = None) -> None:
    _check(item, "answer")
    at = at or now()
    item.status, item.answer, item.answered_at, item.answered_by_id = Status.answered, data.answer, at, user.id
    item.publish_due_at = stage_due(session, Stage.publish, agency_id=item.agency_id, start=at)
    item.search_folded = _search_text(item)
    record_event(session, item, "answer", at=at, actor=user)
    session.flush()


def publish(session: Session, item: FeedbackItem, user: User, *, at: datetime | None = None) -> None:
    _check(item, "publish")
    at = at or now()
    item.status, item.published_at = Status.published, at
    record_event(session, item, "publish", at=at, actor=user)
    session.flush()


def vote(session: Session, data: VoteIn, *, at: datetime | None = None) -> FeedbackItem:
    """The sender says whether the answer helped: once, with the code and the key given at
    submission. A wrong key and an unknown code get the same answer."""
    item = session.get(FeedbackItem, data.code.strip().upper())
    if item is None or not hmac.compare_digest(item.vote_key_hash, _hash_key(data.key.strip())):
        raise InvalidInput("Mã phản ánh, kiến nghị hoặc mã đánh giá không đúng.")
    if item.status not in (Status.answered, Status.published):
        raise Conflict("Phản ánh, kiến nghị chưa được trả lời, chưa thể đánh giá.")
    at = at or now()
    # Conditional: of two votes sent at once, one finds voted_at already set.
    done = session.execute(update(FeedbackItem).where(FeedbackItem.code == item.code, FeedbackItem.voted_at.is_(None))
                           .values(helpful=data.helpful, voted_at=at).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise Conflict("Bạn đã đánh giá câu trả lời này rồi; mỗi phản ánh, kiến nghị chỉ được đánh giá một lần.")
    session.refresh(item)
    record_event(session, item, "vote", at=at, actor_name="Người gửi", note="Có ích" if data.helpful else "Không có ích")
    session.flush()
    return item
