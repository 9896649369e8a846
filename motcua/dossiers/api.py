"""JSON API of dossiers (issue 5 §8): receipt, reading, inbox filters, actions, audit check."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Header, Query, Request, Response, UploadFile
from sqlalchemy.orm import Session

from motcua.auth.deps import CurrentUser
from motcua.auth.models import User
from motcua.auth.policies import ensure_role
from motcua.core.db import DbSession
from motcua.dossiers import service
from motcua.dossiers.audit import dossier_events, verify_chains
from motcua.dossiers.detail import dossier_detail
from motcua.dossiers.enums import (
    EXTERNAL_LABELS,
    STATUS_LABELS,
    Action,
    DossierStatus,
    ExternalStatus,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import get_dossier, inbox, mask
from motcua.dossiers.schemas import (
    ActionIn,
    AttachmentOut,
    AuditVerifyOut,
    DossierOut,
    DossierPageOut,
    DossierSummary,
    EventOut,
    ReceiptIn,
    action_input,
)
from motcua.dossiers.service import (
    attach_file,
    list_attachments,
    read_attachment,
    receive,
)
from motcua.dossiers.storage import content_disposition
from motcua.org.service import get_agency_by_code

router = APIRouter(prefix="/api/v1", tags=["Hồ sơ"])

PROBLEM = {"model": dict, "content": {"application/problem+json": {}}}
ERRORS = {401: {"description": "Chưa đăng nhập"}, 403: {"description": "Không có quyền"},
          404: {"description": "Không tìm thấy"}, 409: {"description": "Không được phép ở trạng thái hiện tại"},
          422: {"description": "Dữ liệu không hợp lệ"}}


def dossier_out(session: Session, dossier: Dossier, user: User | None) -> DossierOut:
    """The API representation of a dossier (the read model its page shows), with what `user` may do now."""
    detail = dossier_detail(session, dossier, user)
    return DossierOut(
        id=dossier.id, code=dossier.code, lookup_key=dossier.lookup_key, procedure_code=dossier.procedure_code,
        procedure_name=dossier.procedure_name, template_version=dossier.template_version, agency_code=detail.agency_code(dossier.agency_id),
        receiving_unit_code=detail.agency_code(dossier.receiving_unit_id),
        return_unit_code=detail.agency_code(dossier.return_unit_id),
        channel=dossier.channel, status=dossier.status, status_label=STATUS_LABELS[DossierStatus(dossier.status)],
        external_status=dossier.external_status,
        external_status_label=EXTERNAL_LABELS[ExternalStatus(dossier.external_status)],
        applicant={
            "kind": dossier.applicant_kind, "full_name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number, "phone": dossier.applicant_phone,
            "email": dossier.applicant_email, "address": dossier.applicant_address,
        },
        received_at=dossier.received_at, effective_receipt_at=dossier.effective_receipt_at, due_at=dossier.due_at,
        original_due_at=dossier.original_due_at, progress_due_at=dossier.progress_due_at,
        finished_at=dossier.finished_at, returned_at=dossier.returned_at, return_method=dossier.return_method,
        outcome=dossier.outcome, progress_outcome=dossier.progress_outcome, reappointed=dossier.reappointed,
        supplement_count=dossier.supplement_count, missing_items=dossier.missing_items,
        refusal_reason=dossier.refusal_reason, fees_amount=dossier.fees_amount, fees_paid=dossier.fees_paid,
        current_step_name=dossier.current_step_name, current_role=dossier.current_role,
        current_assignee_id=dossier.current_assignee_id, available_actions=detail.actions,
        components=detail.components, steps=detail.steps,
    )


def summary(dossier: Dossier) -> DossierSummary:
    return DossierSummary(
        id=dossier.id, code=dossier.code, procedure_code=dossier.procedure_code,
        procedure_name=dossier.procedure_name, status=dossier.status,
        status_label=STATUS_LABELS[DossierStatus(dossier.status)], external_status=dossier.external_status,
        applicant_name=dossier.applicant_name, applicant_id_number=mask(dossier.applicant_id_number),
        applicant_phone=mask(dossier.applicant_phone), received_at=dossier.received_at, due_at=dossier.due_at,
        current_step_name=dossier.current_step_name,
    )


@router.post(
    "/dossiers", status_code=201, response_model=DossierOut, summary="Tiếp nhận hồ sơ",
    responses={**ERRORS, 200: {"model": DossierOut, "description": "Lặp lại yêu cầu (cùng Idempotency-Key)"}},
)
def create_dossier(
    body: ReceiptIn, session: DbSession, user: CurrentUser, response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> DossierOut:
    """Tiếp nhận hồ sơ tại Bộ phận Một cửa: tiếp nhận (mẫu 01), chưa đầy đủ (mẫu 02) hoặc từ chối (mẫu 03).

    Gửi kèm `Idempotency-Key` để gửi lại an toàn: lần gửi lại trả về đúng hồ sơ đã tạo, không tạo thêm."""
    receipt = receive(session, user=user, data=body, idempotency_key=idempotency_key)
    if receipt.replayed:
        response.status_code = 200
    return dossier_out(session, receipt.dossier, user)


@router.get("/dossiers", response_model=DossierPageOut, summary="Danh sách hồ sơ (tra cứu theo mã, hộp hồ sơ)",
            responses=ERRORS)
def list_dossiers(
    session: DbSession, user: CurrentUser,
    code: Annotated[str | None, Query(max_length=40, description="Mã hồ sơ")] = None,
    box: Annotated[Literal["todo", "due_soon", "overdue", "waiting"] | None, Query(description="Hộp hồ sơ")] = None,
    agency: Annotated[str | None, Query(max_length=20, description="Mã cơ quan (giải quyết hoặc tiếp nhận)")] = None,
    status: Annotated[DossierStatus | None, Query(description="Trạng thái nội bộ")] = None,
    q: Annotated[str | None, Query(max_length=100, description="Tên người nộp hoặc một phần mã hồ sơ")] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> DossierPageOut:
    """Hồ sơ trong phạm vi của người dùng; số giấy tờ và điện thoại được che bớt."""
    agency_id = get_agency_by_code(session, agency).id if agency else None
    result = inbox(session, user, box=box, agency_id=agency_id, status=status.value if status else None, code=code,
                   q=q, page=page, page_size=page_size)
    return DossierPageOut(total=result.total, more=result.more, page=result.page, page_size=result.page_size,
                          items=[summary(d) for d in result.items])


@router.get("/dossiers/{dossier_id}", response_model=DossierOut, summary="Chi tiết hồ sơ", responses=ERRORS)
def read_dossier(dossier_id: uuid.UUID, session: DbSession, user: CurrentUser) -> DossierOut:
    return dossier_out(session, get_dossier(session, dossier_id, user), user)


@router.get("/dossiers/{dossier_id}/events", response_model=list[EventOut], summary="Nhật ký xử lý hồ sơ",
            responses=ERRORS)
def read_events(dossier_id: uuid.UUID, session: DbSession, user: CurrentUser) -> list[EventOut]:
    dossier = get_dossier(session, dossier_id, user)
    return [EventOut.model_validate(e) for e in dossier_events(session, dossier.id)]


@router.post("/dossiers/{dossier_id}/actions/{action}", response_model=DossierOut, summary="Thực hiện thao tác xử lý",
             responses=ERRORS)
def act(dossier_id: uuid.UUID, action: Action, request: Request, session: DbSession, user: CurrentUser,
        body: ActionIn | None = None) -> DossierOut:
    """Chuyển bước, trả lại, yêu cầu bổ sung, phê duyệt, từ chối, trả kết quả, … (tên thao tác tiếng Anh)."""
    dossier = get_dossier(session, dossier_id, user)
    data = action_input(action.value, (body or ActionIn()).model_dump(exclude_unset=True))
    service.act(session, dossier, user=user, action=action.value, data=data,
                storage_root=request.app.state.settings.storage_dir)
    return dossier_out(session, dossier, user)


@router.post("/dossiers/{dossier_id}/attachments", response_model=AttachmentOut, status_code=201,
             summary="Đính kèm tệp (bản quét, tài liệu xử lý)", responses=ERRORS)
def upload_attachment(
    dossier_id: uuid.UUID, request: Request, session: DbSession, user: CurrentUser, file: UploadFile,
    purpose: Annotated[Literal["scan", "step"], Form()] = "scan",
    component_id: Annotated[uuid.UUID | None, Form()] = None,
) -> AttachmentOut:
    """Tệp PDF/PNG/JPEG/TIFF/DOCX, kiểm tra nội dung thật (không dựa vào tên tệp), giới hạn dung lượng."""
    dossier = get_dossier(session, dossier_id, user)
    settings = request.app.state.settings
    content = file.file.read(settings.max_upload_bytes + 1)
    attachment = attach_file(session, dossier, user=user, content=content, filename=file.filename, purpose=purpose,
                             component_id=component_id, storage_root=settings.storage_dir,
                             max_bytes=settings.max_upload_bytes)
    return AttachmentOut.model_validate(attachment)


@router.get("/dossiers/{dossier_id}/attachments", response_model=list[AttachmentOut], summary="Tệp đính kèm",
            responses=ERRORS)
def attachments(dossier_id: uuid.UUID, session: DbSession, user: CurrentUser) -> list[AttachmentOut]:
    dossier = get_dossier(session, dossier_id, user)
    return [AttachmentOut.model_validate(a) for a in list_attachments(session, dossier)]


@router.get("/dossiers/{dossier_id}/attachments/{attachment_id}", summary="Tải tệp đính kèm",
            response_class=Response, responses={**ERRORS, 200: {"content": {"application/octet-stream": {}}}})
def download_attachment(dossier_id: uuid.UUID, attachment_id: uuid.UUID, request: Request, session: DbSession,
                        user: CurrentUser) -> Response:
    dossier = get_dossier(session, dossier_id, user)
    attachment, content = read_attachment(session, dossier, attachment_id,
                                          storage_root=request.app.state.settings.storage_dir)
    return Response(content, media_type=attachment.content_type, headers={
        "Content-Disposition": content_disposition(attachment.filename),
        "X-Content-Type-Options": "nosniff",
    })


@router.get("/audit/verify", response_model=AuditVerifyOut, summary="Kiểm tra tính toàn vẹn nhật ký hồ sơ",
            responses=ERRORS)
def audit_verify(session: DbSession, user: CurrentUser) -> AuditVerifyOut:
    ensure_role(user, "province_admin")
    checked, problems = verify_chains(session)
    return AuditVerifyOut(checked=checked, altered=[
        {"dossier_id": str(p.dossier_id), "code": p.code, "seq": p.seq, "reason": p.reason} for p in problems
    ])
