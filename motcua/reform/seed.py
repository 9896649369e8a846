"""Reference data: the sample plan transcribed from seed 004 (data/reform/quang_ninh_2021.json).

The sample is Quảng Ninh's 2021 plan, marked with its own province and decision and with what
of the OCR could not be read (docs/reform.md). Idempotent: present → left as it is.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.reform.models import ReformPlan
from motcua.reform.plans import PlanData, create_plan, task_from_record
from motcua.reform.seed_scoring import seed_scoring_demo, seed_scoring_reference

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "reform"
SAMPLE_FILE = DATA_DIR / "quang_ninh_2021.json"


def sample_record() -> dict:
    return json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))


def load_plan_file(session: Session, path: Path, *, is_sample: bool) -> ReformPlan:
    record = json.loads(path.read_text(encoding="utf-8"))
    head = record["plan"]
    existing = session.scalar(select(ReformPlan).where(
        ReformPlan.year == head["year"], ReformPlan.province == head["province"],
        ReformPlan.decision == head["decision"]))
    if existing is not None:
        return existing
    data = PlanData(year=head["year"], province=head["province"], decision=head["decision"], title=head["title"],
                    signer=head.get("signer"), source=record["source"],
                    unreadable="\n".join(head.get("unreadable", [])) or None, is_sample=is_sample)
    return create_plan(session, data, [task_from_record(t) for t in record["tasks"]])


def seed_reference(session: Session) -> None:
    load_plan_file(session, SAMPLE_FILE, is_sample=True)
    seed_scoring_reference(session)  # the draft reform-index sheet (docs/reform-scoring.md)


def seed_demo(session: Session) -> None:
    seed_scoring_demo(session)  # a sample satisfaction survey form
