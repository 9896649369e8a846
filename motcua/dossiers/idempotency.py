"""Idempotency keys for creating requests: a replay returns the first answer, creates nothing.

Both doors use them: the API's `Idempotency-Key` header and the counter page's hidden field
(generated when the form is shown, kept when it is shown again after an error), so a double
click, a browser's resubmission or the "send again" page never receives a dossier twice.

Keys are scoped by user. The request's hash is stored with the key: the same key with a
different body is refused (409) rather than answered with another request's dossier.

The key is claimed *before* the resource is created, with the id the resource will get. Two
requests with the same key at the same time therefore meet on the key's primary key: on
PostgreSQL the second INSERT waits for the first transaction and, once it committed, fails;
the second request then reads the committed claim and answers with the first one's
resource. On SQLite writers are serialised from their first statement (core.db), so the
second one finds the claim at once.
"""

from __future__ import annotations

import hashlib
import json
import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from motcua.core.errors import Conflict, InvalidInput
from motcua.dossiers.models import IdempotencyRecord

MAX_KEY = 200
REUSED = "idempotency_key_reused"


def request_hash(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def _scoped(user_id: uuid.UUID, key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY or not key.isprintable():
        raise InvalidInput(f"Idempotency-Key không hợp lệ (1–{MAX_KEY} ký tự in được).")
    return f"{user_id}:{key}"


def claim(session: Session, *, user_id: uuid.UUID, key: str, payload_hash: str, resource_type: str,
          resource_id: uuid.UUID) -> uuid.UUID:
    """Claim `key` for the resource about to be created as `resource_id`.

    Returns `resource_id` when this request is the first with the key (create it now, in
    this transaction), or the id of the resource the first request created (answer with it,
    create nothing). Conflict when the key came with another body."""
    scoped = _scoped(user_id, key)
    record = session.get(IdempotencyRecord, scoped)
    if record is None:
        try:
            with session.begin_nested():
                session.add(IdempotencyRecord(key=scoped, request_hash=payload_hash, resource_type=resource_type,
                                              resource_id=resource_id))
            return resource_id
        except IntegrityError:  # the same key, at the same time, from a request that committed first
            record = session.get(IdempotencyRecord, scoped, populate_existing=True)
            if record is None:
                raise Conflict("Yêu cầu với khoá này vừa được xử lý; vui lòng gửi lại để nhận kết quả.",
                               code=REUSED) from None
    if record.request_hash != payload_hash or record.resource_type != resource_type:
        raise Conflict("Khoá chống gửi lặp (Idempotency-Key) này đã được dùng cho một yêu cầu có nội dung khác.",
                       code=REUSED)
    return record.resource_id
