"""The online form, its drafts and its submission (docs/eservice.md).

A citizen starts a draft for an offered procedure and an implementing agency: the applicant
is declared once, from the signed-in account (the national identity's name and number) and
the population lookup of that number (birth, residence), logged with the citizen as the one
who asked. The form has one upload per catalogue component. "Lưu nháp" keeps what was typed
and the files accepted; "Nộp hồ sơ" also requires every required component and a way to
reach the applicant, then creates the dossier in the online queue (external status 1,
channel local_online) and removes the draft, in the request's one transaction.

A post with any refused file writes nothing: every file is checked (by content) before the
first is stored, and the refusal rolls the unit of work back. Draft files live under
`<storage>/drafts/<draft id>/` — never shared with the dossiers' content-addressed store — so
deleting a draft's folder cannot take a file a dossier still uses; the folder is removed
only once the deletion or submission is committed.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from motcua.catalog.applications import current_applications
from motcua.catalog.models import DossierComponentSpec, Procedure
from motcua.citizens.enums import AccountType
from motcua.citizens.models import Citizen
from motcua.core.clock import now
from motcua.core.errors import InvalidInput, NotFound
from motcua.core.text import nfc
from motcua.dossiers.enums import ApplicantKind, Channel
from motcua.dossiers.inputs import refusal as form_refusal
from motcua.dossiers.models import Dossier
from motcua.dossiers.policies import Actor
from motcua.dossiers.service import ApplicantData, check_receiving_unit
from motcua.dossiers.service.online import OnlineComponent, OnlineFile, register_online
from motcua.dossiers.storage import name_for, read_bytes, store_bytes
from motcua.eservice.models import OnlineDraft, OnlineDraftFile, OnlineSubmission
from motcua.eservice.offers import offered_procedure
from motcua.eservice.schemas import OnlineFormIn
from motcua.eservice.uploads import Upload, refusal
from motcua.integrations.lgsp.population import PopulationRegistry
from motcua.org.models import Agency
from motcua.population.enums import LookupOutcome
from motcua.population.service import lookup_own_record, prefill_fields

# The applicant as stored on a draft; the first four are declared by the account and the
# lookup and are not inputs of the form, the last three are typed (prefilled).
APPLICANT_FIELDS = ("kind", "full_name", "id_number", "birth", "address", "phone", "email")
TYPED_FIELDS = ("address", "phone", "email", "note")
CITIZEN_ROLE = "citizen"  # the audit row's role of a citizen's own submission
_REMOVE_AFTER_COMMIT = "eservice.remove_after_commit"


def component_input(spec_id: uuid.UUID) -> str:
    """The form input of a component's upload (its id too: the error summary links to it)."""
    return f"tp_{spec_id.hex}"


@dataclass(frozen=True)
class FormComponent:
    spec: DossierComponentSpec
    file: OnlineDraftFile | None

    @property
    def input_name(self) -> str:
        return component_input(self.spec.id)

    @property
    def count(self) -> int:
        return max(1, self.spec.original_count + self.spec.copy_count)


# --- where a dossier goes ------------------------------------------------------------------


def receiving_unit_for(session: Session, procedure: Procedure, agency: Agency) -> Agency:
    """The one-stop section that receives the online dossier: the agency's own, the nearest
    above it, or the provincial service centre — the first the receipt rule allows."""
    candidates: list[Agency] = []
    current: Agency | None = agency
    while current is not None and len(candidates) < 10:
        candidates.append(current)
        current = session.get(Agency, current.parent_id) if current.parent_id else None
    centres = session.scalars(select(Agency).where(
        Agency.kind == "service_centre", Agency.level == "province", Agency.is_one_stop.is_(True))
        .order_by(Agency.code)).all()
    # The province's own centre first: QCVN 102 codes end with the province's code (".H37").
    province = agency.code.rsplit(".", 1)[-1]
    candidates += sorted(centres, key=lambda c: c.code.rsplit(".", 1)[-1] != province)
    for unit in candidates:
        if not unit.is_one_stop:
            continue
        try:
            check_receiving_unit(session, procedure=procedure, agency=agency, receiving_unit=unit)
        except InvalidInput:
            continue
        return unit
    raise InvalidInput(f"Chưa có Bộ phận Một cửa nhận hồ sơ trực tuyến của {agency.name}: hãy nộp tại cơ quan.")


def agency_choices(session: Session, procedure: Procedure) -> list[Agency]:
    """The agencies implementing the procedure today, by name."""
    return [app.agency for app in current_applications(session, [procedure.id])]


# --- drafts --------------------------------------------------------------------------------


def _declared_applicant(citizen: Citizen) -> dict[str, Any]:
    if citizen.type is AccountType.business:
        return {"kind": ApplicantKind.organisation.value, "full_name": citizen.display_name,
                "id_number": citizen.tax_code or citizen.business_code, "birth": None,
                "address": citizen.address, "phone": citizen.phone, "email": citizen.email}
    return {"kind": ApplicantKind.person.value, "full_name": citizen.full_name,
            "id_number": citizen.id_number or citizen.old_id_number or citizen.passport, "birth": None,
            "address": citizen.address, "phone": citizen.phone, "email": citizen.email}


def start_draft(session: Session, registry: PopulationRegistry, citizen: Citizen, *, code: str,
                agency_id: uuid.UUID | None) -> OnlineDraft:
    """A new draft of `citizen` for the offered procedure `code` at the chosen agency, the
    applicant prefilled (account, then the population lookup of the account's own number)."""
    procedure = offered_procedure(session, code)
    choices = agency_choices(session, procedure)
    if agency_id is None and len(choices) == 1:
        agency_id = choices[0].id
    agency = next((a for a in choices if a.id == agency_id), None)
    if agency is None:
        message = "Chọn cơ quan giải quyết trong danh sách." if choices else (
            f"Thủ tục “{procedure.code}” hiện chưa có cơ quan thực hiện: chưa nộp trực tuyến được.")
        raise InvalidInput(message, details=[{"name": "agency_id", "label": "Cơ quan giải quyết", "message": message}])
    unit = receiving_unit_for(session, procedure, agency)
    applicant = _declared_applicant(citizen)
    lookup_message = None
    if applicant["kind"] == ApplicantKind.person.value and citizen.id_number:
        result = lookup_own_record(session, registry, citizen_id=citizen.id, citizen_name=citizen.full_name,
                                   id_number=citizen.id_number, agency=unit)
        if result.citizen is not None:
            record = result.citizen
            applicant["birth"] = record.birth.text if record.birth else None
            applicant["address"] = prefill_fields(record)["address"] or applicant["address"]
        elif result.outcome is LookupOutcome.not_found:
            lookup_message = result.message
        else:  # the platform's own wording (settings, timeouts) is for the access log, not the citizen
            lookup_message = "Hệ thống chưa kết nối được Cơ sở dữ liệu quốc gia về dân cư lúc này."
    at = now()
    draft = OnlineDraft(citizen_id=citizen.id, procedure_id=procedure.id, agency_id=agency.id,
                        receiving_unit_id=unit.id, applicant=applicant, lookup_message=lookup_message,
                        created_at=at, updated_at=at)
    session.add(draft)
    session.flush()
    return draft


def get_draft(session: Session, citizen: Citizen, draft_id: uuid.UUID) -> OnlineDraft:
    """The citizen's own draft; another's is answered exactly like one that does not exist."""
    draft = session.get(OnlineDraft, draft_id)
    if draft is None or draft.citizen_id != citizen.id:
        raise NotFound("Không tìm thấy hồ sơ nháp (có thể đã được nộp hoặc đã xoá).")
    return draft


def citizen_drafts(session: Session, citizen: Citizen) -> list[tuple[OnlineDraft, Procedure]]:
    return list(session.execute(
        select(OnlineDraft, Procedure).join(Procedure, Procedure.id == OnlineDraft.procedure_id)
        .where(OnlineDraft.citizen_id == citizen.id).order_by(OnlineDraft.updated_at.desc())).tuples())


def form_components(session: Session, procedure: Procedure, draft: OnlineDraft | None = None) -> list[FormComponent]:
    """The procedure's components in the catalogue's order, each with the draft's file."""
    specs = session.scalars(select(DossierComponentSpec).where(DossierComponentSpec.procedure_id == procedure.id)
                            .order_by(DossierComponentSpec.position)).all()
    files = {f.component_id: f for f in draft_files(session, draft)} if draft is not None else {}
    return [FormComponent(spec, files.get(spec.id)) for spec in specs]


def draft_files(session: Session, draft: OnlineDraft) -> list[OnlineDraftFile]:
    return list(session.scalars(select(OnlineDraftFile).where(OnlineDraftFile.draft_id == draft.id)))


def draft_dir(root: Path, draft_id: uuid.UUID) -> Path:
    return Path(root) / "drafts" / draft_id.hex


def _checked(components: list[FormComponent], uploads: Mapping[str, Upload], max_bytes: int,
             errors: list[dict[str, str]]) -> dict[uuid.UUID, Upload]:
    """The posted files by component, each checked; refusals appended to `errors`."""
    by_input = {c.input_name: c for c in components}
    accepted: dict[uuid.UUID, Upload] = {}
    for name, upload in uploads.items():
        component = by_input.get(name)
        if component is None:
            continue  # not a component of this procedure (any more): ignored, not stored
        reason = refusal(upload, max_bytes)
        if reason:
            errors.append({"name": name, "label": component.spec.name, "message": reason})
        else:
            accepted[component.spec.id] = upload
    return accepted


def _form(values: Mapping[str, str | None], errors: list[dict[str, str]]) -> OnlineFormIn | None:
    try:
        return OnlineFormIn.model_validate({k: (values.get(k) or None) for k in TYPED_FIELDS})
    except ValidationError as exc:
        errors += form_refusal(exc, OnlineFormIn).details  # each error named after its input
        return None


def _store(session: Session, draft: OnlineDraft, accepted: dict[uuid.UUID, Upload], *, root: Path) -> None:
    at = now()
    existing = {f.component_id: f for f in draft_files(session, draft)}
    for component_id, upload in accepted.items():
        digest, kind, size = store_bytes(upload.content, root=draft_dir(root, draft.id))
        row = existing.get(component_id) or OnlineDraftFile(draft_id=draft.id, component_id=component_id)
        row.filename, row.content_type, row.size, row.sha256, row.uploaded_at = (
            name_for(upload.filename, kind), kind, size, digest, at)
        session.add(row)


def _apply(draft: OnlineDraft, data: OnlineFormIn) -> None:
    applicant = dict(draft.applicant)
    for name in ("address", "phone", "email"):
        applicant[name] = nfc(getattr(data, name)) or None
    draft.applicant = applicant
    draft.note = nfc(data.note) or None
    draft.updated_at = now()


def save_draft(session: Session, draft: OnlineDraft, *, values: Mapping[str, str | None],
               uploads: Mapping[str, Upload], root: Path, max_bytes: int) -> OnlineDraft:
    """Keep what was typed and the accepted files; any refusal writes nothing."""
    procedure = offered_procedure_of(session, draft)
    components = form_components(session, procedure, draft)
    errors: list[dict[str, str]] = []
    data = _form(values, errors)
    accepted = _checked(components, uploads, max_bytes, errors)
    _refuse(errors, "Chưa lưu được hồ sơ nháp")
    _apply(draft, data)
    _store(session, draft, accepted, root=root)
    session.flush()
    return draft


def submit_draft(session: Session, draft: OnlineDraft, citizen: Citizen, *, values: Mapping[str, str | None],
                 uploads: Mapping[str, Upload], root: Path, max_bytes: int) -> Dossier:
    """The dossier in the online queue (status submitted_online, external 1, channel
    local_online), the draft and its files gone; every refusal at once, nothing written."""
    procedure = offered_procedure_of(session, draft)
    components = form_components(session, procedure, draft)
    errors: list[dict[str, str]] = []
    data = _form(values, errors)
    accepted = _checked(components, uploads, max_bytes, errors)
    for c in components:
        refused = any(e["name"] == c.input_name for e in errors)
        if c.spec.required and c.file is None and c.spec.id not in accepted and not refused:
            errors.append({"name": c.input_name, "label": c.spec.name,
                           "message": "Thành phần bắt buộc: hãy tải lên tệp của giấy tờ này."})
    if data is not None and not (data.phone or data.email):
        errors.append({"name": "phone", "label": "Số điện thoại",
                       "message": "Ghi số điện thoại hoặc thư điện tử để cơ quan liên hệ, báo kết quả."})
    _refuse(errors, "Chưa nộp được hồ sơ")
    _apply(draft, data)
    applicant = draft.applicant
    files = {f.component_id: f for f in draft_files(session, draft)}
    parts = []
    for c in components:
        if c.spec.id in accepted:
            upload = accepted[c.spec.id]
            content, filename = upload.content, upload.filename
        elif c.spec.id in files:
            content, filename = read_bytes(files[c.spec.id].sha256, draft_dir(root, draft.id)), files[c.spec.id].filename
        else:
            continue
        parts.append(OnlineComponent(name=c.spec.name, count=c.count, spec_id=c.spec.id,
                                     files=(OnlineFile(filename, content),)))
    agency = session.get(Agency, draft.agency_id)
    unit = session.get(Agency, draft.receiving_unit_id)
    dossier = register_online(
        session, code=None, procedure=procedure, agency=agency, receiving_unit=unit,
        applicant=ApplicantData(applicant["kind"], applicant["full_name"], applicant.get("id_number"),
                                applicant.get("phone"), applicant.get("email"), applicant.get("address")),
        components=parts, submitted_at=now(), note=draft.note, channel=Channel.local_online,
        actor=Actor(None, citizen.display_name, CITIZEN_ROLE, None), storage_root=root)
    session.add(OnlineSubmission(dossier_id=dossier.id, citizen_id=citizen.id, submitted_at=dossier.received_at))
    delete_draft(session, draft, root=root)
    return dossier


def delete_draft(session: Session, draft: OnlineDraft, *, root: Path) -> None:
    """The draft, its file rows and — once committed — its folder."""
    session.execute(delete(OnlineDraftFile).where(OnlineDraftFile.draft_id == draft.id))
    session.delete(draft)
    session.flush()
    session.info.setdefault(_REMOVE_AFTER_COMMIT, []).append(draft_dir(root, draft.id))


def offered_procedure_of(session: Session, draft: OnlineDraft) -> Procedure:
    """The draft's procedure, still offered (a procedure taken off the list takes no more)."""
    procedure = session.get(Procedure, draft.procedure_id)
    return offered_procedure(session, procedure.code)


def submission_of(session: Session, citizen: Citizen, dossier_id: uuid.UUID) -> Dossier:
    """A dossier the citizen submitted here (the confirmation page)."""
    dossier = session.scalar(select(Dossier).join(OnlineSubmission, OnlineSubmission.dossier_id == Dossier.id)
                             .where(Dossier.id == dossier_id, OnlineSubmission.citizen_id == citizen.id))
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ đã nộp.")
    return dossier


def _refuse(errors: list[dict[str, str]], heading: str) -> None:
    if errors:
        shown = " ".join(f"{e['label']}: {e['message']}" for e in errors)
        raise InvalidInput(f"{heading}: {shown}", details=errors)


@event.listens_for(Session, "after_commit")
def _remove_folders(session: Session) -> None:
    for folder in session.info.pop(_REMOVE_AFTER_COMMIT, ()):
        shutil.rmtree(folder, ignore_errors=True)


@event.listens_for(Session, "after_rollback")
def _keep_folders(session: Session) -> None:
    session.info.pop(_REMOVE_AFTER_COMMIT, None)
