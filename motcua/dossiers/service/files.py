"""Scans and other files attached to a dossier (content-hash storage, see dossiers.storage)."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import has_role
from motcua.core.clock import now
from motcua.core.errors import Forbidden, InvalidInput, NotFound
from motcua.dossiers.enums import TERMINAL_STATUSES
from motcua.dossiers.models import Dossier, DossierAttachment, DossierComponent
from motcua.dossiers.policies import Actor
from motcua.dossiers.queries import ensure_visible
from motcua.dossiers.service.common import record
from motcua.dossiers.storage import name_for, read_bytes, store_bytes

PURPOSES = ("scan", "step")


def attach_file(
    session: Session, dossier: Dossier, *, user: User, content: bytes, filename: str | None,
    purpose: str = "scan", component_id: uuid.UUID | None = None, storage_root: Path | None = None,
    max_bytes: int | None = None,
) -> DossierAttachment:
    """Store a scan (at receipt) or a working file (at a step); written to the audit trail."""
    ensure_visible(session, dossier, user)
    if purpose not in PURPOSES:
        raise InvalidInput("Loại tệp phải là scan (bản quét) hoặc step (tài liệu xử lý).")
    if dossier.status in TERMINAL_STATUSES and dossier.status != "incomplete":
        raise InvalidInput("Hồ sơ đã kết thúc, không đính kèm thêm tệp.")
    units = [dossier.receiving_unit_id, dossier.agency_id, dossier.current_unit_id]
    role_unit = next((u for u in units if u and has_role(user, agency_id=u)), None)
    if role_unit is None:
        raise Forbidden("Bạn không có quyền đính kèm tệp vào hồ sơ này.")
    if component_id is not None and session.scalar(select(DossierComponent.id).where(
            DossierComponent.dossier_id == dossier.id, DossierComponent.id == component_id)) is None:
        raise InvalidInput("Thành phần hồ sơ không thuộc hồ sơ này.")
    digest, kind, size = store_bytes(content, root=storage_root, max_bytes=max_bytes)
    at = now()
    name = name_for(filename, kind)
    attachment = DossierAttachment(dossier_id=dossier.id, purpose=purpose, component_id=component_id, filename=name,
                                   content_type=kind, size=size, sha256=digest, uploaded_by_id=user.id, created_at=at)
    session.add(attachment)
    session.flush([attachment])
    role = next((r.role for r in user.roles if r.agency_id == role_unit), "province_admin")
    record(session, dossier, actor=Actor(user.id, user.full_name, role, role_unit), action="attach", at=at,
           from_status=dossier.status, from_step=dossier.current_step_name, from_unit_id=dossier.current_unit_id,
           note=name, data={"attachment_id": str(attachment.id), "sha256": digest, "size": size})
    session.flush()
    return attachment


def list_attachments(session: Session, dossier: Dossier) -> list[DossierAttachment]:
    return list(session.scalars(select(DossierAttachment).where(DossierAttachment.dossier_id == dossier.id)
                                .order_by(DossierAttachment.created_at)))


def read_attachment(
    session: Session, dossier: Dossier, attachment_id: uuid.UUID, *, storage_root: Path | None = None
) -> tuple[DossierAttachment, bytes]:
    attachment = session.get(DossierAttachment, (dossier.id, attachment_id))
    if attachment is None:
        raise NotFound("Không tìm thấy tệp đính kèm.")
    try:
        return attachment, read_bytes(attachment.sha256, storage_root)
    except FileNotFoundError:
        raise NotFound("Tệp đính kèm không còn trong kho lưu trữ.") from None
