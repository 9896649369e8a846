"""What the operations page shows of LGSP from this domain (found by the registry:
`PROVIDERS`, see integrations.status): no queue — a lookup is made while the officer waits —
but today's lookups and the last one the platform did not answer."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from motcua.core.clock import assume_local, local_now
from motcua.integrations.status import QueueStatus
from motcua.population.enums import LookupOutcome
from motcua.population.models import PopulationLookup


class PopulationLookupStatus:
    system = "lgsp"

    def status(self, session: Session) -> QueueStatus:
        today = assume_local(datetime.combine(local_now().date(), time.min))
        count = session.scalar(select(func.count()).select_from(PopulationLookup)
                               .where(PopulationLookup.at >= today)) or 0
        failed = session.scalars(
            select(PopulationLookup).where(PopulationLookup.outcome == LookupOutcome.unavailable.value)
            .order_by(PopulationLookup.at.desc()).limit(1)).first()
        return QueueStatus(
            system=self.system, label="Tra cứu dân cư (nhật ký truy cập)",
            last_error=failed.message if failed else None, last_error_at=failed.at if failed else None,
            note=f"{count} lượt tra cứu hôm nay",
        )


PROVIDERS = [PopulationLookupStatus()]
