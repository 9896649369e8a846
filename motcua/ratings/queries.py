"""What the ratings say, for the statistics (the reports domain) and the citizen pages.

`satisfaction(session, agency_id, period)` counts the ratings given in a period: per overall
level, the share satisfied (very satisfied + satisfied), and the average points of each
TT 01/2018 index asked. QĐ 766 indicator 5.4 ("Hài lòng trong tiếp nhận, giải quyết TTHC")
is computed nationally from overdue dossiers and PAKN, not from these answers (qd766.md §4);
this is the province's own satisfaction measure under TT 01/2018.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from motcua.dossiers.models import Dossier
from motcua.ratings.enums import INDICES, SATISFIED, Satisfaction
from motcua.ratings.models import Rating
from motcua.ratings.service import is_ratable


@dataclass(frozen=True)
class SatisfactionStats:
    total: int
    by_level: dict[Satisfaction, int]  # every level, 0 when none
    index_average: dict[str, float | None] = field(default_factory=dict)  # field → average points (0–2)

    @property
    def satisfied(self) -> int:
        return sum(n for level, n in self.by_level.items() if level in SATISFIED)

    @property
    def share_satisfied(self) -> float | None:
        """satisfied / total (0–1); None when nobody rated (not computable, not 0)."""
        return self.satisfied / self.total if self.total else None


def satisfaction(session: Session, agency_id: uuid.UUID | None, period: tuple[datetime, datetime], *,
                 procedure_id: uuid.UUID | None = None,
                 agency_ids: Collection[uuid.UUID] | None = None) -> SatisfactionStats:
    """Ratings given in `period` (start inclusive, end exclusive; aware datetimes) of the dossiers
    of `agency_id` (the competent agency; None = the whole province), of one procedure when
    `procedure_id` is given (the 766 self-score per procedure); of the agencies `agency_ids`
    together when given (a leader's scope as one body: the dashboard's 766 trend)."""
    start, end = period
    where = [Rating.rated_at >= start, Rating.rated_at < end]
    if agency_id is not None:
        where.append(Rating.agency_id == agency_id)
    if agency_ids is not None:
        where.append(Rating.agency_id.in_(list(agency_ids)))
    if procedure_id is not None:
        where.append(Rating.procedure_id == procedure_id)
    counts = dict(session.execute(select(Rating.satisfaction, func.count()).where(*where)
                                  .group_by(Rating.satisfaction)).tuples().all())
    by_level = {level: int(counts.get(level.value, 0)) for level in Satisfaction}
    columns = [func.avg(getattr(Rating, i.field)) for i in INDICES]
    averages = session.execute(select(*columns).where(*where)).one()
    return SatisfactionStats(
        total=sum(by_level.values()), by_level=by_level,
        index_average={i.field: (round(float(v), 2) if v is not None else None) for i, v in zip(INDICES, averages,
                                                                                              strict=True)},
    )


def rated_dossiers(session: Session, dossier_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these dossiers have been rated (for a list of the citizen's dossiers)."""
    ids = list(dossier_ids)
    if not ids:
        return set()
    return set(session.scalars(select(Rating.dossier_id).where(Rating.dossier_id.in_(ids))))


def rating_states(session: Session, dossiers: Iterable[Dossier]) -> dict[uuid.UUID, str | None]:
    """Per dossier: "rated", "open" (a result is out, not rated yet) or None — what
    ratings/_dossier_rating.html shows as `rating_state`."""
    dossiers = list(dossiers)
    rated = rated_dossiers(session, (d.id for d in dossiers))
    return {d.id: "rated" if d.id in rated else "open" if is_ratable(d) else None for d in dossiers}
