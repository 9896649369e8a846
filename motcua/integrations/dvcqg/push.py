"""What the portal delivers itself (push) instead of waiting for the province's pull: one
citizen's submission or online supplement per call, in the shapes of the pull (§3 record plus
`ThanhPhanHoSo`; a supplement carries `HoSoBoSungId`).

Authentication ([U]: no public code shows how the portal authenticates a call to a province;
OpenCPS's `createdossierfromdvcqg` shows none): HMAC-SHA256 of the exact request body, keyed
with a secret shared with the portal (`MOTCUA_DVCQG_INBOUND_SECRET`), lowercase hex in the
`X-DVCQG-Signature` header — the same construction as the payment platform's checksum
(docs/payments.md). A signature over the body, rather than a bearer token, also proves the
body was not altered on the way. Compared in constant time; without a secret nothing verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from motcua.core.errors import InvalidInput, Unauthorized
from motcua.integrations.dvcqg import wire
from motcua.integrations.dvcqg.portal import OnlineSupplement, Submission

SIGNATURE_HEADER = "X-DVCQG-Signature"


def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(body: bytes, signature: str | None, secret: str) -> None:
    """Raises Unauthorized unless `signature` is the body's HMAC under `secret`."""
    if not secret:
        raise Unauthorized("Chưa cấu hình khóa xác thực cho Cổng DVC quốc gia gửi hồ sơ đến; không nhận.")
    if not hmac.compare_digest(sign(body, secret).encode("ascii"), (signature or "").strip().lower().encode()):
        raise Unauthorized(f"Chữ ký {SIGNATURE_HEADER} không hợp lệ; không nhận hồ sơ.")


def delivered(body: bytes) -> Submission | OnlineSupplement:
    """The item a verified body carries; InvalidInput (Vietnamese) when it is not one."""
    try:
        record: Any = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("Nội dung gửi đến không phải JSON hợp lệ.") from None
    if not isinstance(record, dict):
        raise InvalidInput("Nội dung gửi đến phải là một hồ sơ (đối tượng JSON).")
    if wire.text(record.get("HoSoBoSungId")):
        if not wire.text(record.get("MaHoSo")):
            raise InvalidInput("Hồ sơ bổ sung thiếu trường MaHoSo.")
        return wire.supplement_in(record)
    issues = wire.problems(record, wire.SUBMISSION_REQUIRED, ("NgayNopHoSo",))
    if not issues and not wire.text(record.get("MaHoSo")):
        issues.append("MaHoSo trống")
    if issues:
        raise InvalidInput("Hồ sơ gửi đến không hợp lệ: " + "; ".join(issues) + ".")
    return wire.submission_in(record)
