"""Process templates: the default process, versions, JSON import/export.

The catalogue has ~1,700 procedures × many agencies, so default templates are created
lazily: `default_process_for` is called when the first dossier of a (procedure, agency)
pair is received (and by the process pages), never in bulk.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, insert, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import agency_scope
from motcua.catalog.models import Procedure
from motcua.catalog.service import time_limit_for
from motcua.core.clock import now
from motcua.core.errors import Forbidden, InvalidInput, NotFound
from motcua.core.ids import new_id
from motcua.core.text import nfc
from motcua.org.models import Agency
from motcua.workflow.defaults import (
    DEFAULT_STEP_ACTIONS,
    StepKind,
    StepSpec,
    default_steps,
    total_hours,
)
from motcua.workflow.models import ProcessStep, ProcessTemplate

EXPORT_FORMAT = "motcua.process/1"
KNOWN_ACTIONS = {
    "claim", "assign", "forward", "send_back", "request_supplement", "receive_supplement", "request_payment",
    "confirm_payment", "consult", "approve", "refuse", "issue_result", "return_result", "apologize_reschedule",
    "withdraw", "stop",
}
KNOWN_ROLES = {"counter_officer", "specialist", "head", "clerk", "agency_admin", "province_admin"}


def active_template(session: Session, procedure: Procedure, agency: Agency) -> ProcessTemplate | None:
    return session.scalars(
        select(ProcessTemplate).where(
            ProcessTemplate.procedure_id == procedure.id,
            ProcessTemplate.agency_id == agency.id,
            ProcessTemplate.active.is_(True),
        ).order_by(ProcessTemplate.version.desc())
    ).first()


def get_template(session: Session, template_id: uuid.UUID) -> ProcessTemplate:
    template = session.get(ProcessTemplate, template_id)
    if template is None:
        raise NotFound("Không tìm thấy quy trình nội bộ.")
    return template


def list_versions(session: Session, procedure: Procedure, agency: Agency) -> list[ProcessTemplate]:
    return list(session.scalars(
        select(ProcessTemplate).where(
            ProcessTemplate.procedure_id == procedure.id, ProcessTemplate.agency_id == agency.id
        ).order_by(ProcessTemplate.version.desc())
    ))


def _next_version(session: Session, procedure: Procedure, agency: Agency) -> int:
    current = session.scalar(
        select(func.max(ProcessTemplate.version)).where(
            ProcessTemplate.procedure_id == procedure.id, ProcessTemplate.agency_id == agency.id
        )
    )
    return (current or 0) + 1


def _create(
    session: Session, procedure: Procedure, agency: Agency, specs: list[StepSpec], *, name: str,
    is_default: bool, note: str | None = None, created_by_id: uuid.UUID | None = None,
    unit_ids: dict[str, uuid.UUID] | None = None,
) -> ProcessTemplate:
    session.execute(
        update(ProcessTemplate)
        .where(ProcessTemplate.procedure_id == procedure.id, ProcessTemplate.agency_id == agency.id)
        .values(active=False)
    )
    template = ProcessTemplate(
        procedure_id=procedure.id, procedure_code=procedure.code, agency_id=agency.id,
        version=_next_version(session, procedure, agency), active=True, name=name,
        is_default=is_default, note=note, created_at=now(), created_by_id=created_by_id,
    )
    template.steps = [
        ProcessStep(
            position=s.position, kind=s.kind, name=s.name, role=s.role,
            unit_id=(unit_ids or {}).get(s.unit_code) if s.unit_code else None,
            allotment_hours=s.allotment_hours, actions=list(s.actions), parallel_group=s.parallel_group,
        )
        for s in specs
    ]
    session.add(template)
    session.flush()
    return template


def default_process_for(session: Session, procedure: Procedure, agency: Agency) -> ProcessTemplate:
    """The active template of (procedure, agency), creating the default one on first use.

    Default: receive → assign → appraise → approve → issue result → return, allotments
    adding up to the procedure's counter time limit (workflow.defaults explains the split).
    """
    template = active_template(session, procedure, agency)
    if template is not None:
        return template
    days, hours = time_limit_for(procedure, "counter")
    try:
        # Two counters may receive the first dossier of a pair at once: the loser of the
        # unique (procedure, agency, version) race re-reads the winner's template.
        with session.begin_nested():
            return _create(
                session, procedure, agency, default_steps(days, hours),
                name=_default_name(procedure), is_default=True, note=DEFAULT_NOTE,
            )
    except IntegrityError:
        template = active_template(session, procedure, agency)
        if template is None:
            raise
        return template


DEFAULT_NOTE = "Quy trình mặc định do hệ thống tạo; thời gian các bước cộng lại bằng thời hạn giải quyết."


def _default_name(procedure: Procedure) -> str:
    return f"Quy trình nội bộ: {procedure.name}"[:500]


def default_processes_for(
    session: Session, pairs: list[tuple[Procedure, Agency]]
) -> dict[tuple[uuid.UUID, uuid.UUID], ProcessTemplate]:
    """`default_process_for` for many pairs at once (bulk writers such as `motcua demo`).

    Active templates are read in one query per chunk; a pair that never had a template gets
    the same default version 1 in bulk (`INSERT … ON CONFLICT DO NOTHING`, so a receipt
    creating it at the same moment wins and is re-read); any other pair goes through
    `default_process_for` itself."""
    result: dict[tuple[uuid.UUID, uuid.UUID], ProcessTemplate] = {}
    wanted = {(p.id, a.id): (p, a) for p, a in pairs}

    def read(keys) -> None:
        keys = list(keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            rows = session.scalars(select(ProcessTemplate).where(
                tuple_(ProcessTemplate.procedure_id, ProcessTemplate.agency_id).in_(chunk),
                ProcessTemplate.active.is_(True),
            ).order_by(ProcessTemplate.version))
            for t in rows:
                result[(t.procedure_id, t.agency_id)] = t

    read(wanted)
    missing = [k for k in wanted if k not in result]
    if not missing:
        return result
    existing = set()
    for start in range(0, len(missing), 500):
        chunk = missing[start:start + 500]
        existing.update(session.execute(select(ProcessTemplate.procedure_id, ProcessTemplate.agency_id).where(
            tuple_(ProcessTemplate.procedure_id, ProcessTemplate.agency_id).in_(chunk))).tuples())
    fresh = [k for k in missing if k not in existing]
    at = now()
    dialect = session.get_bind().dialect.name
    insert_stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(ProcessTemplate)
    for start in range(0, len(fresh), 500):
        chunk = fresh[start:start + 500]
        rows = []
        for key in chunk:
            procedure, agency = wanted[key]
            rows.append({
                "id": new_id(), "procedure_id": procedure.id, "procedure_code": procedure.code,
                "agency_id": agency.id, "version": 1, "active": True, "name": _default_name(procedure),
                "is_default": True, "note": DEFAULT_NOTE, "created_at": at, "created_by_id": None,
            })
        created = set(session.scalars(
            insert_stmt.values(rows).on_conflict_do_nothing().returning(ProcessTemplate.id)
        ))
        steps = []
        for row in rows:
            if row["id"] not in created:
                continue
            days, hours = time_limit_for(wanted[(row["procedure_id"], row["agency_id"])][0], "counter")
            steps.extend({
                "id": new_id(), "template_id": row["id"], "position": s.position, "kind": s.kind, "name": s.name,
                "role": s.role, "unit_id": None, "allotment_hours": s.allotment_hours, "actions": list(s.actions),
                "parallel_group": s.parallel_group,
            } for s in default_steps(days, hours))
        if steps:
            session.execute(insert(ProcessStep), steps)
    read(missing)
    for key in missing:
        if key not in result:
            result[key] = default_process_for(session, *wanted[key])
    return result


# ---------------------------------------------------------------- JSON import / export


def export_template(session: Session, template: ProcessTemplate) -> dict[str, Any]:
    """A template as plain JSON data (import_template accepts the same shape)."""
    agency = session.get(Agency, template.agency_id)
    unit_codes = {}
    unit_ids = {s.unit_id for s in template.steps if s.unit_id}
    if unit_ids:
        unit_codes = dict(session.execute(select(Agency.id, Agency.code).where(Agency.id.in_(unit_ids))).tuples().all())
    return {
        "format": EXPORT_FORMAT,
        "procedure_code": template.procedure_code,
        "agency_code": agency.code if agency else None,
        "version": template.version,
        "name": template.name,
        "note": template.note,
        "total_hours": str(sum((s.allotment_hours for s in template.steps), Decimal(0))),
        "steps": [
            {
                "position": s.position, "kind": s.kind, "name": s.name, "role": s.role,
                "unit_code": unit_codes.get(s.unit_id) if s.unit_id else None,
                "allotment_hours": str(s.allotment_hours), "actions": list(s.actions),
                "parallel_group": s.parallel_group,
            }
            for s in template.steps
        ],
    }


def parse_steps(data: Any) -> list[StepSpec]:
    """Validate imported steps; every problem is reported at once, in Vietnamese."""
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list) or not data["steps"]:
        raise InvalidInput("Tệp quy trình không hợp lệ: cần một đối tượng JSON có danh sách “steps” không rỗng.")
    errors: list[str] = []
    specs: list[StepSpec] = []
    for i, raw in enumerate(data["steps"], start=1):
        if not isinstance(raw, dict):
            errors.append(f"Bước {i}: phải là một đối tượng JSON.")
            continue
        kind = raw.get("kind")
        if kind not in StepKind.ALL:
            errors.append(f"Bước {i}: loại bước “{kind}” không hợp lệ (chọn: {', '.join(StepKind.ALL)}).")
            continue
        name = nfc(str(raw.get("name") or "")) or ""
        if not name:
            errors.append(f"Bước {i}: thiếu tên bước.")
        role = raw.get("role")
        if role not in KNOWN_ROLES:
            errors.append(f"Bước {i}: vai trò “{role}” không hợp lệ.")
        try:
            hours = Decimal(str(raw.get("allotment_hours", "0")))
            if hours < 0 or hours > 100000 or not hours.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors.append(f"Bước {i}: thời gian (giờ làm việc) không hợp lệ.")
            hours = Decimal(0)
        actions = raw.get("actions", list(DEFAULT_STEP_ACTIONS[kind]))
        if not isinstance(actions, list) or any(a not in KNOWN_ACTIONS for a in actions):
            errors.append(f"Bước {i}: danh sách thao tác không hợp lệ.")
            actions = []
        group = raw.get("parallel_group")
        if group is not None and (not isinstance(group, str) or len(group) > 32):
            errors.append(f"Bước {i}: nhóm song song không hợp lệ.")
            group = None
        unit_code = raw.get("unit_code")
        if unit_code is not None and not isinstance(unit_code, str):
            errors.append(f"Bước {i}: mã cơ quan thực hiện không hợp lệ.")
            unit_code = None
        specs.append(StepSpec(i, kind, name[:255], str(role), hours.quantize(Decimal("0.01")), actions, unit_code, group))
    if specs and specs[-1].kind != StepKind.return_ and not errors:
        errors.append("Bước cuối cùng của quy trình phải là bước trả kết quả (return).")
    if errors:
        raise InvalidInput("Quy trình không hợp lệ: " + " ".join(errors), details=errors)
    return specs


def import_template(
    session: Session, *, procedure: Procedure, agency: Agency, data: Any, actor: User | None = None
) -> ProcessTemplate:
    """Create a new active version from exported JSON (validated; the old version stays for its dossiers).

    `actor` is the administrator doing it (checked here); None means the system (CLI, seed).
    """
    if actor is not None:
        ensure_can_edit(session, actor, agency)
    created_by_id = actor.id if actor is not None else None
    specs = parse_steps(data)
    codes = {s.unit_code for s in specs if s.unit_code}
    unit_ids: dict[str, uuid.UUID] = {}
    if codes:
        unit_ids = dict(session.execute(select(Agency.code, Agency.id).where(Agency.code.in_(codes))).tuples().all())
        missing = sorted(codes - unit_ids.keys())
        if missing:
            raise InvalidInput(f"Không tìm thấy cơ quan có mã: {', '.join(missing)}.")
    name = nfc(str(data.get("name") or "")) or f"Quy trình nội bộ: {procedure.name}"
    note = data.get("note") if isinstance(data.get("note"), str) else None
    return _create(
        session, procedure, agency, specs, name=name[:500], is_default=False, note=note,
        created_by_id=created_by_id, unit_ids=unit_ids,
    )


def export_or_preview(session: Session, procedure: Procedure, agency: Agency) -> dict[str, Any]:
    """The active template exported, or (without writing) the default one as version 0."""
    template = active_template(session, procedure, agency)
    if template is not None:
        return export_template(session, template)
    days, hours = time_limit_for(procedure, "counter")
    steps = default_steps(days, hours)
    return {
        "format": EXPORT_FORMAT, "procedure_code": procedure.code, "agency_code": agency.code, "version": 0,
        "name": f"Quy trình nội bộ: {procedure.name}"[:500], "note": "Quy trình mặc định (chưa lưu).",
        "total_hours": str(sum((s.allotment_hours for s in steps), Decimal(0))),
        "steps": [
            {"position": s.position, "kind": s.kind, "name": s.name, "role": s.role, "unit_code": None,
             "allotment_hours": str(s.allotment_hours), "actions": s.actions, "parallel_group": None}
            for s in steps
        ],
    }


def ensure_can_edit(session: Session, user: User, agency: Agency) -> None:
    """Agency administrators edit their agency's processes (and those below); province admins all."""
    scope = agency_scope(session, user, "agency_admin")
    if scope is not None and agency.id not in scope:
        raise Forbidden(f"Chỉ quản trị của {agency.name} hoặc quản trị tỉnh được sửa quy trình nội bộ.")


def limit_hours(procedure: Procedure, channel: str = "counter") -> Decimal:
    days, hours = time_limit_for(procedure, channel)
    return total_hours(days, hours)
