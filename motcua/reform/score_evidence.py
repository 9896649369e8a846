"""Evidence files on the reform index scores and a unit's submission for appraisal (issue 15
item 3: "each unit scores itself with evidence").

- A unit's reform officers and heads attach files to their own score of an item (`Stage.self`);
  the council attaches its documents to an appraised score when the sheet asks for them
  (`ScoreSheet.appraisal_evidence`; scoring.appraise then refuses an appraisal without one).
- Files go through the one upload path of the system (dossiers.storage: content sniffing, size
  limit, stored by content hash), as the task progress entries' files do; a bad file refuses the
  whole upload and no row is written.
- Files belong to the item and the unit, not to the points: changing the points keeps them. They
  are never edited or removed.
- Submitting the self-assessment (`submit`) needs every typed item scored and a file on every
  item the sheet marks "evidence required"; the refusal names the items. After it the unit's
  points and files are frozen (scoring.ensure_not_submitted).
- Who sees a file: those who see the unit's sheet (policies.reform_scope); others get 404, as
  for progress evidence.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import in_scope
from motcua.core.clock import now
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.dossiers import storage
from motcua.org.models import Agency
from motcua.reform import policies, scoring
from motcua.reform.models import ScoreEvidence, ScoreSheet, ScoreSubmission
from motcua.reform.progress import MAX_EVIDENCE_FILES, Upload, name_of
from motcua.reform.score_files import Stage, files_of


class EvidenceIn(BaseModel):
    """Files on one item of one unit (page form and API: the files travel beside it)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    agency_code: str = Field(min_length=1, max_length=20, title="Cơ quan, đơn vị")
    item_code: str = Field(min_length=1, max_length=20, title="Mã mục")
    stage: Stage = Field(default=Stage.self, title="Tài liệu của")


def add_evidence(session: Session, user: User, sheet: ScoreSheet, data: EvidenceIn, files: list[Upload], *,
                 root: Path | None = None, max_bytes: int | None = None) -> list[ScoreEvidence]:
    """Store the files and record them on the unit's item. Every file is checked (type by content,
    size) before a row is written."""
    agency = scoring.find_agency(session, data.agency_code)
    if data.stage is Stage.self:
        scoring.ensure_may_self_score(session, user, agency)
    else:
        scoring.ensure_appraiser(session, user)
    item = scoring.scorable_item(session, sheet, data.item_code)
    if data.stage is Stage.self:
        scoring.ensure_not_submitted(session, sheet, agency)
        row = scoring.unit_rows(session, sheet, agency).get(item.id)
        if row is not None and row.appraised_points is not None:
            raise Conflict(f"Mục {item.code} đã được thẩm định: không thêm tài liệu kiểm chứng của đơn vị được nữa.")
    elif not sheet.appraisal_evidence:
        raise Conflict("Bộ chỉ số này không yêu cầu tài liệu thẩm định: Hội đồng ghi ý kiến thẩm định bằng chữ.")
    uploads = [f for f in files if f.content]
    field = {"name": "files", "label": "Tệp"}
    if not uploads:
        raise InvalidInput("Chọn ít nhất một tệp để đính kèm.", details=[field | {"message": "Chưa chọn tệp."}])
    if len(uploads) > MAX_EVIDENCE_FILES:
        raise InvalidInput(f"Mỗi lần đính kèm tối đa {MAX_EVIDENCE_FILES} tệp.",
                           details=[field | {"message": f"Tối đa {MAX_EVIDENCE_FILES} tệp."}])
    for f in uploads:  # every file checked before any is stored: a bad one leaves nothing behind
        try:
            storage.check_bytes(f.content, max_bytes=max_bytes)
        except InvalidInput as exc:
            label = (f.filename or "tệp")[:120]
            raise InvalidInput(f"Tệp “{label}”: {exc.message}", details=[field | {"message": exc.message}]) from None
    stored = []
    for f in uploads:
        digest, kind, size = storage.store_bytes(f.content, root=root, max_bytes=max_bytes)
        stored.append(ScoreEvidence(sheet_id=sheet.id, item_id=item.id, agency_id=agency.id, stage=data.stage.value,
                                    name=name_of(f, kind), content_type=kind, size=size, sha256=digest,
                                    uploaded_by_id=user.id, uploaded_by_name=user.full_name, uploaded_at=now()))
    session.add_all(stored)
    session.flush()
    return stored


def seen_agency(session: Session, user: User | None, code: str) -> Agency:
    """The unit whose sheet `user` asks for, when they may see it (its own staff, the Department)."""
    agency = scoring.find_agency(session, code)
    if not in_scope(policies.ensure_staff(session, user), agency.id):
        raise NotFound("Không tìm thấy cơ quan, đơn vị trong phạm vi bạn được xem.")
    return agency


def item_files(session: Session, user: User | None, sheet: ScoreSheet, agency_code: str,
               item_code: str) -> list[ScoreEvidence]:
    agency = seen_agency(session, user, agency_code)
    item = next((i for i in scoring.items_of(session, sheet) if i.code == item_code), None)
    if item is None:
        raise NotFound(f"Không có mục {item_code[:20]} trong bộ chỉ số.")
    return files_of(session, sheet.id, agency.id, item.id).get(item.id, [])


def get_file(session: Session, user: User | None, evidence_id: uuid.UUID) -> ScoreEvidence:
    """A file for download, to those who see the unit's sheet; 404 to anyone else."""
    scope = policies.ensure_staff(session, user)
    ev = session.get(ScoreEvidence, evidence_id)
    if ev is None or not in_scope(scope, ev.agency_id):
        raise NotFound("Không tìm thấy tài liệu kiểm chứng.")
    return ev


def submit(session: Session, user: User, sheet: ScoreSheet, agency_code: str) -> ScoreSubmission:
    """Send the unit's self-assessment to the council. Refused (409, naming the items) while a
    typed item has no self-assessed points or an item marked "evidence required" has no file of
    the unit."""
    agency = scoring.find_agency(session, agency_code)
    scoring.ensure_may_self_score(session, user, agency)
    if sheet.status != scoring.SheetStatus.open:
        raise Conflict("Bộ chỉ số không ở trạng thái chấm điểm.")
    scoring.ensure_not_submitted(session, sheet, agency)
    items = scoring.items_of(session, sheet)
    typed = [i for i in scoring.leaves(items) if not i.from_survey and not i.source]
    rows = scoring.unit_rows(session, sheet, agency)
    files = files_of(session, sheet.id, agency.id)
    unscored = [i.code for i in typed if i.id not in rows or rows[i.id].self_points is None]
    no_file = [i.code for i in typed if i.evidence_required
               and not any(f.stage == Stage.self for f in files.get(i.id, []))]
    problems = []
    if no_file:
        problems.append("các mục cần tài liệu kiểm chứng chưa có tệp đính kèm: " + ", ".join(no_file))
    if unscored:
        problems.append("các mục chưa tự chấm điểm: " + ", ".join(unscored))
    if problems:
        raise Conflict(f"Chưa gửi thẩm định được bảng tự chấm của {agency.name}: " + "; ".join(problems) + ".")
    sent = ScoreSubmission(sheet_id=sheet.id, agency_id=agency.id, submitted_by_id=user.id,
                           submitted_by_name=user.full_name, submitted_at=now())
    session.add(sent)
    session.flush()
    return sent
