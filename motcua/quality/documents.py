"""Controlled documents of a unit's system (ISO 9001:2015 clause 7.5): quality policy,
objectives, procedures, forms and the internal process of each procedure.

A document has numbered versions. A version is drafted by the unit's secretary, approved
(ban hành) by its head with an effective date, and then never edited: a change is a new
version. Approving a version makes the one it replaces obsolete from that date; obsolete
versions are kept and marked. An internal process names the process-template version the
dossiers run on, so the ISO document and the workflow are the same process.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from motcua.auth.models import User
from motcua.catalog.models import Procedure
from motcua.core.clock import now
from motcua.core.errors import Conflict, InvalidInput, NotFound, TransitionNotAllowed
from motcua.core.text import nfc
from motcua.org.models import Agency
from motcua.quality import policies
from motcua.quality.enums import DocumentKind, VersionStatus
from motcua.quality.models import QualityDocument, QualityDocumentVersion, QualityUnit
from motcua.quality.units import covered_procedure_ids, implemented_procedures
from motcua.workflow.models import ProcessTemplate
from motcua.workflow.service import active_template

# Kinds that are about one administrative procedure.
PROCEDURE_KINDS = (DocumentKind.internal_process,)


def documents_of(session: Session, unit: QualityUnit) -> list[QualityDocument]:
    return list(session.scalars(
        select(QualityDocument).where(QualityDocument.unit_id == unit.id)
        .options(selectinload(QualityDocument.versions)).order_by(QualityDocument.kind, QualityDocument.code)
    ))


def list_documents(session: Session, user: User | None, unit: QualityUnit) -> list[QualityDocument]:
    policies.ensure_can_view_unit(session, user, unit)
    return documents_of(session, unit)


def get_document(session: Session, user: User | None, document_id: uuid.UUID) -> tuple[QualityDocument, QualityUnit]:
    document = session.scalar(
        select(QualityDocument).where(QualityDocument.id == document_id).options(selectinload(QualityDocument.versions))
    )
    if document is None:
        raise NotFound("Không có tài liệu này.")
    unit = session.scalar(
        select(QualityUnit).where(QualityUnit.id == document.unit_id)
        .options(selectinload(QualityUnit.agency), selectinload(QualityUnit.rollout))
    )
    policies.ensure_can_view_unit(session, user, unit)
    return document, unit


def version_in_force(document: QualityDocument, on: date) -> QualityDocumentVersion | None:
    """The approved version effective on `on` (versions loaded)."""
    candidates = [
        v for v in document.versions
        if v.status != VersionStatus.draft and v.effective_from is not None and v.effective_from <= on
        and (v.obsolete_on is None or v.obsolete_on > on)
    ]
    return max(candidates, key=lambda v: v.number, default=None)


@dataclass(frozen=True)
class NewDocument:
    kind: DocumentKind
    code: str
    title: str
    procedure_id: uuid.UUID | None = None


@dataclass(frozen=True)
class NewVersion:
    content: str | None = None
    file_name: str | None = None
    change_note: str | None = None
    distribution: list[str] = field(default_factory=list)
    process_template_id: uuid.UUID | None = None


def create_document(session: Session, user: User | None, unit: QualityUnit, data: NewDocument) -> QualityDocument:
    policies.ensure_can_act(user, unit)
    code, title = nfc(data.code) or "", nfc(data.title) or ""
    if not code or not title:
        raise InvalidInput("Nhập mã hiệu và tên tài liệu.")
    kind = DocumentKind(data.kind)
    if kind in PROCEDURE_KINDS:
        if data.procedure_id is None:
            raise InvalidInput("Quy trình nội bộ phải gắn với một thủ tục hành chính.")
        if data.procedure_id not in covered_procedure_ids(session, unit) and data.procedure_id not in {
            p.id for p in implemented_procedures(session, unit.agency_id)
        }:
            raise InvalidInput("Thủ tục này không do đơn vị thực hiện.")
    elif data.procedure_id is not None and session.get(Procedure, data.procedure_id) is None:
        raise InvalidInput("Không có thủ tục đã chọn.")
    taken = session.scalar(select(func.count()).where(QualityDocument.unit_id == unit.id, QualityDocument.code == code))
    if taken:
        raise Conflict(f"Đơn vị đã có tài liệu mã hiệu “{code}”.")
    document = QualityDocument(unit_id=unit.id, kind=kind, code=code, title=title, procedure_id=data.procedure_id,
                               versions=[])
    session.add(document)
    session.flush()
    return document


def _template_for(session: Session, document: QualityDocument, unit: QualityUnit, template_id: uuid.UUID | None) -> uuid.UUID | None:
    if document.kind not in PROCEDURE_KINDS:
        if template_id is not None:
            raise InvalidInput("Chỉ quy trình nội bộ giải quyết thủ tục mới gắn với quy trình xử lý hồ sơ.")
        return None
    if template_id is None:
        procedure = session.get(Procedure, document.procedure_id)
        agency = session.get(Agency, unit.agency_id)
        template = active_template(session, procedure, agency)
        if template is None:
            raise InvalidInput("Đơn vị chưa có quy trình xử lý hồ sơ cho thủ tục này; hãy thiết lập quy trình trước.")
        return template.id
    template = session.get(ProcessTemplate, template_id)
    if template is None or template.procedure_id != document.procedure_id or template.agency_id != unit.agency_id:
        raise InvalidInput("Phiên bản quy trình xử lý hồ sơ đã chọn không thuộc thủ tục và đơn vị này.")
    return template.id


def add_version(session: Session, user: User | None, document: QualityDocument, unit: QualityUnit, data: NewVersion) -> QualityDocumentVersion:
    """A new draft; one draft at a time (edit it by replacing it before approval)."""
    policies.ensure_can_act(user, unit)
    if any(v.status == VersionStatus.draft for v in document.versions):
        raise Conflict("Tài liệu đang có một dự thảo chưa phê duyệt; phê duyệt hoặc huỷ dự thảo đó trước.")
    content, file_name = nfc(data.content) or None, nfc(data.file_name) or None
    if content is None and file_name is None:
        raise InvalidInput("Nhập nội dung hoặc tên tệp của phiên bản tài liệu.")
    distribution = [name for name in (nfc(n) for n in data.distribution) if name]
    version = QualityDocumentVersion(
        document_id=document.id,
        number=max((v.number for v in document.versions), default=0) + 1,
        status=VersionStatus.draft,
        content=content,
        file_name=file_name,
        change_note=nfc(data.change_note) or None,
        process_template_id=_template_for(session, document, unit, data.process_template_id),
        distribution=list(dict.fromkeys(distribution)),
        created_by_id=user.id if user else None,
    )
    session.add(version)
    document.versions.append(version)
    session.flush()
    return version


def discard_draft(session: Session, user: User | None, document: QualityDocument, unit: QualityUnit) -> None:
    policies.ensure_can_act(user, unit)
    draft = next((v for v in document.versions if v.status == VersionStatus.draft), None)
    if draft is None:
        raise NotFound("Tài liệu không có dự thảo.")
    document.versions.remove(draft)
    session.delete(draft)
    session.flush()


def approve(session: Session, user: User | None, document: QualityDocument, unit: QualityUnit, *, effective_from: date) -> QualityDocumentVersion:
    """The head approves the draft, effective from `effective_from`; the version in force
    until then becomes obsolete on that date (kept, marked)."""
    policies.ensure_can_approve(user, unit)
    draft = next((v for v in document.versions if v.status == VersionStatus.draft), None)
    if draft is None:
        raise TransitionNotAllowed("Tài liệu không có dự thảo để phê duyệt.")
    approved = [v for v in document.versions if v.status == VersionStatus.approved]
    latest = max((v.effective_from for v in approved if v.effective_from), default=None)
    if latest is not None and effective_from <= latest:
        raise InvalidInput(
            f"Ngày hiệu lực phải sau ngày hiệu lực của phiên bản đang áp dụng ({latest:%d/%m/%Y})."
        )
    for previous in approved:
        previous.status, previous.obsolete_on = VersionStatus.obsolete, effective_from
    draft.status, draft.effective_from = VersionStatus.approved, effective_from
    draft.approved_at, draft.approved_by_id = now(), user.id if user else None
    session.flush()
    return draft
