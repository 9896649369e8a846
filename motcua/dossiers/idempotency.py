"""Idempotency-Key for creating requests: a retry returns the first answer, creates nothing.

Keys are scoped by user. The request body's hash is stored with the key: the same key
with a different body is refused (409) rather than silently answered with another dossier.
"""

from __future__ import annotations

import hashlib
import json
import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from motcua.core.errors import Conflict, InvalidInput
from motcua.dossiers.models import IdempotencyRecord

MAX_KEY = 200


def request_hash(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def _scoped(user_id: uuid.UUID, key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY or not key.isprintable():
        raise InvalidInput(f"Idempotency-Key không hợp lệ (1–{MAX_KEY} ký tự in được).")
    return f"{user_id}:{key}"


def lookup(session: Session, *, user_id: uuid.UUID, key: str, payload_hash: str) -> uuid.UUID | None:
    """The resource created earlier with this key, or None; Conflict when the body differs."""
    record = session.get(IdempotencyRecord, _scoped(user_id, key))
    if record is None:
        return None
    if record.request_hash != payload_hash:
        raise Conflict("Idempotency-Key này đã được dùng cho một yêu cầu khác.")
    return record.resource_id


def remember(session: Session, *, user_id: uuid.UUID, key: str, payload_hash: str, resource_type: str,
             resource_id: uuid.UUID) -> None:
    record = IdempotencyRecord(key=_scoped(user_id, key), request_hash=payload_hash,
                               resource_type=resource_type, resource_id=resource_id)
    session.add(record)
    try:
        session.flush([record])
    except IntegrityError as exc:  # the same key, at the same time, from another request
        raise Conflict("Yêu cầu với Idempotency-Key này vừa được xử lý; vui lòng gửi lại để nhận kết quả.") from exc


__all__ = ["lookup", "remember", "request_hash", "select"]
