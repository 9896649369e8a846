"""The rules of a rating (motcua.ratings.service) on real databases: after the result only,
one per dossier whatever the channel, the applicant's own dossiers only."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from motcua.catalog.models import NationalCode
from motcua.citizens.models import Citizen
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.dossiers.enums import DossierStatus
from motcua.ratings import service
from motcua.ratings.enums import RatingChannel, Satisfaction
from motcua.ratings.inputs import parse_rating
from motcua.ratings.models import Rating, RatingOutbox
from tests.ratings.conftest import ANSWERS, CITIZEN_ID_NUMBER, dossier_in


def test_a_returned_dossier_is_rated_once(db, returned):
    rating = service.record_rating(db, returned, parse_rating(ANSWERS), channel=RatingChannel.online)
    db.flush()
    assert (rating.time_score, rating.contacts_score, rating.attitude_score, rating.satisfaction, rating.comment,
            rating.agency_id, rating.channel) == (2, 1, 2, Satisfaction.very_satisfied, "Cán bộ hướng dẫn tận tình",
                                                  returned.agency_id, "online")
    with pytest.raises(Conflict) as second:
        service.record_rating(db, returned, parse_rating(ANSWERS | {"satisfaction": "not_satisfied"}),
                              channel=RatingChannel.kiosk)
    assert second.value.message == "Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần."
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Rating)) == 1
    assert db.get(Rating, returned.id).satisfaction == "very_satisfied"
    # No national code for the procedure: nothing to send.
    assert db.scalar(select(func.count()).select_from(RatingOutbox)) == 0


@pytest.mark.parametrize("status", [DossierStatus.awaiting_assignment, DossierStatus.processing,
                                    DossierStatus.supplement_requested, DossierStatus.awaiting_result])
def test_not_before_the_result(db, desk, status):
    dossier = dossier_in(desk, db, status)
    with pytest.raises(Conflict) as refused:
        service.record_rating(db, dossier, parse_rating(ANSWERS), channel=RatingChannel.online)
    assert refused.value.message == "Hồ sơ chưa có kết quả giải quyết: chỉ có thể đánh giá sau khi có kết quả."


@pytest.mark.parametrize("status", [DossierStatus.result_ready, DossierStatus.refused])
def test_a_result_issued_or_a_refusal_can_be_rated(db, desk, status):
    dossier = dossier_in(desk, db, status)
    service.record_rating(db, dossier, parse_rating(ANSWERS), channel=RatingChannel.online)
    db.flush()
    assert db.get(Rating, dossier.id) is not None


def test_the_outbox_row_is_written_with_the_rating_when_the_procedure_is_mapped(db, world, returned):
    db.add(NationalCode(procedure_id=world.p_dept.id, national_code="1.000894", national_name="Đăng ký kết hôn",
                        confirmed_by="kiểm thử"))
    db.flush()
    service.record_rating(db, returned, parse_rating(ANSWERS), channel=RatingChannel.online)
    db.flush()
    row = db.get(RatingOutbox, returned.id)
    assert row is not None and row.sent_at is None and row.attempts == 0


def test_unanswered_or_unknown_answers_are_refused_with_the_question_named():
    with pytest.raises(InvalidInput) as refused:
        parse_rating({"time_score": "3", "contacts_score": "1", "satisfaction": "happy"})
    names = {d["name"] for d in refused.value.details}
    assert names == {"time_score", "attitude_score", "satisfaction"}
    labels = {d["label"] for d in refused.value.details}
    assert "Thái độ của cán bộ" in labels and "Mức độ hài lòng chung" in labels


def test_only_the_applicants_own_dossier(db, desk):
    mine = dossier_in(desk, db, DossierStatus.returned)
    other = dossier_in(desk, db, DossierStatus.returned, id_number="001099000777")
    citizen = Citizen(account_type="citizen", full_name="Nguyễn Văn An", id_number=CITIZEN_ID_NUMBER)
    db.add(citizen)
    db.flush()
    assert service.citizen_dossier(db, citizen, mine.code.lower()).id == mine.id  # any case
    for code in (other.code, "KHONG-CO-MA"):
        with pytest.raises(NotFound) as refused:
            service.citizen_dossier(db, citizen, code)
        assert refused.value.message == "Không tìm thấy hồ sơ mang mã này trong các hồ sơ của ông/bà."
