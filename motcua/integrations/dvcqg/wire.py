"""The legacy wire format (schema v1, shared/reference/dvcqg.md §1–§2): reading replies and
writing values. Pure functions, shared by the adapter and the simulator so both sides read a
value the same way.

Replies are read loosely: almost every value is a string ("0"/"1", "True"/"False", numbers),
a missing date is "", and the success code comes as 0, "0" or "00" depending on the side.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from motcua.integrations.dvcqg.portal import (
    DossierFile,
    DossierRecord,
    NationalAgency,
    NationalChannel,
    NationalDossier,
    NationalField,
    NationalProcedure,
    NationalProcedureItem,
    NationalTimeLimit,
    OnlineSupplement,
    ProgressEntry,
    Rating,
    Submission,
    SubmittedComponent,
    SubmittedFile,
    SupplementRound,
)

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"
SUCCESS_CODES = {"0", "00"}
# Not in the public code ([U]); the simulator answers a missing or expired session with it
# (and HTTP 401), and the adapter logs in again once when it sees it.
SESSION_EXPIRED_CODE = "401"


def text(value: Any) -> str:
    """Any reply value as trimmed text ("" for null)."""
    if value is None:
        return ""
    return str(value).strip()


def is_success(error_code: Any) -> bool:
    return text(error_code) in SUCCESS_CODES


def format_date(value: datetime | None) -> str:
    """`yyyyMMddHHmmss` in Vietnam's local time, no zone suffix; "" for an unknown date."""
    if value is None:
        return ""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(LOCAL_TZ).strftime(DATE_FORMAT)


def parse_date(value: Any) -> datetime | None:
    """The reverse of `format_date`; "" → None; anything else malformed raises ValueError."""
    raw = text(value)
    if not raw:
        return None
    if len(raw) != 14 or not raw.isdigit():
        raise ValueError(f"not a yyyyMMddHHmmss date: {raw!r}")
    return datetime.strptime(raw, DATE_FORMAT).replace(tzinfo=LOCAL_TZ)


def number(value: Any) -> float | None:
    """A number written as text, with "," or "." as decimal mark; None when it is not one."""
    raw = text(value).replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        return None


def records(reply: dict[str, Any]) -> list[dict[str, Any]]:
    result = reply.get("result")
    if result is None:
        return []
    if not isinstance(result, list):
        result = [result]
    return [r for r in result if isinstance(r, dict)]


def _upper_keys(record: dict[str, Any]) -> dict[str, Any]:
    # Replies of different portals spell keys in upper or camel case (MATTHC / MaTTHC).
    return {str(k).upper(): v for k, v in record.items()}


def procedure_item(record: dict[str, Any]) -> NationalProcedureItem:
    r = _upper_keys(record)
    return NationalProcedureItem(code=text(r.get("MATTHC")), name=text(r.get("TENTTHC")))


def agency(record: dict[str, Any]) -> NationalAgency:
    r = _upper_keys(record)
    return NationalAgency(code=text(r.get("MADONVI")), name=text(r.get("TENDONVI")),
                          level=text(r.get("CAPDONVI")))


def field(record: dict[str, Any]) -> NationalField:
    r = _upper_keys(record)
    return NationalField(code=text(r.get("MALINHVUC")), name=text(r.get("TENLINHVUC")),
                         sector=text(r.get("MANGANH")))


def _list(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        value = [value]
    return [_upper_keys(v) for v in value or [] if isinstance(v, dict)]


def procedure(record: dict[str, Any], code: str) -> NationalProcedure:
    """`LayThuTuc`'s `result[0]`. Beyond TENTTHC, LINHVUCTHUCHIEN and CACHTHUCTHUCHIEN[KENH]
    the keys (THOIGIAN, CAPTHUCHIEN, COQUANTHUCHIEN) follow the national database's export
    and are read when present ([U])."""
    r = _upper_keys(record)
    fields = _list(r.get("LINHVUCTHUCHIEN"))
    channels = tuple(
        NationalChannel(
            channel=text(c.get("KENH")),
            time_limits=tuple(
                NationalTimeLimit(value=number(t.get("THOIGIANGIAIQUYET")),
                                  unit=text(t.get("DONVITINH")), description=text(t.get("MOTA")))
                for t in _list(c.get("THOIGIAN"))
            ),
        )
        for c in _list(r.get("CACHTHUCTHUCHIEN"))
    )
    return NationalProcedure(
        code=text(r.get("MATTHC")) or code,
        name=text(r.get("TENTTHC")),
        field_code=text(fields[0].get("MALINHVUC")) or None if fields else None,
        field_name=text(fields[0].get("TENLINHVUC")) or None if fields else None,
        channels=channels,
        levels=tuple(text(c.get("TENCAP")) for c in _list(r.get("CAPTHUCHIEN")) if text(c.get("TENCAP"))),
        agencies=tuple(text(a.get("TENDONVI")) for a in _list(r.get("COQUANTHUCHIEN")) if text(a.get("TENDONVI"))),
        raw=dict(record),
    )


# --- dossiers (§3, §4) -------------------------------------------------------------------

# Keys always sent in a §3 record (the rest are optional); the simulator refuses a record
# without one of them, as the reference says a faithful portal does.
RECORD_REQUIRED = (
    "MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "LoaiDoiTuong", "Email", "SoDienThoai",
    "TrichYeuHoSo", "NgayTiepNhan", "NgayHenTra", "TrangThaiHoSo", "HinhThuc", "DonViXuLy",
)
RECORD_DATES = ("NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy", "NgayNopHoSo", "NgayTuChoi")
PROGRESS_REQUIRED = ("MaHoSo", "NguoiXuLy", "ThoiDiemXuLy", "NoiDungXuLy", "TrangThai")
PROGRESS_DATES = ("ThoiDiemXuLy", "NgayBatDau", "NgayKetThucTheoQuyDinh")
# What a citizen submission must carry (inbound, [U]).
SUBMISSION_REQUIRED = ("MaHoSo", "MaTTHC", "MaDonViTiepNhan", "ChuHoSo", "LoaiDoiTuong", "NgayNopHoSo")


def flag(value: bool) -> str:
    return "True" if value else "False"


def bit(value: bool) -> str:
    """A `"0"`/`"1"` flag (the newer record fields write flags this way)."""
    return "1" if value else "0"


def is_true(value: Any) -> bool:
    return text(value).lower() in {"true", "1"}


def _file(f: DossierFile) -> dict[str, str]:
    return {"TepDinhKemId": f.file_id, "TenTepDinhKem": f.name, "MaThanhPhanHoSo": f.component_code,
            "DuongDanTaiTepTin": f.url, "IsDeleted": "False", "DuocSoHoa": bit(f.digitised),
            "DuocTaiSuDung": bit(f.reused), "DuocLayTuKhoDMQG": bit(f.from_national_store),
            "MaKetQuaThayThe": f.replaces_result}


def _supplement_round(r: SupplementRound) -> dict[str, Any]:
    return {
        "HoSoBoSungId": r.round_id, "NguoiYeuCauBoSung": r.requested_by, "NoiDungBoSung": r.content,
        "NgayBoSung": format_date(r.requested_at), "NguoiTiepNhanBoSung": r.received_by,
        "ThongTinTiepNhan": "", "NgayTiepNhanBoSung": format_date(r.received_at),
        "TrangThaiBoSung": "1" if r.received_at else "0", "DanhSachGiayToBoSung": [], "DanhSachLePhiBoSung": [],
        "NgayHenTraTruoc": format_date(r.due_before), "NgayHenTraMoi": format_date(r.due_after),
    }


def record_out(r: DossierRecord) -> dict[str, Any]:
    """A §3 record: every value a string, dates in local time, "" for unknown."""
    return {
        "MaHoSo": r.code, "MaTTHC": r.national_procedure_code, "TenTTHC": r.procedure_name,
        "MaLinhVuc": r.field_code, "TenLinhVuc": r.field_name, "ChuHoSo": r.owner_name,
        "LoaiDoiTuong": str(r.owner_kind), "MaDoiTuong": r.submitter_account,
        "TaiKhoanDuocXacThucVoiVNeID": bit(r.vneid_verified), "ThongTinKhac": "", "Fax": "",
        "GhiChu": r.note, "Email": r.email, "SoDienThoai": r.phone, "TrichYeuHoSo": r.summary[:1000],
        "NgayTiepNhan": format_date(r.received_at), "NgayHenTra": format_date(r.due_at),
        "TrangThaiHoSo": str(r.status), "NgayTra": format_date(r.returned_at), "ThongTinTra": r.return_note,
        "HinhThuc": str(r.delivery), "NgayKetThucXuLy": format_date(r.finished_at), "DonViXuLy": r.handling_unit,
        "KenhThucHien": str(r.channel), "SoGiayToChuHoSo": r.owner_id_number,
        "DinhDanhCHS": [{"LoaiDinhDanh": id_type(r.owner_id_number), "SoDinhDanh": r.owner_id_number}]
        if id_type(r.owner_id_number) else [],
        "NgayNopHoSo": format_date(r.submitted_at), "NgayTuChoi": format_date(r.refused_at),
        "TaiLieuNop": [_file(f) for f in r.files], "HoSoCoThanhPhanSoHoa": bit(any(f.digitised for f in r.files)),
        "DanhSachGiayToKetQua": [{"TenGiayTo": p.name, "MaThanhPhanHoSo": "", "GiayToId": p.paper_id,
                                  "DuongDanTepTinKetQua": p.url} for p in r.results],
        "DanhSachLePhi": [{"TenPhiLePhi": f.name, "MaPhiLePhi": f.code, "HinhThucThu": f.collection,
                           "Gia": str(f.amount), "LoaiPhiLePhi": f.kind} for f in r.fees],
        "DuocThanhToanTrucTuyen": str(r.paid_online), "DanhSachTepDinhKemKhac": [],
        "DanhSachHoSoBoSung": [_supplement_round(s) for s in r.supplements],
    }


def id_type(number: str) -> str:
    """`LoaiDinhDanh` of an owner's ID number: 12 digits type 1, 9 digits type 2 ([V]); "" otherwise."""
    if number.isdigit() and len(number) == 12:
        return "1"
    if number.isdigit() and len(number) == 9:
        return "2"
    return ""


def progress_out(e: ProgressEntry) -> dict[str, str]:
    return {
        "MaHoSo": e.code, "NguoiXuLy": e.handler[:50], "ChucDanh": e.title, "PhongBanXuLy": e.department,
        "ThoiDiemXuLy": format_date(e.at), "NoiDungXuLy": e.content, "TrangThai": str(e.status),
        "NgayBatDau": format_date(e.started_at), "NgayKetThucTheoQuyDinh": format_date(e.legal_deadline),
    }


def _date_or_none(value: Any) -> datetime | None:
    try:
        return parse_date(value)
    except ValueError:
        return None


def _status(value: Any) -> int | None:
    raw = text(value)
    return int(raw) if raw.isdigit() else None


def progress_in(record: dict[str, Any]) -> ProgressEntry:
    at = _date_or_none(record.get("ThoiDiemXuLy"))
    if at is None:
        raise ValueError("progress entry without ThoiDiemXuLy")
    return ProgressEntry(
        code=text(record.get("MaHoSo")), handler=text(record.get("NguoiXuLy")), at=at,
        content=text(record.get("NoiDungXuLy")), status=_status(record.get("TrangThai")) or 0,
        title=text(record.get("ChucDanh")), department=text(record.get("PhongBanXuLy")),
        started_at=_date_or_none(record.get("NgayBatDau")),
        legal_deadline=_date_or_none(record.get("NgayKetThucTheoQuyDinh")),
    )


def national_dossier(record: dict[str, Any], code: str) -> NationalDossier:
    """`TraCuuHoSo`'s `result[0]`. `DanhSachTienDo` (the progress entries held) is answered by
    the simulator; whether the portal answers it is [U] — absent, `progress` is None."""
    listed = record.get("DanhSachTienDo")
    progress = tuple(progress_in(e) for e in listed if isinstance(e, dict)) if isinstance(listed, list) else None
    return NationalDossier(
        code=text(record.get("MaHoSo")) or code, status=_status(record.get("TrangThaiHoSo")),
        due_at=_date_or_none(record.get("NgayHenTra")), received_at=_date_or_none(record.get("NgayTiepNhan")),
        progress=progress, raw=dict(record),
    )


def _content(value: Any) -> bytes | None:
    raw = text(value)
    if not raw:
        return None
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        return None


def _files_in(value: Any) -> tuple[SubmittedFile, ...]:
    return tuple(
        SubmittedFile(file_id=text(f.get("TepDinhKemId")), name=text(f.get("TenTepDinhKem")),
                      component_code=text(f.get("MaThanhPhanHoSo")), url=text(f.get("DuongDanTaiTepTin")),
                      content=_content(f.get("NoiDungTep")))
        for f in value or [] if isinstance(f, dict) and not is_true(f.get("IsDeleted"))
    )


def _count(value: Any) -> int:
    n = number(value)
    return int(n) if n is not None and n >= 1 else 1


def _components_in(record: dict[str, Any]) -> tuple[SubmittedComponent, ...]:
    components = [
        SubmittedComponent(name=text(c.get("TenThanhPhanHoSo")), code=text(c.get("MaThanhPhanHoSo")),
                           count=_count(c.get("SoLuong")), files=_files_in(c.get("TaiLieuNop")))
        for c in record.get("ThanhPhanHoSo") or [] if isinstance(c, dict) and text(c.get("TenThanhPhanHoSo"))
    ]
    return tuple(components)


def submission_in(record: dict[str, Any]) -> Submission:
    return Submission(
        code=text(record.get("MaHoSo")), national_procedure_code=text(record.get("MaTTHC")),
        receiving_unit_code=text(record.get("MaDonViTiepNhan")), owner_name=text(record.get("ChuHoSo")),
        owner_kind=_status(record.get("LoaiDoiTuong")) or 1, submitted_at=_date_or_none(record.get("NgayNopHoSo")),
        owner_id_number=text(record.get("SoGiayToChuHoSo")), phone=text(record.get("SoDienThoai")),
        email=text(record.get("Email")), address=text(record.get("DiaChiChuHoSo")),
        summary=text(record.get("TrichYeuHoSo")), submitter_account=text(record.get("MaDoiTuong")),
        submitter_verified=is_true(record["TaiKhoanDuocXacThucVoiVNeID"])
        if text(record.get("TaiKhoanDuocXacThucVoiVNeID")) else None,
        components=_components_in(record), raw=dict(record),
    )


def supplement_in(record: dict[str, Any]) -> OnlineSupplement:
    return OnlineSupplement(
        code=text(record.get("MaHoSo")), round_id=text(record.get("HoSoBoSungId")),
        submitted_at=_date_or_none(record.get("NgayBoSung")), note=text(record.get("NoiDungBoSung")),
        components=_components_in(record),
    )


def rating_out(r: Rating) -> dict[str, str]:
    """[U] (§10): only the service name is public; these keys are the simulator's."""
    return {"MaHoSo": r.code, "DiemDanhGia": str(r.score), "NgayDanhGia": format_date(r.rated_at),
            "NoiDungDanhGia": r.comment,
            "DanhSachChiSo": [{"ChiSo": str(number), "Diem": str(points)} for number, points in r.indices]}


def problems(record: dict[str, Any], required: tuple[str, ...], dates: tuple[str, ...]) -> list[str]:
    """What a faithful portal refuses in a record: missing required keys, malformed dates
    (Vietnamese, for the reply's `message`)."""
    found = [f"thiếu trường {k}" for k in required if k not in record]
    for key in dates:
        try:
            parse_date(record.get(key))
        except ValueError:
            found.append(f"{key} không đúng định dạng yyyyMMddHHmmss")
    return found


def status_problem(value: Any, key: str) -> str | None:
    code = _status(value)
    return None if code is not None and 1 <= code <= 10 else f"{key} phải từ 1 đến 10"
