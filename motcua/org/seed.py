"""Seed the organisation: current units, seed-era historical units, agencies."""

from sqlalchemy.orm import Session


def seed_organisation(session: Session) -> None:
    """Idempotent. Filled in by the org domain."""
