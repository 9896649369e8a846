"""The 2025 reorganisation applied to the seeded catalogue: every procedure in force has a
current implementing agency, split departments follow their rules, history stays."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from motcua.catalog.applications import current_applications, procedures_without_current_agency
from motcua.catalog.models import Procedure, ProcedureAgency
from motcua.catalog.reorganisation import apply_reorganisation
from motcua.catalog.search import search_procedures as search
from motcua.catalog.service import get_procedure_by_code, implementing_agencies, resolve_filters
from motcua.org import service as org_service
from motcua.org.models import Agency


def by_key(db, key: str) -> Agency:
    return db.scalars(select(Agency).where(Agency.seed_key == key)).one()


def current_keys(db, procedure: Procedure, on: date) -> set[str]:
    return {a.seed_key for a in implementing_agencies(db, procedure, current_only=True, on=on)}


def test_seeding_leaves_no_procedure_in_force_without_a_current_agency(db):
    assert procedures_without_current_agency(db) == []
    assert procedures_without_current_agency(db, on=date(2025, 7, 1)) == []
    assert procedures_without_current_agency(db, on=date(2025, 3, 1)) == []


def test_applying_the_rules_again_changes_nothing(db):
    report = apply_reorganisation(db)
    assert (report.ended, report.created) == (0, 0)


def test_a_merged_department_ends_on_28_february_and_its_successor_starts_on_1_march(db):
    # row of Sở Tài nguyên và Môi trường, field Đất đai
    old, new = by_key(db, "so-tn-mt"), by_key(db, "so-nn-mt")
    link = db.scalars(select(ProcedureAgency).where(ProcedureAgency.agency_id == old.id)).first()
    procedure = db.get(Procedure, link.procedure_id)
    assert link.valid_to == date(2025, 2, 28)
    assert "so-tn-mt" in current_keys(db, procedure, date(2025, 2, 28))
    assert current_keys(db, procedure, date(2025, 3, 1)) == {"so-nn-mt"}
    successor = db.scalars(
        select(ProcedureAgency).where(
            ProcedureAgency.procedure_id == procedure.id, ProcedureAgency.agency_id == new.id
        )
    ).one()
    assert successor.valid_from == date(2025, 3, 1)
    assert successor.level == "province"
    assert successor.source.startswith("Nghị định 45/2025/NĐ-CP")


def test_split_departments_send_each_field_where_the_rules_say(db):
    def moved_to(field_words: str, source_key: str) -> set[str]:
        source = by_key(db, source_key)
        ids = db.scalars(
            select(ProcedureAgency.procedure_id).where(ProcedureAgency.agency_id == source.id)
        ).all()
        found: set[str] = set()
        for procedure in db.scalars(select(Procedure).where(Procedure.id.in_(ids))):
            db.refresh(procedure, ["field"])
            if procedure.field and field_words in procedure.field.name_folded:
                found |= current_keys(db, procedure, date(2025, 3, 1))
        return found

    assert moved_to("nguoi co cong", "so-ldtbxh") == {"so-noi-vu"}
    assert moved_to("bao tro xa hoi", "so-ldtbxh") == {"so-y-te"}
    # the seed's "thệ nạn" spelling is now an alias of the canonical "Phòng, chống tệ nạn xã hội"
    assert moved_to("te nan xa hoi", "so-ldtbxh") == {"so-y-te"}
    assert moved_to("bao chi", "so-tt-tt") == {"so-vhttdl"}
    assert moved_to("xuat ban", "so-tt-tt") == {"so-vhttdl"}
    assert moved_to("buu chinh", "so-tt-tt") == {"so-khcn"}
    assert moved_to("dan toc", "ban-dan-toc") == {"so-dan-toc-ton-giao"}


def test_district_procedures_go_to_every_current_commune_committee_with_their_basis(db):
    procedure = get_procedure_by_code(db, "LSN-TT-1444")  # "UBND Huyện" only
    communes = org_service.list_commune_committees(db, include_historical=False)
    apps = current_applications(db, [procedure.id], on=date(2025, 7, 1))
    assert {a.agency_id for a in apps} == {c.id for c in communes}
    assert {a.level for a in apps} == {"commune"}
    assert {a.valid_from for a in apps} == {date(2025, 7, 1)}
    assert all(a.source for a in apps)
    assert {a.agency.kind for a in current_applications(db, [procedure.id], on=date(2025, 6, 30))} == {
        "district_committee"
    }


def test_a_district_procedure_the_national_database_places_at_a_department_goes_there(db):
    # "Thẩm định, phê duyệt phương án ứng phó với tình huống khẩn cấp … (từ 02 xã trở lên)":
    # the national record 1.003203 is carried out by Sở Nông nghiệp và Môi trường, not communes.
    procedure = get_procedure_by_code(db, "BNN-LSN-288386")
    apps = current_applications(db, [procedure.id], on=date(2025, 7, 1))
    assert [(a.agency.seed_key, a.level) for a in apps] == [("so-nn-mt", "province")]
    assert apps[0].source.startswith("Cơ sở dữ liệu quốc gia về TTHC, thủ tục 1.003203: thực hiện ở cấp tỉnh")
    before = current_applications(db, [procedure.id], on=date(2025, 6, 30))
    assert before and {a.agency.kind for a in before} == {"district_committee"}


def test_a_district_procedure_at_the_communes_cites_its_national_record(db):
    procedure = get_procedure_by_code(db, "T-LSN-284932-TT")  # Đăng ký khai sinh có yếu tố nước ngoài
    apps = current_applications(db, [procedure.id], on=date(2025, 7, 1))
    assert len(apps) == len(org_service.list_commune_committees(db, include_historical=False))
    assert {a.source for a in apps} == {
        "Cơ sở dữ liệu quốc gia về TTHC, thủ tục 2.000528: thực hiện ở cấp xã; "
        "căn cứ: 07/2025/NĐ-CP, 08/2025/TT-BTP, 120/2025/NĐ-CP"}


def test_sub_departments_of_dissolved_parents_are_re_parented(db):
    for key, parent in [("cc-kiem-lam", "so-nn-mt"), ("cc-bvmt", "so-nn-mt"), ("cc-pctnxh", "so-y-te"),
                        ("cd-nghe", "so-gddt")]:
        assert by_key(db, key).parent_id == by_key(db, parent).id
    dissolved = select(Agency.id).where(Agency.dissolved_on.is_not(None))
    orphans = db.scalars(
        select(Agency).where(
            Agency.dissolved_on.is_(None), Agency.valid_to.is_(None), Agency.parent_id.in_(dissolved)
        )
    ).all()
    assert orphans == []


def test_commune_filter_shows_commune_certification_and_civil_status(db):
    page = search(db, resolve_filters(db, q="chứng thực chữ ký", level="commune"), page_size=50)
    names = [item.name for item in page.items]
    assert any(name.startswith("Chứng thực chữ ký") for name in names), names
    assert all("commune" in item.levels for item in page.items)
    births = search(db, resolve_filters(db, q="đăng ký khai sinh", level="commune"), page_size=50)
    assert births.total > 0
