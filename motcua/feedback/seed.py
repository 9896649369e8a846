"""Reference data: the stages of handling feedback and their time limits (data/stages.json).

Idempotent and conservative: a stage already present is left as it is, so a figure an
administrator recorded (with the province's decision) is never overwritten by a new seed."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session

from motcua.feedback.models import FeedbackStage

STAGES_FILE = Path(__file__).parent / "data" / "stages.json"


def stage_rows() -> list[dict]:
    return json.loads(STAGES_FILE.read_text(encoding="utf-8"))["stages"]


def seed_reference(session: Session) -> None:
    for row in stage_rows():
        if session.get(FeedbackStage, row["key"]) is None:
            session.add(FeedbackStage(**row))
    session.flush()
