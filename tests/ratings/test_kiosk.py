"""The counter kiosk: the officer pairs a device once (one-time link → device cookie); the device
waits, offers the dossier that officer has just returned at the counter, thanks and waits again."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import object_session

from motcua.auth.passwords import hash_password
from motcua.dossiers.enums import DossierStatus
from motcua.dossiers.models import DossierEvent
from motcua.ratings.models import Rating, RatingKiosk
from tests.factories import PASSWORD
from tests.html_forms import csrf_from, form_fields, signed_in
from tests.ratings.conftest import ANSWERS, dossier_in

KIOSK = "/kiosk/danh-gia"


def can_sign_in(user) -> None:
    user.password_hash = hash_password(PASSWORD)  # the world's people have no password (fast)
    object_session(user).flush()


def pair(client, app, world) -> TestClient:
    """The officer makes a pairing link on their screen; a new device (its own cookies) opens it."""
    can_sign_in(world.counter)
    signed_in(client, world.counter.username)
    page = client.get("/quay/thiet-bi-danh-gia")
    assert page.status_code == 200
    made = client.post("/quay/thiet-bi-danh-gia", data={"label": "Máy quầy số 3", "csrf_token": csrf_from(page.text)})
    assert made.status_code == 200
    link = re.search(r'id="pairing-link"[^>]*>([^<]+)<', made.text).group(1)
    device = TestClient(app, base_url="http://testserver")
    device.__enter__()
    path = link.removeprefix("http://testserver")
    opened = device.get(path)  # opening the link changes nothing: the device's person presses the button
    assert opened.status_code == 200 and "motcua_kiosk" not in device.cookies
    paired = device.post(path, data=form_fields(opened.text, path), follow_redirects=False)
    assert (paired.status_code, paired.headers["location"]) == (303, KIOSK)
    assert "motcua_kiosk" in device.cookies
    # The link is one-time: used again (elsewhere) it pairs nothing.
    stranger = TestClient(app, base_url="http://testserver")
    again = stranger.post(path, data=form_fields(stranger.get(path).text, path), follow_redirects=False)
    assert again.status_code == 404 and "đã được dùng hoặc đã hết hạn" in again.text
    return device


def test_kiosk_offers_the_dossier_just_returned_then_thanks_and_waits(client, app, db, world, desk):
    device = pair(client, app, world)
    waiting = device.get(KIOSK)
    assert waiting.status_code == 200 and 'id="kiosk-waiting"' in waiting.text
    assert 'data-reload-seconds="5"' in waiting.text  # polls (motcua.js; no timed meta refresh: WCAG 2.2.1)
    assert "Máy quầy số 3" in waiting.text

    dossier = dossier_in(desk, db, DossierStatus.returned)  # returned at the counter by world.counter
    offered = device.get(KIOSK)
    assert dossier.code in offered.text and 'id="kiosk-submit"' in offered.text
    fields = form_fields(offered.text, KIOSK)
    assert fields["dossier_id"] == str(dossier.id)

    sent = device.post(KIOSK, data={**ANSWERS, "satisfaction": "satisfied", "dossier_id": fields["dossier_id"],
                                    "csrf_token": fields["csrf_token"]}, follow_redirects=False)
    assert (sent.status_code, sent.headers["location"]) == (303, "/kiosk/danh-gia/cam-on")
    thanks = device.get("/kiosk/danh-gia/cam-on")
    assert "Cảm ơn quý khách đã đánh giá!" in thanks.text
    assert 'data-reload-seconds="6" data-reload-url="/kiosk/danh-gia"' in thanks.text
    assert 'id="kiosk-waiting"' in device.get(KIOSK).text  # back to waiting

    db.expire_all()
    rating = db.get(Rating, dossier.id)
    assert (rating.channel, rating.satisfaction, rating.officer_id) == ("kiosk", "satisfied", world.counter.id)

    # The same post again (a double tap): refused clearly, one rating kept.
    twice = device.post(KIOSK, data={**ANSWERS, "dossier_id": fields["dossier_id"],
                                     "csrf_token": fields["csrf_token"]})
    assert twice.status_code == 409 and "Mỗi hồ sơ chỉ được đánh giá một lần." in twice.text
    assert db.scalar(select(func.count()).select_from(Rating)) == 1
    device.__exit__(None, None, None)


def test_kiosk_only_offers_its_officers_recent_counter_returns(client, app, db, world, desk):
    device = pair(client, app, world)
    dossier = dossier_in(desk, db, DossierStatus.returned)
    fields = form_fields(device.get(KIOSK).text, KIOSK)
    assert fields["dossier_id"] == str(dossier.id)
    # Returned more than ten minutes ago: no longer offered, and a post for it is refused.
    event = db.scalar(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id,
                                                 DossierEvent.action == "return_result"))
    event.at -= timedelta(minutes=11)
    db.commit()
    assert 'id="kiosk-waiting"' in device.get(KIOSK).text
    refused = device.post(KIOSK, data={**ANSWERS, **fields})
    assert refused.status_code == 409
    assert "Phiên đánh giá hồ sơ này đã kết thúc" in refused.text
    assert db.scalar(select(func.count()).select_from(Rating)) == 0
    # A dossier not yet returned (result only issued) is not offered either.
    dossier_in(desk, db, DossierStatus.result_ready)
    assert 'id="kiosk-waiting"' in device.get(KIOSK).text
    device.__exit__(None, None, None)


def test_an_unpaired_or_revoked_device_rates_nothing(client, app, db, world, desk):
    stranger = TestClient(app, base_url="http://testserver")
    page = stranger.get(KIOSK)
    assert page.status_code == 200 and "Thiết bị đánh giá chưa được ghép nối" in page.text
    device = pair(client, app, world)
    kiosk = db.scalar(select(RatingKiosk))
    devices = client.get("/quay/thiet-bi-danh-gia")
    revoked = client.post(f"/quay/thiet-bi-danh-gia/{kiosk.id}/huy", data={"csrf_token": csrf_from(devices.text)},
                          follow_redirects=False)
    assert revoked.status_code == 303
    assert "Thiết bị đánh giá chưa được ghép nối" in device.get(KIOSK).text
    device.__exit__(None, None, None)


def test_only_counter_officers_pair_devices(client, world):
    can_sign_in(world.specialist)
    signed_in(client, world.specialist.username)
    assert client.get("/quay/thiet-bi-danh-gia").status_code == 403
