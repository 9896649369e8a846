"""The submitter's account and the digitisation flags of the record the portal holds
(shared/reference/dvcqg.md §3, §6, §8; docs/dvcqg.md "Submitter's account"):
`MaDoiTuong` and `TaiKhoanDuocXacThucVoiVNeID` only for a dossier submitted online through an
account, never for a counter dossier whose applicant happens to have one; `TaiLieuNop` lists
every scan held with `DuocSoHoa` 1, and `HoSoCoThanhPhanSoHoa` says whether there is one."""

from __future__ import annotations

from sqlalchemy import select

from motcua.auth.queries import find_user
from motcua.citizens.models import Citizen
from motcua.dossiers.models import DossierAttachment, DossierComponent
from motcua.dossiers.service.files import attach_file
from motcua.dossiers.service.online import OnlineComponent, OnlineFile, register_online
from motcua.dossiers.service.receive import ApplicantData
from motcua.dvcqg.outbound import record_builder
from motcua.integrations.dvcqg import wire
from motcua.integrations.dvcqg.portal import NationalProcedure
from tests.dossiers.world import receive
from tests.dvcqg.conftest import MARRIAGE
from tests.dvcqg.test_online_channel import submission, the_dossier, worker_pass

PDF_BYTES = b"%PDF-1.4\n% k th\n"
NATIONAL = NationalProcedure(code=MARRIAGE, name="Đăng ký kết hôn", field_code="G09-TP", field_name="Hộ tịch")
NOT_REUSED = {"IsDeleted": "False", "DuongDanTaiTepTin": "", "DuocSoHoa": "1", "DuocTaiSuDung": "0",
              "DuocLayTuKhoDMQG": "0", "MaKetQuaThayThe": ""}


def linked_citizen(db, id_number: str, tech_id: str) -> Citizen:
    citizen = Citizen(tech_id=tech_id, account_type="citizen", full_name="Nguyễn Văn An", id_number=id_number)
    db.add(citizen)
    db.flush()
    return citizen


def test_an_online_submission_carries_its_account_and_its_digitised_files(db, session_factory, simulator, world):
    sent = submission(world)
    sent["ThanhPhanHoSo"][0]["MaThanhPhanHoSo"] = "TP-001"
    code = simulator.submit(sent)
    worker_pass(session_factory)
    dossier = the_dossier(db, code)
    attachment = db.scalars(select(DossierAttachment).where(DossierAttachment.dossier_id == dossier.id)).one()

    record = simulator.held(code)["record"]
    assert (record["MaDoiTuong"], record["TaiKhoanDuocXacThucVoiVNeID"], record["HoSoCoThanhPhanSoHoa"]) == (
        "TECH-77", "1", "1")
    assert record["TaiLieuNop"] == [{"TepDinhKemId": str(attachment.id), "TenTepDinhKem": "to-khai.pdf",
                                     "MaThanhPhanHoSo": "TP-001", **NOT_REUSED}]


def test_the_portal_saying_the_account_is_not_verified_is_followed(db, session_factory, simulator, world):
    stated = simulator.submit(submission(world) | {"TaiKhoanDuocXacThucVoiVNeID": "0"})
    anonymous = simulator.submit({k: v for k, v in submission(world).items() if k != "MaDoiTuong"})
    worker_pass(session_factory)
    assert [(simulator.held(c)["record"]["MaDoiTuong"], simulator.held(c)["record"]["TaiKhoanDuocXacThucVoiVNeID"])
            for c in (stated, anonymous)] == [("TECH-77", "0"), ("", "0")]


def test_a_counter_dossier_claims_no_account_and_its_scans_are_digitised(db, session_factory, simulator, world):
    dossier = receive(db, world)
    linked_citizen(db, dossier.applicant_id_number, "VNEID-TECH-000009")  # the applicant has an account …
    db.commit()
    worker_pass(session_factory)
    record = simulator.held(dossier.code)["record"]
    # … but submitted nothing through it: the counter dossier names no account.
    assert (record["MaDoiTuong"], record["TaiKhoanDuocXacThucVoiVNeID"]) == ("", "0")
    assert (record["HoSoCoThanhPhanSoHoa"], record["TaiLieuNop"]) == ("0", [])

    component = db.scalars(select(DossierComponent).where(DossierComponent.dossier_id == dossier.id)
                           .order_by(DossierComponent.position)).first()
    scan = attach_file(db, dossier, user=find_user(db, world.counter.username), content=PDF_BYTES,
                       filename="to-khai.pdf", component_id=component.id)
    db.commit()
    worker_pass(session_factory)
    record = simulator.held(dossier.code)["record"]
    assert record["HoSoCoThanhPhanSoHoa"] == "1"
    assert record["TaiLieuNop"] == [{"TepDinhKemId": str(scan.id), "TenTepDinhKem": "to-khai.pdf",
                                     "MaThanhPhanHoSo": "", **NOT_REUSED}]


def online_dossier(db, world, id_number: str):
    """An online dossier of the province's own channel (no portal submission behind it)."""
    return register_online(
        db, code="H37-261201-LOCAL01", procedure=world.p_dept, agency=world.dept, receiving_unit=world.centre,
        applicant=ApplicantData("person", "Nguyễn Văn An", id_number, "0912345678", "an@example.vn", "Số 1"),
        components=[OnlineComponent("Tờ khai", 1, (OnlineFile("to-khai.pdf", PDF_BYTES),))],
        submitted_at=None, note=None)


def test_a_local_online_dossier_names_the_linked_account_of_its_applicant(db, world):
    linked_citizen(db, "020190005678", "VNEID-TECH-000042")
    sent = wire.record_out(record_builder(db, online_dossier(db, world, "020190005678"))(NATIONAL))
    assert (sent["MaDoiTuong"], sent["TaiKhoanDuocXacThucVoiVNeID"], sent["HoSoCoThanhPhanSoHoa"]) == (
        "VNEID-TECH-000042", "1", "1")


def test_a_local_online_dossier_without_one_linked_account_names_none(db, world):
    db.add(Citizen(tech_id=None, account_type="citizen", full_name="Chưa liên kết", id_number="020190005679"))
    db.flush()
    sent = wire.record_out(record_builder(db, online_dossier(db, world, "020190005679"))(NATIONAL))
    assert (sent["MaDoiTuong"], sent["TaiKhoanDuocXacThucVoiVNeID"]) == ("", "0")
