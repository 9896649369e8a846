"""JSON API of the national portal domain: the portal delivers a citizen's submission or
online supplement itself (push), instead of waiting for the `dvcqg-inbound` pull.

Signed, not signed in: the body's HMAC under the secret shared with the portal
(integrations/dvcqg/push.py) is checked before the unit of work opens. The item goes through
the pull's own service (inbound.accept_submission / accept_supplement), so one MaHoSo
delivered twice, or pushed and pulled, lands once. Answered like OpenCPS's
`createdossierfromdvcqg` (§7): `error_code` "0" taken, "1" already taken.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from motcua.core.db import DbSession
from motcua.dvcqg import inbound
from motcua.integrations.dvcqg import push
from motcua.integrations.dvcqg.config import DvcqgSettings
from motcua.integrations.dvcqg.portal import Submission

router = APIRouter(prefix="/api/v1", tags=["Cổng DVC quốc gia"])


async def signed_body(request: Request) -> bytes:
    """The raw body, once its signature verified (no database is touched here)."""
    body = await request.body()
    push.verify(body, request.headers.get(push.SIGNATURE_HEADER), DvcqgSettings().inbound_secret)
    return body


SignedBody = Annotated[bytes, Depends(signed_body)]


@router.post("/dvcqg/inbound", status_code=201, responses={
    200: {"description": "Đã nhận trước đó (không tạo lại)"}, 401: {"description": "Chữ ký không hợp lệ"},
    422: {"description": "Hồ sơ không hợp lệ hoặc không xác định được nơi tiếp nhận"}})
def deliver(body: SignedBody, session: DbSession):
    item = push.delivered(body)
    is_submission = isinstance(item, Submission)
    national_id = item.code if is_submission else item.round_id
    try:
        taken = (inbound.accept_submission(session, item) if is_submission
                 else inbound.accept_supplement(session, item))
    except IntegrityError:  # delivered at the same moment by the pull or a second push
        session.rollback()
        taken = None
    what = "hồ sơ" if is_submission else "hồ sơ bổ sung"
    if taken is None:
        return JSONResponse({"error_code": "1", "message": f"Đã nhận {what} {national_id} trước đó; không tạo lại."})
    return {"error_code": "0", "message": f"Đã nhận {what} {national_id} vào hàng chờ trực tuyến."}
