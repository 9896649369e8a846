"""Taking citizens' online submissions and supplements from the national portal.

One pass (`take_inbound`, the worker's `dvcqg-inbound` job): ask the portal for what the
province has not taken yet (no transaction open), then one short write unit per item:

- a submission becomes a dossier of the online queue (dossiers.service.online.register_online)
  under the portal's MaHoSo; the local procedure is the one mapped to its MaTTHC that the
  addressed one-stop section may receive for a competent agency. The outbox row its audit row
  writes sends the first `DongBoHoSoMC`, which is what tells the portal it was taken.
- a supplement joins its dossier (online_supplement_arrived); it is taken when the record
  lists its round with the time the counter received it.

The portal may also deliver an item itself (`POST /api/v1/dvcqg/inbound`, dvcqg.api): the same
`accept_submission` / `accept_supplement` in the request's unit of work.

Idempotent on the portal's ids (`dvcqg_inbound`): an item offered again (the portal has not
seen our acknowledgement yet, or re-sends it) creates nothing. An item that cannot be placed
(no mapped procedure, unknown section) is reported at every pass and left on the portal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from motcua.catalog.applications import current_applications
from motcua.catalog.models import NationalCode, Procedure
from motcua.catalog.service import get_procedure_by_code
from motcua.core.db import session_scope
from motcua.core.errors import Conflict, DomainError, InvalidInput, NotFound
from motcua.dossiers.models import Dossier, DossierPause
from motcua.dossiers.service.online import (
    OnlineComponent,
    OnlineFile,
    online_dossier_id,
    online_supplement_arrived,
    register_online,
)
from motcua.dossiers.service.receive import ApplicantData, check_receiving_unit
from motcua.dvcqg.models import InboundItem
from motcua.integrations.dvcqg.portal import (
    NationalPortal,
    OnlineSupplement,
    Submission,
    SubmittedComponent,
)
from motcua.org.models import Agency

T = TypeVar("T")


@dataclass
class InboundReport:
    registered: list[str] = field(default_factory=list)
    supplements: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)  # national id → why it was not taken

    def summary(self) -> str:
        text = (f"nhận {len(self.registered)} hồ sơ trực tuyến mới, "
                f"{len(self.supplements)} hồ sơ bổ sung trực tuyến")
        if self.problems:
            text += f"; {len(self.problems)} hồ sơ không nhận được: " + "; ".join(
                f"{k}: {v}" for k, v in list(self.problems.items())[:5])
        return text


def _components(components: tuple[SubmittedComponent, ...]) -> list[OnlineComponent]:
    return [OnlineComponent(c.name, c.count, tuple(OnlineFile(f.name, f.content) for f in c.files if f.content))
            for c in components]


def _place(session: Session, submission: Submission) -> tuple[Procedure, Agency, Agency]:
    """The local procedure, competent agency and receiving unit of a submission."""
    unit = session.scalar(select(Agency).where(Agency.code == submission.receiving_unit_code))
    if unit is None:
        raise InvalidInput(f"không có Bộ phận Một cửa mã {submission.receiving_unit_code or '(trống)'}")
    procedure_ids = list(session.scalars(select(NationalCode.procedure_id).where(
        NationalCode.national_code == submission.national_procedure_code)))
    if not procedure_ids:
        raise InvalidInput(f"thủ tục quốc gia {submission.national_procedure_code} chưa được ghép với thủ tục của tỉnh")
    problem = None
    for application in current_applications(session, procedure_ids):
        procedure = get_procedure_by_code(session, session.get(Procedure, application.procedure_id).code, full=True)
        try:
            check_receiving_unit(session, procedure=procedure, agency=application.agency, receiving_unit=unit)
        except InvalidInput as exc:
            problem = exc.message
            continue
        return procedure, application.agency, unit
    raise InvalidInput(problem or f"thủ tục {submission.national_procedure_code} không có cơ quan giải quyết")


def _payload(submission: Submission) -> dict:
    """The submission as received, file contents left out (they are stored as attachments)."""
    raw = dict(submission.raw)
    raw["ThanhPhanHoSo"] = [
        {k: v for k, v in c.items() if k != "TaiLieuNop"}
        | {"TaiLieuNop": [{k: v for k, v in f.items() if k != "NoiDungTep"} for f in c.get("TaiLieuNop") or []
                          if isinstance(f, dict)]}
        for c in raw.get("ThanhPhanHoSo") or [] if isinstance(c, dict)
    ]
    return raw


def _attempt(session: Session, report: InboundReport, national_id: str, make: Callable[[], T]) -> T | None:
    """`make()`, or None when a rule refused it (its unit of work rolled back, the reason
    reported) or when the portal's push took the same item at the same moment (the key of
    `dvcqg_inbound` or of the dossier code: nothing to report, it is in the queue once)."""
    try:
        return make()
    except DomainError as exc:
        session.rollback()
        report.problems[national_id] = exc.message
        return None
    except IntegrityError:
        session.rollback()
        return None


def _register(session: Session, submission: Submission) -> Dossier:
    procedure, agency, unit = _place(session, submission)
    return register_online(
        session, code=submission.code, procedure=procedure, agency=agency, receiving_unit=unit,
        applicant=ApplicantData("person" if submission.owner_kind == 1 else "organisation", submission.owner_name,
                                submission.owner_id_number, submission.phone, submission.email, submission.address),
        components=_components(submission.components), submitted_at=submission.submitted_at, note=submission.summary)


def accept_submission(session: Session, submission: Submission) -> Dossier | None:
    """The submission as a dossier of the online queue, in the caller's unit of work; None when
    it was taken already (the pull and the portal's push both come here: one MaHoSo, one
    dossier). Raises a DomainError when it cannot be placed (nothing to keep: roll back)."""
    if session.get(InboundItem, submission.code) is not None:
        return None
    if online_dossier_id(session, submission.code):
        raise Conflict("mã hồ sơ đã được dùng cho một hồ sơ khác của tỉnh")
    dossier = _register(session, submission)
    session.add(InboundItem(national_id=submission.code, kind="submission", dossier_ref_id=dossier.id,
                            payload=_payload(submission)))
    # Written now: a second delivery of the same MaHoSo in a concurrent transaction fails
    # here on the key, not after the caller thinks it is done.
    session.flush()
    return dossier


def accept_supplement(session: Session, supplement: OnlineSupplement) -> DossierPause | None:
    """The online supplement joined to its dossier, in the caller's unit of work; None when it
    was taken already. Raises a DomainError when it cannot be placed."""
    if session.get(InboundItem, supplement.round_id) is not None:
        return None
    dossier_id = online_dossier_id(session, supplement.code)
    dossier = session.get(Dossier, dossier_id) if dossier_id else None
    if dossier is None:
        raise NotFound(f"không có hồ sơ {supplement.code}")
    pause = online_supplement_arrived(session, dossier, components=_components(supplement.components),
                                      note=supplement.note)
    session.add(InboundItem(national_id=supplement.round_id, kind="supplement", dossier_ref_id=dossier.id,
                            pause_id=pause.id, payload={"MaHoSo": supplement.code,
                                                        "NoiDungBoSung": supplement.note}))
    session.flush()
    return pause


def take_submission(factory: sessionmaker[Session], submission: Submission, report: InboundReport) -> None:
    with session_scope(factory) as session:
        taken = _attempt(session, report, submission.code, lambda: accept_submission(session, submission))
    if taken is not None:
        report.registered.append(submission.code)


def take_supplement(factory: sessionmaker[Session], supplement: OnlineSupplement, report: InboundReport) -> None:
    with session_scope(factory) as session:
        taken = _attempt(session, report, supplement.round_id, lambda: accept_supplement(session, supplement))
    if taken is not None:
        report.supplements.append(supplement.round_id)


def take_inbound(factory: sessionmaker[Session], portal: NationalPortal) -> InboundReport:
    """One pass: new submissions, then new supplements (a PortalError propagates: nothing taken)."""
    report = InboundReport()
    for submission in portal.new_submissions():
        take_submission(factory, submission, report)
    for supplement in portal.new_supplements():
        take_supplement(factory, supplement, report)
    return report
