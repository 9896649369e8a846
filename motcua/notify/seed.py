"""Reference data of notify: the default wording of every applicant notice (kept when edited)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from motcua.notify.wording import seed_templates


def seed_reference(session: Session) -> None:
    seed_templates(session)
