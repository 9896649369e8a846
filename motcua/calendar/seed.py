"""Seed the working-day calendar (holidays package + official announcements)."""

from sqlalchemy.orm import Session


def seed_calendar(session: Session) -> None:
    """Idempotent. Filled in by the calendar domain."""
