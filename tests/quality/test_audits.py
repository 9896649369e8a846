"""An internal audit from plan to closure, a management review, and the reminders."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from motcua.core.clock import frozen
from motcua.core.errors import Conflict, Forbidden, InvalidInput
from motcua.notify.models import OutboxMessage
from motcua.quality import audits
from motcua.quality.audit_schemas import (
    ActionDoneIn,
    ActionIn,
    AuditHeldIn,
    AuditPlanIn,
    CloseFindingIn,
    FindingIn,
    ReviewHeldIn,
    ReviewPlanIn,
)
from tests.factories import local
from tests.quality.audit_world import build


@pytest.fixture
def world(db):
    return build(db)


def test_an_audit_goes_from_plan_to_nonconformity_to_corrective_action_to_closure(db, world):
    w = world
    with frozen(local(2027, 3, 1)):
        audit = audits.plan_audit(db, w.sec_a, w.unit_a.id, AuditPlanIn(
            planned_on="20/03/2027", scope="Các quy trình nội bộ lĩnh vực xây dựng", auditors="Nguyễn Văn Đánh Giá"))
        with pytest.raises(Forbidden):  # another unit's secretary, and the Department, only look
            audits.plan_audit(db, w.sec_b, w.unit_a.id, AuditPlanIn(planned_on="2027-03-20", scope="x", auditors="y"))
        with pytest.raises(Forbidden):
            audits.plan_audit(db, w.sec_dept, w.unit_a.id, AuditPlanIn(planned_on="2027-03-20", scope="x", auditors="y"))
        with pytest.raises(Conflict):  # findings come from an audit held
            audits.add_finding(db, w.sec_a, audit.id, FindingIn(kind="observation", description="x"))
    assert audit.status == "planned" and audit.planned_on == date(2027, 3, 20)
    with frozen(local(2027, 3, 20, 16)):
        audits.record_held(db, w.sec_a, audit.id, AuditHeldIn(held_on="20/03/2027", summary="Hệ thống cơ bản phù hợp"))
        with pytest.raises(InvalidInput, match="nguyên nhân gốc"):
            audits.add_finding(db, w.sec_a, audit.id, FindingIn(kind="nonconformity", description="Thiếu hồ sơ"))
        nc = audits.add_finding(db, w.sec_a, audit.id, FindingIn(
            kind="nonconformity", clause="7.5.3", description="Sổ theo dõi hồ sơ không ghi ngày trả kết quả",
            root_cause="Mẫu sổ cũ chưa có cột ngày trả kết quả"))
        obs = audits.add_finding(db, w.sec_a, audit.id, FindingIn(kind="observation", description="Nên số hóa sổ"))
        action = audits.add_action(db, w.sec_a, nc.id, ActionIn(
            description="Ban hành mẫu sổ mới và ghi bổ sung", owner="Trần Thị Một Cửa", due_on="10/04/2027"))
        with pytest.raises(Conflict, match="Còn 1 hành động khắc phục chưa hoàn thành"):
            audits.close_finding(db, w.sec_a, nc.id, CloseFindingIn(verified_on="20/03/2027", verification_note="x"))
    assert (nc.number, nc.status, obs.number, obs.status) == (1, "open", 2, "closed")
    assert audit.status == "held"
    with frozen(local(2027, 4, 8)):
        audits.complete_action(db, w.sec_a, action.id, ActionDoneIn(done_on="08/04/2027",
                                                                    result="Đã dùng mẫu sổ mới từ 01/04/2027"))
    with frozen(local(2027, 4, 15)):
        with pytest.raises(InvalidInput):  # verified before the action was done
            audits.close_finding(db, w.sec_a, nc.id, CloseFindingIn(verified_on="07/04/2027", verification_note="x"))
        audits.close_finding(db, w.head_a, nc.id, CloseFindingIn(
            verified_on="15/04/2027", verification_note="Kiểm tra 20 hồ sơ: đủ ngày trả kết quả"))
    assert (nc.status, nc.closed_on, nc.verified_by) == ("closed", date(2027, 4, 15), w.head_a.username)
    assert (audit.status, audit.closed_on) == ("closed", date(2027, 4, 15))
    # The Department sees it; the other unit does not.
    seen = audits.get_audit(db, w.sec_dept, audit.id)
    assert [(f.kind, f.status) for f in seen.findings] == [("nonconformity", "closed"), ("observation", "closed")]
    with pytest.raises(Forbidden):
        audits.get_audit(db, w.sec_b, audit.id)
    assert [a.id for a in audits.list_audits(db, w.sec_b)] == []
    assert [a.id for a in audits.list_audits(db, w.sec_dept, unit_id=w.unit_a.id)] == [audit.id]


def test_an_open_nonconformity_is_overdue_when_an_action_is_past_its_deadline(db, world):
    w = world
    with frozen(local(2027, 3, 20, 16)):
        audit = audits.plan_audit(db, w.sec_a, w.unit_a.id, AuditPlanIn(planned_on="20/03/2027", scope="s", auditors="a"))
        audits.record_held(db, w.sec_a, audit.id, AuditHeldIn(held_on="20/03/2027", summary="s"))
        nc = audits.add_finding(db, w.sec_a, audit.id, FindingIn(kind="nonconformity", description="d", root_cause="r"))
        audits.add_action(db, w.sec_a, nc.id, ActionIn(description="a", owner="o", due_on="10/04/2027"))
    assert not audits.nonconformity_overdue(nc, date(2027, 4, 10))
    assert audits.nonconformity_overdue(nc, date(2027, 4, 11))


def test_a_management_review_records_its_inputs_and_decisions(db, world):
    w = world
    with frozen(local(2027, 11, 1)):
        review = audits.plan_review(db, w.sec_a, w.unit_a.id, ReviewPlanIn(planned_on="15/12/2027"))
    with frozen(local(2027, 12, 15, 16)):
        audits.record_review(db, w.head_a, review.id, ReviewHeldIn(
            held_on="15/12/2027", chaired_by="Phạm Văn Lãnh Đạo",
            inputs=[{"topic": "objectives", "note": "Tỷ lệ đúng hạn 98,5 %"},
                    {"topic": "audit_results", "note": "1 điểm không phù hợp, đã khắc phục"}],
            decisions=["Duy trì mục tiêu năm 2028", "Số hóa sổ theo dõi hồ sơ"]))
        with pytest.raises(Conflict):
            audits.record_review(db, w.head_a, review.id, ReviewHeldIn(
                held_on="15/12/2027", chaired_by="x", inputs=[{"topic": "risks", "note": "x"}], decisions=["x"]))
    assert review.held_on == date(2027, 12, 15)
    assert review.inputs == [{"topic": "objectives", "note": "Tỷ lệ đúng hạn 98,5 %"},
                             {"topic": "audit_results", "note": "1 điểm không phù hợp, đã khắc phục"}]
    assert review.decisions == ["Duy trì mục tiêu năm 2028", "Số hóa sổ theo dõi hồ sơ"]


def test_reminders_go_a_week_before_to_the_units_secretaries_once(db, session_factory, world):
    w = world
    with frozen(local(2027, 3, 1)):
        audits.plan_audit(db, w.sec_a, w.unit_a.id, AuditPlanIn(planned_on="20/03/2027", scope="s", auditors="a"))
        audits.plan_audit(db, w.sec_b, w.unit_b.id, AuditPlanIn(planned_on="30/03/2027", scope="s", auditors="a"))
        audits.plan_review(db, w.sec_a, w.unit_a.id, ReviewPlanIn(planned_on="27/03/2027"))
    db.commit()
    with frozen(local(2027, 3, 12)):  # 8 days before: nothing yet
        assert audits.run_reminders(session_factory) == "nhắc 0 lịch đánh giá, họp xem xét, hạn khắc phục"
    with frozen(local(2027, 3, 13)):
        assert audits.run_reminders(session_factory) == "nhắc 1 lịch đánh giá, họp xem xét, hạn khắc phục"
        assert audits.run_reminders(session_factory) == "nhắc 0 lịch đánh giá, họp xem xét, hạn khắc phục"
    with frozen(local(2027, 3, 23)):
        assert audits.run_reminders(session_factory) == "nhắc 2 lịch đánh giá, họp xem xét, hạn khắc phục"
    mails = db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "quality_reminder")
                       .order_by(OutboxMessage.created_at, OutboxMessage.recipient)).all()
    assert [(m.recipient, m.subject) for m in mails] == [
        ("thuky.a@example.vn", "Nhắc lịch đánh giá nội bộ ngày 20/03/2027"),
        ("thuky.a@example.vn", "Nhắc lịch họp xem xét của lãnh đạo ngày 27/03/2027"),
        ("thuky.b@example.vn", "Nhắc lịch đánh giá nội bộ ngày 30/03/2027"),
    ]
