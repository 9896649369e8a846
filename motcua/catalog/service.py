"""Catalogue rules: look-ups other domains call, time limits, versions, administrator edits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from motcua.catalog.applications import current_applications
from motcua.catalog.codes import MAX_CODE_LENGTH, normalize_code  # noqa: F401  (re-exported)
from motcua.catalog.enums import Channel, OnlineLevel, ProcedureLevel, ProcedureStatus
from motcua.catalog.fields import find_field, fold_name  # noqa: F401  (fold_name re-exported)
from motcua.catalog.limits import (  # noqa: F401  (re-exported)
    TimeLimit,
    describe_time_limit,
    procedure_time_limit,
)
from motcua.catalog.models import (
    DossierComponentSpec,
    Fee,
    Field,
    Procedure,
    ProcedureAgency,
    ProcedureVersion,
)
from motcua.catalog.search import SearchFilters
from motcua.core.clock import now
from motcua.core.errors import InvalidInput, NotFound
from motcua.core.text import nfc
from motcua.org.models import Agency

DEFAULT_RECEIPT_CUTOFF = time(15, 0)


def procedure_options() -> list:
    """Eager loads for showing one procedure in full (relationships are lazy="raise")."""
    return [
        selectinload(Procedure.field),
        selectinload(Procedure.agency_links).selectinload(ProcedureAgency.agency),
        selectinload(Procedure.components),
        selectinload(Procedure.fees),
        selectinload(Procedure.versions),
    ]


def find_procedure_by_code(
    session: Session, code: str | None, *, full: bool = False
) -> Procedure | None:
    value = normalize_code(code)
    if value is None:
        return None
    stmt = select(Procedure).where(Procedure.code == value)
    if full:
        stmt = stmt.options(*procedure_options())
    return session.scalars(stmt).one_or_none()


def get_procedure_by_code(session: Session, code: str | None, *, full: bool = False) -> Procedure:
    """The procedure with this code; accepts stray spaces. NotFound (404) otherwise."""
    procedure = find_procedure_by_code(session, code, full=full)
    if procedure is None:
        shown = (nfc(code or "") or "")[:80]
        raise NotFound(
            f"Không tìm thấy thủ tục hành chính có mã “{shown}”.", code="procedure_not_found"
        )
    return procedure


def implementing_agencies(
    session: Session, procedure: Procedure, *, current_only: bool = False, on: date | None = None
) -> list[Agency]:
    """Agencies that implement the procedure, by name: every application ever recorded, or
    with `current_only` those current on `on` (today; see `catalog.applications`)."""
    if current_only:
        return [app.agency for app in current_applications(session, [procedure.id], on=on)]
    stmt = (
        select(Agency)
        .join(ProcedureAgency, ProcedureAgency.agency_id == Agency.id)
        .where(ProcedureAgency.procedure_id == procedure.id)
        .distinct()
        .order_by(Agency.name_folded, Agency.code)
    )
    return list(session.scalars(stmt))


def procedures_of_agency(session: Session, agency: Agency) -> list[Procedure]:
    stmt = (
        select(Procedure)
        .join(ProcedureAgency, ProcedureAgency.procedure_id == Procedure.id)
        .where(ProcedureAgency.agency_id == agency.id)
        .order_by(Procedure.name_folded)
    )
    return list(session.scalars(stmt))


def ensure_receivable(procedure: Procedure) -> None:
    """An abolished procedure takes no new dossiers; those received before keep it."""
    if procedure.status == ProcedureStatus.abolished.value:
        since = f" từ ngày {procedure.abolished_on:%d/%m/%Y}" if procedure.abolished_on else ""
        raise InvalidInput(
            f"Thủ tục “{procedure.code}” đã bị bãi bỏ{since}; không tiếp nhận hồ sơ mới.",
            code="procedure_abolished",
        )


def time_limit_for(
    procedure: Procedure, channel: Channel | str = Channel.counter
) -> tuple[int | None, int | None]:
    """(working days, working hours) of `procedure_time_limit`, for callers that split them
    (the default process allotments); deadlines take the `TimeLimit` itself."""
    limit = procedure_time_limit(procedure, channel)
    return limit.days, limit.hours


def receipt_cutoff_for(procedure: Procedure) -> time:
    return procedure.receipt_cutoff or DEFAULT_RECEIPT_CUTOFF


def list_fields(session: Session) -> list[tuple[Field, int]]:
    """Every field with its number of procedures, by name."""
    counts = (
        select(Procedure.field_id, func.count(Procedure.id).label("n"))
        .group_by(Procedure.field_id)
        .subquery()
    )
    stmt = (
        select(Field, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.field_id == Field.id)
        .order_by(Field.name_folded)
    )
    return [(f, int(n)) for f, n in session.execute(stmt)]


def get_field_by_code(session: Session, code: str | None) -> Field | None:
    """The canonical field of a code: its own, the old code of one of its seed spellings
    ("lao-dong-thuong-binh-xa-hoi"), or its national code ("G07-LĐ10")."""
    if not code or len(code) > 80:
        return None
    return find_field(session, code)


# --- snapshots and versions --------------------------------------------------------------


def _iso(value: date | time | None) -> str | None:
    return value.isoformat() if value is not None else None


def procedure_record(
    procedure: Procedure, agency_codes: Sequence[str] | None = None
) -> dict[str, Any]:
    """The full record of a procedure as plain JSON (export format and version snapshot).

    Needs `field`, `components` and `fees` loaded. Agency applications are listed only when
    `agency_codes` is given (they are managed by the import, not by the record).
    """
    record: dict[str, Any] = {
        "code": procedure.code,
        "code_provisional": procedure.code_provisional,
        "name": procedure.name,
        "level": procedure.level,
        "field_code": procedure.field.code if procedure.field else None,
        "time_limit_days": procedure.time_limit_days,
        "time_limit_hours": procedure.time_limit_hours,
        "online_time_limit_days": procedure.online_time_limit_days,
        "online_time_limit_hours": procedure.online_time_limit_hours,
        "time_limit_note": procedure.time_limit_note,
        "time_limit_basis": procedure.time_limit_basis,
        "online_time_limit_basis": procedure.online_time_limit_basis,
        "components_basis": procedure.components_basis,
        "content_sources": procedure.content_sources,
        "receipt_cutoff": procedure.receipt_cutoff.strftime("%H:%M")
        if procedure.receipt_cutoff
        else None,
        "result_description": procedure.result_description,
        "legal_basis": procedure.legal_basis,
        "online_level": procedure.online_level,
        "cross_boundary": procedure.cross_boundary,
        "status": procedure.status,
        "simplification_resolution": procedure.simplification_resolution,
        "components": [
            {
                "name": c.name,
                "form_template": c.form_template,
                "original_count": c.original_count,
                "copy_count": c.copy_count,
                "required": c.required,
                "condition": c.condition,
            }
            for c in sorted(procedure.components, key=lambda c: c.position)
        ],
        "fees": [
            {"name": f.name, "amount": f.amount, "note": f.note, "basis": f.basis}
            for f in sorted(procedure.fees, key=lambda f: f.position)
        ],
    }
    if agency_codes is not None:
        record["agency_codes"] = sorted(agency_codes)
    return record


def records_by_code(session: Session) -> dict[str, Procedure]:
    """Every procedure by code, loaded for `procedure_record` / `apply_record` (imports)."""
    stmt = select(Procedure).options(
        selectinload(Procedure.field),
        selectinload(Procedure.components),
        selectinload(Procedure.fees),
    )
    return {p.code: p for p in session.scalars(stmt)}


def next_version_number(session: Session, procedure: Procedure) -> int:
    current = session.scalar(
        select(func.max(ProcedureVersion.number)).where(
            ProcedureVersion.procedure_id == procedure.id
        )
    )
    return (current or 0) + 1


def record_version(
    session: Session,
    procedure: Procedure,
    *,
    decision_number: str | None = None,
    decision_date: date | None = None,
    effective_date: date | None = None,
    note: str | None = None,
    created_by: str | None = None,
) -> ProcedureVersion:
    """Append a version holding the procedure's current record (components, fees loaded)."""
    session.flush()
    version = ProcedureVersion(
        procedure_id=procedure.id,
        number=next_version_number(session, procedure),
        decision_number=decision_number,
        decision_date=decision_date,
        effective_date=effective_date,
        note=note,
        created_by=created_by,
        snapshot=procedure_record(procedure),
        created_at=now(),
    )
    session.add(version)
    session.flush()
    return version


# --- applying a record (administrator edit / import) ---------------------------------------

RECORD_SCALARS = (
    "name",
    "level",
    "time_limit_days",
    "time_limit_hours",
    "online_time_limit_days",
    "online_time_limit_hours",
    "time_limit_note",
    "time_limit_basis",
    "online_time_limit_basis",
    "components_basis",
    "content_sources",
    "receipt_cutoff",
    "result_description",
    "legal_basis",
    "online_level",
    "cross_boundary",
    "status",
    "simplification_resolution",
)


def apply_record(
    session: Session,
    procedure: Procedure,
    data: dict[str, Any],
    *,
    field: Field | None,
    version_meta: dict[str, Any] | None = None,
    created_by: str | None = None,
) -> ProcedureVersion | None:
    """Write a validated record (see schemas.ProcedureRecord) onto a procedure.

    Components and fees are replaced as a whole. Returns the new version, or None when the
    record changes nothing (no empty versions).
    """
    before = procedure_record(procedure)
    for key in RECORD_SCALARS:
        if key in data:
            value = data[key]
            if key == "receipt_cutoff" and isinstance(value, str):
                value = time.fromisoformat(value)
            setattr(procedure, key, value)
    procedure.name_folded = fold_name(procedure.name)
    procedure.field_id = field.id if field else None
    procedure.field = field
    if "components" in data:
        procedure.components = [
            DossierComponentSpec(
                position=i,
                name=c["name"],
                form_template=c.get("form_template"),
                original_count=c.get("original_count", 0),
                copy_count=c.get("copy_count", 0),
                required=c.get("required", True),
                condition=c.get("condition"),
            )
            for i, c in enumerate(data["components"], start=1)
        ]
    if "fees" in data:
        procedure.fees = [
            Fee(
                position=i,
                name=f["name"],
                amount=f.get("amount"),
                note=f.get("note"),
                basis=f.get("basis"),
            )
            for i, f in enumerate(data["fees"], start=1)
        ]
    after = procedure_record(procedure)
    if after == before:
        return None
    procedure.updated_at = now()
    meta = version_meta or {}
    return record_version(
        session,
        procedure,
        decision_number=meta.get("decision_number"),
        decision_date=meta.get("decision_date"),
        effective_date=meta.get("effective_date"),
        note=meta.get("note"),
        created_by=created_by,
    )


VALID_LEVELS = {level.value for level in ProcedureLevel}
VALID_ONLINE_LEVELS = {level.value for level in OnlineLevel}
VALID_STATUSES = {status.value for status in ProcedureStatus}


# --- filters as typed by users ------------------------------------------------------------

_AGENCY_CODE = re.compile(r"^[0-9A-Za-z.\-]{1,20}$")
_FIELD_CODE = re.compile(r"^[0-9A-Za-zĐđ\-]{1,80}$")


def find_agency_by_code(session: Session, code: str) -> Agency | None:
    return session.scalars(select(Agency).where(Agency.code == code)).one_or_none()


def resolve_filters(
    session: Session,
    *,
    q: str | None = None,
    agency: str | None = None,
    field: str | None = None,
    level: str | None = None,
    online_level: str | None = None,
    status: str | None = None,
):
    """SearchFilters from the values of a form or query string; InvalidInput (422, in
    Vietnamese) for an unknown agency, field, level or online level."""
    agency_id = field_id = None
    agency = (agency or "").strip()
    field = (field or "").strip()
    if agency:
        found = find_agency_by_code(session, agency) if _AGENCY_CODE.fullmatch(agency) else None
        if found is None:
            raise InvalidInput(
                f"Không có cơ quan thực hiện mã “{agency[:40]}”.", code="unknown_agency"
            )
        agency_id = found.id
    if field:
        found_field = get_field_by_code(session, field) if _FIELD_CODE.fullmatch(field) else None
        if found_field is None:
            raise InvalidInput(f"Không có lĩnh vực mã “{field[:80]}”.", code="unknown_field")
        field_id = found_field.id
    if level and level not in VALID_LEVELS:
        raise InvalidInput(
            "Cấp thực hiện không hợp lệ; chọn cấp tỉnh, cấp huyện hoặc cấp xã."
        )
    if online_level and online_level not in VALID_ONLINE_LEVELS:
        raise InvalidInput(
            "Mức trực tuyến không hợp lệ; chọn toàn trình, một phần hoặc không trực tuyến."
        )
    if status and status not in VALID_STATUSES:
        raise InvalidInput("Tình trạng không hợp lệ; chọn đang có hiệu lực hoặc đã bãi bỏ.")
    if q is not None and len(q) > 200:
        raise InvalidInput("Từ khoá tìm kiếm quá dài (tối đa 200 ký tự).")
    return SearchFilters(
        q=q or None,
        agency_id=agency_id,
        field_id=field_id,
        level=level or None,
        online_level=online_level or None,
        status=status or None,
    )
