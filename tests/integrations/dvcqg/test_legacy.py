"""The legacy adapter against the simulator over real HTTP: session login, service dispatch,
string values, error codes, expired sessions, HTTP errors and timeouts, persistence."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from motcua.integrations.dvcqg import wire
from motcua.integrations.dvcqg.legacy import LegacyPortal
from motcua.integrations.dvcqg.portal import PortalError, UnknownNationalProcedure
from motcua.integrations.dvcqg.simulator import create_simulator

BIRTH = "1.001193"  # Đăng ký khai sinh


def services(calls: list[dict]) -> list[str]:
    return [c["service"] for c in calls]


def test_lists_and_one_procedure_over_the_wire(portal, simulator):
    items = portal.list_procedures()
    fields = portal.list_fields()
    agencies = portal.list_agencies()
    birth = portal.get_procedure(BIRTH)

    assert len(items) == 400
    assert [i.name for i in items if i.code == BIRTH] == ["Đăng ký khai sinh"]
    assert len(fields) == 76 and all(f.code.startswith("SIM-LV") for f in fields)
    assert "Ủy ban nhân dân cấp xã" in {a.name for a in agencies}
    assert (birth.code, birth.name, birth.field_name) == (BIRTH, "Đăng ký khai sinh", "Hộ tịch")
    assert [c.channel for c in birth.channels] == ["1", "2", "3"]
    counter = birth.channels[0].time_limits[0]
    assert (counter.value, counter.unit, counter.description) == (1.0, "Ngày làm việc", "01 ngày làm việc")
    # One login, then every call carries the session, the unit code and the service name.
    calls = simulator.calls()
    assert services(calls) == ["login", "LayDanhSachTTHC", "LayDanhMucLinhVuc", "LayDanhMucCoQuan", "LayThuTuc"]
    session = calls[1]["body"]["session"]
    assert all(c["body"]["session"] == session and c["body"]["madonvi"] == "000.00.00.H37" for c in calls[1:])
    assert calls[4]["body"]["maTTHC"] == BIRTH
    assert calls[1]["path"] == "/api/share"


def test_unknown_national_code_is_refused_with_the_portal_message(portal):
    with pytest.raises(UnknownNationalProcedure) as refused:
        portal.get_procedure("9.999999")
    assert refused.value.message == (
        "Cổng Dịch vụ công quốc gia từ chối LayThuTuc (mã lỗi 404): "
        "Không tìm thấy thủ tục hành chính có mã 9.999999."
    )


def test_expired_session_logs_in_again_once(portal, simulator):
    portal.list_fields()
    simulator.control("POST", "/_sim/expire-sessions")

    assert portal.get_procedure(BIRTH).name == "Đăng ký khai sinh"
    calls = simulator.calls()
    assert services(calls) == ["login", "LayDanhMucLinhVuc", "LayThuTuc", "login", "LayThuTuc"]
    assert calls[2]["body"]["session"] != calls[4]["body"]["session"]


def test_session_expiring_on_every_call_is_an_error_not_a_loop(portal, simulator):
    simulator.fault("LayDanhSachTTHC", "expire_session", times=-1)
    with pytest.raises(PortalError) as failed:
        portal.list_procedures()
    assert failed.value.message == (
        "Cổng Dịch vụ công quốc gia không chấp nhận phiên đăng nhập mới khi gọi LayDanhSachTTHC."
    )
    assert services(simulator.calls()) == ["login", "LayDanhSachTTHC", "login", "LayDanhSachTTHC"]


def test_a_call_without_a_session_is_refused(simulator):
    reply = httpx.post(f"{simulator.url}/api/share", json={"madonvi": "000.00.00.H37", "service": "LayDanhSachTTHC"})
    assert reply.status_code == 401
    assert reply.json() == {"error_code": "401", "message": "Phiên đăng nhập không hợp lệ hoặc đã hết hạn"}


def test_wrong_password_is_refused(portal_settings):
    with LegacyPortal(portal_settings.model_copy(update={"password": "sai"})) as adapter:
        with pytest.raises(PortalError) as refused:
            adapter.list_fields()
    assert refused.value.message == (
        "Cổng Dịch vụ công quốc gia từ chối đăng nhập (mã lỗi 1): Tên đăng nhập hoặc mật khẩu không đúng."
    )


def test_no_password_configured_calls_nothing(portal_settings, simulator):
    with LegacyPortal(portal_settings.model_copy(update={"password": ""})) as adapter:
        with pytest.raises(PortalError, match="Chưa cấu hình tài khoản kết nối"):
            adapter.list_fields()
    assert simulator.calls() == []


def test_http_5xx_non_zero_error_code_and_timeout_are_clear_errors(portal, simulator):
    simulator.fault("LayDanhSachTTHC", "http", "503")
    with pytest.raises(PortalError) as failed:
        portal.list_procedures()
    assert failed.value.message == "Cổng Dịch vụ công quốc gia trả lỗi HTTP 503 khi gọi LayDanhSachTTHC."

    simulator.fault("LayDanhMucLinhVuc", "error_code", "99")
    with pytest.raises(PortalError) as refused:
        portal.list_fields()
    assert refused.value.message == (
        "Cổng Dịch vụ công quốc gia từ chối LayDanhMucLinhVuc (mã lỗi 99): Lỗi giả lập của Cổng DVCQG."
    )

    simulator.fault("LayThuTuc", "delay", "3")  # the adapter waits 2 s
    with pytest.raises(PortalError) as slow:
        portal.get_procedure(BIRTH)
    assert slow.value.message == "Cổng Dịch vụ công quốc gia không trả lời LayThuTuc trong 2 giây."
    # Faults are used up: the next calls succeed.
    assert len(portal.list_procedures()) == 400


def test_unreachable_portal(portal_settings):
    with LegacyPortal(portal_settings.model_copy(update={"adapter_url": "http://127.0.0.1:9"})) as adapter:
        with pytest.raises(PortalError, match=r"^Không kết nối được Cổng Dịch vụ công quốc gia \(http://127.0.0.1:9\)"):
            adapter.list_fields()


def test_state_survives_a_restart_and_reset_restores_the_seed(tmp_path):
    path = tmp_path / "sim.db"
    first = create_simulator(path).state.simulator
    first.put_procedure({"code": "1.999999", "name": "Thủ tục thử", "field": None, "time_limits": []})
    first.delete_procedure(BIRTH)

    again = create_simulator(path).state.simulator
    assert again.procedure("1.999999")[0]["name"] == "Thủ tục thử"
    assert again.procedure(BIRTH) is None
    assert again.reset() == 400
    assert again.procedure("1.999999") is None and again.procedure(BIRTH) is not None


def test_wire_values():
    moment = datetime(2025, 9, 15, 7, 30, tzinfo=UTC)
    assert wire.format_date(moment) == "20250915143000"
    assert wire.parse_date("20250915143000") == moment
    assert wire.format_date(None) == "" and wire.parse_date("") is None
    with pytest.raises(ValueError):
        wire.parse_date("2025-09-15")
    assert [wire.is_success(v) for v in (0, "0", "00", "1", "-3", None)] == [True, True, True, False, False, False]
    assert wire.number("1,5") == 1.5 and wire.number("") is None
