"""The dossier state machine as data: (status, action) → next status and who may act.

Services check this table before every change (`motcua.dossiers.service.actions`), and
`available_actions` reads it to decide which buttons a user sees. Pure: no database.

Targets:
- a `DossierStatus`: the dossier moves to that status;
- `SAME`: the status does not change (claim, assign, apology with a new appointment);
- `NEXT_STEP` / `PREV_STEP`: move along the process template; the new status follows
  from the kind of step entered (`STATUS_FOR_STEP_KIND`);
- `RESUME`: go back to the status the dossier had before a pause or a consultation.

Actors (`who`), any of which grants the action:
- `step`: a user holding the current step's role in the step's unit;
- `counter`: a counter officer of the receiving unit or the place of return;
- `competent`: a user holding one of `roles` in the competent agency;
- `consulted`: a user holding one of `roles` in an agency with an open inter-agency step.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.dossiers.enums import Action, DossierStatus
from motcua.workflow.defaults import DEFAULT_STEP_ACTIONS, STEP_KIND_LABELS, StepKind  # noqa: F401

S = DossierStatus

SAME = "same"
NEXT_STEP = "next_step"
PREV_STEP = "prev_step"
RESUME = "resume"


STATUS_FOR_STEP_KIND: dict[str, DossierStatus] = {
    "receive": S.awaiting_assignment,
    "assign": S.awaiting_assignment,
    "appraise": S.processing,
    "consult": S.awaiting_consultation,
    "approve": S.awaiting_approval,
    "issue": S.awaiting_result,
    "return": S.result_ready,
}

AT_A_STEP = frozenset({S.awaiting_assignment, S.processing, S.awaiting_approval, S.awaiting_result, S.result_ready})
HANDLING = frozenset(AT_A_STEP - {S.result_ready}) | {S.awaiting_consultation}
NOT_FINISHED = HANDLING | {S.supplement_requested, S.payment_requested}


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[DossierStatus]
    target: str  # a DossierStatus value or SAME / NEXT_STEP / PREV_STEP / RESUME
    who: tuple[str, ...]  # "step", "counter", "competent", "consulted"
    roles: tuple[str, ...] = ()  # for counter / competent / consulted actors
    needs_note: bool = False  # a reason is compulsory


A = Action
TRANSITIONS: tuple[Transition, ...] = (
    Transition(A.claim, AT_A_STEP, SAME, ("step",)),
    Transition(A.assign, AT_A_STEP, SAME, ("competent",), ("head", "agency_admin")),
    Transition(A.forward, frozenset({S.awaiting_assignment, S.processing}), NEXT_STEP, ("step",)),
    Transition(A.forward, frozenset({S.awaiting_consultation}), RESUME, ("consulted",), ("specialist", "head")),
    Transition(A.send_back, frozenset({S.processing, S.awaiting_approval, S.awaiting_result}), PREV_STEP, ("step",),
               needs_note=True),
    Transition(A.request_supplement, frozenset({S.awaiting_assignment, S.processing}), S.supplement_requested,
               ("step",)),
    Transition(A.receive_supplement, frozenset({S.supplement_requested}), RESUME, ("counter", "step"),
               ("counter_officer",)),
    Transition(A.request_payment, frozenset({S.processing, S.awaiting_approval, S.awaiting_result}),
               S.payment_requested, ("step",)),
    Transition(A.confirm_payment, frozenset({S.payment_requested}), RESUME, ("counter", "step"), ("counter_officer",)),
    Transition(A.consult, frozenset({S.processing}), S.awaiting_consultation, ("step",)),
    Transition(A.approve, frozenset({S.awaiting_approval}), NEXT_STEP, ("step",)),
    Transition(A.refuse, frozenset({S.processing, S.awaiting_approval}), S.refused, ("competent",), ("head",),
               needs_note=True),
    Transition(A.issue_result, frozenset({S.awaiting_result}), NEXT_STEP, ("step",)),
    Transition(A.return_result, frozenset({S.result_ready, S.refused}), S.returned, ("counter",),
               ("counter_officer",)),
    Transition(A.apologize_reschedule, NOT_FINISHED, SAME, ("competent",), ("head",), needs_note=True),
    Transition(A.withdraw, NOT_FINISHED, S.withdrawn, ("counter",), ("counter_officer",), needs_note=True),
    Transition(A.stop, NOT_FINISHED, S.stopped, ("competent",), ("head",), needs_note=True),
)

_INDEX: dict[tuple[DossierStatus, Action], Transition] = {}
for _t in TRANSITIONS:
    for _s in _t.sources:
        assert (_s, _t.action) not in _INDEX, (_s, _t.action)
        _INDEX[(_s, _t.action)] = _t


def transition_for(status: str, action: str) -> Transition | None:
    """The transition for `action` in `status`, or None when the action is not allowed there."""
    try:
        return _INDEX.get((DossierStatus(status), Action(action)))
    except ValueError:
        return None


def actions_in(status: str) -> list[Action]:
    """Actions the state machine allows in `status` (before role and step checks), in table order."""
    seen: list[Action] = []
    for t in TRANSITIONS:
        if status in t.sources and t.action not in seen:
            seen.append(t.action)
    return seen


# Actions a step's `actions` list governs (the others are dossier-level: counter or head).
STEP_GOVERNED = frozenset(
    {A.claim, A.forward, A.send_back, A.request_supplement, A.request_payment, A.consult, A.approve,
     A.issue_result}
)
