"""Lookups, hierarchy, reorganisation and administrator edits."""

import uuid
from datetime import date
from functools import partial

import pytest

from motcua.auth.models import User, UserRole
from motcua.auth.policies import ensure_may_edit_agency
from motcua.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.org import queries, service

CATALOGUE_AGENCIES = {
    "Ban Dân tộc": "Ban Dân tộc tỉnh Lạng Sơn",
    "Ban Quản lý khu KTCK Đồng Đăng": "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn",
    "Sở Công thương": "Sở Công Thương",
    "Sở Giao thông vận tải": "Sở Giao thông vận tải",
    "Sở Giáo dục và Đào tạo": "Sở Giáo dục và Đào tạo",
    "Sở Khoa học và Công nghệ": "Sở Khoa học và Công nghệ",
    "Sở Kế hoạch và Đầu tư": "Sở Kế hoạch và Đầu tư",
    "Sở LĐTBXH": "Sở Lao động - Thương binh và Xã hội",
    "Sở NNPTNT": "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Ngoại vụ": "Sở Ngoại vụ",
    "Sở Nội vụ": "Sở Nội vụ",
    "Sở Thanh Tra": "Thanh tra tỉnh Lạng Sơn",
    "Sở Thông tin truyền thông": "Sở Thông tin và Truyền thông",
    "Sở Tài chính": "Sở Tài chính",
    "Sở Tài nguyên và Môi trường": "Sở Tài nguyên và Môi trường",
    "Sở Tư pháp": "Sở Tư pháp",
    "Sở VHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Xây dựng": "Sở Xây dựng",
    "Sở Y tế": "Sở Y tế",
}


@pytest.mark.parametrize("seed_name", sorted(CATALOGUE_AGENCIES))
def test_every_catalogue_agency_name_resolves(db, seed_name):
    agency = service.find_agency_by_name(db, seed_name)
    assert agency is not None and agency.name == CATALOGUE_AGENCIES[seed_name]
    assert agency.level == "province"


@pytest.mark.parametrize("name", ["  sở   tư PHÁP ", "So Tu phap", "Ủy ban nhân dân tỉnh Lạng Sơn", "UBND huyện Văn Lang"])
def test_name_lookup_ignores_accents_case_spacing(db, name):
    assert service.find_agency_by_name(db, name) is not None


def test_generic_and_unknown_names_do_not_resolve(db):
    assert service.find_agency_by_name(db, "UBND Huyện") is None
    assert service.find_agency_by_name(db, "UBND Xã") is None
    assert service.find_agency_by_name(db, "") is None
    assert service.find_agency_by_name(db, "Sở Không Tồn Tại") is None


def test_same_name_prefers_the_current_agency(db):
    # "Phường Chi Lăng" existed before 2025 (thành phố Lạng Sơn) — is there a current namesake?
    current = service.find_agency_by_name(db, "UBND phường Hoàng Văn Thụ")
    assert current is not None
    old = service.find_agency_by_name(db, "UBND phường Hoàng Văn Thụ, thành phố Lạng Sơn")
    assert old.dissolved_on == date(2025, 7, 1)
    if current.id != old.id:
        assert current.valid_from == date(2025, 7, 1)


def test_get_agency_by_code_errors_in_vietnamese(db):
    with pytest.raises(NotFound, match="Không tìm thấy cơ quan có mã “999.00.00.H37”"):
        service.get_agency_by_code(db, "999.00.00.H37")
    with pytest.raises(NotFound):
        service.get_agency_by_code(db, "\x00; drop table agencies")
    assert service.get_agency_by_code(db, " 000.00.00.h37 ").code == "000.00.00.H37"


def test_subordinate_ids_follow_hierarchy_and_merges(db):
    nn_mt = service.find_agency_by_name(db, "Sở Nông nghiệp và Môi trường")
    scope = queries.subordinate_agency_ids(db, nn_mt)
    for name in ["Sở NNPTNT", "Sở Tài nguyên và Môi trường", "Chi cục Kiểm lâm", "Chi cục Bảo vệ Môi trường"]:
        assert service.find_agency_by_name(db, name).id in scope
    assert service.find_agency_by_name(db, "Sở Tư pháp").id not in scope

    cao_loc = service.find_agency_by_name(db, "UBND huyện Cao Lộc")
    scope = queries.subordinate_agency_ids(db, cao_loc)
    assert service.find_agency_by_name(db, "UBND xã Gia Cát, huyện Cao Lộc").id in scope
    assert service.find_agency_by_name(db, "Phòng Tư pháp huyện Cao Lộc").id in scope
    assert len(scope) == 1 + 13 + 22  # committee, offices, communes

    ubnd = service.get_agency_by_code(db, "000.00.00.H37")
    everything = service.search_agencies(db, include_historical=True, page_size=1).total
    assert len(queries.subordinate_agency_ids(db, ubnd)) == everything


def test_merge_chain_and_dissolution_rules(db):
    khdt = service.find_agency_by_name(db, "Sở Kế hoạch và Đầu tư")
    tai_chinh = service.find_agency_by_name(db, "Sở Tài chính")
    tu_phap = service.find_agency_by_name(db, "Sở Tư pháp")
    # a later merge of the successor extends the chain
    service.dissolve_agency(db, tai_chinh, on=date(2030, 1, 1), successor=tu_phap)
    assert service.current_successor(db, khdt).id == tu_phap.id
    assert tai_chinh.valid_to == date(2029, 12, 31)
    with pytest.raises(Conflict, match="đã giải thể/sáp nhập từ ngày 01/01/2030"):
        service.dissolve_agency(db, tai_chinh, on=date(2031, 1, 1), successor=None)
    with pytest.raises(InvalidInput, match="vòng lặp"):
        service.dissolve_agency(db, tu_phap, on=date(2031, 1, 1), successor=khdt)
    y_te = service.find_agency_by_name(db, "Sở Y tế")
    with pytest.raises(InvalidInput, match="chính nó"):
        service.dissolve_agency(db, y_te, on=date(2031, 1, 1), successor=y_te)
    with pytest.raises(InvalidInput, match="UBND tỉnh"):
        service.dissolve_agency(db, service.get_agency_by_code(db, "000.00.00.H37"), on=date(2031, 1, 1), successor=None)


def _user(role: str, agency) -> User:
    user = User(id=uuid.uuid4(), username=f"u{role}", full_name="Người dùng thử", password_hash="x", is_active=True)
    user.roles = [UserRole(role=role, agency_id=agency.id)]
    return user


def test_update_agency_code_and_provisional_flag(db):
    agency = service.find_agency_by_name(db, "Sở Y tế")
    service.update_agency(db, agency, code="000.00.95.h37")
    assert (agency.code, agency.code_provisional) == ("000.00.95.H37", True)
    service.update_agency(db, agency, code="000.00.96.H37", code_official=True)
    assert (agency.code, agency.code_provisional) == ("000.00.96.H37", False)
    with pytest.raises(InvalidInput, match="QCVN 102"):
        service.update_agency(db, agency, code="H37-12")
    with pytest.raises(Conflict, match="đã được dùng"):
        service.update_agency(db, agency, code="000.00.00.H37")
    with pytest.raises(InvalidInput, match="không được để trống"):
        service.update_agency(db, agency, name="   ")


def test_renamed_agency_stays_findable_by_its_old_name(db):
    agency = service.find_agency_by_name(db, "Sở Ngoại vụ")
    service.update_agency(db, agency, name="Sở Ngoại vụ tỉnh Lạng Sơn")
    assert service.find_agency_by_name(db, "Sở Ngoại vụ").id == agency.id
    assert service.find_agency_by_name(db, "so ngoai vu tinh lang son").id == agency.id


def test_access_is_checked_before_an_edit(db):
    # org sits below auth: the edit runs the check its caller hands in (auth.policies).
    tu_phap = service.find_agency_by_name(db, "Sở Tư pháp")
    y_te = service.find_agency_by_name(db, "Sở Y tế")
    own_admin = _user("agency_admin", tu_phap)
    service.update_agency(db, tu_phap, authorize=partial(ensure_may_edit_agency, own_admin), name="Sở Tư pháp tỉnh Lạng Sơn")
    assert tu_phap.name == "Sở Tư pháp tỉnh Lạng Sơn"
    with pytest.raises(Forbidden, match="Chỉ Quản trị tỉnh"):
        service.update_agency(db, tu_phap, authorize=partial(ensure_may_edit_agency, own_admin), code="000.00.77.H37")
    with pytest.raises(Forbidden):
        service.update_agency(db, y_te, authorize=partial(ensure_may_edit_agency, own_admin), name="Sở Y tế mới")
    with pytest.raises(Forbidden):
        service.dissolve_agency(db, tu_phap, on=date(2030, 1, 1), successor=None, authorize=partial(ensure_may_edit_agency, own_admin))
    with pytest.raises(Forbidden):
        service.update_agency(db, tu_phap, authorize=partial(ensure_may_edit_agency, _user("specialist", tu_phap)), name="X")
    province_admin = _user("province_admin", service.get_agency_by_code(db, "000.00.00.H37"))
    service.update_agency(db, y_te, authorize=partial(ensure_may_edit_agency, province_admin), code="000.00.77.H37", code_official=True)
    assert y_te.code == "000.00.77.H37"


def test_search_filters(db):
    page = service.search_agencies(db, q="so tu phap")
    assert [a.name for a in page.items][:1] == ["Sở Tư pháp"]
    assert service.search_agencies(db, level="district").total == 0  # all districts are historical
    assert service.search_agencies(db, level="district", include_historical=True).total == 11 + 11 * 10 + 10 * 3 + 2
    communes = service.search_agencies(db, kind="commune_committee", page_size=200)
    assert communes.total == 65 and len(communes.items) == 65
    with pytest.raises(InvalidInput, match="Cấp “tinh” không hợp lệ"):
        service.search_agencies(db, level="tinh")
    with pytest.raises(InvalidInput):
        service.search_agencies(db, page=0)
    assert service.search_agencies(db, q="000.00.04").items[0].name == "Sở Tư pháp"
    assert service.search_agencies(db, q="!!!").total == 0
