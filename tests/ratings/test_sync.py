"""Ratings reach the national portal (simulator, real HTTP) with DongBoDanhGia: written to the
outbox with the rating, sent after the dossier's record, retried after a failure, never twice."""

from __future__ import annotations

from datetime import timedelta

from motcua.catalog.models import NationalCode
from motcua.core.clock import now
from motcua.dvcqg.outbound import send_pending
from motcua.ratings import service
from motcua.ratings.enums import RatingChannel
from motcua.ratings.inputs import parse_rating
from motcua.ratings.models import RatingOutbox
from motcua.ratings.sync import send_ratings
from tests.ratings.conftest import ANSWERS

MARRIAGE = "1.000894"


def ratings_held(simulator) -> list[dict]:
    return simulator.control("GET", "/_sim/ratings").json()


def test_a_rating_is_synced_after_a_fault_once(db, session_factory, portal, simulator, world, returned):
    db.add(NationalCode(procedure_id=world.p_dept.id, national_code=MARRIAGE, national_name="Đăng ký kết hôn",
                        confirmed_by="kiểm thử"))
    db.flush()
    service.record_rating(db, returned, parse_rating(ANSWERS), channel=RatingChannel.online)
    db.commit()

    # The dossier's record is not on the portal yet: the rating waits, nothing is called for it.
    first = send_ratings(session_factory, portal)
    assert (first.sent, first.waiting) == ([], [returned.code])
    assert ratings_held(simulator) == []

    assert send_pending(session_factory, portal).failed == {}
    simulator.fault("DongBoDanhGia", "http", "503", times=1)
    failed = send_ratings(session_factory, portal)
    assert list(failed.failed) == [returned.code] and failed.sent == []
    db.expire_all()
    row = db.get(RatingOutbox, returned.id)
    assert (row.sent_at, row.attempts) == (None, 1) and row.last_error
    assert row.next_attempt_at >= now() + timedelta(seconds=25)  # the exchange's back-off
    assert send_ratings(session_factory, portal).sent == []  # not due yet: nothing called
    assert ratings_held(simulator) == []

    recovered = send_ratings(session_factory, portal, at=now() + timedelta(minutes=1))
    assert recovered.sent == [returned.code] and recovered.failed == {}
    (held,) = ratings_held(simulator)
    assert held["MaHoSo"] == returned.code
    assert (held["DiemDanhGia"], held["NoiDungDanhGia"]) == ("2", "Cán bộ hướng dẫn tận tình")
    assert held["DanhSachChiSo"] == [{"ChiSo": "1", "Diem": "2"}, {"ChiSo": "3", "Diem": "1"},
                                     {"ChiSo": "7", "Diem": "2"}]
    db.expire_all()
    row = db.get(RatingOutbox, returned.id)
    assert row.sent_at is not None and row.attempts == 0 and row.last_error is None

    # Sent once: later passes, even ignoring the back-off, call nothing more.
    calls = [c for c in simulator.calls() if c.get("service") == "DongBoDanhGia"]
    assert send_ratings(session_factory, portal, ignore_backoff=True).sent == []
    assert [c for c in simulator.calls() if c.get("service") == "DongBoDanhGia"] == calls
    assert len(ratings_held(simulator)) == 1


def test_a_timeout_carried_out_on_the_portal_is_repeated_harmlessly(db, session_factory, portal, simulator,
                                                                    world, returned):
    db.add(NationalCode(procedure_id=world.p_dept.id, national_code=MARRIAGE, national_name="Đăng ký kết hôn",
                        confirmed_by="kiểm thử"))
    db.flush()
    service.record_rating(db, returned, parse_rating(ANSWERS), channel=RatingChannel.kiosk)
    db.commit()
    assert send_pending(session_factory, portal).failed == {}
    simulator.fault("DongBoDanhGia", "delay", "3", times=1)  # the adapter gives up after 2 s; the portal stores it
    assert list(send_ratings(session_factory, portal).failed) == [returned.code]
    assert send_ratings(session_factory, portal, ignore_backoff=True).sent == [returned.code]
    assert [r["MaHoSo"] for r in ratings_held(simulator)] == [returned.code]  # one rating per dossier
