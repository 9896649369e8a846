"""Signing citizens in with the national identity, end to end: the application (TestClient)
and the national login simulator (uvicorn, real HTTP) — the browser's part at the national
login is played by `VneidSimulator.authorize`, the code exchange and userinfo are the
application's own calls to the simulator."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from motcua.citizens.enums import AccountType
from motcua.citizens.models import Citizen, CitizenLinkRequest
from tests.html_forms import csrf_from
from tests.integrations.vneid.fixtures import CITIZEN, CITIZEN_2, CLIENT_ID, CLIENT_SECRET, query

CALLBACK = "http://testserver/cong-dan/dang-nhap/vneid/ket-qua?"


@pytest.fixture
def settings(settings):
    settings.public_base_url = "http://testserver"  # the redirect URI is derived from it
    return settings


@pytest.fixture(autouse=True)
def national_login_env(monkeypatch, vneid):
    """The application finds the national login as in production: VNEID_* variables."""
    monkeypatch.setenv("VNEID_URL", vneid.url)
    monkeypatch.setenv("VNEID_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("VNEID_CLIENT_SECRET", CLIENT_SECRET)


def start(client) -> str:
    """Press «Đăng nhập bằng tài khoản định danh điện tử (VNeID)»: the authorize URL."""
    page = client.get("/cong-dan/dang-nhap")
    assert page.status_code == 200
    assert "Đăng nhập bằng tài khoản định danh điện tử (VNeID)" in page.text
    assert 'href="/cong-dan/dang-nhap/vneid"' in page.text
    response = client.get("/cong-dan/dang-nhap/vneid", follow_redirects=False)
    assert response.status_code == 303
    return response.headers["location"]


def national_login(client, vneid, sub: str):
    """The whole round trip; the application's answer to the callback."""
    callback = vneid.authorize(start(client), sub)
    assert callback.startswith(CALLBACK)
    return client.get(callback, follow_redirects=False)


def citizens(db) -> list[Citizen]:
    db.expire_all()
    return list(db.scalars(select(Citizen).order_by(Citizen.created_at)))


def test_first_login_creates_the_account_and_signs_in(client, db, vneid):
    url = start(client)
    sent = query(url)
    assert sent["redirect_uri"] == "http://testserver/cong-dan/dang-nhap/vneid/ket-qua"
    assert len(sent["state"]) >= 40 and len(sent["nonce"]) >= 40 and sent["state"] != sent["nonce"]

    response = client.get(vneid.authorize(url, CITIZEN), follow_redirects=False)

    assert (response.status_code, response.headers["location"]) == (303, "/cong-dan/tai-khoan")
    (citizen,) = citizens(db)
    assert (citizen.tech_id, citizen.account_type, citizen.full_name, citizen.id_number, citizen.phone,
            citizen.email) == ("VNEID-TECH-000001", AccountType.citizen, "Nguyễn Văn An", "020190000123",
                               "0912345678", "an.nguyen@example.vn")
    assert citizen.linked_at is not None and citizen.last_login_at is not None
    page = client.get("/cong-dan/tai-khoan")
    assert page.status_code == 200
    assert "Đã tạo tài khoản và đăng nhập bằng tài khoản định danh điện tử." in page.text
    assert "Nguyễn Văn An" in page.text and "020******123" in page.text
    assert "020190000123" not in page.text  # the ID number is shown masked only
    # A citizen is never a staff user: the staff pages still ask for a staff login.
    staff = client.get("/quan-tri", follow_redirects=False)
    assert (staff.status_code, staff.headers["location"]) == (303, "/dang-nhap?next=%2Fquan-tri")


def test_second_login_finds_the_account_by_tech_id(client, db, vneid):
    assert national_login(client, vneid, CITIZEN).status_code == 303
    (first,) = citizens(db)
    logout = client.post("/cong-dan/dang-xuat", data={"csrf_token": csrf_from(client.get("/cong-dan/tai-khoan").text)},
                         follow_redirects=False)
    assert logout.status_code == 303
    assert client.get("/cong-dan/tai-khoan", follow_redirects=False).headers["location"] == "/cong-dan/dang-nhap"
    # The national record changed meanwhile (a new address): the account takes it.
    identity = next(i for i in vneid.control("GET", "/_sim/identities").json() if i["sub"] == CITIZEN)
    vneid.add_identity(**identity | {"DiaChi": "Số 3 đường Bà Triệu, phường Lương Văn Tri, tỉnh Lạng Sơn"})

    response = national_login(client, vneid, CITIZEN)

    assert (response.status_code, response.headers["location"]) == (303, "/cong-dan/tai-khoan")
    (again,) = citizens(db)
    assert again.id == first.id
    assert again.address == "Số 3 đường Bà Triệu, phường Lương Văn Tri, tỉnh Lạng Sơn"
    assert "Đăng nhập thành công." in client.get("/cong-dan/tai-khoan").text


def local_account(db) -> Citizen:
    """An account made before the national login (at a counter): the ID number, no TechID."""
    citizen = Citizen(account_type=AccountType.citizen, full_name="Hoàng Thị Bình", id_number="020185000456")
    db.add(citizen)
    db.commit()
    return citizen


def test_linking_by_id_number_after_confirmation(client, db, vneid):
    local = local_account(db)

    response = national_login(client, vneid, CITIZEN_2)

    assert (response.status_code, response.headers["location"]) == (303, "/cong-dan/lien-ket")
    (unlinked,) = citizens(db)
    assert unlinked.tech_id is None  # nothing linked before the owner confirms
    page = client.get("/cong-dan/lien-ket")
    assert page.status_code == 200
    assert "Xác nhận liên kết tài khoản" in page.text and "Số định danh cá nhân" in page.text
    assert "020******456" in page.text and "020185000456" not in page.text
    assert client.get("/cong-dan/tai-khoan", follow_redirects=False).status_code == 303  # not signed in yet

    confirm = client.post("/cong-dan/lien-ket", data={"csrf_token": csrf_from(page.text), "action": "confirm"},
                          follow_redirects=False)

    assert (confirm.status_code, confirm.headers["location"]) == (303, "/cong-dan/tai-khoan")
    (linked,) = citizens(db)
    assert (linked.id, linked.tech_id, linked.old_id_number, linked.phone) == (
        local.id, "VNEID-TECH-000002", "082123456", "0987654321")
    assert "Hoàng Thị Bình" in client.get("/cong-dan/tai-khoan").text
    # The next login goes straight in, by TechID.
    client.post("/cong-dan/dang-xuat", data={"csrf_token": csrf_from(client.get("/cong-dan/tai-khoan").text)})
    assert national_login(client, vneid, CITIZEN_2).headers["location"] == "/cong-dan/tai-khoan"


def test_declined_link_links_nothing_and_cannot_be_confirmed_later(client, db, vneid):
    local_account(db)
    national_login(client, vneid, CITIZEN_2)
    token = csrf_from(client.get("/cong-dan/lien-ket").text)

    cancel = client.post("/cong-dan/lien-ket", data={"csrf_token": token, "action": "cancel"},
                         follow_redirects=False)

    assert (cancel.status_code, cancel.headers["location"]) == (303, "/cong-dan/dang-nhap")
    late = client.post("/cong-dan/lien-ket", data={"csrf_token": token, "action": "confirm"})
    assert late.status_code == 422
    assert "Yêu cầu liên kết tài khoản không còn hiệu lực" in late.text
    (unlinked,) = citizens(db)
    assert unlinked.tech_id is None
    db.expire_all()
    assert db.scalar(select(CitizenLinkRequest.decided_at)) is not None


def test_state_mismatch_is_refused(client, db, vneid):
    callback = query(vneid.authorize(start(client), CITIZEN))

    forged = client.get("/cong-dan/dang-nhap/vneid/ket-qua", params={"code": callback["code"], "state": "gia-mao"})

    assert forged.status_code == 400
    assert "mã trạng thái không khớp" in forged.text
    # The pending login was used up by the forged callback: the real one is refused too.
    real = client.get("/cong-dan/dang-nhap/vneid/ket-qua", params=callback)
    assert real.status_code == 400
    assert citizens(db) == []
    assert vneid.calls("token") == []  # the code was never exchanged


def test_callback_without_a_started_login_is_refused(client, db, vneid):
    response = client.get("/cong-dan/dang-nhap/vneid/ket-qua", params={"code": "x", "state": "y"})
    assert response.status_code == 400
    assert "Vui lòng đăng nhập lại." in response.text


def test_wrong_client_secret_shows_a_vietnamese_error(client, db, vneid, monkeypatch):
    monkeypatch.setenv("VNEID_CLIENT_SECRET", "bi-mat-sai")

    response = national_login(client, vneid, CITIZEN)

    assert response.status_code == 502
    assert "không chấp nhận thông tin kết nối của cổng (client_id, client_secret)" in response.text
    assert "Đăng nhập bằng tài khoản định danh điện tử (VNeID)" in response.text  # the page to try again
    assert citizens(db) == []


def test_replayed_code_is_refused(client, db, vneid):
    used = query(vneid.authorize(start(client), CITIZEN))
    assert client.get("/cong-dan/dang-nhap/vneid/ket-qua", params=used, follow_redirects=False).status_code == 303
    client.post("/cong-dan/dang-xuat", data={"csrf_token": csrf_from(client.get("/cong-dan/tai-khoan").text)})

    # The same code replayed into a login this browser did start (its state is right).
    fresh = query(start(client))
    replay = client.get("/cong-dan/dang-nhap/vneid/ket-qua", params={"code": used["code"], "state": fresh["state"]})

    assert replay.status_code == 502
    assert "Mã xác thực không hợp lệ, đã được sử dụng hoặc đã hết hạn." in replay.text
    assert client.get("/cong-dan/tai-khoan", follow_redirects=False).status_code == 303  # not signed in


def test_missing_tech_id_is_refused(client, db, vneid):
    vneid.add_identity(sub="sim-khong-techid", TechID=None, LoaiTaiKhoan="1", SoDinhDanh="020199000777",
                       HoVaTen="Lò Văn Dũng")

    response = national_login(client, vneid, "sim-khong-techid")

    assert response.status_code == 422
    assert "không có mã định danh tài khoản (TechID)" in response.text
    assert citizens(db) == []


def test_refused_at_the_national_login(client, db, vneid):
    sent = query(start(client))
    response = client.get("/cong-dan/dang-nhap/vneid/ket-qua", params={"error": "access_denied",
                                                                       "state": sent["state"]})
    assert response.status_code == 422
    assert "Bạn đã không đồng ý chia sẻ thông tin định danh điện tử" in response.text
