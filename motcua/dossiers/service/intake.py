"""The use cases as the two doors call them: the same input model from the counter page's form
or the API's JSON body, resolved here to objects, then receipt or action.

References typed in a submitted body (an agency code, an assignee's user name, an
administrative unit) that name nothing are invalid input of that body: 422, on the page and in
the API alike. The procedure is the exception kept from before: it is the resource the
receipt is made for, and an unknown one is 404 (like its page, /quay?ma_tt=…).

Receipt takes an idempotency key (the API's `Idempotency-Key`, the counter form's hidden
field): a replay answers with the dossier the first request created and creates nothing.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.queries import find_user
from motcua.catalog.service import get_procedure_by_code
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.core.ids import new_id
from motcua.dossiers.idempotency import claim, request_hash
from motcua.dossiers.models import Dossier
from motcua.dossiers.schemas import ActionNoteIn, ReceiptIn
from motcua.dossiers.service.actions import perform_action
from motcua.dossiers.service.context import ActionParams
from motcua.dossiers.service.files import attach_file
from motcua.dossiers.service.receive import (
    ApplicantData,
    ComponentData,
    ReceiptData,
    receive_dossier,
)
from motcua.org.models import AdministrativeUnit, Agency
from motcua.org.service import get_agency_by_code


@dataclass
class Receipt:
    dossier: Dossier
    replayed: bool  # the key was used before: `dossier` is the one the first request created


def _agency(session: Session, *, code: str | None, agency_id: uuid.UUID | None, label: str) -> Agency | None:
    if agency_id is not None:
        agency = session.get(Agency, agency_id)
        if agency is None:
            raise InvalidInput(f"{label}: không tìm thấy cơ quan đã chọn.")
        return agency
    if not code:
        return None
    try:
        return get_agency_by_code(session, code)
    except NotFound as exc:
        raise InvalidInput(f"{label}: {exc.message}") from None


def _admin_unit_id(session: Session, code: str | None) -> uuid.UUID | None:
    if not code:
        return None
    unit = session.scalars(select(AdministrativeUnit).where(AdministrativeUnit.code == code.strip())
                           .order_by(AdministrativeUnit.valid_to.is_not(None))).first()
    if unit is None:
        raise InvalidInput(f"Không tìm thấy đơn vị hành chính có mã “{code}”.")
    return unit.id


def _components(data: ReceiptIn, procedure) -> list[ComponentData]:
    """The receipt's components; one ticked from the procedure's list takes its name from there."""
    specs = {spec.id: spec for spec in procedure.components}
    result = []
    for i, c in enumerate(data.components, start=1):
        name = c.name
        if c.spec_id is not None:
            spec = specs.get(c.spec_id)
            if spec is None:
                raise InvalidInput(f"Thành phần {i} không có trong danh mục của thủ tục “{procedure.code}”.")
            name = spec.name
        result.append(ComponentData(name or "", c.kind, c.count, c.spec_id))
    return result


def receive(
    session: Session, *, user: User, data: ReceiptIn, idempotency_key: str | None = None,
    scans: list[tuple[str, bytes]] | None = None, storage_root: Path | None = None,
) -> Receipt:
    """Receive a dossier at a one-stop section (see receive.receive_dossier), with the scans
    made at the counter; a replayed idempotency key returns the first dossier instead."""
    dossier_id = new_id()
    if idempotency_key is not None:
        first = claim(session, user_id=user.id, key=idempotency_key, resource_type="dossier",
                      payload_hash=request_hash(data.model_dump(mode="json")), resource_id=dossier_id)
        if first != dossier_id:
            dossier = session.get(Dossier, first)
            if dossier is None:  # dossiers are never deleted; kept for safety
                raise Conflict("Hồ sơ đã tạo với khoá chống gửi lặp này không còn.")
            return Receipt(dossier, replayed=True)
    procedure = get_procedure_by_code(session, data.procedure_code, full=True)
    agency = _agency(session, code=data.agency_code, agency_id=data.agency_id, label="Cơ quan giải quyết")
    unit = _agency(session, code=data.receiving_unit_code, agency_id=data.receiving_unit_id,
                   label="Bộ phận Một cửa tiếp nhận")
    return_unit = _agency(session, code=data.return_unit_code, agency_id=None, label="Nơi trả kết quả")
    a = data.applicant
    receipt = ReceiptData(
        applicant=ApplicantData(a.kind, a.full_name, a.id_number, a.phone, a.email, a.address,
                                _admin_unit_id(session, a.admin_unit_code)),
        components=_components(data, procedure), channel=data.channel, outcome=data.outcome,
        missing_items=data.missing_items, refusal_reason=data.refusal_reason, fees=data.fees, note=data.note,
        time_limit_days=data.time_limit_days, time_limit_hours=data.time_limit_hours,
        time_limit_basis=data.time_limit_basis,
    )
    dossier = receive_dossier(session, user=user, procedure=procedure, agency=agency, receiving_unit=unit,
                              data=receipt, return_unit=return_unit, dossier_id=dossier_id)
    # A dossier refused at the counter keeps no scans: the papers go back to the applicant.
    if dossier.status != "refused_at_receipt":
        for filename, content in scans or []:
            attach_file(session, dossier, user=user, content=content, filename=filename, purpose="scan",
                        storage_root=storage_root)
    return Receipt(dossier, replayed=False)


def _file(data: ActionNoteIn) -> bytes | None:
    encoded = getattr(data, "file_base64", None)
    if not encoded:
        return None
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("Tệp kết quả không phải chuỗi base64 hợp lệ.") from None


def act(
    session: Session, dossier: Dossier, *, user: User, action: str, data: ActionNoteIn,
    storage_root: Path | None = None,
) -> Dossier:
    """Perform `action` with its input model (see schemas.ACTION_INPUTS), references resolved."""
    params = ActionParams(note=data.note, storage_root=storage_root)
    username = getattr(data, "assignee", None)
    if username:
        params.assignee = find_user(session, username)
        if params.assignee is None:
            raise InvalidInput(f"Không tìm thấy cán bộ “{username}”.")
    params.consult_agency = _agency(session, code=getattr(data, "agency_code", None), agency_id=None,
                                    label="Cơ quan phối hợp")
    params.missing_items = getattr(data, "missing_items", None)
    params.amount = getattr(data, "amount", None)
    params.working_days = getattr(data, "working_days", None)
    params.result_number = getattr(data, "result_number", None)
    params.result_summary = getattr(data, "result_summary", None)
    params.file_content, params.file_name = _file(data), getattr(data, "file_name", None)
    params.method = getattr(data, "method", None)
    params.new_due_at = getattr(data, "new_due_at", None)
    params.extra_working_days = getattr(data, "extra_working_days", None)
    return perform_action(session, dossier, user=user, action=action, params=params)
