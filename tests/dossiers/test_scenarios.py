"""Scenario tests of issue 5's "Done when", through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from motcua.core.clock import frozen, to_local
from motcua.core.errors import Forbidden, InvalidInput, TransitionNotAllowed
from motcua.dossiers.audit import dossier_events, verify_chain
from motcua.dossiers.models import Dossier, DossierEvent, Notification, StepExecution
from motcua.dossiers.queries import get_dossier, inbox
from motcua.dossiers.service import (
    ActionParams,
    available_actions,
    perform_action,
    send_overdue_alerts,
)
from tests.dossiers.world import local, receive


def act(db, dossier, user, action, **params):
    return perform_action(db, dossier, user=user, action=action, params=ActionParams(**params))


def events(db, dossier):
    return [(e.action, e.to_status) for e in dossier_events(db, dossier.id)]


def test_happy_path_from_counter_receipt_to_return(db, world):
    w = world
    with frozen(local(2027, 3, 2, 9, 0)):  # Tuesday
        d = receive(db, w)
    assert d.code == "T00.00.01.H99-270302-0001"
    assert d.status == "awaiting_assignment" and d.external_status == 2
    assert to_local(d.due_at) == local(2027, 3, 9, 17, 0)  # 5 working days, end of office hours
    assert d.template_version == 1
    assert available_actions(db, d, w.head) == ["claim", "assign", "forward", "request_supplement",
                                                "apologize_reschedule", "stop"]
    assert available_actions(db, d, w.counter) == ["withdraw"]
    assert available_actions(db, d, w.specialist) == []

    with frozen(local(2027, 3, 2, 10, 0)):
        act(db, d, w.head, "assign", assignee=w.specialist, note="Giao chuyên viên Chuyên")
    assert d.status == "processing" and d.external_status == 4
    assert d.current_assignee_id == w.specialist.id
    assert available_actions(db, d, w.specialist) == ["forward", "send_back", "request_supplement",
                                                      "request_payment", "consult"]
    with frozen(local(2027, 3, 4, 10, 0)):
        act(db, d, w.specialist, "forward", note="Hồ sơ đủ điều kiện")
    assert d.status == "awaiting_approval"
    with frozen(local(2027, 3, 5, 9, 0)):
        act(db, d, w.head, "approve")
    assert d.status == "awaiting_result"
    with frozen(local(2027, 3, 5, 10, 0)):
        act(db, d, w.clerk, "issue_result", result_number="123/LLTP")
    assert d.status == "result_ready" and d.external_status == 9
    assert d.outcome == "early" and d.progress_outcome == "early"
    assert available_actions(db, d, w.counter) == ["claim", "return_result"]
    # the result waits at the counter: it is on the counter officer's to-do list
    assert [x.id for x in inbox(db, w.counter, box="todo").items] == [d.id]
    with frozen(local(2027, 3, 8, 8, 0)):
        act(db, d, w.counter, "return_result")
    assert d.status == "returned" and d.external_status == 10 and d.return_method == "counter"
    assert available_actions(db, d, w.counter) == []
    assert inbox(db, w.counter, box="todo").items == []
    assert events(db, d) == [
        ("receive", "awaiting_assignment"), ("assign", "processing"), ("forward", "awaiting_approval"),
        ("approve", "awaiting_result"), ("issue_result", "result_ready"), ("return_result", "returned"),
    ]
    assert verify_chain(dossier_events(db, d.id)) is None
    steps = db.scalars(select(StepExecution).where(StepExecution.dossier_id == d.id)
                       .order_by(StepExecution.started_at, StepExecution.position)).all()
    assert [(s.kind, s.state) for s in steps] == [
        ("receive", "done"), ("assign", "done"), ("appraise", "done"), ("approve", "done"), ("issue", "done"),
        ("return", "done"),
    ]
    assert all(s.outcome in {"early", "on_time", "late"} for s in steps)


def test_codes_are_consecutive_per_unit_and_day(db, world):
    w = world
    with frozen(local(2027, 3, 2, 9, 0)):
        a, b = receive(db, w), receive(db, w)
        c = receive(db, w, procedure=w.p_commune, agency=w.commune, unit=w.commune, user=w.counter_commune)
    with frozen(local(2027, 3, 3, 9, 0)):
        d = receive(db, w)
    assert [a.code, b.code, c.code, d.code] == [
        "T00.00.01.H99-270302-0001", "T00.00.01.H99-270302-0002", "T00.31.00.H99-270302-0001",
        "T00.00.01.H99-270303-0001",
    ]


def test_supplement_requested_once_and_received_both_deadline_views(db, world):
    w = world
    with frozen(local(2027, 3, 2, 9, 0)):
        d = receive(db, w)
        act(db, d, w.head, "assign", assignee=w.specialist)
    with frozen(local(2027, 3, 3, 10, 0)):  # Wednesday
        with pytest.raises(InvalidInput):
            act(db, d, w.specialist, "request_supplement", missing_items=[])
        act(db, d, w.specialist, "request_supplement", missing_items=["Bản sao sổ hộ khẩu", "Ảnh 4x6"])
    assert d.status == "supplement_requested" and d.external_status == 5
    assert d.missing_items == ["Bản sao sổ hộ khẩu", "Ảnh 4x6"]
    assert available_actions(db, d, w.specialist) == ["receive_supplement"]  # online supplements
    assert available_actions(db, d, w.counter) == ["receive_supplement", "withdraw"]
    with frozen(local(2027, 3, 5, 10, 0)):  # Friday: two working days later
        act(db, d, w.counter, "receive_supplement")
    assert d.status == "processing"
    # ND 61/118: the limit restarts in full from the complete dossier (5 days from Fri 5/3).
    assert to_local(d.due_at) == local(2027, 3, 12, 17, 0)
    # QĐ 766: the original appointment moved by the 16 working hours of the pause.
    assert to_local(d.progress_due_at) == local(2027, 3, 11, 17, 0)
    assert to_local(d.original_due_at) == local(2027, 3, 9, 17, 0)
    with frozen(local(2027, 3, 8, 10, 0)), pytest.raises(TransitionNotAllowed, match="một lần"):
        act(db, d, w.specialist, "request_supplement", missing_items=["Giấy khác"])
    assert "request_supplement" not in available_actions(db, d, w.specialist)
    assert d.supplement_count == 1


def test_refusal_at_the_counter_and_incomplete_dossier(db, world):
    w = world
    with frozen(local(2027, 3, 2, 9, 0)):
        refused = receive(db, w, outcome="refused", refusal_reason="Không thuộc thẩm quyền giải quyết")
        incomplete = receive(db, w, outcome="incomplete", missing_items=["Tờ khai có chữ ký", "Bản sao CCCD"])
        with pytest.raises(InvalidInput, match="lý do"):
            receive(db, w, outcome="refused")
    assert (refused.status, refused.external_status, refused.due_at) == ("refused_at_receipt", 3, None)
    assert refused.refusal_reason == "Không thuộc thẩm quyền giải quyết"
    assert (incomplete.status, incomplete.external_status) == ("incomplete", 3)
    assert incomplete.missing_items == ["Tờ khai có chữ ký", "Bản sao CCCD"]
    assert refused.code.endswith("-0001") and incomplete.code.endswith("-0002")
    assert available_actions(db, refused, w.counter) == []
    with pytest.raises(TransitionNotAllowed, match="Không thể"):
        act(db, refused, w.counter, "withdraw")


def test_refusal_after_appraisal_is_the_result(db, world):
    w = world
    with frozen(local(2027, 3, 2, 9, 0)):
        d = receive(db, w)
        act(db, d, w.head, "assign", assignee=w.specialist)
    with frozen(local(2027, 3, 3, 9, 0)):
        with pytest.raises(Forbidden):
            act(db, d, w.specialist, "refuse", note="Không đủ điều kiện")
        with pytest.raises(InvalidInput, match="lý do"):
            act(db, d, w.head, "refuse")
        act(db, d, w.head, "refuse", note="Người yêu cầu không đủ điều kiện theo Điều 7")
    assert d.status == "refused" and d.external_status == 9 and d.outcome == "early"
    assert d.refusal_reason == "Người yêu cầu không đủ điều kiện theo Điều 7"
    with frozen(local(2027, 3, 3, 14, 0)):
        act(db, d, w.counter, "return_result", method="post")
    assert d.status == "returned" and d.return_method == "post"


def test_inter_agency_step_with_its_own_deadline(db, world):
    w = world
    with frozen(local(2027, 3, 2, 9, 0)):
        d = receive(db, w)
        act(db, d, w.head, "assign", assignee=w.specialist)
    assert get_dossier(db, d.id, w.specialist2) if False else True
    with frozen(local(2027, 3, 2, 14, 0)):
        act(db, d, w.specialist, "consult", agency_code=None, consult_agency=w.dept2, working_days=2,
            note="Đề nghị xác nhận nghĩa vụ tài chính") if False else act(
            db, d, w.specialist, "consult", consult_agency=w.dept2, working_days=2, note="Xin ý kiến Sở Tài chính")
    assert d.status == "awaiting_consultation" and d.external_status == 4
    step = db.scalars(select(StepExecution).where(StepExecution.dossier_id == d.id,
                                                  StepExecution.kind == "consult")).one()
    assert step.unit_id == w.dept2.id and to_local(step.due_at) == local(2027, 3, 4, 17, 0)
    # The consulted agency now sees the dossier, in its to-do box; the handler cannot forward it.
    assert get_dossier(db, d.id, w.specialist2).id == d.id
    assert [x.id for x in inbox(db, w.specialist2, box="todo").items] == [d.id]
    assert available_actions(db, d, w.specialist2) == ["forward"]
    with pytest.raises(Forbidden):
        act(db, d, w.specialist, "forward")
    with frozen(local(2027, 3, 3, 9, 0)):
        act(db, d, w.specialist2, "forward", note="Đã xác nhận")
    assert d.status == "processing"
    db.refresh(step)
    assert step.state == "done" and step.outcome == "early" and step.finished_by_id == w.specialist2.id
    with frozen(local(2027, 3, 3, 10, 0)):
        act(db, d, w.specialist, "forward")
    assert d.status == "awaiting_approval"


def test_overdue_alert_apology_once_and_second_reappointment_refused(db, world):
    w = world
    with frozen(local(2027, 3, 2, 9, 0)):
        d = receive(db, w)  # due Tue 9/3 17:00
        act(db, d, w.head, "assign", assignee=w.specialist)
    assert send_overdue_alerts(db, at=local(2027, 3, 5, 16, 59)) == []
    assert send_overdue_alerts(db, at=local(2027, 3, 5, 17, 0)) == [d]
    assert send_overdue_alerts(db, at=local(2027, 3, 5, 17, 30)) == []  # once
    notes = db.scalars(select(Notification).where(Notification.dossier_id == d.id)).all()
    assert {n.recipient_id for n in notes} == {w.head.id, w.specialist.id}
    assert all("sắp đến hạn" in n.message and d.code in n.message for n in notes)
    with frozen(local(2027, 3, 8, 10, 0)):
        with pytest.raises(Forbidden):
            act(db, d, w.specialist, "apologize_reschedule", extra_working_days=3, note="Chờ xác minh")
        act(db, d, w.head, "apologize_reschedule", extra_working_days=3, note="Cần xác minh thêm tại địa phương")
    assert d.reappointed and to_local(d.due_at) == local(2027, 3, 12, 17, 0)
    assert to_local(d.progress_due_at) == local(2027, 3, 9, 17, 0)
    assert "apologize_reschedule" not in available_actions(db, d, w.head)
    assert send_overdue_alerts(db, at=local(2027, 3, 10, 16, 0)) == []
    assert send_overdue_alerts(db, at=local(2027, 3, 10, 17, 0)) == [d]  # the new appointment's own alert
    with frozen(local(2027, 3, 9, 9, 0)), pytest.raises(TransitionNotAllowed, match="hẹn lại ngày trả kết quả một lần"):
        act(db, d, w.head, "apologize_reschedule", extra_working_days=2, note="Lần hai")
    with frozen(local(2027, 3, 11, 9, 0)):
        act(db, d, w.specialist, "forward")
        act(db, d, w.head, "approve")
    with frozen(local(2027, 3, 15, 9, 0)):
        act(db, d, w.clerk, "issue_result")
    assert d.outcome == "late" and d.progress_outcome == "late"


def test_withdrawal_at_the_applicants_request(db, world):
    w = world
    with frozen(local(2027, 3, 2, 9, 0)):
        d = receive(db, w)
        act(db, d, w.head, "assign", assignee=w.specialist)
    with frozen(local(2027, 3, 3, 9, 0)):
        act(db, d, w.counter, "withdraw", note="Công dân có đơn xin rút hồ sơ")
    assert d.status == "withdrawn" and d.external_status == 7 and d.finished_at is not None
    assert available_actions(db, d, w.specialist) == [] and available_actions(db, d, w.head) == []
    open_steps = db.scalars(select(StepExecution).where(StepExecution.dossier_id == d.id,
                                                        StepExecution.state == "open")).all()
    assert open_steps == []


def test_cross_boundary_receipt_at_a_commune_for_a_provincial_procedure(db, world):
    w = world
    before = db.scalar(select(func.count()).select_from(Dossier))
    with frozen(local(2027, 3, 2, 9, 0)):
        with pytest.raises(InvalidInput, match="không phụ thuộc địa giới"):
            receive(db, w, procedure=w.p_dept, unit=w.commune, user=w.counter_commune)
        assert db.scalar(select(func.count()).select_from(Dossier)) == before
        d = receive(db, w, procedure=w.p_cross, unit=w.commune, user=w.counter_commune)
    assert d.code.startswith("T00.31.00.H99-270302-")
    assert (d.receiving_unit_id, d.agency_id, d.return_unit_id) == (w.commune.id, w.dept.id, w.commune.id)
    # The competent agency handles it; the commune counter returns the result.
    assert "assign" in available_actions(db, d, w.head)
    assert get_dossier(db, d.id, w.counter_commune).id == d.id


def test_access_denied_across_agencies_and_nothing_changes(db, world):
    w = world
    with frozen(local(2027, 3, 2, 9, 0)):
        d = receive(db, w)
        with pytest.raises(Forbidden):  # not a counter officer of that unit
            receive(db, w, user=w.outsider)
    before = (d.status, d.lock_version, db.scalar(select(func.count()).select_from(DossierEvent)
                                                  .where(DossierEvent.dossier_id == d.id)))
    with pytest.raises(Forbidden):
        get_dossier(db, d.id, w.outsider)
    for action in ("assign", "forward", "stop", "withdraw"):
        with pytest.raises(Forbidden):
            act(db, d, w.outsider, action, assignee=w.specialist, note="x")
    assert available_actions(db, d, w.outsider) == []
    assert inbox(db, w.outsider).total == 0
    db.refresh(d)
    assert (d.status, d.lock_version, db.scalar(select(func.count()).select_from(DossierEvent)
                                                .where(DossierEvent.dossier_id == d.id))) == before
    # Wrong state for a role that would otherwise be allowed.
    with pytest.raises(TransitionNotAllowed):
        act(db, d, w.head, "approve")
    assert inbox(db, w.admin).total >= 1


def test_payment_send_back_claim_and_stop(db, world):
    w = world
    with frozen(local(2027, 3, 2, 9, 0)):
        d = receive(db, w)
        act(db, d, w.head, "claim")
        assert d.current_assignee_id == w.head.id
        act(db, d, w.head, "forward")  # no handler chosen: any specialist may claim
    assert d.status == "processing" and d.current_assignee_id is None
    with frozen(local(2027, 3, 2, 10, 0)):
        act(db, d, w.specialist, "claim")
        with pytest.raises(Forbidden):
            act(db, d, w.specialist, "assign", assignee=w.specialist)
        act(db, d, w.specialist, "request_payment", amount=150000, note="Lệ phí cấp phiếu")
    assert (d.status, d.external_status) == ("payment_requested", 6)
    with frozen(local(2027, 3, 3, 10, 0)):  # one working day later
        act(db, d, w.counter, "confirm_payment")
    assert d.status == "processing" and d.fees_paid
    assert to_local(d.due_at) == local(2027, 3, 10, 17, 0)  # moved by the 8 paid-waiting hours
    with frozen(local(2027, 3, 3, 11, 0)):
        act(db, d, w.specialist, "forward")
        with pytest.raises(InvalidInput, match="lý do"):
            act(db, d, w.head, "send_back")
        act(db, d, w.head, "send_back", note="Bổ sung ý kiến thẩm định")
    assert d.status == "processing" and d.current_assignee_id == w.specialist.id  # back to its last handler
    with frozen(local(2027, 3, 3, 14, 0)):
        act(db, d, w.head, "stop", note="Cơ quan có thẩm quyền đình chỉ theo quyết định của tòa án")
    assert (d.status, d.external_status) == ("stopped", 8)
    assert [a for a, _ in events(db, d)] == ["receive", "claim", "forward", "claim", "request_payment",
                                             "confirm_payment", "forward", "send_back", "stop"]
    assert verify_chain(dossier_events(db, d.id)) is None
