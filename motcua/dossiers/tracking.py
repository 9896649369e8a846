"""Tracking a dossier from the applicant's side: the public lookup by code and a second
factor, the timeline, the dossiers of an applicant (by ID number) and their result files.

Dossiers knows nothing of citizen accounts: the citizens domain says which ID numbers are a
signed-in citizen's (verified by the national identity) and asks here for their dossiers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from motcua.core.clock import now
from motcua.core.errors import NotFound
from motcua.dossiers.audit import dossier_events
from motcua.dossiers.enums import DossierStatus
from motcua.dossiers.identity import normal_id_number
from motcua.dossiers.lookup_keys import code_candidates, normal_key, same_secret
from motcua.dossiers.models import (
    Dossier,
    DossierAttachment,
    DossierCode,
    DossierPause,
    DossierResult,
)
from motcua.dossiers.queries import Page
from motcua.dossiers.service.common import load_calendar
from motcua.dossiers.service.files import read_attachment
from motcua.dossiers.timeline import Timeline, build_timeline
from motcua.org.models import Agency

# Result files are the applicant's once the result exists (issued, or already handed over).
RESULT_STATUSES = frozenset({DossierStatus.result_ready, DossierStatus.returned})


def _by_code(session: Session, typed_code: str) -> Dossier | None:
    """The dossier of a typed code. An unknown code still reads a dossier row (none has the
    nil id), so it costs the same two queries as a known one."""
    candidates = code_candidates(typed_code)
    ref = session.scalar(select(DossierCode.dossier_ref_id).where(DossierCode.code.in_(candidates)).limit(1)
                         ) if candidates else None
    return session.get(Dossier, ref or uuid.UUID(int=0))


def _typed_id_number(typed: str) -> str:
    try:
        return normal_id_number(typed, None)
    except ValueError:
        return ""


def find_for_lookup(session: Session, typed_code: str, typed_factor: str) -> Dossier | None:
    """The dossier whose code is `typed_code` (case and spaces ignored) and whose lookup key or
    applicant ID number is `typed_factor`; None for an unknown code and for a wrong factor
    alike. Both factors are compared in constant time, and both always (no short circuit), so
    a wrong factor takes as long as a right one; an unknown code is compared against nothing."""
    dossier = _by_code(session, typed_code)
    key, id_number = normal_key(typed_factor), _typed_id_number(typed_factor)
    by_key = same_secret(dossier.lookup_key if dossier else None, key)
    by_id = same_secret(dossier.applicant_id_number if dossier else None, id_number)
    return dossier if dossier is not None and (by_key | by_id) and (key or id_number) else None


def load_timeline(session: Session, dossier: Dossier, *, at: datetime | None = None) -> Timeline:
    """`build_timeline` with what it needs read in four queries (events, pauses, units, calendar)."""
    events = dossier_events(session, dossier.id)
    pauses = list(session.scalars(
        select(DossierPause).where(DossierPause.dossier_id == dossier.id).order_by(DossierPause.started_at)))
    unit_ids = {dossier.agency_id} | {e.to_unit_id for e in events if e.to_unit_id}
    names = dict(session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(unit_ids))).tuples().all())
    return build_timeline(dossier, events, pauses=pauses, unit_names=names,
                          cal=load_calendar(session, dossier.agency_id), at=at or now())


def dossiers_of_applicant(session: Session, id_numbers: Iterable[str], *, page: int = 1, page_size: int = 20) -> Page:
    """Every dossier (any channel, any status) whose applicant ID number is one of
    `id_numbers`, newest first (received, then id: a total order, so pages never repeat)."""
    ids = sorted({i for i in id_numbers if i})
    if not ids:
        return Page(0, page, page_size, [])
    where = Dossier.applicant_id_number.in_(ids)
    total = session.scalar(select(func.count()).select_from(Dossier).where(where)) or 0
    items = list(session.scalars(select(Dossier).where(where)
                                 .order_by(Dossier.received_at.desc(), Dossier.id.desc())
                                 .offset((page - 1) * page_size).limit(page_size)))
    return Page(total, page, page_size, items)


def dossier_of_applicant(session: Session, id_numbers: Iterable[str], typed_code: str) -> Dossier:
    """The dossier with this code when its applicant is one of `id_numbers`; NotFound (the
    same answer as an unknown code) otherwise."""
    dossier = _by_code(session, typed_code)
    if dossier is None or not dossier.applicant_id_number or dossier.applicant_id_number not in set(id_numbers):
        raise NotFound("Không tìm thấy hồ sơ.")
    return dossier


def result_files(session: Session, dossier: Dossier) -> list[DossierAttachment]:
    """The result documents of `dossier`, once it has its result; none before."""
    if dossier.status not in RESULT_STATUSES:
        return []
    ids = select(DossierResult.attachment_id).where(DossierResult.dossier_id == dossier.id,
                                                    DossierResult.kind == "result",
                                                    DossierResult.attachment_id.is_not(None))
    return list(session.scalars(select(DossierAttachment).where(
        DossierAttachment.dossier_id == dossier.id, DossierAttachment.id.in_(ids)
    ).order_by(DossierAttachment.created_at)))


def read_result_file(session: Session, dossier: Dossier, attachment_id: uuid.UUID, *,
                     storage_root: Path | None = None) -> tuple[DossierAttachment, bytes]:
    """A result file of `dossier` and its bytes; NotFound for any other file (a scan, another
    dossier's file) and before the result exists."""
    if attachment_id not in {a.id for a in result_files(session, dossier)}:
        raise NotFound("Không tìm thấy tệp kết quả.")
    return read_attachment(session, dossier, attachment_id, storage_root=storage_root)
