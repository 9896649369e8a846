"""The transition table (motcua/dossiers/transitions.py) through the JSON API: every action in
every status, as a person who may act and as one who may not.

- Allowed (a row of the table): a person of the role the table names moves the dossier to
  the expected status and exactly one audit entry is appended, with its actor, steps and
  note; before that, a person of the agency who lacks the role gets 403 and nothing changes.
- Not in the table: 409 with the Vietnamese message, even for the province administrator
  (who holds every role), and nothing changes.

Dossiers are received at the counter and moved into each status through the API
(`factories.DossierDesk`, `factories.STATUS_PATHS`), at a frozen moment: Tuesday
02/03/2027 09:00, procedure of 5 working days, default process
(receive → assign → appraise → approve → issue → return).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from motcua.core.clock import frozen
from motcua.dossiers.enums import ACTION_LABELS, STATUS_LABELS, Action, DossierStatus
from motcua.dossiers.transitions import TRANSITIONS
from tests.factories import STATUS_PATHS, DossierDesk, local

S = DossierStatus
A = Action
NOW = local(2027, 3, 2, 9, 0)

# Step names of the default process (workflow.defaults.STEP_KIND_LABELS), as the audit shows them.
ASSIGN, APPRAISE, APPROVE = "Phân công xử lý", "Thẩm định, xử lý hồ sơ", "Phê duyệt kết quả"
ISSUE, RETURN = "Vào số, ban hành kết quả", "Trả kết quả"
# The step a dossier stands at in each status reached by STATUS_PATHS.
STEP_AT = {
    S.awaiting_assignment: ASSIGN, S.processing: APPRAISE, S.awaiting_consultation: APPRAISE,
    S.awaiting_approval: APPROVE, S.awaiting_result: ISSUE, S.result_ready: RETURN,
    S.supplement_requested: ASSIGN, S.payment_requested: APPRAISE, S.refused: RETURN,
}
# The role each person of the world acts in, and the name the audit records.
ROLE_OF = {"counter": "counter_officer", "head": "head", "specialist": "specialist", "clerk": "clerk",
           "specialist2": "specialist"}
NAME_OF = {"counter": "Nguyễn Thị Một Cửa", "head": "Phạm Thị Lãnh Đạo", "specialist": "Trần Văn Chuyên",
           "clerk": "Hoàng Văn Thư", "specialist2": "Vũ Thị Phối Hợp"}
NOTE = "Ghi chú kiểm thử"


@dataclass(frozen=True)
class Allowed:
    who: str  # the person who may act
    wrong: str  # a person of the same agencies who may not (403)
    to: DossierStatus
    to_step: str | None  # the step after the action (None: the dossier left the process)
    outcome: str | None = None  # of the step handed over (early / on_time), None when none closes
    body: dict = field(default_factory=dict)


def _same(who, wrong, status, body=None):
    return Allowed(who, wrong, status, STEP_AT[status], body=body or {})


REASON = {"note": NOTE}
REAPPOINT = {"note": NOTE, "extra_working_days": 2}
NOT_FINISHED = (S.awaiting_assignment, S.processing, S.awaiting_consultation, S.awaiting_approval,
                S.awaiting_result, S.supplement_requested, S.payment_requested)

# Step allotments of 5 working days (40 h): assign 2 h, appraise 24 h, approve 6 h, issue 4 h,
# return at the appointment (issue 16). A step closed on its due day is on time; the appraisal
# (3 days), the consultation (3 days) and the return (due in 5 working days) close early.
ALLOWED: dict[tuple[DossierStatus, Action], Allowed] = {
    (S.awaiting_assignment, A.claim): _same("head", "specialist", S.awaiting_assignment),
    (S.processing, A.claim): _same("specialist", "clerk", S.processing),
    (S.awaiting_approval, A.claim): _same("head", "specialist", S.awaiting_approval),
    (S.awaiting_result, A.claim): _same("clerk", "specialist", S.awaiting_result),
    (S.result_ready, A.claim): _same("counter", "specialist", S.result_ready),
    (S.awaiting_assignment, A.assign): Allowed("head", "specialist", S.processing, APPRAISE, "on_time",
                                               {"assignee": "t_chuyenvien"}),
    (S.processing, A.assign): _same("head", "specialist", S.processing, {"assignee": "t_chuyenvien"}),
    (S.awaiting_approval, A.assign): _same("head", "specialist", S.awaiting_approval, {"assignee": "t_lanhdao"}),
    (S.awaiting_result, A.assign): _same("head", "specialist", S.awaiting_result, {"assignee": "t_vanthu"}),
    (S.result_ready, A.assign): _same("head", "specialist", S.result_ready, {"assignee": "t_motcua"}),
    (S.awaiting_assignment, A.forward): Allowed("head", "specialist", S.processing, APPRAISE, "on_time"),
    (S.processing, A.forward): Allowed("specialist", "clerk", S.awaiting_approval, APPROVE, "early"),
    (S.awaiting_consultation, A.forward): Allowed("specialist2", "specialist", S.processing, APPRAISE, "early"),
    (S.processing, A.send_back): Allowed("specialist", "clerk", S.awaiting_assignment, ASSIGN, "early", REASON),
    (S.awaiting_approval, A.send_back): Allowed("head", "specialist", S.processing, APPRAISE, "on_time", REASON),
    (S.awaiting_result, A.send_back): Allowed("clerk", "specialist", S.awaiting_approval, APPROVE, "on_time",
                                              REASON),
    (S.awaiting_assignment, A.request_supplement): Allowed(
        "head", "specialist", S.supplement_requested, ASSIGN, body={"missing_items": ["Bản sao sổ hộ khẩu"]}),
    (S.processing, A.request_supplement): Allowed(
        "specialist", "clerk", S.supplement_requested, APPRAISE, body={"missing_items": ["Bản sao sổ hộ khẩu"]}),
    (S.supplement_requested, A.receive_supplement): Allowed("counter", "specialist", S.awaiting_assignment, ASSIGN),
    (S.processing, A.request_payment): Allowed("specialist", "clerk", S.payment_requested, APPRAISE,
                                               body={"amount": 50000}),
    (S.awaiting_approval, A.request_payment): Allowed("head", "specialist", S.payment_requested, APPROVE,
                                                      body={"amount": 50000}),
    (S.awaiting_result, A.request_payment): Allowed("clerk", "specialist", S.payment_requested, ISSUE,
                                                    body={"amount": 50000}),
    (S.payment_requested, A.confirm_payment): Allowed("counter", "clerk", S.processing, APPRAISE),
    (S.processing, A.consult): Allowed("specialist", "clerk", S.awaiting_consultation, APPRAISE,
                                       body={"agency_code": "@dept2", "working_days": 3}),
    (S.awaiting_approval, A.approve): Allowed("head", "specialist", S.awaiting_result, ISSUE, "on_time"),
    (S.processing, A.refuse): Allowed("head", "specialist", S.refused, RETURN, "early", REASON),
    (S.awaiting_approval, A.refuse): Allowed("head", "specialist", S.refused, RETURN, "on_time", REASON),
    (S.awaiting_result, A.issue_result): Allowed("clerk", "specialist", S.result_ready, RETURN, "on_time",
                                                 {"result_number": "16/QĐ-STP"}),
    (S.result_ready, A.return_result): Allowed("counter", "specialist", S.returned, None, "early"),
    (S.refused, A.return_result): Allowed("counter", "specialist", S.returned, None, "early"),
    **{(s, A.apologize_reschedule): _same("head", "specialist", s, REAPPOINT) for s in NOT_FINISHED},
    **{(s, A.withdraw): Allowed("counter", "specialist", S.withdrawn, None, body=REASON) for s in NOT_FINISHED},
    **{(s, A.stop): Allowed("head", "specialist", S.stopped, None, body=REASON) for s in NOT_FINISHED},
}


def _pairs_of_the_table() -> set[tuple[DossierStatus, Action]]:
    return {(s, t.action) for t in TRANSITIONS for s in t.sources}


def _snapshot(desk: DossierDesk, dossier_id) -> tuple[dict, list[dict]]:
    """Everything the API shows of a dossier: the dossier with its steps, and its audit trail."""
    return desk.read(dossier_id), desk.events(dossier_id)


def _label(action: Action) -> str:
    return ACTION_LABELS[action].lower()


def test_the_matrix_covers_every_row_of_the_table():
    assert set(ALLOWED) == _pairs_of_the_table()
    assert set(STATUS_PATHS) | {S.submitted_online} == set(DossierStatus)


@pytest.mark.one_backend
@pytest.mark.parametrize(("status", "action"), sorted(ALLOWED), ids=lambda v: str(v))
def test_allowed_action_moves_the_dossier_and_writes_one_audit_entry(desk, status, action):
    case = ALLOWED[(status, action)]
    with frozen(NOW):
        dossier = desk.dossier_in(status)
        before = _snapshot(desk, dossier["id"])
        assert action in desk.read(dossier["id"], case.who)["available_actions"]
        assert action not in desk.read(dossier["id"], case.wrong)["available_actions"]

        refused = desk.act(dossier["id"], action, case.wrong, case.body)
        assert refused.status_code == 403, refused.text
        assert refused.json()["title"] == (
            f"Bạn không có quyền {_label(action)} đối với hồ sơ {dossier['code']} ở bước hiện tại.")
        assert _snapshot(desk, dossier["id"]) == before

        done = desk.act(dossier["id"], action, case.who, case.body)
        assert done.status_code == 200, done.text
        assert done.json()["status"] == case.to

    events = desk.events(dossier["id"])
    assert events[:-1] == before[1]
    entry = {k: events[-1][k] for k in ("seq", "action", "from_status", "to_status", "from_step", "to_step",
                                        "actor_name", "actor_role", "outcome", "note")}
    assert entry == {
        "seq": len(before[1]) + 1, "action": action, "from_status": status, "to_status": case.to,
        "from_step": STEP_AT[status], "to_step": case.to_step, "actor_name": NAME_OF[case.who],
        "actor_role": ROLE_OF[case.who], "outcome": case.outcome, "note": case.body.get("note"),
    }


@pytest.mark.one_backend
@pytest.mark.parametrize("status", list(DossierStatus), ids=str)
def test_actions_outside_the_table_are_refused_with_409_and_write_nothing(desk, db, status):
    """Every action the table does not list for `status`, tried by the province administrator."""
    refused_here = [a for a in Action if (status, a) not in ALLOWED]
    assert refused_here, status
    with frozen(NOW):
        dossier = desk.dossier_in(status, db)
        before = _snapshot(desk, dossier["id"])
        answers = {a: desk.act(dossier["id"], a, "admin", {"note": NOTE}) for a in refused_here}
        assert _snapshot(desk, dossier["id"]) == before
    got = {a: (r.status_code, r.json()["code"], r.json()["title"]) for a, r in answers.items()}
    assert got == {
        a: (409, "transition_not_allowed",
            f"Không thể {_label(a)} khi hồ sơ đang ở trạng thái “{STATUS_LABELS[status]}”.")
        for a in refused_here
    }


def test_the_refusal_message_reads_as_written(desk):
    with frozen(NOW):
        dossier = desk.dossier_in(S.returned)
        answer = desk.act(dossier["id"], "approve", "admin")
    assert answer.status_code == 409
    assert answer.json()["title"] == "Không thể phê duyệt khi hồ sơ đang ở trạng thái “Đã trả kết quả”."


def test_paths_write_exactly_their_audit_entries(desk):
    """The audit trail of a dossier brought to each status is its receipt and its moves, in order."""
    with frozen(NOW):
        for status, moves in STATUS_PATHS.items():
            dossier = desk.dossier_in(status)
            trail = [(e["action"], e["from_status"], e["to_status"]) for e in desk.events(dossier["id"])]
            assert [t[0] for t in trail] == ["receive", *(m.action for m in moves)], status
            assert trail[0][1] is None and trail[-1][2] == status
            assert all(a[2] == b[1] for a, b in zip(trail, trail[1:], strict=False)), trail


def test_a_person_outside_the_agencies_gets_403_and_changes_nothing(desk):
    with frozen(NOW):
        dossier = desk.dossier_in(S.awaiting_assignment)
        before = _snapshot(desk, dossier["id"])
        answer = desk.act(dossier["id"], "claim", "outsider")
        assert answer.status_code == 403, answer.text
        assert answer.json()["title"] == "Hồ sơ không thuộc phạm vi cơ quan, đơn vị của bạn."
        assert _snapshot(desk, dossier["id"]) == before


@pytest.mark.parametrize(("action", "body", "message"), [
    ("send_back", {}, "Cần ghi rõ lý do khi trả lại bước trước."),
    ("refuse", {}, "Cần ghi rõ lý do khi từ chối giải quyết."),
    ("request_supplement", {}, "Cần liệt kê đầy đủ, một lần các nội dung, giấy tờ cần bổ sung."),
    ("consult", {}, "Cần chọn cơ quan phối hợp (mã cơ quan)."),
    ("apologize_reschedule", {"note": NOTE}, "Cần nhập ngày hẹn mới hoặc số ngày làm việc gia hạn."),
])
def test_an_allowed_action_without_its_input_is_422_and_writes_nothing(desk, action, body, message):
    who = "head" if action == "refuse" or action == "apologize_reschedule" else "specialist"
    with frozen(NOW):
        dossier = desk.dossier_in(S.processing)
        before = _snapshot(desk, dossier["id"])
        answer = desk.act(dossier["id"], action, who, body)
        assert (answer.status_code, answer.json()["title"]) == (422, message)
        assert _snapshot(desk, dossier["id"]) == before


def test_supplement_is_requested_once_only(desk):
    with frozen(NOW):
        dossier = desk.dossier_in(S.supplement_requested)
        assert desk.act(dossier["id"], "receive_supplement", "counter").json()["status"] == S.awaiting_assignment
        before = _snapshot(desk, dossier["id"])
        answer = desk.act(dossier["id"], "request_supplement", "head", {"missing_items": ["Bản sao sổ hộ khẩu"]})
        assert answer.status_code == 409
        assert answer.json()["title"] == ("Hồ sơ đã được yêu cầu bổ sung một lần; theo quy định chỉ yêu cầu bổ "
                                          "sung một lần, đầy đủ các nội dung còn thiếu.")
        assert _snapshot(desk, dossier["id"]) == before


def test_reappointment_happens_once_only(desk):
    with frozen(NOW):
        dossier = desk.dossier_in(S.processing)
        assert desk.act(dossier["id"], "apologize_reschedule", "head", REAPPOINT).status_code == 200
        before = _snapshot(desk, dossier["id"])
        answer = desk.act(dossier["id"], "apologize_reschedule", "head", REAPPOINT)
        assert answer.status_code == 409
        assert answer.json()["title"] == "Hồ sơ đã được hẹn lại ngày trả kết quả một lần; không được hẹn lại lần nữa."
        assert _snapshot(desk, dossier["id"]) == before


def test_a_claimed_step_cannot_be_claimed_again_by_another(desk, db, world):
    with frozen(NOW):
        dossier = desk.dossier_in(S.processing)
        assert desk.act(dossier["id"], "claim", "specialist").status_code == 200
        assert desk.read(dossier["id"])["current_assignee_id"] == str(world.specialist.id)
        before = _snapshot(desk, dossier["id"])
        answer = desk.act(dossier["id"], "claim", "specialist")
        assert answer.status_code == 403
        assert _snapshot(desk, dossier["id"]) == before
