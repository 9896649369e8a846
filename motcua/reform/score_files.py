"""What is on record beside a unit's points on a reform index sheet: its evidence files (the
unit's and the council's) and whether it has submitted its self-assessment for appraisal.
Queries only, read by scoring (the sheet, the totals' checks) and score_evidence (the services
that add files and submit)."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.reform.models import ScoreEvidence, ScoreSubmission


class Stage(StrEnum):
    self = "self"  # the unit's evidence of its self-assessed points
    appraisal = "appraisal"  # the council's document on its appraised points


STAGE_LABELS = {Stage.self: "Tài liệu kiểm chứng của đơn vị", Stage.appraisal: "Tài liệu thẩm định"}


def files_of(session: Session, sheet_id: uuid.UUID, agency_id: uuid.UUID,
             item_id: uuid.UUID | None = None) -> dict[uuid.UUID, list[ScoreEvidence]]:
    """The unit's files on the sheet per item, in the order they were uploaded."""
    stmt = select(ScoreEvidence).where(ScoreEvidence.sheet_id == sheet_id, ScoreEvidence.agency_id == agency_id)
    if item_id is not None:
        stmt = stmt.where(ScoreEvidence.item_id == item_id)
    found: dict[uuid.UUID, list[ScoreEvidence]] = {}
    for f in session.scalars(stmt.order_by(ScoreEvidence.uploaded_at, ScoreEvidence.name)):
        found.setdefault(f.item_id, []).append(f)
    return found


def has_file(session: Session, sheet_id: uuid.UUID, item_id: uuid.UUID, agency_id: uuid.UUID, stage: Stage) -> bool:
    return session.scalar(select(ScoreEvidence.id).where(
        ScoreEvidence.sheet_id == sheet_id, ScoreEvidence.item_id == item_id, ScoreEvidence.agency_id == agency_id,
        ScoreEvidence.stage == stage.value).limit(1)) is not None


def submission_of(session: Session, sheet_id: uuid.UUID, agency_id: uuid.UUID) -> ScoreSubmission | None:
    return session.get(ScoreSubmission, (sheet_id, agency_id))
