"""Import the seed procedure catalogue (seed 003)."""

from pathlib import Path

from sqlalchemy.orm import Session


def seed_catalog(session: Session, path: Path) -> None:
    """Idempotent. Filled in by the catalog domain."""
