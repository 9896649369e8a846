"""The seeded organisation: counts, codes, idempotency, the 2025 reorganisation."""

from datetime import date

import pytest
from sqlalchemy import func, select

from motcua.org import service
from motcua.org.models import AdministrativeUnit, Agency, AgencyAlias, QmsRolloutUnit
from motcua.org.seed import seed_organisation


def count(db, model, *where):
    return db.scalar(select(func.count()).select_from(model).where(*where))


def test_province_committee(db):
    ubnd = service.get_agency_by_code(db, "000.00.00.H37")
    assert ubnd.name == "UBND tỉnh Lạng Sơn"
    assert ubnd.kind == "provincial_committee" and ubnd.level == "province"
    assert ubnd.code_provisional is False
    assert ubnd.admin_unit.code == "20" and ubnd.admin_unit.kind == "province"


def test_current_communes_and_wards(db):
    units = db.scalars(
        select(AdministrativeUnit).where(AdministrativeUnit.valid_from == date(2025, 7, 1))
    ).all()
    assert len(units) == 65
    assert sorted({u.kind for u in units}) == ["commune", "ward"]
    assert sum(u.kind == "ward" for u in units) == 4
    committees = service.list_commune_committees(db, include_historical=False)
    assert len(committees) == 65
    assert all(c.is_one_stop and c.valid_from == date(2025, 7, 1) for c in committees)
    assert {c.admin_unit_id for c in committees} == {u.id for u in units}
    that_khe = service.find_agency_by_name(db, "UBND xã Thất Khê")
    assert that_khe.admin_unit.code == "06040" and that_khe.parent.code == "000.00.00.H37"


def test_seed_era_districts_and_communes_are_historical(db):
    districts = db.scalars(select(AdministrativeUnit).where(AdministrativeUnit.kind == "district")).all()
    assert len(districts) == 11
    assert {d.valid_to for d in districts} == {date(2025, 6, 30)}
    assert sorted(d.code for d in districts) == [str(c) for c in [178, *range(180, 190)]]
    old_communes = db.scalars(
        select(AdministrativeUnit).where(
            AdministrativeUnit.kind.in_(["commune", "ward"]), AdministrativeUnit.valid_to == date(2025, 6, 30)
        )
    ).all()
    assert len(old_communes) == 194
    hvt = [u for u in old_communes if u.code == "05971"]
    assert [(u.name, u.kind) for u in hvt] == [("Phường Hoàng Văn Thụ", "ward")]

    committees = service.list_district_committees(db)
    assert len(committees) == 11
    assert all(c.dissolved_on == date(2025, 7, 1) and c.is_one_stop for c in committees)
    assert "UBND thành phố Lạng Sơn" in {c.name for c in committees}
    historical = [c for c in service.list_commune_committees(db) if c.dissolved_on == date(2025, 7, 1)]
    assert len(historical) == 194


def test_district_offices(db):
    cao_loc = service.find_agency_by_name(db, "UBND huyện Cao Lộc")
    offices = {a.name for a in service.children_of(db, cao_loc) if a.kind == "district_office"}
    for name in [
        "Văn phòng HĐND và UBND huyện Cao Lộc",
        "Phòng Tư pháp huyện Cao Lộc",
        "Phòng Tài nguyên và Môi trường huyện Cao Lộc",
        "Phòng Lao động - Thương binh và Xã hội huyện Cao Lộc",
        "Phòng Kinh tế và Hạ tầng huyện Cao Lộc",
        "Phòng Văn hóa và Thông tin huyện Cao Lộc",
        "Phòng Giáo dục và Đào tạo huyện Cao Lộc",
        "Phòng Nội vụ huyện Cao Lộc",
        "Phòng Tài chính - Kế hoạch huyện Cao Lộc",
        "Phòng Y tế huyện Cao Lộc",
    ]:
        assert name in offices
    city = service.find_agency_by_name(db, "Phòng Quản lý đô thị, thành phố Lạng Sơn")
    assert city.parent.name == "UBND thành phố Lạng Sơn" and city.level == "district"


def test_the_119_appendix_ii_units_are_agencies(db):
    rows = db.scalars(select(QmsRolloutUnit)).all()
    assert len(rows) == 119
    assert len({r.agency_id for r in rows}) == 119
    by_row = {r.source_row: r for r in rows}
    assert by_row["I.2"].year == 2018
    assert service.get_agency(db, by_row["I.2"].agency_id).name == "Sở Kế hoạch và Đầu tư"
    assert by_row["V.3"].source_name == "UBND xã Gia Cát, huyện Cao Lộc"
    gia_cat = service.get_agency(db, by_row["V.3"].agency_id)
    assert (gia_cat.name, gia_cat.dissolved_on) == ("UBND xã Gia Cát", date(2025, 7, 1))
    assert by_row["III.9"].group_name == "III. CÁC CHI CỤC THUỘC CÁC SỞ"
    kiem_lam = service.get_agency(db, by_row["III.9"].agency_id)
    assert kiem_lam.kind == "sub_department" and kiem_lam.parent.name == "Sở Nông nghiệp và Môi trường"
    assert "Trực thuộc Sở Nông nghiệp và Phát triển nông thôn đến 01/03/2025" in kiem_lam.note
    # nothing had to be created outside the known structure
    assert count(db, Agency, Agency.seed_key.like("appendix-%")) == 0


def test_codes_are_unique_qcvn_102_and_provisional_below_the_province(db):
    agencies = db.scalars(select(Agency)).all()
    assert len({a.code for a in agencies}) == len(agencies)
    assert all(service.CODE_PATTERN.match(a.code) for a in agencies)
    assert [a.code for a in agencies if not a.code_provisional] == ["000.00.00.H37"]
    so_tu_phap = service.find_agency_by_name(db, "Sở Tư pháp")
    assert so_tu_phap.code == "000.00.04.H37"
    cc = service.find_agency_by_name(db, "Chi cục Văn thư - Lưu trữ")
    assert cc.code.endswith(".03.H37") and cc.code.startswith("000.")  # level 3 under Sở Nội vụ


def test_seeding_twice_changes_nothing(db):
    def snapshot():
        return (
            sorted((a.code, a.name, a.dissolved_on, a.successor_id) for a in db.scalars(select(Agency))),
            count(db, AdministrativeUnit),
            count(db, AgencyAlias),
            count(db, QmsRolloutUnit),
        )

    before = snapshot()
    assert before[1] == 1 + 11 + 194 + 65
    seed_organisation(db)
    db.flush()
    assert snapshot() == before


def test_reseed_keeps_admin_edits(db):
    agency = service.find_agency_by_name(db, "Sở Ngoại vụ")
    service.update_agency(db, agency, code="000.00.98.H37", code_official=True, name="Sở Ngoại vụ tỉnh Lạng Sơn")
    seed_organisation(db)
    db.flush()
    again = service.find_agency_by_name(db, "Sở Ngoại vụ")
    assert (again.id, again.code, again.code_provisional) == (agency.id, "000.00.98.H37", False)
    assert count(db, Agency, Agency.code == "000.00.18.H37") == 0


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
        ("Sở LĐTBXH", "Sở Nội vụ"),
        ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
        ("Sở Giao thông vận tải", "Sở Xây dựng"),
        ("Sở NNPTNT", "Sở Nông nghiệp và Môi trường"),
        ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường"),
        ("Ban Dân tộc", "Sở Dân tộc và Tôn giáo"),
    ],
)
def test_2025_department_merges(db, old, new):
    agency = service.find_agency_by_name(db, old)
    assert agency.dissolved_on == date(2025, 3, 1) and agency.valid_to == date(2025, 2, 28)
    assert service.current_successor(db, agency).name == new
    assert service.get_agency_by_code(db, agency.code).id == agency.id  # still findable by code
    assert not service.is_current(agency)
