"""The portal delivers a submission or an online supplement itself (`POST /api/v1/dvcqg/inbound`),
over real HTTP: the simulator signs the body with the shared secret and posts it to the
application served by uvicorn. The same MaHoSo delivered twice, or pushed and then pulled,
lands once; a wrong or missing signature is refused with problem+json 401 and nothing is made."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from motcua.dossiers.enums import DossierStatus
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.dvcqg.models import InboundItem
from motcua.integrations.dvcqg import push
from tests.dvcqg.test_online_channel import decide, submission, the_dossier, worker_pass
from tests.integrations.serving import serving

SECRET = "khoa-chung-kiem-thu"


@pytest.fixture
def app_url(app, world, monkeypatch):
    monkeypatch.setenv("MOTCUA_DVCQG_INBOUND_SECRET", SECRET)
    with serving(app) as url:
        yield url


def deliver(simulator, app_url: str, secret: str = SECRET, **item: str) -> dict:
    """The simulator pushes the submission (MaHoSo=…) or supplement (HoSoBoSungId=…) it holds."""
    return simulator.control("POST", "/_sim/push", json={"url": f"{app_url}/api/v1/dvcqg/inbound",
                                                         "secret": secret, **item}).json()


def dossiers_with(db, code: str) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Dossier).where(Dossier.code == code))


def test_a_pushed_submission_lands_once_and_the_pull_adds_nothing(db, session_factory, simulator, world, app_url):
    code = simulator.submit(submission(world))
    first = deliver(simulator, app_url, MaHoSo=code)
    assert (first["status"], first["reply"]) == (201, {
        "error_code": "0", "message": f"Đã nhận hồ sơ {code} vào hàng chờ trực tuyến."})
    dossier = the_dossier(db, code)
    assert (dossier.status, dossier.external_status, dossier.channel) == (DossierStatus.submitted_online, 1, "online")

    again = deliver(simulator, app_url, MaHoSo=code)
    assert (again["status"], again["reply"]["error_code"]) == (200, "1")
    # The pull still lists it (the portal has no record from us yet): taken already, nothing new.
    outcome = worker_pass(session_factory)
    assert outcome["dvcqg-inbound"].startswith("nhận 0 hồ sơ trực tuyến mới")
    assert dossiers_with(db, code) == 1
    held = simulator.held(code)
    assert (held["TrangThaiHoSo"], [p["TrangThai"] for p in held["progress"]]) == ("1", ["1"])


def test_a_pulled_submission_pushed_afterwards_is_not_made_twice(db, session_factory, simulator, world, app_url):
    code = simulator.submit(submission(world))
    worker_pass(session_factory)
    assert deliver(simulator, app_url, MaHoSo=code)["reply"]["error_code"] == "1"
    assert dossiers_with(db, code) == 1


def test_a_pushed_supplement_joins_its_dossier_once(db, session_factory, simulator, world, app_url):
    code = simulator.submit(submission(world))
    deliver(simulator, app_url, MaHoSo=code)
    decide(db, the_dossier(db, code), world, "incomplete", missing_items=["Bản sao căn cước công dân"])
    db.commit()
    worker_pass(session_factory)
    round_id = simulator.supplement(code, {"NoiDungBoSung": "Bản sao căn cước công dân", "ThanhPhanHoSo": [
        {"TenThanhPhanHoSo": "Bản sao căn cước công dân",
         "TaiLieuNop": [{"TepDinhKemId": "F2", "TenTepDinhKem": "cccd.pdf", "NoiDungTep": "JVBERi0xLjQKJSBrIHRo"}]}]})

    first = deliver(simulator, app_url, HoSoBoSungId=round_id)
    assert (first["status"], first["reply"]["message"]) == (
        201, f"Đã nhận hồ sơ bổ sung {round_id} vào hàng chờ trực tuyến.")
    assert deliver(simulator, app_url, HoSoBoSungId=round_id)["reply"]["error_code"] == "1"
    assert worker_pass(session_factory)["dvcqg-inbound"].endswith("0 hồ sơ bổ sung trực tuyến")
    dossier = the_dossier(db, code)
    assert [c.supplemented for c in db.scalars(select(DossierComponent).where(
        DossierComponent.dossier_id == dossier.id).order_by(DossierComponent.position))] == [False, True]


@pytest.mark.parametrize("secret", ["khoa-khac", ""])
def test_a_wrong_signature_is_refused_and_nothing_is_made(db, simulator, world, app_url, secret):
    code = simulator.submit(submission(world))
    refused = deliver(simulator, app_url, secret=secret, MaHoSo=code)
    assert refused["status"] == 401
    assert refused["reply"]["code"] == "unauthorized"
    assert refused["reply"]["title"] == "Chữ ký X-DVCQG-Signature không hợp lệ; không nhận hồ sơ."
    unsigned = httpx.post(f"{app_url}/api/v1/dvcqg/inbound", json=submission(world) | {"MaHoSo": code}, timeout=30)
    assert unsigned.status_code == 401
    assert unsigned.headers["content-type"].startswith("application/problem+json")
    assert dossiers_with(db, code) == 0
    assert db.scalar(select(func.count()).select_from(InboundItem)) == 0


def test_without_a_configured_secret_every_delivery_is_refused(db, simulator, world, app_url, monkeypatch):
    monkeypatch.setenv("MOTCUA_DVCQG_INBOUND_SECRET", "")
    code = simulator.submit(submission(world))
    refused = deliver(simulator, app_url, MaHoSo=code)
    assert (refused["status"], refused["reply"]["title"]) == (
        401, "Chưa cấu hình khóa xác thực cho Cổng DVC quốc gia gửi hồ sơ đến; không nhận.")
    assert dossiers_with(db, code) == 0


def test_a_signed_body_that_is_no_submission_is_refused_with_the_reason(db, world, app_url):
    body = b'{"MaHoSo": "H37-X", "MaTTHC": "1.000894"}'
    answer = httpx.post(f"{app_url}/api/v1/dvcqg/inbound", content=body, timeout=30,
                        headers={push.SIGNATURE_HEADER: push.sign(body, SECRET)})
    assert answer.status_code == 422
    assert answer.json()["title"] == ("Hồ sơ gửi đến không hợp lệ: thiếu trường MaDonViTiepNhan; thiếu trường ChuHoSo; "
                                      "thiếu trường LoaiDoiTuong; thiếu trường NgayNopHoSo.")
    unplaced = dict(submission(world), MaHoSo="H37-Y", MaTTHC="1.001193")
    body = httpx.Request("POST", "/", json=unplaced).content
    answer = httpx.post(f"{app_url}/api/v1/dvcqg/inbound", content=body, timeout=30,
                        headers={push.SIGNATURE_HEADER: push.sign(body, SECRET)})
    assert answer.status_code == 422 and "chưa được ghép" in answer.json()["title"]
