"""Demo data: a citizen account made before the national login (an ID number, no TechID), so
that signing in as the simulator's «Hoàng Thị Bình» shows the link confirmation."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.citizens.enums import AccountType
from motcua.citizens.models import Citizen

# The simulator's seeded identity sim-cd-0002 carries this SoDinhDanh (integrations/vneid/simulator.py).
DEMO_UNLINKED_ID_NUMBER = "020185000456"


def seed_demo(session: Session) -> None:
    """Idempotent: the account is added once, whatever became of it since."""
    if session.scalar(select(Citizen.id).where(Citizen.id_number == DEMO_UNLINKED_ID_NUMBER)) is None:
        session.add(Citizen(account_type=AccountType.citizen, full_name="Hoàng Thị Bình",
                            id_number=DEMO_UNLINKED_ID_NUMBER, address="Thôn Nà Chuông, xã Văn Quan, tỉnh Lạng Sơn"))
