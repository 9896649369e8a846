"""People of the quality tests: Sở Tư pháp's secretary and head, Sở Tài chính's secretary,
a specialist of the Department of Science and Technology and a province administrator."""

from types import SimpleNamespace

import pytest

from motcua.org import service as org_service
from motcua.quality import units
from tests import factories


@pytest.fixture
def people(db, agencies):
    khcn = org_service.find_agency_by_name(db, "Sở Khoa học và Công nghệ")
    user = factories.user
    return SimpleNamespace(
        khcn=khcn,
        secretary=user(db, "tk.tuphap", "Thư ký ISO Sở Tư pháp", ("quality_secretary", agencies.justice)),
        head=user(db, "ld.tuphap", "Lãnh đạo Sở Tư pháp", ("head", agencies.justice)),
        other_secretary=user(db, "tk.taichinh", "Thư ký ISO Sở Tài chính", ("quality_secretary", agencies.finance)),
        department=user(db, "cv.khcn", "Chuyên viên Sở KH&CN", ("specialist", khcn)),
        admin=user(db, "qt.tinh", "Quản trị tỉnh", ("province_admin", agencies.province)),
        counter=user(db, "mc.khcn", "Một cửa Sở KH&CN", ("counter_officer", khcn)),
    )


@pytest.fixture
def justice_unit(db, agencies):
    return units.unit_of_agency(db, agencies.justice.id)
