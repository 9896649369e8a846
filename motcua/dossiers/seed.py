"""Demo-only dossiers in different states."""

from sqlalchemy.orm import Session


def seed_demo_dossiers(session: Session) -> None:
    """Idempotent. Filled in by the dossiers domain."""
