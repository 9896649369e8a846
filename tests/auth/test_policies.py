"""Access is checked in the service layer: roles per agency, scopes, who manages whom."""

import pytest
from sqlalchemy import func, select

from motcua.auth import policies, service
from motcua.auth.models import User, UserRole
from motcua.auth.roles import ROLE_LABELS, Role
from motcua.core.errors import Conflict, Forbidden
from tests.auth.conftest import login


def _user_count(db) -> int:
    return db.scalar(select(func.count()).select_from(User))


def test_roles_have_exactly_the_published_identifiers_and_vietnamese_labels():
    assert [r.value for r in Role] == [
        "province_admin", "agency_admin", "counter_officer", "specialist",
        "head", "clerk", "quality_secretary", "reform_officer",
    ]
    assert Role.counter_officer.label == "Công chức Bộ phận Một cửa"
    assert ROLE_LABELS[Role.reform_officer] == "Cán bộ cải cách hành chính"


def test_has_role_is_per_agency_and_province_admin_counts_everywhere(make_user, agencies):
    specialist = make_user("pol.cv", Role.specialist, agency=agencies.justice)
    admin = make_user("pol.qt", Role.province_admin, agency=agencies.province)
    assert policies.has_role(specialist, Role.specialist) is True
    assert policies.has_role(specialist, Role.specialist, agency_id=agencies.justice.id) is True
    assert policies.has_role(specialist, Role.specialist, agency_id=agencies.finance.id) is False
    assert policies.has_role(specialist, Role.head) is False
    assert policies.has_role(admin, Role.clerk, agency_id=agencies.finance.id) is True
    assert policies.has_role(None, Role.clerk) is False
    with pytest.raises(Forbidden) as caught:
        policies.ensure_role(specialist, Role.head, Role.clerk)
    assert caught.value.message == "Bạn không có quyền thực hiện thao tác này (cần vai trò: Lãnh đạo, Văn thư)."


def test_agency_scope_covers_subordinate_agencies(db, make_user, agencies):
    admin = make_user("pol.qtdv", Role.agency_admin, agency=agencies.justice)
    province = make_user("pol.qtt", Role.province_admin, agency=agencies.province)
    scope = policies.agency_scope(db, admin)
    assert agencies.justice.id in scope and agencies.justice_unit.id in scope
    assert agencies.finance.id not in scope
    assert policies.agency_scope(db, province) is None
    service.deactivate_user(db, actor=None, target=admin)
    assert policies.agency_scope(db, admin) == set()


def test_agency_admin_cannot_create_a_user_in_another_agency(db, make_user, agencies):
    admin = make_user("pol.qt.stp", Role.agency_admin, agency=agencies.justice)
    before = _user_count(db)
    with pytest.raises(Forbidden) as caught:
        service.create_user(
            db, actor=admin, username="ngoai.pham.vi", password="matkhau-dai", full_name="Ngoài Phạm Vi",
            agency=agencies.finance, roles=[Role.specialist],
        )
    assert "nằm ngoài phạm vi" in caught.value.message
    assert _user_count(db) == before
    inside = service.create_user(
        db, actor=admin, username="trong.pham.vi", password="matkhau-dai", full_name="Trong Phạm Vi",
        agency=agencies.justice_unit, roles=[Role.specialist],
    )
    assert inside.roles[0].agency_id == agencies.justice_unit.id


def test_agency_admin_cannot_grant_province_admin(db, make_user, agencies):
    admin = make_user("pol.qt.grant", Role.agency_admin, agency=agencies.justice)
    target = make_user("pol.target", Role.specialist, agency=agencies.justice)
    with pytest.raises(Forbidden) as caught:
        service.create_user(
            db, actor=admin, username="muon.lam.qt", password="matkhau-dai", full_name="Muốn Làm QT",
            agency=agencies.justice, roles=[Role.province_admin],
        )
    assert caught.value.message == "Chỉ quản trị tỉnh được cấp vai trò Quản trị tỉnh."
    with pytest.raises(Forbidden):
        service.set_roles(db, actor=admin, target=target, grants=[(Role.province_admin, agencies.justice)])
    db.expire_all()
    assert [r.role for r in db.scalars(select(UserRole).where(UserRole.user_id == target.id))] == ["specialist"]
    assert service.find_user(db, "muon.lam.qt") is None


def test_counter_officer_cannot_manage_users(db, make_user, agencies):
    officer = make_user("pol.motcua", Role.counter_officer, agency=agencies.centre)
    colleague = make_user("pol.dongnghiep", Role.counter_officer, agency=agencies.centre)
    before = _user_count(db)
    with pytest.raises(Forbidden):
        service.list_users(db, officer)
    with pytest.raises(Forbidden):
        service.create_user(
            db, actor=officer, username="khong.duoc.tao", password="matkhau-dai", full_name="X",
            agency=agencies.centre, roles=[Role.counter_officer],
        )
    with pytest.raises(Forbidden):
        service.set_password(db, actor=officer, target=colleague, password="mat-khau-moi-1")
    with pytest.raises(Forbidden):
        service.deactivate_user(db, actor=officer, target=colleague)
    assert _user_count(db) == before
    assert colleague.is_active is True
    assert service.verify_password("mat-khau-moi-1", colleague.password_hash) is False


def test_agency_admin_manages_only_users_within_scope(db, make_user, agencies):
    admin = make_user("pol.qt.scope", Role.agency_admin, agency=agencies.justice)
    mine = make_user("pol.cua.toi", Role.specialist, agency=agencies.justice_unit)
    theirs = make_user("pol.cua.ho", Role.specialist, agency=agencies.finance)
    mixed = make_user("pol.hai.noi", Role.specialist, agency=agencies.justice)
    service.set_roles(db, actor=None, target=mixed,
                      grants=[(Role.specialist, agencies.justice), (Role.head, agencies.finance)])
    boss = make_user("pol.qt.tinh", Role.province_admin, agency=agencies.province)
    assert policies.can_manage_user(admin, mine) is True
    assert policies.can_manage_user(admin, theirs) is False
    assert policies.can_manage_user(admin, mixed) is False
    assert policies.can_manage_user(admin, boss) is False
    assert policies.can_manage_user(boss, theirs) is True
    page = service.list_users(db, admin)
    assert [u.username for u in page.items] == ["pol.cua.toi", "pol.qt.scope"]
    assert page.total == 2


def test_list_users_searches_without_diacritics(db, make_user, agencies):
    boss = make_user("pol.tim", Role.province_admin, agency=agencies.province)
    make_user("pol.nguyen", full_name="Nguyễn Thị Đào")
    result = service.list_users(db, boss, q="thi dao")
    assert [u.username for u in result.items] == ["pol.nguyen"]
    assert service.list_users(db, boss, q="%").total == 0


def test_the_last_province_admin_cannot_be_removed(db, make_user, agencies):
    existing = db.scalars(
        select(User).join(UserRole).where(UserRole.role == "province_admin", User.is_active.is_(True))
    ).all()
    for user in existing:  # other tests' data is rolled back, but be explicit
        user.is_active = False
    last = make_user("pol.cuoi", Role.province_admin, agency=agencies.province)
    with pytest.raises(Conflict):
        service.deactivate_user(db, actor=None, target=last)
    with pytest.raises(Conflict):
        service.set_roles(db, actor=None, target=last, grants=[(Role.specialist, agencies.justice)])
    assert last.is_active is True


def _tree_reads(statements: list[str]) -> int:
    """Reads of the whole agency tree (org.queries: id, parent and successor of every agency)."""
    return sum(1 for s in statements if "agencies.successor_id" in s and "WHERE" not in s.upper())


def test_agency_scope_reads_the_agency_tree_once_per_unit_of_work(db, make_user, agencies, statements):
    officer = make_user("pol.nhieu.vt", Role.specialist, Role.head, agency=agencies.justice)
    service.set_roles(db, actor=None, target=officer, grants=[
        (Role.specialist, agencies.justice), (Role.head, agencies.justice), (Role.agency_admin, agencies.finance),
    ])
    db.commit()
    statements.clear()
    every_role = policies.agency_scope(db, officer)
    assert policies.agency_scope(db, officer, Role.head) == policies.agency_scope(db, officer, Role.specialist)
    assert agencies.justice_unit.id in every_role and agencies.finance.id in every_role
    assert agencies.finance.id not in policies.agency_scope(db, officer, Role.head)
    assert _tree_reads(statements) == 1
    # A changed agency is seen at once: the tree is read again after the flush.
    agencies.justice_unit.parent_id = agencies.finance.id
    db.flush()
    assert agencies.justice_unit.id in policies.agency_scope(db, officer, Role.agency_admin)
    assert _tree_reads(statements) == 2


def test_the_inbox_page_reads_the_agency_tree_once(client, make_user, agencies, statements):
    make_user("pol.hop.thu", Role.specialist, Role.head, agency=agencies.justice)
    assert login(client, "pol.hop.thu").status_code == 303
    statements.clear()
    assert client.get("/xu-ly").status_code == 200
    assert _tree_reads(statements) == 1
