"""Catalogue changesets: diff against the catalogue, apply all or nothing, pending decisions."""

from datetime import date

import pytest
from sqlalchemy import func, select

from motcua.catalog import changes
from motcua.catalog.changes import Decision, Entry
from motcua.catalog.enums import ChangeKind, DecisionStatus
from motcua.catalog.models import CatalogDecision, Procedure, ProcedureVersion
from motcua.catalog.service import get_procedure_by_code, implementing_agencies
from motcua.core import clock
from motcua.core.errors import Conflict, InvalidInput
from motcua.dossiers.models import Dossier
from tests.dossiers.world import build_world, local, receive

DECISION = Decision("1234/QĐ-UBND", date(2026, 12, 1), date(2026, 12, 10), "Chủ tịch UBND tỉnh Lạng Sơn")


@pytest.fixture
def w(db):
    return build_world(db)


def counts(db):
    return (
        db.scalar(select(func.count()).select_from(Procedure)),
        db.scalar(select(func.count()).select_from(ProcedureVersion)),
        db.scalar(select(func.count()).select_from(CatalogDecision)),
    )


def decision_entries(w):
    return [
        Entry({"code": "TST-NEW", "name": "Cấp giấy phép thử nghiệm", "level": "province",
               "time_limit_days": 10, "agency_codes": [w.dept.code],
               "fees": [{"name": "Lệ phí cấp phép", "amount": 100000}]}, ChangeKind.added, "dòng 2"),
        Entry({"code": w.p_dept.code, "time_limit_days": 7, "legal_basis": "Nghị định 99/2026/NĐ-CP"},
              ChangeKind.amended, "dòng 3"),
        Entry({"code": w.p_cross.code, "name": "tên trong quyết định (không dùng)"}, ChangeKind.abolished, "dòng 4"),
    ]


def test_diff_lists_each_change_with_the_record_before_and_after(db, w):
    before = counts(db)
    changeset = changes.diff(db, decision_entries(w))

    assert changeset.summary() == {"added": 1, "amended": 1, "abolished": 1}
    added, amended, abolished = changeset.changes
    assert added.before is None
    assert added.after["agency_codes"] == [w.dept.code]
    assert added.changed_fields == ["name", "level", "time_limit_days", "online_level", "status", "fees",
                                    "agency_codes"]
    assert amended.before["time_limit_days"] == 5 and amended.after["time_limit_days"] == 7
    assert amended.changed_fields == ["time_limit_days", "legal_basis"]
    assert amended.after["name"] == w.p_dept.name  # absent keys keep their value
    assert abolished.changed_fields == ["status"]
    assert abolished.after["status"] == "abolished"
    assert counts(db) == before  # a diff writes nothing


def test_a_decision_in_force_adds_amends_and_abolishes_with_a_version_each(db, w):
    with clock.frozen(local(2026, 12, 9)):
        old = receive(db, w, procedure=w.p_cross)
    with clock.frozen(local(2026, 12, 10)):
        changeset = changes.diff(db, decision_entries(w))
        row = changes.apply(db, changeset, DECISION, actor="qt-tinh")

    assert row.status == DecisionStatus.applied.value
    assert row.summary == {"added": 1, "amended": 1, "abolished": 1}
    versions = db.scalars(select(ProcedureVersion).where(ProcedureVersion.decision_id == row.id)
                          .order_by(ProcedureVersion.note)).all()
    assert [(v.note, v.decision_number, v.decision_date, v.effective_date, v.created_by) for v in versions] == [
        ("Bãi bỏ theo Quyết định số 1234/QĐ-UBND", "1234/QĐ-UBND", date(2026, 12, 1), date(2026, 12, 10), "qt-tinh"),
        ("Công bố mới theo Quyết định số 1234/QĐ-UBND", "1234/QĐ-UBND", date(2026, 12, 1), date(2026, 12, 10),
         "qt-tinh"),
        ("Sửa đổi, bổ sung theo Quyết định số 1234/QĐ-UBND", "1234/QĐ-UBND", date(2026, 12, 1),
         date(2026, 12, 10), "qt-tinh"),
    ]
    new = get_procedure_by_code(db, "TST-NEW", full=True)
    assert (new.name, new.time_limit_days, [(f.name, f.amount) for f in new.fees]) == (
        "Cấp giấy phép thử nghiệm", 10, [("Lệ phí cấp phép", 100000)])
    assert [a.code for a in implementing_agencies(db, new)] == [w.dept.code]
    amended = get_procedure_by_code(db, w.p_dept.code)
    assert (amended.time_limit_days, amended.legal_basis) == (7, "Nghị định 99/2026/NĐ-CP")
    abolished = get_procedure_by_code(db, w.p_cross.code)
    assert (abolished.status, abolished.abolished_on) == ("abolished", date(2026, 12, 10))

    with clock.frozen(local(2026, 12, 11)):
        with pytest.raises(InvalidInput) as refused:
            receive(db, w, procedure=abolished)
        assert refused.value.message == (
            f"Thủ tục “{w.p_cross.code}” đã bị bãi bỏ từ ngày 10/12/2026; không tiếp nhận hồ sơ mới.")
        fresh = receive(db, w, procedure=new)
    assert fresh.time_limit_days == 10
    kept = db.get(Dossier, old.id)
    assert (kept.procedure_id, kept.procedure_code, kept.time_limit_days) == (w.p_cross.id, w.p_cross.code, 3)


def test_any_bad_entry_changes_nothing_and_each_is_reported(db, w):
    before = counts(db)
    entries = [
        Entry({"code": w.p_dept.code, "time_limit_days": 6}, ChangeKind.amended, "dòng 2"),
        Entry({"code": "KHONG-CO", "time_limit_days": 6}, ChangeKind.amended, "dòng 3"),
        Entry({"code": w.p_commune.code, "name": "Trùng"}, ChangeKind.added, "dòng 4"),
        Entry({"code": "TST-9", "agency_codes": ["X.99"]}, ChangeKind.added, "dòng 5"),
        Entry({"code": w.p_dept.code}, ChangeKind.abolished, "dòng 6"),
        Entry({"code": "TST-8", "name": "Không cơ quan"}, ChangeKind.added, "dòng 7"),
        Entry({"code": w.p_commune.code, "time_limit_days": -1}, ChangeKind.amended, "dòng 8"),
    ]
    with pytest.raises(InvalidInput) as refused:
        changes.diff(db, entries)

    assert refused.value.details == [
        "dòng 3 (mã KHONG-CO): không có thủ tục mã “KHONG-CO” trong danh mục để sửa đổi.",
        f"dòng 4 (mã {w.p_commune.code}): thủ tục mã “{w.p_commune.code}” đã có trong danh mục "
        "(dùng loại “Sửa đổi, bổ sung”).",
        "dòng 5 (mã TST-9): Tên thủ tục: thiếu trường bắt buộc.",
        f"dòng 6 (mã {w.p_dept.code}): mã thủ tục trùng với dòng 2.",
        "dòng 7 (mã TST-8): thủ tục thêm mới phải có ít nhất một cơ quan thực hiện (mã cơ quan).",
        f"dòng 8 (mã {w.p_commune.code}): mã thủ tục trùng với dòng 4.",
    ]
    assert refused.value.message.startswith("Không áp dụng: 6 thủ tục có lỗi; chưa thay đổi dữ liệu nào.")
    assert counts(db) == before
    assert get_procedure_by_code(db, w.p_dept.code).time_limit_days == 5


def test_unknown_agency_and_field_are_reported(db, w):
    entries = [Entry({"code": "TST-9", "name": "Mới", "agency_codes": "X.99; " + w.dept.code,
                      "field_code": "khong-co"}, ChangeKind.added, "dòng 2")]
    with pytest.raises(InvalidInput) as refused:
        changes.diff(db, entries)
    assert refused.value.details == [
        "dòng 2 (mã TST-9): không có lĩnh vực mã “khong-co”; không có cơ quan mã “X.99”."]


def test_entries_of_unknown_kind_are_added_or_amended_and_unchanged_ones_listed(db, w):
    changeset = changes.diff(db, [
        {"code": w.p_dept.code, "time_limit_days": 5},
        {"code": w.p_commune.code, "time_limit_days": 1},
        {"code": "TST-NEW", "name": "Mới"},
    ], require_agencies=False)
    assert changeset.unchanged == [w.p_dept.code]
    assert [(c.kind, c.code) for c in changeset.changes] == [
        (ChangeKind.amended, w.p_commune.code), (ChangeKind.added, "TST-NEW")]


def test_a_future_amendment_waits_for_its_effective_date(db, w, session_factory):
    later = Decision("77/QĐ-UBND", date(2026, 12, 1), date(2026, 12, 15), "Chủ tịch UBND tỉnh Lạng Sơn")
    with clock.frozen(local(2026, 12, 10)):
        changeset = changes.diff(db, [Entry({"code": w.p_dept.code, "time_limit_days": 10}, ChangeKind.amended)])
        row = changes.apply(db, changeset, later, actor="qt-tinh")
        assert row.status == DecisionStatus.pending.value
        db.commit()
        before = receive(db, w)
        assert changes.apply_due_decisions(session_factory) == []
    assert before.time_limit_days == 5
    assert get_procedure_by_code(db, w.p_dept.code).time_limit_days == 5
    db.commit()

    with clock.frozen(local(2026, 12, 15, 0, 5)):
        assert changes.apply_due_decisions(session_factory) == [("77/QĐ-UBND", True)]
        db.refresh(w.p_dept)
        after = receive(db, w)
    assert after.time_limit_days == 10
    assert db.get(Dossier, before.id).time_limit_days == 5
    db.refresh(row)
    assert row.status == DecisionStatus.applied.value
    assert db.scalar(select(func.count()).where(ProcedureVersion.decision_id == row.id)) == 1


def test_a_pending_decision_that_no_longer_fits_fails_and_changes_nothing(db, w, session_factory):
    later = Decision("78/QĐ-UBND", date(2026, 12, 1), date(2026, 12, 15), "Chủ tịch UBND tỉnh Lạng Sơn")
    with clock.frozen(local(2026, 12, 10)):
        changeset = changes.diff(db, [
            Entry({"code": w.p_dept.code, "time_limit_days": 10}, ChangeKind.amended, "dòng 2"),
            Entry({"code": "TST-NEW", "name": "Mới", "agency_codes": [w.dept.code]}, ChangeKind.added, "dòng 3"),
        ])
        row = changes.apply(db, changeset, later, actor="qt-tinh")
        # Meanwhile the same code is published by another decision in force at once.
        changes.apply(db, changes.diff(db, [Entry({"code": "TST-NEW", "name": "Khác",
                                                   "agency_codes": [w.dept.code]}, ChangeKind.added)]),
                      Decision("79/QĐ-UBND", date(2026, 12, 10), date(2026, 12, 10), "UBND tỉnh"), actor="qt")
        db.commit()
    with clock.frozen(local(2026, 12, 15, 8)):
        assert changes.apply_due_decisions(session_factory) == [("78/QĐ-UBND", False)]
    db.expire_all()
    failed = db.get(CatalogDecision, row.id)
    assert failed.status == DecisionStatus.failed.value
    assert failed.errors == ["dòng 3 (mã TST-NEW): thủ tục mã “TST-NEW” đã có trong danh mục "
                             "(dùng loại “Sửa đổi, bổ sung”)."]
    assert get_procedure_by_code(db, w.p_dept.code).time_limit_days == 5


def test_a_decision_is_imported_once_and_its_dates_must_agree(db, w):
    with clock.frozen(local(2026, 12, 10)):
        changes.apply(db, changes.diff(db, decision_entries(w)), DECISION, actor="qt")
        again = changes.diff(db, [Entry({"code": w.p_dept.code, "time_limit_days": 8}, ChangeKind.amended)])
        with pytest.raises(InvalidInput) as refused:
            changes.apply(db, again, DECISION, actor="qt")
        assert refused.value.message == "Quyết định số 1234/QĐ-UBND ngày 01/12/2026 đã được nhập (10/12/2026)."
        backwards = Decision("5/QĐ-UBND", date(2026, 12, 5), date(2026, 12, 1), " ")
        with pytest.raises(InvalidInput) as refused:
            changes.apply(db, again, backwards, actor="qt")
        assert refused.value.details == ["Thiếu cơ quan ban hành.",
                                         "Ngày hiệu lực không được trước ngày ký quyết định."]


def test_a_draft_is_confirmed_only_as_previewed(db, w):
    with clock.frozen(local(2026, 12, 10)):
        changeset = changes.diff(db, [Entry({"code": w.p_dept.code, "time_limit_days": 8}, ChangeKind.amended)])
        draft = changes.save_draft(db, changeset, DECISION, actor="qt")
        digest = changeset.digest()
        w.p_dept.time_limit_days = 6  # the catalogue moves on before the confirmation
        db.flush()
        with pytest.raises(Conflict):
            changes.confirm_draft(db, draft, digest=digest, actor="qt")
        fresh = changes.diff(db, changes.entries_from_stored(draft.entries))
        row, applied = changes.confirm_draft(db, draft, digest=fresh.digest(), actor="qt")
    assert row.status == DecisionStatus.applied.value
    assert get_procedure_by_code(db, w.p_dept.code).time_limit_days == 8
