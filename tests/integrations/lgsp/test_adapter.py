"""The LGSP population adapter against the simulator over real HTTP: the record read into the
interface's dataclasses, the exact wire body the platform receives, and every failure turned
into a Vietnamese `PopulationError` (not found, not permitted, down, slow, expired session)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import httpx
import pytest

from motcua.core import clock
from motcua.core.errors import InvalidInput
from motcua.integrations.lgsp.adapter import LgspPopulation
from motcua.integrations.lgsp.config import LgspSettings
from motcua.integrations.lgsp.population import (
    Address,
    BirthDate,
    CitizenNotFound,
    CitizenRecord,
    LookupNotPermitted,
    LookupRequest,
    PopulationError,
    Sex,
    normalize_id_number,
)
from tests.integrations.lgsp.fixtures import PASSWORD
from tests.pg_harness import free_port

HUONG = "020192004567"  # seeded: permanent residence in Đồng Đăng, lives in Lương Văn Tri
PAO = "020070009876"  # seeded: birth year only


def ask(id_number: str, dossier_code: str = "") -> LookupRequest:
    return LookupRequest(id_number=id_number, purpose="Tiếp nhận hồ sơ tại quầy", officer="motcua_ls",
                         unit_code="000.00.01.H37", dossier_code=dossier_code)


def test_a_citizen_is_read_with_both_residences_and_the_platform_logs_who_asked(population, lgsp):
    with clock.frozen(datetime(2026, 12, 2, 2, 30, tzinfo=UTC)):
        found = population.lookup_citizen(ask(HUONG, "000.00.01.H37-261202-0001"))
    assert found == CitizenRecord(
        id_number=HUONG, full_name="Lộc Thị Hương", birth=BirthDate(1992, 5, 21), sex=Sex.female,
        ethnicity="Nùng", nationality="Việt Nam",
        permanent_address=Address("Thôn Nà Sla", "06184", "Xã Đồng Đăng", "20", "Lạng Sơn"),
        current_address=Address("Số 45 đường Lê Lợi", "05983", "Phường Lương Văn Tri", "20", "Lạng Sơn"),
    )
    assert found.birth.text == "21/05/1992" and found.birth.date == date(1992, 5, 21)
    assert found.current_address.text == "Số 45 đường Lê Lợi, Phường Lương Văn Tri, Lạng Sơn"
    (body,) = lgsp.lookups()
    assert body == {
        "session": body["session"], "madonvi": "000.00.00.H37", "service": "TraCuuThongTinCongDan",
        "SoDinhDanh": HUONG, "MucDich": "Tiếp nhận hồ sơ tại quầy", "NguoiTraCuu": "motcua_ls",
        "DonViTraCuu": "000.00.01.H37", "MaHoSo": "000.00.01.H37-261202-0001",
        "ThoiGianTraCuu": "20261202093000",  # local time, no zone (§1)
    }
    assert body["session"]
    assert [c["body"] for c in lgsp.calls("login")] == [{"username": "motcua"}]  # never the password


def test_an_incomplete_birth_date_is_kept_as_incomplete(population):
    found = population.lookup_citizen(ask(PAO))
    assert found.birth == BirthDate(1970) and found.birth.text == "1970" and found.birth.date is None
    assert found.current_address is None and found.old_id_number == "080456789"


def test_a_citizen_added_to_the_simulator_is_found(population, lgsp):
    lgsp.control("POST", "/_sim/citizens", json={
        "SoDinhDanh": "020295000111", "HoVaTen": "Hà Thị Mỹ", "NgayThangNamSinh": "19950300", "GioiTinh": "2",
        "DanToc": "Sán Chay", "QuocTich": "Việt Nam",
        "NoiThuongTru": {"ChiTiet": "Thôn Còn Quan", "MaXa": "06391", "TenXa": "Xã Yên Bình", "MaTinh": "20",
                         "TenTinh": "Lạng Sơn"}})
    found = population.lookup_citizen(ask("020295000111"))
    assert (found.full_name, found.birth.text, found.permanent_address.text) == (
        "Hà Thị Mỹ", "03/1995", "Thôn Còn Quan, Xã Yên Bình, Lạng Sơn")
    refused = httpx.post(f"{lgsp.url}/_sim/citizens", json={"SoDinhDanh": "020295000112"}, timeout=5)
    assert refused.status_code == 422


def test_an_unknown_number_is_not_found(population):
    with pytest.raises(CitizenNotFound) as caught:
        population.lookup_citizen(ask("020199999999"))
    assert caught.value.message == "Cơ sở dữ liệu quốc gia về dân cư không có công dân mang số định danh 020199999999."
    assert caught.value.status_code == 404


def test_the_platform_refusing_the_caller_is_not_permitted(population, lgsp):
    lgsp.fault("error_code", "403", service="TraCuuThongTinCongDan")
    with pytest.raises(LookupNotPermitted) as caught:
        population.lookup_citizen(ask(HUONG))
    assert caught.value.message == ("Cơ sở dữ liệu quốc gia về dân cư không cho phép tra cứu này: "
                                    "Lỗi giả lập của nền tảng LGSP.")


@pytest.mark.parametrize(("kind", "value", "message"), [
    ("http", "503", "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP) trả lỗi HTTP 503 khi tra cứu "
                    "Cơ sở dữ liệu quốc gia về dân cư."),
    ("delay", "3", "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP) không trả lời tra cứu "
                   "Cơ sở dữ liệu quốc gia về dân cư trong 2 giây."),
    ("error_code", "99", "Cơ sở dữ liệu quốc gia về dân cư chưa trả lời được (mã lỗi 99: "
                         "Lỗi giả lập của nền tảng LGSP)."),
])
def test_a_failing_platform_is_a_vietnamese_error(population, lgsp, kind, value, message):
    lgsp.fault(kind, value, service="TraCuuThongTinCongDan")
    with pytest.raises(PopulationError) as caught:
        population.lookup_citizen(ask(HUONG))
    assert type(caught.value) is PopulationError and caught.value.message == message
    assert population.lookup_citizen(ask(HUONG)).full_name == "Lộc Thị Hương"  # recovered


def test_after_a_timeout_the_platform_is_left_alone_for_a_while(lgsp_settings, lgsp):
    settings = lgsp_settings.model_copy(update={"timeout_seconds": 0.5, "cooldown_seconds": 1.0})
    with LgspPopulation(settings) as adapter:
        lgsp.fault("delay", "1", service="TraCuuThongTinCongDan")
        with pytest.raises(PopulationError, match="không trả lời tra cứu"):
            adapter.lookup_citizen(ask(HUONG))
        with pytest.raises(PopulationError) as caught:
            adapter.lookup_citizen(ask(HUONG))
        assert caught.value.message == ("Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP) vừa không trả lời kịp; "
                                        "thử lại sau 1 giây.")
        assert len(lgsp.lookups()) == 1  # the second was not sent
        time.sleep(1.1)
        assert adapter.lookup_citizen(ask(HUONG)).full_name == "Lộc Thị Hương"


def test_an_expired_session_logs_in_again_once(population, lgsp):
    population.lookup_citizen(ask(HUONG))
    lgsp.control("POST", "/_sim/expire-sessions")
    assert population.lookup_citizen(ask(PAO)).full_name == "Nông Văn Páo"
    assert len(lgsp.calls("login")) == 2
    assert len(lgsp.lookups()) == 3  # the refused call, then the repeated one


def test_no_server_and_no_password_are_said_not_raised_as_transport_errors(lgsp_settings):
    closed = lgsp_settings.model_copy(update={"url": f"http://127.0.0.1:{free_port()}"})
    with LgspPopulation(closed) as adapter, pytest.raises(PopulationError) as caught:
        adapter.lookup_citizen(ask(HUONG))
    assert caught.value.message.startswith("Không kết nối được Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP)")
    with LgspPopulation(LgspSettings(url=lgsp_settings.url, password="")) as adapter, \
            pytest.raises(PopulationError) as caught:
        adapter.lookup_citizen(ask(HUONG))
    assert caught.value.message == ("Chưa cấu hình tài khoản kết nối Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP) "
                                    "(LGSP_USERNAME, LGSP_PASSWORD).")
    with LgspPopulation(lgsp_settings.model_copy(update={"password": PASSWORD + "x"})) as adapter, \
            pytest.raises(PopulationError, match="từ chối đăng nhập"):
        adapter.lookup_citizen(ask(HUONG))


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("LGSP_URL", "https://lgsp.langson.gov.vn")
    monkeypatch.setenv("LGSP_USERNAME", "motcua_ls")
    monkeypatch.setenv("LGSP_PASSWORD", "bi-mat")
    settings = LgspSettings()
    assert (settings.url, settings.username, settings.password, settings.configured) == (
        "https://lgsp.langson.gov.vn", "motcua_ls", "bi-mat", True)
    monkeypatch.delenv("LGSP_URL")
    assert LgspSettings().url == "http://127.0.0.1:8104"  # the simulator of ./run.sh


@pytest.mark.parametrize(("typed", "digits"), [("020192004567", "020192004567"), (" 020 192 004 567 ", "020192004567"),
                                               ("020.192.004.567", "020192004567")])
def test_an_id_number_is_twelve_digits(typed, digits):
    assert normalize_id_number(typed) == digits


@pytest.mark.parametrize("typed", ["", "12345678901", "0201920045678", "02019200456A", None])
def test_anything_else_is_refused_in_vietnamese(typed):
    with pytest.raises(InvalidInput, match="Số định danh cá nhân phải gồm đúng 12 chữ số"):
        normalize_id_number(typed)
