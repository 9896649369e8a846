"""Reference data and demo data, loaded by `./run.sh` (`motcua seed`) and by the test harness.

Each domain seeds itself in its `seed.py` (`seed_reference`, `seed_demo`), run in the
order of `motcua.domains.DOMAINS`. `seed_reference_data` is what every installation needs
(organisation, catalogue, calendar, form definitions); `seed_demo_data` adds demo-only
staff accounts and dossiers. Both are idempotent: running them twice changes nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from motcua.domains import registry


def seed_reference_data(session: Session) -> None:
    """Every domain's `seed_reference`, in registry order."""
    for seed in registry.seeders("seed_reference"):
        seed(session)


def seed_demo_data(session: Session) -> None:
    """Every domain's `seed_demo` (demo-only, documented in the README), in registry order."""
    for seed in registry.seeders("seed_demo"):
        seed(session)
