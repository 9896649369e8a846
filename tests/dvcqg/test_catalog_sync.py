"""The national catalogue round trip against the simulator (live HTTP), on both backends:
pull, candidates by name, confirmed mapping, differences, apply under a decision; a failing
portal applies nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from motcua.auth.roles import Role
from motcua.catalog.changes import Decision, today
from motcua.catalog.enums import ChangeKind, ProcedureStatus
from motcua.catalog.models import NationalCode, Procedure, ProcedureVersion
from motcua.catalog.national_codes import Candidate, confirm_national_code, suggest_candidates
from motcua.catalog.service import get_procedure_by_code
from motcua.core.errors import Forbidden, InvalidInput
from motcua.core.text import fold
from motcua.dvcqg.catalog_sync import national_choices, national_name, run_sync
from motcua.dvcqg.models import NationalProcedureRecord
from motcua.integrations.dvcqg.portal import NationalProcedureItem, PortalError
from motcua.org import service as org_service
from tests import factories

MARRIAGE, SIGNATURE = "1.000894", "2.000884"


@pytest.fixture
def admin(db):
    return factories.account(db, "quantri-dvcqg", Role.province_admin,
                             agency=org_service.get_agency_by_code(db, "000.00.00.H37"))


def local(db, name: str) -> Procedure:
    return db.scalars(select(Procedure).where(Procedure.name_folded == fold(name))).one()


def versions(db) -> int:
    return db.scalar(select(func.count()).select_from(ProcedureVersion))


def mapped(db, admin) -> tuple[Procedure, Procedure]:
    marriage, signature = local(db, "Đăng ký kết hôn"), get_procedure_by_code(db, "BTP-LSN-276597")
    for procedure, code in ((marriage, MARRIAGE), (signature, SIGNATURE)):
        confirm_national_code(db, procedure, national_code=code, national_name=national_name(db, code), user=admin)
    db.commit()
    return marriage, signature


def test_candidates_by_name_accent_insensitive(db, session_factory, portal):
    first = run_sync(session_factory, portal)  # nothing mapped yet: fills the national list only

    assert first.report.pull.first and first.report.changeset.changes == [] and first.mapped == set()
    choices = national_choices(db)
    assert len(choices) == 400
    found = suggest_candidates("Đăng ký kết hôn", choices)
    assert found[0] == Candidate(MARRIAGE, "Đăng ký kết hôn", 100.0)
    # A longer name containing every word ranks below the same name.
    assert all(c.score < 100 for c in found[1:])
    assert suggest_candidates("dang ky ket hon", choices)[0].code == MARRIAGE
    assert suggest_candidates("Cấp giấy phép khai thác khoáng sản bằng tàu vũ trụ", choices, min_score=95) == []


def test_mapping_is_confirmed_by_an_administrator(db, session_factory, portal, admin):
    run_sync(session_factory, portal)
    marriage = local(db, "Đăng ký kết hôn")
    clerk = factories.account(db, "motcua-dvcqg", Role.specialist,
                              agency=org_service.get_agency_by_code(db, "000.00.00.H37"))
    with pytest.raises(Forbidden):
        confirm_national_code(db, marriage, national_code=MARRIAGE, national_name="Đăng ký kết hôn", user=clerk)
    with pytest.raises(InvalidInput, match="không đúng dạng"):
        confirm_national_code(db, marriage, national_code="1001", national_name="x", user=admin)

    row = confirm_national_code(db, marriage, national_code=MARRIAGE, national_name="Đăng ký kết hôn", user=admin)
    assert (row.national_code, row.national_name, row.confirmed_by) == (MARRIAGE, "Đăng ký kết hôn", "quantri-dvcqg")
    assert db.scalar(select(func.count()).select_from(NationalCode)) == 1


def test_round_trip_diff_and_apply_as_a_new_version(db, session_factory, portal, simulator, admin):
    run_sync(session_factory, portal)
    marriage, signature = mapped(db, admin)
    marriage_code, before_limit = marriage.code, marriage.time_limit_days
    # The national database changes: a new name and a 3-day limit, one procedure abolished,
    # one added.
    record = simulator.record(MARRIAGE)
    record["name"] = "Đăng ký kết hôn (sửa đổi năm 2026)"
    record["time_limits"] = [{"channel": "1", "value": 3, "unit": "Ngày làm việc", "description": "03 ngày làm việc"},
                             {"channel": "2", "value": 2, "unit": "Ngày làm việc", "description": "02 ngày làm việc"}]
    simulator.put(record)
    simulator.abolish(SIGNATURE)
    simulator.put({"code": "1.999999", "name": "Thủ tục mới thử nghiệm", "field": "Hộ tịch", "time_limits": []})

    compared = run_sync(session_factory, portal)  # no decision: shows, changes nothing
    report = compared.report
    assert report.pull.added == [NationalProcedureItem("1.999999", "Thủ tục mới thử nghiệm")]
    assert report.pull.gone == [SIGNATURE]
    assert [(c.kind, c.code) for c in report.changeset.changes] == [  # by local code
        (ChangeKind.abolished, signature.code), (ChangeKind.amended, marriage_code)]
    amended = report.changeset.changes[1]
    assert {"name", "time_limit_days", "online_time_limit_days", "time_limit_note"} <= set(amended.changed_fields)
    assert amended.after["time_limit_days"] == 3 and amended.after["online_time_limit_days"] == 2
    assert report.national == {marriage_code: MARRIAGE, signature.code: SIGNATURE}
    db.expire_all()
    assert (marriage.name, marriage.time_limit_days) == ("Đăng ký kết hôn", before_limit)

    decision = Decision(number="15/QĐ-UBND", signed_on=today(), effective_on=today(),
                        issuer="Chủ tịch UBND tỉnh Lạng Sơn")
    applied = run_sync(session_factory, portal, decision=decision, actor="quantri-dvcqg")

    assert applied.decision is not None and applied.decision.status == "applied"
    db.expire_all()
    assert marriage.name == "Đăng ký kết hôn (sửa đổi năm 2026)"
    assert (marriage.time_limit_days, marriage.online_time_limit_days) == (3, 2)
    assert marriage.time_limit_note == (
        "Theo Cơ sở dữ liệu quốc gia về TTHC, thủ tục 1.000894: 03 ngày làm việc")
    assert signature.status == ProcedureStatus.abolished.value
    latest = db.scalars(select(ProcedureVersion).where(ProcedureVersion.procedure_id == marriage.id)
                        .order_by(ProcedureVersion.number.desc())).first()
    assert (latest.decision_number, latest.effective_date, latest.created_by) == ("15/QĐ-UBND", today(), "quantri-dvcqg")
    assert latest.snapshot["name"] == "Đăng ký kết hôn (sửa đổi năm 2026)"

    # Applied once: the next sync finds nothing to change.
    assert run_sync(session_factory, portal).report.changeset.changes == []


def test_session_expiring_during_a_sync_is_handled(db, session_factory, portal, simulator, admin):
    run_sync(session_factory, portal)
    mapped(db, admin)
    simulator.fault("LayThuTuc", "expire_session")
    outcome = run_sync(session_factory, portal)
    assert outcome.pulled.details.keys() == {MARRIAGE, SIGNATURE}


@pytest.mark.parametrize(("service", "kind", "value", "message"), [
    ("LayThuTuc", "http", "503", "Cổng Dịch vụ công quốc gia trả lỗi HTTP 503 khi gọi LayThuTuc."),
    ("LayDanhSachTTHC", "error_code", "-1",
     "Cổng Dịch vụ công quốc gia từ chối LayDanhSachTTHC (mã lỗi -1): Lỗi giả lập của Cổng DVCQG."),
])
def test_a_failing_portal_applies_nothing(db, session_factory, portal, simulator, admin, service, kind, value, message):
    mapped_before = run_sync(session_factory, portal).report.pull
    assert mapped_before.first
    marriage, _ = mapped(db, admin)
    record = simulator.record(MARRIAGE)
    simulator.put(record | {"name": "Tên mới"})
    simulator.put({"code": "1.999999", "name": "Thủ tục mới thử nghiệm", "time_limits": []})
    count = versions(db)
    simulator.fault(service, kind, value)

    decision = Decision(number="16/QĐ-UBND", signed_on=today(), effective_on=today(), issuer="UBND tỉnh")
    with pytest.raises(PortalError) as failed:
        run_sync(session_factory, portal, decision=decision)

    assert failed.value.message == message
    db.expire_all()
    assert marriage.name == "Đăng ký kết hôn" and versions(db) == count
    assert db.scalar(select(NationalProcedureRecord).where(NationalProcedureRecord.code == "1.999999")) is None
