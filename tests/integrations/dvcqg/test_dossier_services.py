"""The dossier services of the adapter against the simulator over real HTTP: a citizen's
submission pulled, the record created then overwritten (isUpdating by TraCuuHoSo), progress
appended in order, an online supplement taken, the simulator's refusals (§13), ratings."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from motcua.integrations.dvcqg import wire
from motcua.integrations.dvcqg.config import DvcqgSettings
from motcua.integrations.dvcqg.portal import (
    DossierRecord,
    PortalError,
    ProgressEntry,
    Rating,
    SupplementRound,
)
from motcua.integrations.dvcqg.simulator import create_simulator

MARRIAGE = "1.000894"  # Đăng ký kết hôn
UNIT = "000.00.00.H37"
LOCAL = wire.LOCAL_TZ


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 12, day, hour, 0, tzinfo=LOCAL)


def submission(**extra) -> dict:
    return {
        "MaTTHC": MARRIAGE, "MaDonViTiepNhan": UNIT, "ChuHoSo": "Nguyễn Thị Hoà", "LoaiDoiTuong": "1",
        "SoGiayToChuHoSo": "020190001234", "SoDienThoai": "0912345678", "Email": "hoa@example.vn",
        "DiaChiChuHoSo": "Phường Đông Kinh, Lạng Sơn", "TrichYeuHoSo": "Đăng ký kết hôn",
        "NgayNopHoSo": "20261201080000", "MaDoiTuong": "TECH-1",
        "ThanhPhanHoSo": [{"TenThanhPhanHoSo": "Tờ khai đăng ký kết hôn", "MaThanhPhanHoSo": "TP1", "SoLuong": "1",
                           "TaiLieuNop": [{"TepDinhKemId": "F1", "TenTepDinhKem": "to-khai.pdf",
                                           "NoiDungTep": "JVBERi0xLjQ=", "IsDeleted": "False"}]}],
    } | extra


def record(code: str, status: int, **extra) -> DossierRecord:
    base = dict(code=code, national_procedure_code=MARRIAGE, procedure_name="Đăng ký kết hôn", field_code="SIM-LV0001",
                field_name="Hộ tịch", owner_name="Nguyễn Thị Hoà", owner_kind=1, email="hoa@example.vn",
                phone="0912345678", summary="Đăng ký kết hôn", received_at=at(1), due_at=at(4, 17), status=status,
                handling_unit="UBND xã", channel=2, owner_id_number="020190001234")
    return DossierRecord(**(base | extra))


def entry(code: str, status: int, day: int, content: str) -> ProgressEntry:
    return ProgressEntry(code=code, handler="Lê Văn Tiếp", at=at(day), content=content, status=status)


def test_submission_pulled_then_taken_by_the_first_record(portal, simulator):
    code = simulator.submit(submission())
    assert code.startswith(f"{UNIT}-") and "-TT" in code

    [pulled] = portal.new_submissions()
    assert (pulled.code, pulled.national_procedure_code, pulled.receiving_unit_code) == (code, MARRIAGE, UNIT)
    assert (pulled.owner_name, pulled.owner_kind, pulled.owner_id_number) == ("Nguyễn Thị Hoà", 1, "020190001234")
    assert pulled.submitted_at == at(1, 8) and pulled.submitter_account == "TECH-1"
    [component] = pulled.components
    assert (component.name, component.code, component.count) == ("Tờ khai đăng ký kết hôn", "TP1", 1)
    assert [(f.name, f.content) for f in component.files] == [("to-khai.pdf", b"%PDF-1.4")]
    # The portal knows the code from the submission: the province's first record updates it.
    held = portal.lookup_dossier(code)
    assert (held.status, held.progress) == (1, ())
    with pytest.raises(PortalError, match="đã tồn tại"):
        portal.push_dossier(record(code, 2), updating=False)

    portal.push_dossier(record(code, 2), updating=True)
    assert portal.new_submissions() == []
    portal.push_progress([entry(code, 2, 2, "Tiếp nhận hồ sơ"), entry(code, 4, 3, "Chuyển xử lý")])
    held = portal.lookup_dossier(code)
    assert (held.status, held.due_at, held.received_at) == (2, at(4, 17), at(1))
    assert [(e.status, e.content, e.at) for e in held.progress] == [(2, "Tiếp nhận hồ sơ", at(2)),
                                                                    (4, "Chuyển xử lý", at(3))]
    shown = simulator.held(code)
    assert (shown["TrangThaiHoSo"], shown["NgayHenTra"]) == ("2", "20261204170000")
    assert [v["isUpdating"] for v in shown["versions"]] == ["True"]
    assert [p["TrangThai"] for p in shown["progress"]] == ["2", "4"]
    # Exactly the §3 wire shape: strings, local dates, "" for unknown.
    sent = [c for c in simulator.calls() if c["service"] == "DongBoHoSoMC"][-1]["body"]
    assert sent["isUpdating"] == "True" and sent["madonvi"] == UNIT
    [wire_record] = sent["data"]
    assert wire_record["TrangThaiHoSo"] == "2" and wire_record["NgayTiepNhan"] == "20261201090000"
    assert wire_record["NgayTra"] == "" and wire_record["KenhThucHien"] == "2"
    assert wire_record["DinhDanhCHS"] == [{"LoaiDinhDanh": "1", "SoDinhDanh": "020190001234"}]


def test_a_resent_submission_is_offered_again(portal, simulator):
    code = simulator.submit(submission(MaHoSo="000.00.00.H37-261201-TT0042"))
    portal.push_dossier(record(code, 2), updating=True)
    assert portal.new_submissions() == []
    simulator.control("POST", f"/_sim/dossiers/{code}/resend")
    assert [s.code for s in portal.new_submissions()] == [code]


def test_counter_dossier_created_then_updated(portal, simulator):
    code = "000.00.00.H37-261201-0001"
    assert portal.lookup_dossier(code) is None
    with pytest.raises(PortalError, match="chưa tồn tại"):
        portal.push_dossier(record(code, 2, channel=1), updating=True)
    with pytest.raises(PortalError, match="chưa đồng bộ hồ sơ"):
        portal.push_progress([entry(code, 2, 1, "Tiếp nhận")])
    portal.push_dossier(record(code, 2, channel=1), updating=False)
    portal.push_dossier(record(code, 10, channel=1, returned_at=at(4), finished_at=at(3)), updating=True)
    held = simulator.held(code)
    assert held["TrangThaiHoSo"] == "10" and [v["isUpdating"] for v in held["versions"]] == ["False", "True"]
    assert held["record"]["NgayTra"] == "20261204090000"


@pytest.mark.parametrize(("body", "message"), [
    ({"TrangThaiHoSo": "11"}, "TrangThaiHoSo phải từ 1 đến 10"),
    ({"NgayTiepNhan": "2026-12-01"}, "NgayTiepNhan không đúng định dạng"),
    ({"MaTTHC": "9.999999"}, "không có trong CSDL quốc gia"),
])
def test_bad_records_are_refused_whole(portal, simulator, body, message):
    good = wire.record_out(record("000.00.00.H37-261201-0002", 2))
    bad = wire.record_out(record("000.00.00.H37-261201-0003", 2)) | body
    with pytest.raises(PortalError, match=message):
        portal.call("DongBoHoSoMC", isUpdating="False", data=[good, bad])
    assert portal.lookup_dossier("000.00.00.H37-261201-0002") is None  # nothing of the batch stored


def test_missing_key_and_bad_progress_refused(portal, simulator):
    incomplete = {k: v for k, v in wire.record_out(record("C-1", 2)).items() if k != "DonViXuLy"}
    with pytest.raises(PortalError, match="thiếu trường DonViXuLy"):
        portal.call("DongBoHoSoMC", isUpdating="False", data=[incomplete])
    portal.push_dossier(record("C-1", 2), updating=False)
    bad = wire.progress_out(entry("C-1", 2, 1, "x")) | {"TrangThai": "0"}
    with pytest.raises(PortalError, match="TrangThai phải từ 1 đến 10"):
        portal.call("CapNhatTienDoHoSoMC", data=[bad])


def test_online_supplement_only_when_asked_and_taken_when_recorded(portal, simulator):
    code = simulator.submit(submission())
    refused = httpx.post(f"{simulator.url}/_sim/dossiers/{code}/supplements", json={}, timeout=5)
    assert refused.status_code == 409
    portal.push_dossier(record(code, 5), updating=True)
    round_id = simulator.supplement(code, {"NoiDungBoSung": "Bổ sung giấy xác nhận tình trạng hôn nhân",
                                           "ThanhPhanHoSo": [{"TenThanhPhanHoSo": "Giấy xác nhận tình trạng hôn nhân",
                                                              "TaiLieuNop": [{"TepDinhKemId": "F2",
                                                                              "TenTepDinhKem": "xac-nhan.pdf"}]}]})
    [pulled] = portal.new_supplements()
    assert (pulled.code, pulled.round_id, pulled.note) == (code, round_id, "Bổ sung giấy xác nhận tình trạng hôn nhân")
    assert [c.name for c in pulled.components] == ["Giấy xác nhận tình trạng hôn nhân"]
    # Listed without a receipt time: still offered; with one: taken.
    asked = SupplementRound(round_id, "Lê Văn Tiếp", "Giấy xác nhận", at(2))
    portal.push_dossier(record(code, 5, supplements=(asked,)), updating=True)
    assert len(portal.new_supplements()) == 1
    received = SupplementRound(round_id, "Lê Văn Tiếp", "Giấy xác nhận", at(2), received_at=at(3))
    portal.push_dossier(record(code, 4, supplements=(received,)), updating=True)
    assert portal.new_supplements() == []


def test_rating_on_the_wire(portal, simulator):
    rating = Rating(code="C-9", score=2, rated_at=at(5), comment="Nhanh, đúng hẹn", indices=((1, 2), (7, 1)))
    portal.push_rating(rating)
    held = [{"MaHoSo": "C-9", "DiemDanhGia": "2", "NgayDanhGia": "20261205090000", "NoiDungDanhGia": "Nhanh, đúng hẹn",
             "DanhSachChiSo": [{"ChiSo": "1", "Diem": "2"}, {"ChiSo": "7", "Diem": "1"}]}]
    assert simulator.control("GET", "/_sim/ratings").json() == held
    portal.push_rating(rating)  # sent again (a retry after a timeout): one rating per dossier
    assert simulator.control("GET", "/_sim/ratings").json() == held


def test_dvcqg_url_names_the_adapter(monkeypatch):
    monkeypatch.setenv("DVCQG_URL", "http://portal.example:8101")
    assert DvcqgSettings().adapter_url == "http://portal.example:8101"
    monkeypatch.delenv("DVCQG_URL")
    monkeypatch.setenv("MOTCUA_DVCQG_ADAPTER_URL", "http://adapter.example")
    assert DvcqgSettings().adapter_url == "http://adapter.example"


def test_dossiers_survive_a_restart_and_reset_forgets_them(tmp_path):
    path = tmp_path / "sim.db"
    first = create_simulator(path).state.simulator
    code = first.submit(submission())
    first.store_records([wire.record_out(record(code, 2))], "True")
    first.append_progress([wire.progress_out(entry(code, 2, 2, "Tiếp nhận hồ sơ"))])

    again = create_simulator(path).state.simulator
    assert again.held(code)["TrangThaiHoSo"] == "2" and again.untaken_submissions() == []
    assert [p["NoiDungXuLy"] for p in again.progress(code)] == ["Tiếp nhận hồ sơ"]
    again.reset()
    assert again.held(code) is None and again.progress(code) == []
