"""The real seed 003: every row accounted for, several agencies per code, idempotent."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from motcua.catalog.importer import import_catalog
from motcua.catalog.models import Procedure, ProcedureAgency, ProcedureVersion
from motcua.catalog.parser import parse_catalog
from motcua.catalog.seed import CATALOG_SEED
from motcua.catalog.service import get_procedure_by_code, implementing_agencies, time_limit_for
from motcua.core.errors import InvalidInput, NotFound
from motcua.org import service as org_service


@pytest.fixture(scope="module")
def seed_rows():
    return parse_catalog(CATALOG_SEED.read_text(encoding="utf-8"))


def test_all_1749_rows_are_read_and_each_is_imported_or_reported(seed_rows):
    assert len(seed_rows) == 1749
    assert [r.number for r in seed_rows] == list(range(1, 1750))
    not_imported = [r for r in seed_rows if not r.importable]
    assert all(r.notes for r in not_imported)
    # rows 1706–1711 and 1722–1738 are absent from the document; 1713 lost its name
    assert [r.number for r in not_imported] == [*range(1706, 1712), 1713, *range(1722, 1739)]


def test_second_import_changes_nothing_and_accounts_for_every_row(db):
    before = db.scalar(select(func.count()).select_from(ProcedureAgency))
    report = import_catalog(db, CATALOG_SEED)
    assert report.rows_read == 1749
    assert report.rows_imported + len(report.rows_not_imported) == 1749
    assert len(report.rows_not_imported) == 24
    assert (report.procedures_created, report.procedures_updated, report.agency_links_created) == (
        0,
        0,
        0,
    )
    assert (
        report.procedures_unchanged
        == db.scalar(select(func.count()).select_from(Procedure))
        == 1680
    )
    assert db.scalar(select(func.count()).select_from(ProcedureAgency)) == before
    reported = {p.number for p in report.problems}
    assert {217, 628, 739, 1233, 1689, 1713, 1714, 1749} <= reported
    text = report.as_text()
    assert "Số dòng đã đọc: 1749" in text
    assert "Thủ tục tạo mới: 0" in text
    assert (
        "Dòng 628 (đã nhập): Mã TTHC ghi là “không tìm thấy trên CSDL QG”; gán mã tạm LSN-TT-628"
        in text
    )
    assert "Dòng 1710 (KHÔNG NHẬP)" in text


def test_rows_without_a_code_get_a_stable_provisional_code(db):
    procedure = get_procedure_by_code(db, "LSN-TT-628")
    assert procedure.code_provisional is True
    assert procedure.name.startswith("Thanh lý rừng trồng không thành rừng")
    assert procedure.source == "seed003 dòng 628"


def test_code_with_stray_spaces_is_cleaned(db):
    procedure = get_procedure_by_code(db, "BCT-LSN-275407")
    assert procedure.name.startswith("Cấp lại Giấy chứng nhận đủ điều kiện thương nhân")
    assert get_procedure_by_code(db, " BCT- LSN-\xa0275407 ").id == procedure.id


def test_one_code_at_several_agencies_is_one_procedure_with_several_applications(db):
    procedure = get_procedure_by_code(
        db, "T-LSN-285814-TT"
    )  # rows 654 (Sở Nội vụ) and 1482 (UBND Huyện)
    assert procedure.source == "seed003 dòng 654, 1482"
    agencies = implementing_agencies(db, procedure, current_only=True, on=date(2025, 6, 30))
    districts = org_service.list_district_committees(db)
    assert len(districts) == 11
    assert {a.id for a in agencies} == {org_service.find_agency_by_name(db, "Sở Nội vụ").id} | {
        d.id for d in districts
    }


def test_same_code_for_a_different_procedure_gets_a_provisional_code(db):
    # The seed reuses BKH-LSN-271980 for 29 rows. Row 367 differs from row 3 by one word
    # ("cấp"): the same procedure at a second agency. Row 368 is another procedure.
    first = get_procedure_by_code(db, "BKH-LSN-271980")
    assert first.name.startswith("Quyết định chủ trương đầu tư của Ủy ban nhân dân tỉnh")
    assert first.source == "seed003 dòng 3, 367"
    other = get_procedure_by_code(db, "LSN-TT-368")
    assert other.code_provisional is True
    assert other.name.startswith("Quyết định chủ trương đầu tư của Thủ tướng Chính phủ")


def test_ubnd_xa_means_every_commune_committee_current_and_historical(db):
    procedure = get_procedure_by_code(db, "TTR-LSN-4")  # row 1748, "UBND Xã"
    assert procedure.level == "commune"
    communes = org_service.list_commune_committees(db, include_historical=True)
    assert len(communes) > 65
    assert {a.id for a in implementing_agencies(db, procedure)} == {c.id for c in communes}


def test_ubnd_huyen_means_every_district_committee_until_the_districts_ended(db):
    procedure = get_procedure_by_code(db, "LSN-TT-1444")
    assert procedure.level == "district"
    assert len(implementing_agencies(db, procedure, current_only=True, on=date(2025, 6, 30))) == 11
    communes = org_service.list_commune_committees(db, include_historical=False)
    assert len(communes) == 65
    now_by = implementing_agencies(db, procedure, current_only=True, on=date(2025, 7, 1))
    assert [a.id for a in now_by] == [c.id for c in sorted(communes, key=lambda a: (a.name_folded, a.code))]


def test_seed_procedures_carry_version_1_of_decision_517(db):
    procedure = get_procedure_by_code(db, "UBA-LSN-254487")
    version = db.scalars(
        select(ProcedureVersion).where(ProcedureVersion.procedure_id == procedure.id)
    ).one()
    assert (version.number, version.decision_number) == (1, "517/QĐ-UBND")
    assert version.snapshot["name"] == "Công nhận người có uy tín trong đồng bào dân tộc thiểu số"


def test_unknown_code_is_a_vietnamese_404(db):
    with pytest.raises(NotFound, match="Không tìm thấy thủ tục hành chính có mã “KHONG-CO”"):
        get_procedure_by_code(db, "KHONG-CO")
    with pytest.raises(NotFound):
        get_procedure_by_code(db, "x\x00y")


def test_time_limit_for_channels(db):
    procedure = get_procedure_by_code(db, "UBA-LSN-254487")
    procedure.time_limit_days, procedure.time_limit_hours = 10, None
    assert time_limit_for(procedure, "counter") == (10, None)
    assert time_limit_for(procedure, "post") == (10, None)
    assert time_limit_for(procedure, "online") == (10, None)
    procedure.online_time_limit_days = 7
    assert time_limit_for(procedure, "online") == (7, None)
    with pytest.raises(InvalidInput):
        time_limit_for(procedure, "fax")


def test_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(InvalidInput, match="Không tìm thấy tệp danh mục"):
        import_catalog(db, Path(tmp_path / "khong-co.txt"))
