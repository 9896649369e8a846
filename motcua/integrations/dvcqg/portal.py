"""The one interface callers use to talk to the National Public Service Portal.

The wire format stays behind it (shared/reference/dvcqg.md, "Design rule"): `legacy.py`
speaks the adapter/LGSP transport of §1; a newer schema (TT 04/2025/TT-VPCP) would be a
second implementation of the same Protocol, with no change to its callers.

The dossier exchange (issue 11) is in domain terms here: a `DossierRecord` (what
`DongBoHoSoMC` carries), a `ProgressEntry` (`CapNhatTienDoHoSoMC`), what the portal holds
for a code (`NationalDossier`, from `TraCuuHoSo`), and the citizens' online submissions and
supplements the province pulls (`Submission`, `OnlineSupplement`). Times are aware datetimes;
codes, names and statuses are plain values; the wire's strings and dates stay in wire.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from motcua.core.errors import DomainError


class PortalError(DomainError):
    """The portal could not be reached or refused the call. Nothing was changed locally."""

    status_code = 502
    code = "national_portal_error"


class UnknownNationalProcedure(PortalError):
    """`LayThuTuc` answered that the national database has no such procedure."""

    status_code = 404
    code = "national_procedure_unknown"


@dataclass(frozen=True)
class NationalProcedureItem:
    """One line of `LayDanhSachTTHC`."""

    code: str  # MATTHC, e.g. 1.001193
    name: str  # TENTTHC


@dataclass(frozen=True)
class NationalTimeLimit:
    """One `THOIGIAN` entry of a channel: the legal processing time as the portal states it."""

    value: float | None  # THOIGIANGIAIQUYET
    unit: str  # DONVITINH as written ("Ngày làm việc", "Giờ làm việc", "Ngày" …)
    description: str = ""  # MOTA


@dataclass(frozen=True)
class NationalChannel:
    """One `CACHTHUCTHUCHIEN` entry: KENH 1 counter, 2 online, 3 public postal service."""

    channel: str
    time_limits: tuple[NationalTimeLimit, ...] = ()


@dataclass(frozen=True)
class NationalProcedure:
    """`LayThuTuc`: one national procedure as the national database publishes it."""

    code: str
    name: str
    field_code: str | None
    field_name: str | None
    channels: tuple[NationalChannel, ...] = ()
    levels: tuple[str, ...] = ()  # CAPTHUCHIEN names, as written
    agencies: tuple[str, ...] = ()  # COQUANTHUCHIEN names
    raw: dict = field(default_factory=dict, compare=False)  # the reply record, for the record


@dataclass(frozen=True)
class NationalAgency:
    """`LayDanhMucCoQuan`."""

    code: str  # MADONVI
    name: str  # TENDONVI
    level: str  # CAPDONVI


@dataclass(frozen=True)
class NationalField:
    """`LayDanhMucLinhVuc`."""

    code: str  # MALINHVUC, e.g. G03-GD09
    name: str  # TENLINHVUC
    sector: str  # MANGANH


@dataclass(frozen=True)
class SubmittedFile:
    """A file of an online submission or supplement (`TaiLieuNop[]`): its download link and,
    when the portal sends it inline, its content."""

    file_id: str  # TepDinhKemId
    name: str  # TenTepDinhKem
    component_code: str = ""  # MaThanhPhanHoSo
    url: str = ""  # DuongDanTaiTepTin
    content: bytes | None = None  # NoiDungTep (base64 on the wire; [U])


@dataclass(frozen=True)
class DossierFile:
    """A file of the dossier's components as the record lists it (`TaiLieuNop[]`), with the
    digitisation and reuse flags of the newer fields (§3 "N", read by the 766 index, §6)."""

    file_id: str  # TepDinhKemId
    name: str  # TenTepDinhKem
    component_code: str = ""  # MaThanhPhanHoSo
    url: str = ""  # DuongDanTaiTepTin
    digitised: bool = False  # DuocSoHoa: the component is held as an electronic file
    reused: bool = False  # DuocTaiSuDung: taken from an earlier dossier's digitised result
    from_national_store: bool = False  # DuocLayTuKhoDMQG: taken from the national data store
    replaces_result: str = ""  # MaKetQuaThayThe: the earlier result it stands for


@dataclass(frozen=True)
class ResultPaper:
    """A result document (`DanhSachGiayToKetQua[]`)."""

    paper_id: str  # GiayToId
    name: str  # TenGiayTo
    url: str = ""  # DuongDanTepTinKetQua


@dataclass(frozen=True)
class FeeLine:
    """A fee or charge of the dossier (`DanhSachLePhi[]`), in đồng."""

    name: str  # TenPhiLePhi
    amount: int  # Gia
    code: str = ""  # MaPhiLePhi
    kind: str = ""  # LoaiPhiLePhi
    collection: str = ""  # HinhThucThu


@dataclass(frozen=True)
class SupplementRound:
    """One supplement round (`DanhSachHoSoBoSung[]`): asked for, and received when it came."""

    round_id: str  # HoSoBoSungId (the portal's id of an online supplement, else the province's)
    requested_by: str  # NguoiYeuCauBoSung
    content: str  # NoiDungBoSung
    requested_at: datetime | None  # NgayBoSung
    received_at: datetime | None = None  # NgayTiepNhanBoSung
    received_by: str = ""  # NguoiTiepNhanBoSung
    due_before: datetime | None = None  # NgayHenTraTruoc
    due_after: datetime | None = None  # NgayHenTraMoi


@dataclass(frozen=True)
class DossierRecord:
    """The whole dossier as `DongBoHoSoMC` sends it (an overwrite, never a delta)."""

    code: str  # MaHoSo
    national_procedure_code: str  # MaTTHC (the national code, never the local one)
    procedure_name: str  # TenTTHC, as LayThuTuc gives it
    field_code: str  # MaLinhVuc
    field_name: str  # TenLinhVuc
    owner_name: str  # ChuHoSo
    owner_kind: int  # LoaiDoiTuong: 1 citizen, 2 business / organisation
    email: str
    phone: str
    summary: str  # TrichYeuHoSo
    received_at: datetime | None  # NgayTiepNhan
    due_at: datetime | None  # NgayHenTra
    status: int  # TrangThaiHoSo 1–10
    handling_unit: str  # DonViXuLy (name)
    channel: int  # KenhThucHien: 1 counter, 2 online, 3 post
    delivery: int = 0  # HinhThuc: 0 in person, 1 by post
    submitter_account: str = ""  # MaDoiTuong (national account of the online submitter)
    vneid_verified: bool = False  # TaiKhoanDuocXacThucVoiVNeID: the submitter's account is VNeID-verified
    owner_id_number: str = ""  # SoGiayToChuHoSo
    submitted_at: datetime | None = None  # NgayNopHoSo
    returned_at: datetime | None = None  # NgayTra
    return_note: str = ""  # ThongTinTra
    finished_at: datetime | None = None  # NgayKetThucXuLy
    refused_at: datetime | None = None  # NgayTuChoi
    note: str = ""  # GhiChu
    fees: tuple[FeeLine, ...] = ()  # DanhSachLePhi
    paid_online: int = 0  # DuocThanhToanTrucTuyen: 1 national payment platform, 2 local gateway, 0 none
    files: tuple[DossierFile, ...] = ()  # TaiLieuNop (HoSoCoThanhPhanSoHoa: any of them digitised)
    results: tuple[ResultPaper, ...] = ()  # DanhSachGiayToKetQua
    supplements: tuple[SupplementRound, ...] = ()  # DanhSachHoSoBoSung


@dataclass(frozen=True)
class ProgressEntry:
    """One processing step (`CapNhatTienDoHoSoMC`), appended on the portal in order."""

    code: str  # MaHoSo
    handler: str  # NguoiXuLy
    at: datetime  # ThoiDiemXuLy
    content: str  # NoiDungXuLy
    status: int  # TrangThai after the step
    title: str = ""  # ChucDanh
    department: str = ""  # PhongBanXuLy
    started_at: datetime | None = None  # NgayBatDau
    legal_deadline: datetime | None = None  # NgayKetThucTheoQuyDinh


@dataclass(frozen=True)
class NationalDossier:
    """What the portal holds for a code (`TraCuuHoSo`): the record fields it answers with and,
    when it lists them, the progress entries in arrival order (`progress` None: not told)."""

    code: str
    status: int | None
    due_at: datetime | None
    received_at: datetime | None
    progress: tuple[ProgressEntry, ...] | None = None
    raw: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class SubmittedComponent:
    """A component of an online submission, with its files."""

    name: str  # TenThanhPhanHoSo
    code: str = ""  # MaThanhPhanHoSo
    count: int = 1  # SoLuong
    files: tuple[SubmittedFile, ...] = ()


@dataclass(frozen=True)
class Submission:
    """A dossier a citizen submitted on the portal, not yet taken by the province
    (`LayDanhSachHoSoMoi`, [U]: the generic inbound schema is not public; this follows the
    §3 record plus components). Taken = the province's first `DongBoHoSoMC` for the code."""

    code: str  # MaHoSo, kept as the local dossier code
    national_procedure_code: str  # MaTTHC
    receiving_unit_code: str  # MaDonViTiepNhan: the one-stop section it is addressed to
    owner_name: str  # ChuHoSo
    owner_kind: int  # LoaiDoiTuong
    submitted_at: datetime | None  # NgayNopHoSo
    owner_id_number: str = ""  # SoGiayToChuHoSo
    phone: str = ""
    email: str = ""
    address: str = ""  # DiaChiChuHoSo
    summary: str = ""  # TrichYeuHoSo
    submitter_account: str = ""  # MaDoiTuong
    # TaiKhoanDuocXacThucVoiVNeID when the portal states it (None: not stated)
    submitter_verified: bool | None = None
    components: tuple[SubmittedComponent, ...] = ()
    raw: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class OnlineSupplement:
    """Papers a citizen sent online for a dossier asked to be completed
    (`LayDanhSachHoSoBoSungMoi`, [U]); taken = the province's record lists its `round_id`
    in `DanhSachHoSoBoSung` with a receipt time."""

    code: str  # MaHoSo
    round_id: str  # HoSoBoSungId
    submitted_at: datetime | None  # NgayBoSung
    note: str = ""  # NoiDungBoSung
    components: tuple[SubmittedComponent, ...] = ()


@dataclass(frozen=True)
class Rating:
    """A citizen's rating of a dossier's handling (`DongBoDanhGia`; fields [U], §10)."""

    code: str  # MaHoSo
    score: int  # overall satisfaction on TT 01/2018's 2 / 1 / 0 scale (2 = very satisfied)
    rated_at: datetime
    comment: str = ""
    # (TT 01/2018 index number, points 2 / 1 / 0) of the indices the citizen answered.
    indices: tuple[tuple[int, int], ...] = ()


class NationalPortal(Protocol):
    """What motcua asks of the national portal. Every method raises `PortalError` (with a
    Vietnamese message) when the portal cannot answer, never a transport exception."""

    def get_procedure(self, code: str) -> NationalProcedure:
        """Raises `UnknownNationalProcedure` for a code the national database does not hold."""
        ...

    def list_procedures(self) -> list[NationalProcedureItem]: ...

    def list_agencies(self) -> list[NationalAgency]: ...

    def list_fields(self) -> list[NationalField]: ...

    # --- dossiers (issue 11) ------------------------------------------------------------

    def lookup_dossier(self, code: str) -> NationalDossier | None:
        """`TraCuuHoSo`: what the portal holds for `code`, None when it holds nothing."""
        ...

    def push_dossier(self, record: DossierRecord, *, updating: bool) -> None:
        """`DongBoHoSoMC`: create (`updating` False) or overwrite the record."""
        ...

    def push_progress(self, entries: list[ProgressEntry]) -> None:
        """`CapNhatTienDoHoSoMC`: append steps, in order (send only after `push_dossier`)."""
        ...

    def new_submissions(self) -> list[Submission]:
        """Online submissions the province has not yet taken."""
        ...

    def new_supplements(self) -> list[OnlineSupplement]:
        """Online supplements the province has not yet taken."""
        ...

    def push_rating(self, rating: Rating) -> None:
        """`DongBoDanhGia` ([U] fields, §10)."""
        ...
