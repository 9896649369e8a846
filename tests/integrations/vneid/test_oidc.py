"""The OpenID Connect adapter against the national login simulator over real HTTP: the
authorization request it builds, the code exchange and userinfo, and every refusal as a
Vietnamese `NationalLoginError`, never a transport exception."""

from __future__ import annotations

import httpx
import pytest

from motcua.integrations.vneid.config import VneidSettings
from motcua.integrations.vneid.login import (
    AccountKind,
    NationalIdentity,
    NationalLoginError,
    NationalLoginRefused,
)
from motcua.integrations.vneid.oidc import OidcLogin
from tests.integrations.vneid.fixtures import BUSINESS, CITIZEN, CLIENT_ID, CLIENT_SECRET, query

REDIRECT = "http://cong.example.vn/cong-dan/dang-nhap/vneid/ket-qua"


def adapter(url: str, **overrides) -> OidcLogin:
    settings = VneidSettings(**{"url": url, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                                "timeout_seconds": 2, "connect_timeout_seconds": 2} | overrides)
    return OidcLogin(settings, redirect_uri=REDIRECT)


@pytest.fixture
def login(vneid):
    with adapter(vneid.url) as client:
        yield client


def code_for(vneid, login, sub: str, *, state: str = "s-1", nonce: str = "n-1") -> str:
    callback = query(vneid.authorize(login.authorize_url(state=state, nonce=nonce), sub))
    assert callback["state"] == state
    return callback["code"]


def test_authorize_url_carries_the_parameters_of_the_national_login(login, vneid):
    url = login.authorize_url(state="trang-thai", nonce="so-dung-mot-lan")
    assert url.startswith(f"{vneid.url}/oauth2/authorize?")
    assert query(url) == {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT,
                          "scope": "openid", "acr_values": "LoA1", "state": "trang-thai",
                          "nonce": "so-dung-mot-lan"}


def test_code_exchange_and_userinfo_of_a_citizen(login, vneid):
    tokens = login.exchange_code(code_for(vneid, login, CITIZEN), nonce="n-1")
    assert tokens.subject == CITIZEN
    identity = login.userinfo(tokens)
    assert identity == NationalIdentity(
        sub=CITIZEN, tech_id="VNEID-TECH-000001", kind=AccountKind.citizen, id_number="020190000123",
        full_name="Nguyễn Văn An", gender="Nam",
        address="Số 12 đường Trần Đăng Ninh, phường Tam Thanh, tỉnh Lạng Sơn", phone="0912345678",
        email="an.nguyen@example.vn")
    # Form-encoded, client authenticated in the body, the redirect URI of the authorization request.
    (call,) = vneid.calls("token")
    assert call["body"] | {"code": "…"} == {"grant_type": "authorization_code", "code": "…",
                                             "redirect_uri": REDIRECT, "client_id": CLIENT_ID,
                                             "client_secret": "***", "auth": "post"}


def test_userinfo_of_a_business(login, vneid):
    identity = login.userinfo(login.exchange_code(code_for(vneid, login, BUSINESS), nonce="n-1"))
    assert (identity.kind, identity.tax_code, identity.business_code, identity.business_name) == (
        AccountKind.business, "4900123456", "4900123456", "Công ty TNHH Thương mại Hữu Nghị")


def test_wrong_client_secret_is_refused(vneid):
    with adapter(vneid.url) as good, adapter(vneid.url, client_secret="sai") as wrong:
        code = code_for(vneid, good, CITIZEN)
        with pytest.raises(NationalLoginRefused) as refused:
            wrong.exchange_code(code, nonce="n-1")
    assert "không chấp nhận thông tin kết nối" in refused.value.message
    assert refused.value.status_code == 502


def test_a_code_is_used_once_and_its_replay_revokes_the_first_token(login, vneid):
    code = code_for(vneid, login, CITIZEN)
    tokens = login.exchange_code(code, nonce="n-1")
    with pytest.raises(NationalLoginRefused, match="đã được sử dụng hoặc đã hết hạn"):
        login.exchange_code(code, nonce="n-1")
    with pytest.raises(NationalLoginRefused, match="không chấp nhận mã truy cập"):
        login.userinfo(tokens)


def test_an_expired_code_is_refused(login, vneid):
    code = code_for(vneid, login, CITIZEN)
    vneid.advance(61)  # codes live 60 s
    with pytest.raises(NationalLoginRefused, match="đã hết hạn"):
        login.exchange_code(code, nonce="n-1")


def test_a_code_for_another_redirect_uri_is_refused(login, vneid):
    code = code_for(vneid, login, CITIZEN)
    other = OidcLogin(login.settings, redirect_uri="http://khac.example.vn/callback")
    with pytest.raises(NationalLoginRefused, match="Mã xác thực không hợp lệ"):
        other.exchange_code(code, nonce="n-1")


def test_an_id_token_of_another_login_is_refused(login, vneid):
    code = code_for(vneid, login, CITIZEN, nonce="cua-phien-khac")
    with pytest.raises(NationalLoginRefused, match="id_token"):
        login.exchange_code(code, nonce="n-1")


def test_failures_of_the_national_login_become_vietnamese_errors(login, vneid):
    code = code_for(vneid, login, CITIZEN)
    vneid.fault("token", "http", "503")
    with pytest.raises(NationalLoginError, match="trả lỗi HTTP 503"):
        login.exchange_code(code, nonce="n-1")
    vneid.fault("userinfo", "delay", "3")
    tokens = login.exchange_code(code, nonce="n-1")  # the 503 did not use the code
    with pytest.raises(NationalLoginError, match="không trả lời"):
        login.userinfo(tokens)


def test_unreachable_or_unconfigured(vneid):
    with pytest.raises(NationalLoginError, match="Không kết nối được"):
        adapter("http://127.0.0.1:9").exchange_code("x", nonce="n")
    unconfigured = OidcLogin(VneidSettings(url=vneid.url, client_secret=""), redirect_uri=REDIRECT)
    with pytest.raises(NationalLoginError, match="VNEID_CLIENT_SECRET"):
        unconfigured.authorize_url(state="s", nonce="n")


def test_simulator_refuses_an_unknown_client_on_its_page(vneid):
    page = httpx.get(f"{vneid.url}/oauth2/authorize", params={
        "response_type": "code", "client_id": "la", "redirect_uri": REDIRECT, "scope": "openid", "state": "s"})
    assert page.status_code == 400
    assert "chưa được đăng ký" in page.text


def test_simulator_identities_can_be_added_without_tech_id(vneid):
    added = vneid.add_identity(TechID=None, LoaiTaiKhoan="1", SoDinhDanh="020199000777", HoVaTen="Lò Văn Dũng")
    assert "TechID" not in added
    assert added in vneid.control("GET", "/_sim/identities").json()
