"""Seed the form definitions with the numbering of Circular 03/2025/TT-VPCP (idempotent)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.documents.forms import TT03_2025
from motcua.documents.models import FormDefinition


def seed_form_definitions(session: Session) -> None:
    """Add the missing forms; never overwrite what an administrator changed."""
    existing = set(session.scalars(select(FormDefinition.key)))
    for spec in TT03_2025:
        if spec.key not in existing:
            session.add(
                FormDefinition(
                    key=spec.key, number=spec.number, title=spec.title, paper_size=spec.paper_size, active=True
                )
            )
    session.flush()


def seed_reference(session: Session) -> None:
    """The TT 03/2025 form definitions (registry convention: motcua.domains)."""
    seed_form_definitions(session)
