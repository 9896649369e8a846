"""The rules of a rating: who may rate which dossier, when, once; the kiosk's pairing and the
dossier it offers. Routes stay thin (routes.py); the sender is sync.py."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import has_role
from motcua.auth.roles import Role
from motcua.citizens.models import Citizen
from motcua.core.clock import now
from motcua.core.errors import Conflict, Forbidden, NotFound
from motcua.core.text import nfc
from motcua.dossiers.enums import Action, DossierStatus, ReturnMethod
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.queries import find_by_code
from motcua.dvcqg.outbound import national_code_of
from motcua.ratings.enums import RatingChannel
from motcua.ratings.inputs import RatingIn
from motcua.ratings.models import Rating, RatingKiosk, RatingOutbox

# After the result: issued (waiting to be returned), a refusal after appraisal (which is the
# result), or returned.
RATABLE = frozenset({DossierStatus.result_ready, DossierStatus.refused, DossierStatus.returned})
# How long after the officer returned a result the kiosk offers that dossier for rating.
KIOSK_WINDOW = timedelta(minutes=10)
# How long a pairing link may wait to be opened on the device.
PAIRING_TTL = timedelta(minutes=15)
LABEL_MAX = 100

NOT_YET = "Hồ sơ chưa có kết quả giải quyết: chỉ có thể đánh giá sau khi có kết quả."
ALREADY = "Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần."
NOT_YOURS = "Không tìm thấy hồ sơ mang mã này trong các hồ sơ của ông/bà."
KIOSK_GONE = "Phiên đánh giá hồ sơ này đã kết thúc hoặc hồ sơ không còn chờ đánh giá tại quầy này."
PAIRING_INVALID = "Liên kết ghép nối không hợp lệ, đã được dùng hoặc đã hết hạn. Đề nghị cán bộ tạo liên kết mới."


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ------------------------------------------------------------------ rating


def rating_of(session: Session, dossier_id: uuid.UUID) -> Rating | None:
    return session.get(Rating, dossier_id)


def is_ratable(dossier: Dossier) -> bool:
    return dossier.status in RATABLE


def ensure_can_rate(session: Session, dossier: Dossier) -> None:
    if not is_ratable(dossier):
        raise Conflict(NOT_YET, code="not_ratable_yet")
    if rating_of(session, dossier.id) is not None:
        raise Conflict(ALREADY, code="already_rated")


def record_rating(session: Session, dossier: Dossier, data: RatingIn, *, channel: RatingChannel,
                  citizen: Citizen | None = None, kiosk: RatingKiosk | None = None,
                  at: datetime | None = None) -> Rating:
    """Store the one rating of `dossier` and, when its procedure has a national code, its
    outbox row for DongBoDanhGia — in the caller's transaction. A second rating (even one
    racing this one from another device) is refused with ALREADY."""
    ensure_can_rate(session, dossier)
    rating = Rating(
        dossier_id=dossier.id, agency_id=dossier.agency_id, procedure_id=dossier.procedure_id,
        channel=channel.value, citizen_id=citizen.id if citizen else None,
        kiosk_id=kiosk.id if kiosk else None, officer_id=kiosk.officer_id if kiosk else None,
        time_score=data.time_score, contacts_score=data.contacts_score, attitude_score=data.attitude_score,
        satisfaction=data.satisfaction.value, comment=nfc(data.comment) or None, rated_at=at or now(),
    )
    try:
        with session.begin_nested():  # the primary key is the dossier: a racing second rating fails here
            session.add(rating)
    except IntegrityError:
        raise Conflict(ALREADY, code="already_rated") from None
    if national_code_of(session, dossier.procedure_id) is not None:
        session.add(RatingOutbox(dossier_id=dossier.id, created_at=rating.rated_at, attempts=0,
                                 next_attempt_at=rating.rated_at))
    return rating


# ------------------------------------------------------------------ online: the applicant


def identifiers(citizen: Citizen) -> set[str]:
    """The identifiers a dossier's applicant may be recorded under for this account."""
    values = (citizen.id_number, citizen.old_id_number, citizen.tax_code, citizen.business_code)
    return {v.strip().upper() for v in values if v and v.strip()}


def owns(citizen: Citizen, dossier: Dossier) -> bool:
    number = (dossier.applicant_id_number or "").strip().upper()
    return bool(number) and number in identifiers(citizen)


def citizen_dossier(session: Session, citizen: Citizen, code: str) -> Dossier:
    """The citizen's own dossier with `code` (any case); another's or an unknown code: the same
    NotFound, so the page tells nothing about dossiers that are not theirs."""
    code = (code or "").strip()[:40]
    dossier = (find_by_code(session, code) or find_by_code(session, code.upper())) if code else None
    if dossier is None or not owns(citizen, dossier):
        raise NotFound(NOT_YOURS)
    return dossier


# ------------------------------------------------------------------ kiosk at the counter


@dataclass(frozen=True)
class NewKiosk:
    kiosk: RatingKiosk
    pairing_code: str  # shown once, in the pairing link


def ensure_counter_officer(user: User) -> None:
    if not has_role(user, Role.counter_officer):
        raise Forbidden("Chỉ công chức Bộ phận Một cửa mới ghép nối được thiết bị đánh giá tại quầy.")


def create_kiosk(session: Session, officer: User, label: str, *, at: datetime | None = None) -> NewKiosk:
    ensure_counter_officer(officer)
    at = at or now()
    code = secrets.token_urlsafe(24)
    kiosk = RatingKiosk(officer_id=officer.id, label=nfc(label).strip()[:LABEL_MAX] or "Thiết bị đánh giá",
                        pairing_hash=_digest(code), pairing_expires_at=at + PAIRING_TTL, created_at=at)
    session.add(kiosk)
    session.flush()
    return NewKiosk(kiosk, code)


def officer_kiosks(session: Session, officer: User) -> list[RatingKiosk]:
    return list(session.scalars(select(RatingKiosk).where(
        RatingKiosk.officer_id == officer.id, RatingKiosk.revoked_at.is_(None)).order_by(RatingKiosk.created_at)))


def revoke_kiosk(session: Session, officer: User, kiosk_id: str, *, at: datetime | None = None) -> RatingKiosk:
    try:
        kiosk = session.get(RatingKiosk, uuid.UUID(str(kiosk_id)))
    except ValueError:
        kiosk = None
    if kiosk is None or kiosk.officer_id != officer.id or kiosk.revoked_at is not None:
        raise NotFound("Không tìm thấy thiết bị đánh giá này.")
    kiosk.revoked_at = at or now()
    kiosk.device_hash = kiosk.pairing_hash = None
    return kiosk


def pair_device(session: Session, code: str, *, at: datetime | None = None) -> tuple[RatingKiosk, str]:
    """Exchange a one-time pairing code for the device token the kiosk keeps in its cookie."""
    at = at or now()
    kiosk = session.scalar(select(RatingKiosk).where(RatingKiosk.pairing_hash == _digest(code or "")))
    if kiosk is None or kiosk.revoked_at is not None or kiosk.pairing_expires_at is None \
            or kiosk.pairing_expires_at <= at:
        raise NotFound(PAIRING_INVALID)
    token = secrets.token_urlsafe(32)
    kiosk.device_hash, kiosk.paired_at = _digest(token), at
    kiosk.pairing_hash = kiosk.pairing_expires_at = None
    return kiosk, token


def kiosk_of(session: Session, token: str | None) -> RatingKiosk | None:
    if not token:
        return None
    return session.scalar(select(RatingKiosk).where(
        RatingKiosk.device_hash == _digest(token), RatingKiosk.revoked_at.is_(None)))


def waiting_dossiers(session: Session, kiosk: RatingKiosk, *, at: datetime | None = None) -> list[Dossier]:
    """The dossiers the kiosk's officer returned at the counter in the last KIOSK_WINDOW and
    not rated yet, the latest first (read from the audit rows of the returns)."""
    at = at or now()
    events = session.scalars(select(DossierEvent).where(
        DossierEvent.action == Action.return_result.value, DossierEvent.actor_id == kiosk.officer_id,
        DossierEvent.at >= at - KIOSK_WINDOW, DossierEvent.at <= at).order_by(DossierEvent.at.desc()))
    found: list[Dossier] = []
    for event in events:
        if (event.data or {}).get("method", ReturnMethod.counter.value) != ReturnMethod.counter.value:
            continue
        dossier = session.get(Dossier, event.dossier_id)
        if dossier is not None and dossier not in found and is_ratable(dossier) \
                and rating_of(session, dossier.id) is None:
            found.append(dossier)
    return found


def offered_dossier(session: Session, kiosk: RatingKiosk, *, at: datetime | None = None) -> Dossier | None:
    waiting = waiting_dossiers(session, kiosk, at=at)
    return waiting[0] if waiting else None


def kiosk_dossier(session: Session, kiosk: RatingKiosk, dossier_id: str, *, at: datetime | None = None) -> Dossier:
    """The dossier a kiosk posts a rating for: only one still waiting at that kiosk."""
    for dossier in waiting_dossiers(session, kiosk, at=at):
        if str(dossier.id) == str(dossier_id):
            return dossier
    try:
        rated = rating_of(session, uuid.UUID(str(dossier_id))) is not None
    except ValueError:
        rated = False
    if rated:
        raise Conflict(ALREADY, code="already_rated")
    raise Conflict(KIOSK_GONE, code="kiosk_rating_closed")
