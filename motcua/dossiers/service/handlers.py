"""One handler per action: the change itself (checks are done in actions.perform_action)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from motcua.calendar import engine as cal_engine
from motcua.core.clock import LOCAL_TZ, to_local
from motcua.core.errors import InvalidInput, TransitionNotAllowed
from motcua.core.text import nfc
from motcua.dossiers.enums import (
    Action,
    DossierStatus,
    PauseKind,
    ReturnMethod,
    StepState,
)
from motcua.dossiers.models import (
    Dossier,
    DossierAttachment,
    DossierPause,
    DossierResult,
    StepExecution,
)
from motcua.dossiers.service.common import (
    close_steps,
    enter_step,
    index_of,
    limit_args,
    open_pause,
    set_status,
    step_unit,
)
from motcua.dossiers.service.context import Context, after_group, current_template_step
from motcua.dossiers.storage import name_for, store_bytes
from motcua.dossiers.transitions import (
    RESUME,
    STATUS_FOR_STEP_KIND,
)

S = DossierStatus
DEFAULT_CONSULT_DAYS = 3

# ------------------------------------------------------------------ helpers


def _current_executions(ctx: Context) -> list[StepExecution]:
    return [e for e in ctx.opened if e.position == ctx.dossier.current_step_position and e.parallel_group is None]


def _advance(ctx: Context, *, status: S | None = None) -> list[StepExecution]:
    """Close the current step and open the next one of the template."""
    d = ctx.dossier
    ctx.outcome = close_steps(_current_executions(ctx), at=ctx.at, cal=ctx.cal, user_id=ctx.user.id)
    i = index_of(ctx.steps, d.current_step_position)
    j = after_group(ctx.steps, i)
    return enter_step(ctx.session, d, ctx.steps, j, at=ctx.at, cal=ctx.cal, status=status)


def _finish(ctx: Context) -> None:
    """Processing is over (result issued or refused): the dossier's outcome, both views."""
    d = ctx.dossier
    d.finished_at = ctx.at
    if d.due_at is not None:
        d.outcome = cal_engine.outcome(ctx.cal, ctx.at, d.due_at)
    if d.progress_due_at is not None:
        # QĐ 766: more than one supplement request counts as overdue.
        d.progress_outcome = "late" if d.supplement_count > 1 else cal_engine.outcome(ctx.cal, ctx.at, d.progress_due_at)


def _clear_position(d: Dossier) -> None:
    d.current_step_position = None
    d.current_step_name = None
    d.current_role = None
    d.current_unit_id = None
    d.current_assignee_id = None


def _close_everything(ctx: Context) -> None:
    close_steps(ctx.opened, at=ctx.at, cal=ctx.cal, user_id=ctx.user.id, state=StepState.cancelled)
    pause = open_pause(ctx.session, ctx.dossier)
    if pause is not None:
        pause.ended_at = ctx.at
        pause.ended_by_id = ctx.user.id


def _paused_time(ctx: Context, pause: DossierPause) -> timedelta:
    return ctx.cal.working_time_between(pause.started_at, ctx.at)


def _shift_open_steps(ctx: Context, amount: timedelta) -> None:
    if amount <= timedelta(0):
        return
    for e in ctx.opened:
        if e.due_at is not None:
            e.due_at = ctx.cal.add_working_time(e.due_at, amount)


def _progress_due(ctx: Context) -> datetime | None:
    d = ctx.dossier
    if d.original_due_at is None:
        return None
    pauses = ctx.session.scalars(
        select(DossierPause).where(DossierPause.dossier_id == d.id, DossierPause.ended_at.is_not(None))
    )
    return cal_engine.progress_due_with_pauses(ctx.cal, d.original_due_at, [(p.started_at, p.ended_at) for p in pauses])


# ------------------------------------------------------------------ handlers


def _claim(ctx: Context) -> None:
    ctx.dossier.current_assignee_id = ctx.user.id
    for e in _current_executions(ctx):
        e.assignee_id = ctx.user.id


def _assign(ctx: Context) -> None:
    """At the assignment step: hand over to the next step with its handler chosen; elsewhere:
    (re)assign the current step to another holder of its role."""
    d, assignee = ctx.dossier, ctx.params.assignee
    if assignee is None:
        raise InvalidInput("Cần chọn cán bộ được phân công xử lý.")
    step = current_template_step(ctx.steps, d)
    handing_over = step is not None and step.kind == "assign"
    target = step
    if handing_over:
        i = index_of(ctx.steps, step.position)
        j = after_group(ctx.steps, i)
        if j >= len(ctx.steps):
            raise TransitionNotAllowed("Đây là bước cuối của quy trình, không còn bước tiếp theo.")
        target = ctx.steps[j]
    role = target.role if target is not None else d.current_role
    unit = step_unit(d, target) if target is not None else d.current_unit_id
    if not assignee.is_active or not any(r.role == role and r.agency_id == unit for r in assignee.roles):
        raise InvalidInput(f"{assignee.full_name} không có vai trò xử lý bước “{target.name if target else ''}” "
                           "tại đơn vị này.")
    executions = _advance(ctx) if handing_over else _current_executions(ctx)
    d.current_assignee_id = assignee.id
    for e in executions:
        e.assignee_id = assignee.id
    ctx.data = {"assignee_id": str(assignee.id), "assignee_name": assignee.full_name}


def _forward(ctx: Context) -> None:
    if ctx.transition.target == RESUME:  # a consulted agency hands its inter-agency step back
        mine = [e for e in ctx.opened if e.parallel_group and e.unit_id == ctx.actor.unit_id] or [
            e for e in ctx.opened if e.parallel_group
        ][:1]
        ctx.outcome = close_steps(mine, at=ctx.at, cal=ctx.cal, user_id=ctx.user.id)
        ctx.data = {"consulted_unit_id": str(mine[0].unit_id)} if mine else None
        if any(e.parallel_group and e.state == StepState.open for e in ctx.opened):
            return
        step = current_template_step(ctx.steps, ctx.dossier)
        if step is not None and step.parallel_group:
            i = index_of(ctx.steps, step.position)
            enter_step(ctx.session, ctx.dossier, ctx.steps, after_group(ctx.steps, i), at=ctx.at, cal=ctx.cal)
        else:
            set_status(ctx.dossier, STATUS_FOR_STEP_KIND[step.kind] if step else S.processing)
        return
    _advance(ctx)


def _send_back(ctx: Context) -> None:
    d = ctx.dossier
    ctx.outcome = close_steps(_current_executions(ctx), at=ctx.at, cal=ctx.cal, user_id=ctx.user.id)
    i = index_of(ctx.steps, d.current_step_position)
    j = i - 1
    while j > 0 and ctx.steps[j].parallel_group:
        j -= 1
    enter_step(ctx.session, d, ctx.steps, j, at=ctx.at, cal=ctx.cal)


def _request_supplement(ctx: Context) -> None:
    d = ctx.dossier
    items = [nfc(str(m)) for m in (ctx.params.missing_items or []) if nfc(str(m))]
    if not items:
        raise InvalidInput("Cần liệt kê đầy đủ, một lần các nội dung, giấy tờ cần bổ sung.")
    ctx.session.add(DossierPause(
        dossier_id=d.id, kind=PauseKind.supplement, started_at=ctx.at, reason=ctx.note, missing_items=items,
        resume_status=d.status, requested_by_id=ctx.user.id,
    ))
    d.supplement_count += 1
    d.missing_items = items
    set_status(d, S.supplement_requested)
    within = None
    if d.effective_receipt_at is not None:
        days = ctx.cal.working_days_between(to_local(d.effective_receipt_at).date(), to_local(ctx.at).date())
        within = days <= 3
    ctx.data = {"missing_items": items, "within_3_working_days": within}


def _resume(ctx: Context, kind: PauseKind) -> None:
    d = ctx.dossier
    pause = open_pause(ctx.session, d)
    if pause is None or pause.kind != kind:
        raise TransitionNotAllowed("Hồ sơ không có yêu cầu đang chờ tương ứng.")
    pause.ended_at = ctx.at
    pause.ended_by_id = ctx.user.id if ctx.user else None
    paused = _paused_time(ctx, pause)
    _shift_open_steps(ctx, paused)
    old_due = d.due_at
    if kind == PauseKind.supplement and (d.time_limit_days is not None or d.time_limit_hours is not None):
        # ND 61/2018 Art. 19, ND 118/2025: the time limit restarts in full from the complete dossier.
        result = cal_engine.legal_due_after_resume(
            ctx.cal, ctx.at, cutoff=None, **limit_args(d.time_limit_days, d.time_limit_hours)
        )
        d.due_at = result.due_at
    elif d.due_at is not None:
        # Time spent on financial obligations is not counted (the applicant's side); a dossier
        # received with no limit at all (before limits were required) cannot restart one, so
        # its appointment moves by the time it waited, as here.
        d.due_at = ctx.cal.add_working_time(d.due_at, paused) if paused > timedelta(0) else d.due_at
    if d.due_at != old_due:
        d.overdue_alerted_at = None
    ctx.session.flush()
    d.progress_due_at = _progress_due(ctx)
    set_status(d, pause.resume_status)
    ctx.data = {
        "paused_from": pause.started_at.isoformat(),
        "old_due_at": old_due.isoformat() if old_due else None,
        "due_at": d.due_at.isoformat() if d.due_at else None,
        "progress_due_at": d.progress_due_at.isoformat() if d.progress_due_at else None,
    }


def _receive_supplement(ctx: Context) -> None:
    _resume(ctx, PauseKind.supplement)


def _request_payment(ctx: Context) -> None:
    d = ctx.dossier
    amount = ctx.params.amount if ctx.params.amount is not None else d.fees_amount
    if amount is None or amount < 0 or amount > 10**12:
        raise InvalidInput("Số tiền phải là số không âm (đồng).")
    ctx.session.add(DossierPause(
        dossier_id=d.id, kind=PauseKind.payment, started_at=ctx.at, reason=ctx.note, amount=amount,
        resume_status=d.status, requested_by_id=ctx.user.id,
    ))
    set_status(d, S.payment_requested)
    ctx.data = {"amount": amount}


def _confirm_payment(ctx: Context) -> None:
    _resume(ctx, PauseKind.payment)
    ctx.dossier.fees_paid = True


def _consult(ctx: Context) -> None:
    d, agency = ctx.dossier, ctx.params.consult_agency
    if agency is None:
        raise InvalidInput("Cần chọn cơ quan phối hợp (mã cơ quan).")
    if agency.id == d.agency_id:
        raise InvalidInput("Cơ quan phối hợp phải khác cơ quan giải quyết.")
    days = ctx.params.working_days if ctx.params.working_days is not None else DEFAULT_CONSULT_DAYS
    if not isinstance(days, int) or days < 1 or days > 365:
        raise InvalidInput("Thời hạn của cơ quan phối hợp phải từ 1 đến 365 ngày làm việc.")
    due = cal_engine.due_date(ctx.cal, ctx.at, working_days=days, cutoff=None).due_at
    group = f"consult-{ctx.at:%H%M%S%f}"
    ctx.session.add(StepExecution(
        dossier_id=d.id, position=d.current_step_position or 0, kind="consult",
        name=f"Lấy ý kiến {agency.name}"[:255], role="specialist", unit_id=agency.id, parallel_group=group,
        allotment_hours=days * 8, state=StepState.open, started_at=ctx.at, due_at=due,
    ))
    set_status(d, S.awaiting_consultation)
    ctx.data = {"consulted_unit_id": str(agency.id), "consulted_unit": agency.name, "working_days": days,
                "due_at": due.isoformat()}


def _approve(ctx: Context) -> None:
    _advance(ctx)


def _refuse(ctx: Context) -> None:
    d = ctx.dossier
    ctx.outcome = close_steps(ctx.opened, at=ctx.at, cal=ctx.cal, user_id=ctx.user.id)
    ctx.session.add(DossierResult(dossier_id=d.id, kind="refusal", issued_at=ctx.at, summary=ctx.note,
                                  issued_by_id=ctx.user.id))
    d.refusal_reason = ctx.note
    _finish(ctx)
    returns = [i for i, s in enumerate(ctx.steps) if s.kind == "return"]
    if returns:
        enter_step(ctx.session, d, ctx.steps, returns[-1], at=ctx.at, cal=ctx.cal, status=S.refused)
    else:
        _clear_position(d)
        set_status(d, S.refused)


def _issue_result(ctx: Context) -> None:
    d, p = ctx.dossier, ctx.params
    number = nfc(p.result_number) or f"{d.code}/KQ"
    if len(number) > 64:
        raise InvalidInput("Số kết quả không được quá 64 ký tự.")
    attachment_id = None
    if p.file_content is not None:
        try:
            digest, kind, size = store_bytes(p.file_content, root=p.storage_root)
        except InvalidInput as exc:  # named to its field, so the page shows it at the file input
            raise InvalidInput(exc.message, details=[
                {"field": "file_base64", "location": ["body", "file_base64"], "message": exc.message}]) from None
        attachment = DossierAttachment(
            dossier_id=d.id, purpose="result", filename=name_for(p.file_name, kind, default="ket-qua"), content_type=kind,
            size=size, sha256=digest, uploaded_by_id=ctx.user.id, created_at=ctx.at,
        )
        ctx.session.add(attachment)
        ctx.session.flush([attachment])
        attachment_id = attachment.id
    ctx.session.add(DossierResult(dossier_id=d.id, kind="result", number=number, issued_at=ctx.at,
                                  summary=nfc(p.result_summary) or None, attachment_id=attachment_id,
                                  issued_by_id=ctx.user.id))
    _finish(ctx)
    _advance(ctx)
    ctx.data = {"result_number": number, "attachment_id": str(attachment_id) if attachment_id else None}


def _return_result(ctx: Context) -> None:
    d = ctx.dossier
    default = {"counter": ReturnMethod.counter, "post": ReturnMethod.post, "online": ReturnMethod.online,
               "local_online": ReturnMethod.online}
    method = ctx.params.method or default.get(d.channel, ReturnMethod.counter)
    try:
        method = ReturnMethod(method)
    except ValueError:
        raise InvalidInput("Hình thức trả kết quả phải là counter, post hoặc online.") from None
    ctx.outcome = close_steps(ctx.opened, at=ctx.at, cal=ctx.cal, user_id=ctx.user.id)
    d.return_method = method.value
    d.returned_at = ctx.at
    _clear_position(d)
    set_status(d, S.returned)
    ctx.data = {"method": method.value}
    if method == ReturnMethod.online:
        # Electronic return: the audit row names the result files handed over; they stay
        # downloadable from the dossier page (dossiers.routes) for those in scope.
        files = ctx.session.scalars(select(DossierResult.attachment_id).where(
            DossierResult.dossier_id == d.id, DossierResult.attachment_id.is_not(None)))
        ctx.data["result_files"] = [str(f) for f in files]


def _apologize_reschedule(ctx: Context) -> None:
    d, p = ctx.dossier, ctx.params
    if d.due_at is None:
        raise TransitionNotAllowed("Hồ sơ chưa có ngày hẹn trả kết quả.")
    if p.new_due_at is not None:
        new_due = p.new_due_at
        if new_due.tzinfo is None:
            new_due = new_due.replace(tzinfo=LOCAL_TZ)
        if not ctx.at < new_due < ctx.at + timedelta(days=730):
            raise InvalidInput("Ngày hẹn mới phải sau thời điểm hiện tại và trong vòng 2 năm.")
    elif p.extra_working_days is not None:
        if p.extra_working_days < 1 or p.extra_working_days > 365:
            raise InvalidInput("Số ngày gia hạn phải từ 1 đến 365 ngày làm việc.")
        old = to_local(d.due_at)
        # Counted from the old appointment; once it has passed (a late apology), from today.
        start = max(old.date(), to_local(ctx.at).date())
        new_due = datetime.combine(ctx.cal.add_working_days(start, p.extra_working_days), old.timetz())
    else:
        raise InvalidInput("Cần nhập ngày hẹn mới hoặc số ngày làm việc gia hạn.")
    check = cal_engine.check_reappointment(
        ctx.cal, old_due_at=d.due_at, new_due_at=new_due, requested_at=ctx.at,
        previous_reappointments=1 if d.reappointed else 0,
    )
    if not check.allowed:
        raise TransitionNotAllowed(" ".join(check.errors))
    # `late`: issued after the last working day before the old due time (calendar.engine.
    # check_reappointment) — allowed, and kept in the audit row for the page and statistics.
    ctx.data = {"old_due_at": d.due_at.isoformat(), "new_due_at": new_due.isoformat(), "late": check.late}
    d.due_at = new_due
    d.overdue_alerted_at = None  # the new appointment gets its own alert
    d.reappointed = True
    d.reappointment_reason = ctx.note


def _withdraw(ctx: Context) -> None:
    _close_everything(ctx)
    ctx.dossier.finished_at = ctx.at
    _clear_position(ctx.dossier)
    set_status(ctx.dossier, S.withdrawn)


def _stop(ctx: Context) -> None:
    _close_everything(ctx)
    ctx.dossier.finished_at = ctx.at
    _clear_position(ctx.dossier)
    set_status(ctx.dossier, S.stopped)


HANDLERS = {
    Action.claim: _claim,
    Action.assign: _assign,
    Action.forward: _forward,
    Action.send_back: _send_back,
    Action.request_supplement: _request_supplement,
    Action.receive_supplement: _receive_supplement,
    Action.request_payment: _request_payment,
    Action.confirm_payment: _confirm_payment,
    Action.consult: _consult,
    Action.approve: _approve,
    Action.refuse: _refuse,
    Action.issue_result: _issue_result,
    Action.return_result: _return_result,
    Action.apologize_reschedule: _apologize_reschedule,
    Action.withdraw: _withdraw,
    Action.stop: _stop,
}
assert set(HANDLERS) == set(Action)
