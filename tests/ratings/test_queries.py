"""ratings.queries: what the statistics read (counts per level, share satisfied, index averages)
and what the citizen pages show per dossier."""

from __future__ import annotations

from datetime import timedelta

from motcua.core.clock import now
from motcua.dossiers.enums import DossierStatus
from motcua.ratings import queries, service
from motcua.ratings.enums import RatingChannel, Satisfaction
from motcua.ratings.inputs import parse_rating
from tests.ratings.conftest import ANSWERS, dossier_in


def test_satisfaction_counts_per_level_and_share(db, desk, world):
    levels = ("very_satisfied", "satisfied", "not_satisfied", "satisfied")
    scores = ("2", "1", "0", "1")
    dossiers = [dossier_in(desk, db, DossierStatus.returned) for _ in levels]
    for dossier, level, score in zip(dossiers, levels, scores, strict=True):
        service.record_rating(db, dossier, parse_rating(ANSWERS | {"satisfaction": level, "time_score": score}),
                              channel=RatingChannel.kiosk)
    db.flush()
    period = (now() - timedelta(days=1), now() + timedelta(minutes=1))
    stats = queries.satisfaction(db, world.dept.id, period)
    assert stats.total == 4
    assert stats.by_level == {Satisfaction.very_satisfied: 1, Satisfaction.satisfied: 2,
                              Satisfaction.not_satisfied: 1}
    assert (stats.satisfied, stats.share_satisfied) == (3, 0.75)
    assert stats.index_average == {"time_score": 1.0, "contacts_score": 1.0, "attitude_score": 2.0}
    assert queries.satisfaction(db, None, period).total == 4  # the whole province
    other = queries.satisfaction(db, world.dept2.id, period)
    assert (other.total, other.share_satisfied, other.index_average["time_score"]) == (0, None, None)
    earlier = queries.satisfaction(db, world.dept.id, (now() - timedelta(days=2), now() - timedelta(days=1)))
    assert earlier.total == 0


def test_rating_states_for_the_citizen_pages(db, desk):
    rated = dossier_in(desk, db, DossierStatus.returned)
    open_ = dossier_in(desk, db, DossierStatus.result_ready)
    pending = dossier_in(desk, db, DossierStatus.processing)
    service.record_rating(db, rated, parse_rating(ANSWERS), channel=RatingChannel.online)
    db.flush()
    assert queries.rating_states(db, [rated, open_, pending]) == {rated.id: "rated", open_.id: "open",
                                                                 pending.id: None}
