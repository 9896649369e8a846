"""Demo data of the national portal domain (dvcqg.demo): national codes for the procedures
whose names match the simulator's catalogue exactly, so that the demo dossiers sync."""

from __future__ import annotations

from sqlalchemy.orm import Session

from motcua.dvcqg.demo import map_exact_names


def seed_demo(session: Session) -> None:
    map_exact_names(session)
