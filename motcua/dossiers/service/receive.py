"""Receipt at a one-stop section (DOMAIN.md §2.2, §3): accepted, incomplete or refused.

Decisions (docs/dossiers.md):
- Every receipt is recorded and gets a dossier code, whatever its outcome, so that forms 02
  and 03 carry a code and a QR for lookup; incomplete (form 02) and refused (form 03)
  dossiers are terminal — the applicant comes back with a new, complete dossier.
- Receipt regardless of administrative boundary: a procedure flagged `cross_boundary` may
  be received at any one-stop section. Otherwise the receiving unit must be the competent
  agency itself, an agency above it (a district committee for its offices), or, for a
  province-level competent agency, a provincial service centre (Trung tâm Phục vụ hành
  chính công), which hosts the departments' one-stop sections.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import has_role
from motcua.calendar import engine as cal_engine
from motcua.calendar.deadlines import typed_limit
from motcua.catalog.applications import ensure_competent
from motcua.catalog.limits import TimeLimit, procedure_time_limit
from motcua.catalog.models import Procedure
from motcua.catalog.service import ensure_receivable, receipt_cutoff_for
from motcua.core.clock import now
from motcua.core.errors import Forbidden, InvalidInput
from motcua.core.ids import new_id
from motcua.core.text import fold, nfc
from motcua.dossiers.codes import allocate_code
from motcua.dossiers.enums import (
    ApplicantKind,
    Channel,
    ComponentKind,
    DossierStatus,
    ReceiptOutcome,
    StepState,
)
from motcua.dossiers.identity import normal_id_number
from motcua.dossiers.models import Dossier, DossierComponent, StepExecution
from motcua.dossiers.policies import Actor
from motcua.dossiers.service.common import (
    enter_step,
    limit_args,
    load_calendar,
    record,
    set_status,
    step_due,
)
from motcua.org.models import Agency
from motcua.workflow.service import default_process_for

MAX_COMPONENTS = 200


@dataclass
class ApplicantData:
    kind: str
    full_name: str
    id_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    admin_unit_id: uuid.UUID | None = None


@dataclass
class ComponentData:
    name: str
    kind: str = "original"
    count: int = 1
    spec_id: uuid.UUID | None = None


@dataclass
class ReceiptData:
    applicant: ApplicantData
    components: list[ComponentData] = field(default_factory=list)
    channel: str = "counter"
    outcome: str = "accepted"
    missing_items: list[str] | None = None
    refusal_reason: str | None = None
    fees: int = 0
    note: str | None = None
    # A limit the officer enters, with its basis: only for a procedure the catalogue has none for.
    time_limit_days: int | None = None
    time_limit_hours: int | None = None
    time_limit_basis: str | None = None


def _is_below(session: Session, agency: Agency, ancestor: Agency) -> bool:
    seen: set[uuid.UUID] = set()
    current = agency
    while current is not None and current.parent_id and current.id not in seen:
        seen.add(current.id)
        if current.parent_id == ancestor.id:
            return True
        current = session.get(Agency, current.parent_id)
    return False


def check_receiving_unit(session: Session, *, procedure: Procedure, agency: Agency, receiving_unit: Agency) -> None:
    """Raise InvalidInput unless `receiving_unit` may receive `procedure` for `agency`."""
    if not receiving_unit.is_one_stop:
        raise InvalidInput(f"{receiving_unit.name} không có Bộ phận Một cửa, không tiếp nhận hồ sơ.")
    if receiving_unit.dissolved_on is not None or receiving_unit.valid_to is not None:
        raise InvalidInput(f"{receiving_unit.name} đã giải thể hoặc sáp nhập, không tiếp nhận hồ sơ.")
    if procedure.cross_boundary or receiving_unit.id == agency.id or _is_below(session, agency, receiving_unit):
        return
    if agency.level == "province" and receiving_unit.kind == "service_centre" and receiving_unit.level == "province":
        return
    raise InvalidInput(
        f"Thủ tục “{procedure.code}” không thuộc danh mục tiếp nhận không phụ thuộc địa giới hành chính: "
        f"hồ sơ phải được nộp tại Bộ phận Một cửa của {agency.name}"
        + (" hoặc Trung tâm Phục vụ hành chính công tỉnh." if agency.level == "province" else ".")
    )


def receipt_limit(procedure: Procedure, data: ReceiptData) -> TimeLimit:
    """The limit a receipt runs on: the catalogue's for the channel; for a procedure without
    one, the limit the officer entered with its basis (required to accept the dossier; an
    incomplete or refused dossier gets no appointment). Never an invented default."""
    catalogue = procedure_time_limit(procedure, data.channel)
    typed = data.time_limit_days is not None or data.time_limit_hours is not None
    if catalogue.known:
        if typed:
            raise InvalidInput(
                f"Thủ tục “{procedure.code}” đã có thời hạn giải quyết trong danh mục ({catalogue.text}); "
                "không nhập thời hạn khác."
            )
        return catalogue
    if not typed:
        if data.outcome != ReceiptOutcome.accepted:
            return catalogue
        raise InvalidInput(
            f"Thủ tục “{procedure.code}” chưa có thời hạn giải quyết trong danh mục: nhập thời hạn "
            "(số ngày hoặc số giờ làm việc) và căn cứ của thời hạn."
        )
    limit = typed_limit(data.time_limit_days, data.time_limit_hours)
    basis = nfc(data.time_limit_basis) or None
    if basis is None:
        raise InvalidInput("Nhập căn cứ của thời hạn giải quyết đã nhập (văn bản, điều, khoản quy định).")
    return replace(limit, basis=basis, entered=True)


def validate_receipt(data: ReceiptData) -> tuple[ApplicantData, list[ComponentData]]:
    errors: list[str] = []
    try:
        Channel(data.channel)
    except ValueError:
        errors.append("Kênh nộp hồ sơ không hợp lệ (counter, post, online).")
    try:
        outcome = ReceiptOutcome(data.outcome)
    except ValueError:
        errors.append("Kết quả tiếp nhận không hợp lệ (accepted, incomplete, refused).")
        outcome = None
    a = data.applicant
    try:
        ApplicantKind(a.kind)
    except ValueError:
        errors.append("Loại người nộp không hợp lệ (person: công dân, organisation: tổ chức).")
    name = nfc(a.full_name) or ""
    if not name:
        errors.append("Thiếu họ tên người nộp hồ sơ (hoặc tên tổ chức).")
    id_number = nfc(a.id_number) or None
    if id_number:
        try:
            id_number = normal_id_number(id_number, a.kind if a.kind in ("person", "organisation") else None)
        except ValueError as exc:
            errors.append(str(exc))
    phone = nfc(a.phone) or None
    if phone and (len(phone) > 20 or not phone.replace(" ", "").replace("+", "").replace(".", "").isdigit()):
        errors.append("Số điện thoại không hợp lệ.")
    email = nfc(a.email) or None
    if email and ("@" not in email or len(email) > 254):
        errors.append("Địa chỉ thư điện tử không hợp lệ.")
    components: list[ComponentData] = []
    if len(data.components) > MAX_COMPONENTS:
        errors.append(f"Không được quá {MAX_COMPONENTS} thành phần hồ sơ.")
    for i, c in enumerate(data.components[:MAX_COMPONENTS], start=1):
        cname = nfc(c.name) or ""
        if not cname:
            errors.append(f"Thành phần {i}: thiếu tên.")
        try:
            ComponentKind(c.kind)
        except ValueError:
            errors.append(f"Thành phần {i}: loại phải là bản chính (original) hoặc bản sao (copy).")
        if not isinstance(c.count, int) or c.count < 1 or c.count > 1000:
            errors.append(f"Thành phần {i}: số lượng phải từ 1 đến 1000.")
        components.append(ComponentData(cname, c.kind, c.count, c.spec_id))
    if data.fees is None or data.fees < 0 or data.fees > 10**12:
        errors.append("Phí, lệ phí phải là số tiền không âm (đồng).")
    if outcome is ReceiptOutcome.accepted and not components:
        errors.append("Hồ sơ được tiếp nhận phải có ít nhất một thành phần hồ sơ.")
    if outcome is ReceiptOutcome.incomplete and not [m for m in (data.missing_items or []) if nfc(m)]:
        errors.append("Hồ sơ chưa đầy đủ: cần liệt kê đầy đủ, một lần các giấy tờ còn thiếu.")
    if outcome is ReceiptOutcome.refused and not nfc(data.refusal_reason):
        errors.append("Từ chối tiếp nhận: cần ghi rõ lý do.")
    if errors:
        raise InvalidInput(" ".join(errors), details=errors)
    return ApplicantData(a.kind, name, id_number, phone, email, nfc(a.address) or None, a.admin_unit_id), components


def receive_dossier(
    session: Session,
    *,
    user: User,
    procedure: Procedure,
    agency: Agency,
    receiving_unit: Agency,
    data: ReceiptData,
    return_unit: Agency | None = None,
    dossier_id: uuid.UUID | None = None,
) -> Dossier:
    """Record a receipt (accepted → code + appointment + first handling step; incomplete /
    refused → a terminal record for forms 02 / 03), with its audit row, in the caller's transaction.
    `dossier_id`: the id to give it, when the caller claimed an idempotency key for it.

    The code is allocated last (`_assign_code`): callers should do as little as possible
    between this call and their commit, as that time holds the unit's daily counter."""
    applicant, components = validate_receipt(data)
    role_unit = receiving_unit.id
    if not has_role(user, "counter_officer", agency_id=role_unit):
        raise Forbidden(f"Bạn không phải công chức Bộ phận Một cửa của {receiving_unit.name}.")
    ensure_receivable(procedure)
    ensure_competent(session, procedure, agency)
    check_receiving_unit(session, procedure=procedure, agency=agency, receiving_unit=receiving_unit)
    if return_unit is not None and not return_unit.is_one_stop:
        raise InvalidInput(f"{return_unit.name} không có Bộ phận Một cửa để trả kết quả.")

    at = now()
    outcome = ReceiptOutcome(data.outcome)
    limit = receipt_limit(procedure, data)
    days, hours = limit.days, limit.hours
    dossier = Dossier(
        id=dossier_id or new_id(),
        procedure_id=procedure.id, procedure_code=procedure.code, procedure_name=procedure.name,
        agency_id=agency.id, receiving_unit_id=receiving_unit.id,
        return_unit_id=(return_unit or receiving_unit).id, channel=data.channel,
        applicant_kind=applicant.kind, applicant_name=applicant.full_name,
        applicant_name_folded=fold(applicant.full_name), applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone, applicant_email=applicant.email, applicant_address=applicant.address,
        applicant_admin_unit_id=applicant.admin_unit_id, received_by_id=user.id, received_at=at,
        time_limit_days=days, time_limit_hours=hours, time_limit_basis=limit.basis,
        time_limit_entered=limit.entered, fees_amount=data.fees, note=nfc(data.note) or None,
        created_at=at, updated_at=at,
    )
    actor = counter_actor(user, role_unit)

    if outcome is not ReceiptOutcome.accepted:
        set_status(dossier, DossierStatus.incomplete if outcome is ReceiptOutcome.incomplete
                   else DossierStatus.refused_at_receipt)
        dossier.missing_items = [nfc(m) for m in data.missing_items or [] if nfc(m)] or None
        dossier.refusal_reason = nfc(data.refusal_reason) or None
        dossier.finished_at = at
        session.add(dossier)
        session.flush()
        _add_components(session, dossier, components)
        record(session, dossier, actor=actor, action="receive", at=at, from_status=None, first=True,
               note=dossier.refusal_reason or "; ".join(dossier.missing_items or []) or None,
               data={"outcome": outcome.value})
        _assign_code(session, dossier, receiving_unit, at)
        return dossier

    handling = schedule(session, dossier, procedure=procedure, agency=agency, at=at)
    session.add(dossier)
    session.flush()
    _add_components(session, dossier, components)
    open_handling(session, dossier, handling, receiving_unit=receiving_unit, user=user, actor=actor, at=at,
                  from_status=None, first=True)
    _assign_code(session, dossier, receiving_unit, at)
    return dossier


def counter_actor(user: User, role_unit: uuid.UUID) -> Actor:
    """The capacity of a receipt at `role_unit`: its counter officer, or a province administrator."""
    return Actor(user.id, user.full_name, "counter_officer" if any(
        r.role == "counter_officer" and r.agency_id == role_unit for r in user.roles) else "province_admin", role_unit)


@dataclass
class Handling:
    cal: cal_engine.WorkingCalendar
    effective_receipt_at: datetime
    steps: list


def schedule(session: Session, dossier: Dossier, *, procedure: Procedure, agency: Agency, at: datetime) -> Handling:
    """An accepted dossier (its time limit set): its appointment and process, status
    awaiting assignment. Shared by the counter's receipt and the acceptance of an online
    submission (service.online); `open_handling` follows once the dossier row exists."""
    cal = load_calendar(session, agency.id)
    days, hours = dossier.time_limit_days, dossier.time_limit_hours
    due = cal_engine.due_for_limit(cal, at, cutoff=receipt_cutoff_for(procedure), **limit_args(days, hours))
    dossier.effective_receipt_at = due.effective_receipt_at
    dossier.due_at = dossier.original_due_at = dossier.progress_due_at = due.due_at
    template = default_process_for(session, procedure, agency)
    dossier.template_id, dossier.template_version = template.id, template.version
    set_status(dossier, DossierStatus.awaiting_assignment)
    return Handling(cal, due.effective_receipt_at, list(template.steps))


def open_handling(
    session: Session, dossier: Dossier, handling: Handling, *, receiving_unit: Agency, user: User, actor: Actor,
    at: datetime, from_status: str | None, first: bool,
) -> None:
    """The receipt step done, the first handling step opened, and the receipt's audit row."""
    cal, steps = handling.cal, handling.steps
    done = 0
    if steps and steps[0].kind == "receive":
        receive = steps[0]
        session.add(StepExecution(
            dossier_id=dossier.id, position=receive.position, kind=receive.kind, name=receive.name,
            role=receive.role, unit_id=receiving_unit.id, parallel_group=None, assignee_id=user.id,
            allotment_hours=receive.allotment_hours, state=StepState.done, started_at=at,
            due_at=step_due(cal, at, receive.allotment_hours), finished_at=at, outcome="early",
            finished_by_id=user.id,
        ))
        done = 1
    if done < len(steps):
        # Transfer to the competent agency: the next step's clock starts at the effective receipt.
        enter_step(session, dossier, steps, done, at=at, cal=cal, start=max(at, handling.effective_receipt_at),
                   restore_assignee=False)
    record(session, dossier, actor=actor, action="receive", at=at, from_status=from_status, first=first,
           from_step=steps[0].name if done else None, from_unit_id=receiving_unit.id, outcome="early" if done else None,
           note=dossier.note, data={"outcome": "accepted", "due_at": dossier.due_at.isoformat()})


def _assign_code(session: Session, dossier: Dossier, receiving_unit: Agency, at: datetime) -> None:
    """Give the dossier its code: the last statements of the receipt, on purpose.

    Allocating bumps the unit's daily counter row, which on PostgreSQL stays locked until
    the transaction ends (dossiers.codes); every other receipt at the same unit that day
    waits for it. Done last, after the validation, the calendar and the template reads and
    the inserts of the dossier, its components, steps and audit row (none of which needs
    the code), the lock covers only this UPDATE, the commit and what the caller still does.
    """
    session.flush()
    dossier.code = allocate_code(session, unit_code=receiving_unit.code, received_at=at, dossier_id=dossier.id)
    session.flush()


def _add_components(session: Session, dossier: Dossier, components: list[ComponentData]) -> None:
    for i, c in enumerate(components, start=1):
        session.add(DossierComponent(
            dossier_id=dossier.id, position=i, name=c.name, kind=c.kind, count=c.count, spec_id=c.spec_id
        ))

