"""A small, self-contained organisation for dossier tests (independent of the seeds).

Agencies use the fictitious province code H99 so they never collide with seeded data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from motcua.auth.models import User, UserRole
from motcua.catalog.models import Procedure, ProcedureAgency
from motcua.cli import upgrade_database
from motcua.core.clock import LOCAL_TZ
from motcua.core.text import fold
from motcua.dossiers.service import ApplicantData, ComponentData, ReceiptData, receive_dossier
from motcua.org.models import Agency


def fresh_database(backend: str, request, tmp_path, name: str) -> str:
    """The URL of a new, migrated database of `backend`, for tests whose threads each need their
    own connection (the `db` fixture's rolled-back transaction cannot be shared)."""
    if backend == "postgresql":
        server = request.getfixturevalue("pg_server")
        url = server.create_database(f"motcua_{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
    else:
        url = f"sqlite:///{tmp_path / f'{name}.db'}"
    upgrade_database(url)
    return url


def local(y, mo, d, h=9, mi=0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=LOCAL_TZ)


@dataclass
class World:
    centre: Agency
    dept: Agency
    dept2: Agency
    commune: Agency
    commune2: Agency
    p_dept: Procedure  # provincial, 5 working days, not cross-boundary
    p_cross: Procedure  # provincial, 3 working days, cross-boundary
    p_commune: Procedure  # commune level, 2 working days
    counter: User
    counter_commune: User
    specialist: User
    head: User
    clerk: User
    specialist2: User
    head2: User
    outsider: User
    admin: User


def _agency(session, code, name, kind, level, one_stop, parent=None) -> Agency:
    a = Agency(code=code, name=name, name_folded=fold(name), kind=kind, level=level, is_one_stop=one_stop,
               parent_id=parent.id if parent else None)
    session.add(a)
    session.flush()
    return a


def _procedure(session, code, name, level, days, agencies, cross=False) -> Procedure:
    p = Procedure(code=code, name=name, name_folded=fold(name), level=level, time_limit_days=days,
                  cross_boundary=cross)
    session.add(p)
    session.flush()
    for a in agencies:
        session.add(ProcedureAgency(procedure_id=p.id, agency_id=a.id))
    session.flush()
    return p


def _user(session, username, name, *roles) -> User:
    u = User(username=username, full_name=name, password_hash="!", is_active=True)
    u.roles = [UserRole(role=r, agency_id=a.id) for r, a in roles]
    session.add(u)
    session.flush()
    return u


def build_world(session: Session, suffix: str = "") -> World:
    s = suffix
    centre = _agency(session, f"T00.00.01.H99{s}", "Trung tâm Phục vụ hành chính công thử nghiệm", "service_centre",
                     "province", True)
    dept = _agency(session, f"T00.01.00.H99{s}", "Sở Tư pháp thử nghiệm", "department", "province", False)
    dept2 = _agency(session, f"T00.02.00.H99{s}", "Sở Tài chính thử nghiệm", "department", "province", False)
    commune = _agency(session, f"T00.31.00.H99{s}", "UBND xã Thử Nghiệm", "commune_committee", "commune", True)
    commune2 = _agency(session, f"T00.32.00.H99{s}", "UBND phường Kiểm Tra", "commune_committee", "commune", True)
    p_dept = _procedure(session, f"TST-1{s}", "Cấp phiếu lý lịch tư pháp (thử)", "province", 5, [dept])
    p_cross = _procedure(session, f"TST-2{s}", "Chứng thực bản sao điện tử (thử)", "province", 3, [dept], cross=True)
    p_commune = _procedure(session, f"TST-3{s}", "Đăng ký khai sinh (thử)", "commune", 2, [commune, commune2])
    return World(
        centre, dept, dept2, commune, commune2, p_dept, p_cross, p_commune,
        counter=_user(session, f"t_motcua{s}", "Nguyễn Thị Một Cửa", ("counter_officer", centre)),
        counter_commune=_user(session, f"t_motcuaxa{s}", "Lê Văn Xã", ("counter_officer", commune)),
        specialist=_user(session, f"t_chuyenvien{s}", "Trần Văn Chuyên", ("specialist", dept)),
        head=_user(session, f"t_lanhdao{s}", "Phạm Thị Lãnh Đạo", ("head", dept)),
        clerk=_user(session, f"t_vanthu{s}", "Hoàng Văn Thư", ("clerk", dept)),
        specialist2=_user(session, f"t_chuyenvien2{s}", "Vũ Thị Phối Hợp", ("specialist", dept2)),
        head2=_user(session, f"t_lanhdao2{s}", "Đỗ Văn Tài", ("head", dept2)),
        outsider=_user(session, f"t_ngoai{s}", "Bùi Văn Ngoài", ("specialist", commune2), ("head", commune2),
                       ("counter_officer", commune2)),
        admin=_user(session, f"t_admin{s}", "Quản Trị Tỉnh", ("province_admin", centre)),
    )


def receive(session, w: World, *, procedure=None, agency=None, unit=None, user=None, outcome="accepted", **extra):
    data = ReceiptData(
        applicant=ApplicantData("person", "Nguyễn Văn An", "012345678901", "0912345678", "an@example.vn",
                                "Số 1 Lê Lợi"),
        components=[ComponentData("Tờ khai", "original", 1), ComponentData("Bản sao CCCD", "copy", 1)],
        outcome=outcome, **extra,
    )
    return receive_dossier(session, user=user or w.counter, procedure=procedure or w.p_dept, agency=agency or w.dept,
                           receiving_unit=unit or w.centre, data=data)
