"""A small, self-contained organisation for dossier tests (independent of the seeds).

Built with tests/factories.py; agencies use the fictitious province code H99 so they never
collide with seeded data. `receive` goes through the service; `factories.DossierDesk` goes
through the JSON API.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.catalog.models import Procedure
from motcua.dossiers.service import ApplicantData, ComponentData, ReceiptData, receive_dossier
from motcua.org.models import Agency
from tests import factories
from tests.factories import local  # noqa: F401  (dossier tests import it from here)


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


def build_world(session: Session, suffix: str = "") -> World:
    s = suffix
    centre = factories.agency(session, f"T00.00.01.H99{s}", "Trung tâm Phục vụ hành chính công thử nghiệm",
                              kind="service_centre", one_stop=True)
    dept = factories.agency(session, f"T00.01.00.H99{s}", "Sở Tư pháp thử nghiệm")
    dept2 = factories.agency(session, f"T00.02.00.H99{s}", "Sở Tài chính thử nghiệm")
    commune = factories.agency(session, f"T00.31.00.H99{s}", "UBND xã Thử Nghiệm", kind="commune_committee",
                               level="commune", one_stop=True)
    commune2 = factories.agency(session, f"T00.32.00.H99{s}", "UBND phường Kiểm Tra", kind="commune_committee",
                                level="commune", one_stop=True)
    p_dept = factories.procedure(session, f"TST-1{s}", "Cấp phiếu lý lịch tư pháp (thử)", days=5,
                                 agencies=[dept])
    p_cross = factories.procedure(session, f"TST-2{s}", "Chứng thực bản sao điện tử (thử)", days=3,
                                  agencies=[dept], cross=True)
    p_commune = factories.procedure(session, f"TST-3{s}", "Đăng ký khai sinh (thử)", level="commune", days=2,
                                    agencies=[commune, commune2])
    return World(
        centre, dept, dept2, commune, commune2, p_dept, p_cross, p_commune,
        counter=factories.user(session, f"t_motcua{s}", "Nguyễn Thị Một Cửa", ("counter_officer", centre)),
        counter_commune=factories.user(session, f"t_motcuaxa{s}", "Lê Văn Xã", ("counter_officer", commune)),
        specialist=factories.user(session, f"t_chuyenvien{s}", "Trần Văn Chuyên", ("specialist", dept)),
        head=factories.user(session, f"t_lanhdao{s}", "Phạm Thị Lãnh Đạo", ("head", dept)),
        clerk=factories.user(session, f"t_vanthu{s}", "Hoàng Văn Thư", ("clerk", dept)),
        specialist2=factories.user(session, f"t_chuyenvien2{s}", "Vũ Thị Phối Hợp", ("specialist", dept2)),
        head2=factories.user(session, f"t_lanhdao2{s}", "Đỗ Văn Tài", ("head", dept2)),
        outsider=factories.user(session, f"t_ngoai{s}", "Bùi Văn Ngoài", ("specialist", commune2),
                                ("head", commune2), ("counter_officer", commune2)),
        admin=factories.user(session, f"t_admin{s}", "Quản Trị Tỉnh", ("province_admin", centre)),
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
