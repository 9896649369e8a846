"""Demo-only staff accounts."""

from sqlalchemy.orm import Session


def seed_demo_users(session: Session) -> None:
    """Idempotent. Filled in by the auth domain."""
