"""Handling actions: every change is a state-machine transition with its audit row.

`perform_action` checks, in order: the action exists, the dossier is within the user's
scope, the state machine allows it in the current status, the current step allows it,
the user holds the required role in the right unit, the action's own rules (supplement
once and fully, re-appointment once …). Nothing is written before every check passes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from motcua.auth.models import User
from motcua.core.clock import now
from motcua.core.errors import Conflict, Forbidden, InvalidInput, TransitionNotAllowed
from motcua.core.text import nfc
from motcua.dossiers.enums import (
    ACTION_LABELS,
    STATUS_LABELS,
    Action,
    DossierStatus,
)
from motcua.dossiers.models import (
    Dossier,
)
from motcua.dossiers.policies import Actor, match_actor, system_actor
from motcua.dossiers.queries import ensure_visible
from motcua.dossiers.service.common import (
    index_of,
    load_calendar,
    open_steps,
    record,
    template_steps,
)
from motcua.dossiers.service.context import (
    ActionParams,
    Context,
    after_group,
    current_template_step,
)
from motcua.dossiers.service.handlers import HANDLERS
from motcua.dossiers.transitions import (
    STEP_GOVERNED,
    Transition,
    actions_in,
    transition_for,
)

S = DossierStatus
MAX_NOTE = 4000

__all__ = [
    "SYSTEM_ACTIONS", "ActionParams", "Allowed", "available_actions", "check_action", "checked_note",
    "perform_action", "perform_system_action",
]


def _label(action: str) -> str:
    try:
        return ACTION_LABELS[Action(action)].lower()
    except ValueError:
        return action


def _status_label(status: str) -> str:
    try:
        return STATUS_LABELS[S(status)]
    except ValueError:
        return status

def _rule_problem(session: Session, dossier: Dossier, action: Action, steps) -> str | None:
    """Action-specific rules that make an action unavailable (message in Vietnamese)."""
    if action in STEP_GOVERNED and not (action == Action.forward and dossier.status == S.awaiting_consultation):
        step = current_template_step(steps, dossier)
        if step is not None and action.value not in (step.actions or []):
            return f"Bước “{step.name}” của quy trình không cho phép thao tác “{_label(action)}”."
    if action == Action.request_supplement and dossier.supplement_count >= 1:
        return ("Hồ sơ đã được yêu cầu bổ sung một lần; theo quy định chỉ yêu cầu bổ sung một lần, "
                "đầy đủ các nội dung còn thiếu.")
    if action == Action.apologize_reschedule and dossier.reappointed:
        return "Hồ sơ đã được hẹn lại ngày trả kết quả một lần; không được hẹn lại lần nữa."
    if action == Action.send_back:
        i = index_of(steps, dossier.current_step_position)
        if i is None or i == 0 or steps[i - 1].kind == "receive":
            return "Không có bước trước để trả lại (không trả lại bước tiếp nhận; hãy yêu cầu bổ sung hồ sơ)."
    if action in (Action.forward, Action.approve, Action.issue_result) and dossier.status != S.awaiting_consultation:
        i = index_of(steps, dossier.current_step_position)
        if i is None or after_group(steps, i) >= len(steps):
            return "Đây là bước cuối của quy trình, không còn bước tiếp theo."
    return None

def available_actions(session: Session, dossier: Dossier, user: User | None) -> list[str]:
    """What `user` may do to `dossier` now (for the API and the dossier page's buttons)."""
    if user is None:
        return []
    steps = template_steps(session, dossier)
    opened = open_steps(session, dossier) if dossier.status == S.awaiting_consultation else []
    result = []
    for action in actions_in(dossier.status):
        t = transition_for(dossier.status, action)
        if t is None or _rule_problem(session, dossier, action, steps):
            continue
        if match_actor(dossier, t, user, open_steps=opened) is not None:
            result.append(action.value)
    return result


def _transition(dossier: Dossier, act: Action) -> Transition:
    t = transition_for(dossier.status, act)
    if t is None:
        raise TransitionNotAllowed(
            f"Không thể {_label(act)} khi hồ sơ đang ở trạng thái “{_status_label(dossier.status)}”."
        )
    return t


@dataclass(frozen=True)
class Allowed:
    """An action that passed every check of `check_action`, with what its handler needs."""

    action: Action
    transition: Transition
    actor: Actor
    steps: list
    opened: list


def check_action(session: Session, dossier: Dossier, *, user: User, action: str) -> Allowed:
    """Every check `perform_action` makes before the action's own input (writes nothing): the
    page asks it before showing a confirmation, so what is confirmed is what may be done."""
    try:
        act = Action(action)
    except ValueError:
        raise InvalidInput(f"Thao tác “{action}” không tồn tại.") from None
    ensure_visible(session, dossier, user)
    t = _transition(dossier, act)
    steps = template_steps(session, dossier)
    opened = open_steps(session, dossier)
    actor = match_actor(dossier, t, user, open_steps=opened)
    if actor is None:
        raise Forbidden(f"Bạn không có quyền {_label(act)} đối với hồ sơ {dossier.code} ở bước hiện tại.")
    problem = _rule_problem(session, dossier, act, steps)
    if problem:
        raise TransitionNotAllowed(problem)
    return Allowed(act, t, actor, steps, opened)


def _note_refused(message: str) -> InvalidInput:
    # Names its field, so a page shows the refusal at the note (as a form's own validation
    # does, see dossiers/inputs.py); the API's problem carries it as `detail`.
    return InvalidInput(message, details=[{"field": "note", "location": ["body", "note"], "message": message}])


def checked_note(allowed: Allowed, note: str | None) -> str | None:
    """The action's note, NFC; refused when too long or missing where a reason is compulsory."""
    note = nfc(note) or None
    if note and len(note) > MAX_NOTE:
        raise _note_refused(f"Ghi chú không được quá {MAX_NOTE} ký tự.")
    if allowed.transition.needs_note and not note:
        raise _note_refused(f"Cần ghi rõ lý do khi {_label(allowed.action)}.")
    return note


def perform_action(
    session: Session, dossier: Dossier, *, user: User, action: str, params: ActionParams | None = None
) -> Dossier:
    """Apply `action` to `dossier` as `user`; raises without writing anything when not allowed."""
    params = params or ActionParams()
    allowed = check_action(session, dossier, user=user, action=action)
    act, t = allowed.action, allowed.transition
    note = checked_note(allowed, params.note)

    return _apply(session, dossier, act, t, allowed.actor, user, params, note, allowed.steps, allowed.opened)


# Actions an external system takes on its own authority, with no user: the national payment
# platform's verified confirmation resumes a dossier waiting for payment (the payments domain).
SYSTEM_ACTIONS = frozenset({Action.confirm_payment})


def perform_system_action(
    session: Session, dossier: Dossier, *, action: str, actor_name: str, params: ActionParams | None = None,
    note: str | None = None,
) -> Dossier:
    """Apply `action` as the system `actor_name` (e.g. the payment platform): the state
    machine and the action's rules still decide; no user's role is checked."""
    act = Action(action)
    if act not in SYSTEM_ACTIONS:
        raise Forbidden(f"Thao tác “{_label(act)}” không do hệ thống thực hiện.")
    t = _transition(dossier, act)
    actor = system_actor(actor_name)
    return _apply(session, dossier, act, t, actor, None, params or ActionParams(), nfc(note) or None,
                  template_steps(session, dossier), open_steps(session, dossier))


def _apply(session: Session, dossier: Dossier, act: Action, t: Transition, actor: Actor, user: User | None,
           params: ActionParams, note: str | None, steps, opened) -> Dossier:
    from_status, from_step, from_unit = dossier.status, dossier.current_step_name, dossier.current_unit_id
    ctx = Context(session, dossier, user, actor, t, params, note, now(), load_calendar(session, dossier.agency_id),
                  steps, opened)
    try:
        HANDLERS[act](ctx)
        dossier.updated_at = ctx.at
        record(session, dossier, actor=actor, action=act.value, at=ctx.at, from_status=from_status,
               from_step=from_step, from_unit_id=from_unit, outcome=ctx.outcome, note=note, data=ctx.data)
        session.flush()
    except (StaleDataError, IntegrityError) as exc:
        # Someone else changed the dossier at the same time (lock_version / audit seq): the
        # whole unit of work rolls back; the user retries on the fresh state.
        raise Conflict("Hồ sơ vừa được người khác cập nhật; vui lòng tải lại và thử lại.") from exc
    return dossier
