"""Pure: a dossier's timeline as the applicant reads it, built from its audit trail.

One builder for the public lookup (`/tra-cuu`) and the citizen's «Hồ sơ của tôi»: the steps
the dossier went through (received, accepted, each hand-over between units and steps, the
supplement asked for with exactly what is missing, the supplement received, payment asked
and made, the apology with its new date, the result, the return), its status in plain
Vietnamese, the appointment, early / on time / late, and the pauses.

What an applicant is not told: the names of officers (personal data of others), the notes
officers leave each other on a hand-over or a send-back, internal ids. What the law says the
applicant must be told is shown as the officer recorded it: what to supplement and why, the
reason of a refusal, a stop or an apology, the new appointment.

Timing uses the dossiers' own rules: the stored outcome (`Dossier.outcome`, set by the
calendar's rule when processing ends) and, while it runs, `deadlines.urgency`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from motcua.calendar.engine import WorkingCalendar
from motcua.core.clock import to_local
from motcua.dossiers.deadlines import urgency
from motcua.dossiers.enums import (
    CHANNEL_LABELS,
    EXTERNAL_LABELS,
    EXTERNAL_STATUS,
    FINISHED_STATUSES,
    OUTCOME_LABELS,
    PAUSED_STATUSES,
    PUBLIC_STATUS_TEXT,
    RETURN_METHOD_LABELS,
    Action,
    DossierStatus,
    PauseKind,
)

PAUSE_LABELS = {PauseKind.supplement: "Chờ bổ sung hồ sơ", PauseKind.payment: "Chờ thực hiện nghĩa vụ tài chính"}


@dataclass(frozen=True)
class TimelineStep:
    """One line of the timeline. `items`: what to supplement; `due_at`: the appointment given
    (or moved) at this step; `outcome`: of the step handed over (early / on_time / late)."""

    at: datetime
    kind: str  # the audit action (receive, forward, request_supplement …)
    title: str
    unit: str = ""  # where the dossier went (or is): agency — step
    note: str = ""
    items: tuple[str, ...] = ()
    due_at: datetime | None = None
    amount: int | None = None
    outcome: str | None = None
    outcome_label: str = ""  # its words (enums.OUTCOME_LABELS)


@dataclass(frozen=True)
class Pause:
    kind: str
    label: str
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class Timing:
    """early / on_time / late once processing is over; running / due_today / due_soon /
    overdue / paused while it runs; none without an appointment."""

    kind: str
    text: str


@dataclass(frozen=True)
class Timeline:
    code: str
    procedure_name: str
    agency_name: str
    channel_label: str
    status: str
    status_text: str
    external_status: int
    external_label: str
    received_at: datetime | None
    due_at: datetime | None
    first_due_at: datetime | None  # the appointment given before an apology (None: unchanged)
    returned_at: datetime | None
    timing: Timing
    steps: tuple[TimelineStep, ...]
    pauses: tuple[Pause, ...]
    missing_items: tuple[str, ...] = ()  # open supplement request: what to bring
    missing_note: str = ""
    result_ready: bool = False

    def as_json(self) -> dict:
        """The API form (datetimes in ISO 8601, local time +07:00 as every answer of the API)."""
        def iso(value):
            return to_local(value).isoformat() if isinstance(value, datetime) else value
        return {
            "code": self.code, "procedure_name": self.procedure_name, "agency": self.agency_name,
            "channel": self.channel_label, "status": self.status, "status_text": self.status_text,
            "external_status": self.external_status, "external_label": self.external_label,
            "received_at": iso(self.received_at), "due_at": iso(self.due_at), "first_due_at": iso(self.first_due_at),
            "returned_at": iso(self.returned_at), "timing": {"kind": self.timing.kind, "text": self.timing.text},
            "missing_items": list(self.missing_items), "missing_note": self.missing_note,
            "result_ready": self.result_ready,
            "pauses": [{"kind": p.kind, "label": p.label, "started_at": iso(p.started_at), "ended_at": iso(p.ended_at)}
                       for p in self.pauses],
            "steps": [{"at": iso(s.at), "kind": s.kind, "title": s.title, "unit": s.unit, "note": s.note,
                       "items": list(s.items), "due_at": iso(s.due_at), "amount": s.amount, "outcome": s.outcome,
                       "outcome_label": s.outcome_label} for s in self.steps],
        }


def _when(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _place(unit_names: Mapping[uuid.UUID, str], unit_id, step: str | None) -> str:
    return " — ".join(p for p in (unit_names.get(unit_id, "") if unit_id else "", step or "") if p)


def _handed_over(event) -> dict:
    """The outcome of the step an audit row handed over, with its label."""
    return {"outcome": event.outcome, "outcome_label": OUTCOME_LABELS.get(event.outcome or "", "")}


def _step(event, unit_names: Mapping[uuid.UUID, str], supplement_items: Mapping[datetime, Sequence[str]],
          refused_receipt_items: Sequence[str]) -> TimelineStep | None:
    """The applicant's line for one audit row, or None for a row that is internal only
    (claiming a dossier, attaching a file, alerts …). What an incomplete receipt lacked is on
    its pause (online: the dossier waits for the supplement) or, at the counter, where the
    receipt ends, on the dossier itself (`refused_receipt_items`); the row's note joins them."""
    data = event.data or {}
    action = event.action
    to_place = _place(unit_names, event.to_unit_id, event.to_step)
    base = {"at": event.at, "kind": action}
    if action == "submit_online":
        return TimelineStep(**base, title="Nộp hồ sơ trực tuyến")
    if action == "receive":
        outcome = data.get("outcome")
        if outcome == "incomplete":
            items = tuple(supplement_items.get(event.at) or refused_receipt_items or
                          ([event.note] if event.note else []))
            return TimelineStep(**base, title="Hồ sơ chưa đầy đủ: cần bổ sung, hoàn thiện", items=items)
        if outcome == "refused":
            return TimelineStep(**base, title="Từ chối tiếp nhận hồ sơ", note=event.note or "")
        return TimelineStep(**base, title="Tiếp nhận hồ sơ", unit=to_place, due_at=_when(data.get("due_at")))
    if action in (Action.assign, Action.forward, Action.approve):
        title = {Action.assign: "Phân công xử lý", Action.approve: "Lãnh đạo phê duyệt, chuyển bước tiếp theo"}.get(
            action, "Chuyển bước xử lý")
        return TimelineStep(**base, title=title, unit=to_place, **_handed_over(event))
    if action == Action.send_back:
        return TimelineStep(**base, title="Chuyển lại bước trước để xử lý lại", unit=to_place, **_handed_over(event))
    if action == Action.consult:
        return TimelineStep(**base, title="Lấy ý kiến cơ quan phối hợp", unit=str(data.get("consulted_unit") or ""),
                            due_at=_when(data.get("due_at")))
    if action == Action.request_supplement:
        items = tuple(data.get("missing_items") or supplement_items.get(event.at) or ())
        return TimelineStep(**base, title="Yêu cầu bổ sung hồ sơ", items=items, note=event.note or "")
    if action == "online_supplement":
        return TimelineStep(**base, title="Đã gửi hồ sơ bổ sung trực tuyến")
    if action == Action.receive_supplement:
        return TimelineStep(**base, title="Đã nhận hồ sơ bổ sung, tiếp tục giải quyết",
                            due_at=_when(data.get("due_at")))
    if action == Action.request_payment:
        return TimelineStep(**base, title="Yêu cầu thực hiện nghĩa vụ tài chính", amount=data.get("amount"),
                            note=event.note or "")
    if action == Action.confirm_payment:
        return TimelineStep(**base, title="Đã thực hiện nghĩa vụ tài chính, tiếp tục giải quyết",
                            due_at=_when(data.get("due_at")))
    if action == Action.apologize_reschedule:
        return TimelineStep(**base, title="Cơ quan giải quyết xin lỗi và hẹn lại ngày trả kết quả",
                            note=event.note or "", due_at=_when(data.get("new_due_at")))
    if action == Action.issue_result:
        return TimelineStep(**base, title="Đã có kết quả giải quyết", unit=to_place, **_handed_over(event))
    if action == Action.refuse:
        return TimelineStep(**base, title="Từ chối giải quyết hồ sơ", note=event.note or "", **_handed_over(event))
    if action == Action.return_result:
        method = RETURN_METHOD_LABELS.get(data.get("method") or "", "")
        return TimelineStep(**base, title="Đã trả kết quả", note=f"Hình thức: {method}" if method else "")
    if action == Action.withdraw:
        return TimelineStep(**base, title="Dừng giải quyết theo yêu cầu rút hồ sơ của người nộp", note=event.note or "")
    if action == Action.stop:
        return TimelineStep(**base, title="Cơ quan giải quyết dừng xử lý hồ sơ", note=event.note or "")
    return None


def timing(dossier, cal: WorkingCalendar | None, at: datetime) -> Timing:
    """Early / on time / late: the stored outcome once processing is over (the calendar's
    rule, applied by the service when the result or refusal is issued); while it runs, the
    inboxes' urgency rule (deadlines.urgency) in the applicant's words."""
    status = DossierStatus(dossier.status)
    if status in FINISHED_STATUSES:
        if dossier.outcome:
            return Timing(dossier.outcome, OUTCOME_LABELS.get(dossier.outcome, ""))
        return Timing("none", "")
    if dossier.due_at is None or cal is None:
        return Timing("none", "")
    if status in PAUSED_STATUSES:
        return Timing("paused", "Tạm dừng tính thời hạn trong khi chờ người nộp")
    label = urgency(cal, dossier.due_at, at)
    if label.kind == "overdue":
        return Timing("overdue", f"Đã quá hạn hẹn trả ({label.text.lower()})")
    if label.kind in ("today", "soon"):
        return Timing("due_today" if label.kind == "today" else "due_soon", f"Trong hạn: {label.text.lower()}")
    return Timing("running", "Trong hạn")


def build_timeline(
    dossier,
    events: Sequence,
    *,
    pauses: Sequence = (),
    unit_names: Mapping[uuid.UUID, str],
    cal: WorkingCalendar | None,
    at: datetime,
) -> Timeline:
    """The applicant's view of `dossier` from its audit rows (`events`, in order), its pauses
    (the supplement lists they hold), the names of the units involved, and the calendar of its
    competent agency (for the running dossier's timing) at instant `at`."""
    status = DossierStatus(dossier.status)
    external = EXTERNAL_STATUS[status]
    supplement_items = {p.started_at: list(p.missing_items or []) for p in pauses
                        if p.kind == PauseKind.supplement and p.missing_items}
    counter_items = tuple(dossier.missing_items or ()) if status is DossierStatus.incomplete else ()
    steps = tuple(s for s in (_step(e, unit_names, supplement_items, counter_items) for e in events) if s is not None)
    apology = next((e for e in reversed(events) if e.action == Action.apologize_reschedule), None)
    open_pause = next((p for p in reversed(pauses) if p.ended_at is None), None) if status in PAUSED_STATUSES else None
    missing: tuple[str, ...] = ()
    missing_note = ""
    if status is DossierStatus.incomplete:
        missing = tuple(dossier.missing_items or ())
    elif open_pause is not None and open_pause.kind == PauseKind.supplement:
        missing = tuple(open_pause.missing_items or dossier.missing_items or ())
        missing_note = open_pause.reason or ""
    return Timeline(
        code=dossier.code or "",
        procedure_name=dossier.procedure_name,
        agency_name=unit_names.get(dossier.agency_id, ""),
        channel_label=CHANNEL_LABELS.get(dossier.channel, ""),
        status=status.value,
        status_text=PUBLIC_STATUS_TEXT[status],
        external_status=int(external),
        external_label=EXTERNAL_LABELS[external],
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        first_due_at=_when((apology.data or {}).get("old_due_at")) if apology is not None else None,
        returned_at=dossier.returned_at,
        timing=timing(dossier, cal, at),
        steps=steps,
        pauses=tuple(Pause(p.kind, PAUSE_LABELS.get(p.kind, p.kind), p.started_at, p.ended_at) for p in pauses),
        missing_items=missing,
        missing_note=missing_note,
        result_ready=status in (DossierStatus.result_ready, DossierStatus.returned),
    )
