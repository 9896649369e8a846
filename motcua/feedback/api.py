"""JSON: send feedback, read the published answers, rate an answer, the on-time statistics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from motcua.auth.deps import require_user
from motcua.auth.models import User
from motcua.catalog.models import Procedure
from motcua.catalog.service import find_procedure_by_code
from motcua.core.clock import now, to_local
from motcua.core.db import DbSession
from motcua.feedback import policies, queries, service
from motcua.feedback.schemas import (
    FeedbackCreatedOut,
    FeedbackIn,
    OnTimeOut,
    PublishedOut,
    PublishedPageOut,
    VoteIn,
)
from motcua.org.models import Agency
from motcua.web.errors import problem
from motcua.web.ratelimit import limit_client

router = APIRouter(prefix="/api/v1", tags=["phản ánh, kiến nghị"])

SignedIn = Annotated[User, Depends(require_user)]
PROBLEM = {"content": {"application/problem+json": {}}}
MSG_TOO_MANY = ("Bạn đã gửi quá nhiều phản ánh, kiến nghị trong thời gian ngắn. "
                "Vui lòng thử lại sau {seconds} giây.")


@router.post("/feedback", status_code=201, response_model=FeedbackCreatedOut, summary="Gửi phản ánh, kiến nghị",
             responses={422: {"description": "Dữ liệu không hợp lệ", **PROBLEM},
                        429: {"description": "Gửi quá nhiều trong thời gian ngắn", **PROBLEM}})
def submit(request: Request, session: DbSession, body: FeedbackIn):
    """Không cần đăng nhập; không đính kèm tệp (chỉ trên trang web)."""
    settings = request.app.state.settings
    refusal = limit_client(request, "feedback", limit=settings.feedback_rate_limit,
                           window_seconds=settings.feedback_rate_window_seconds, message=MSG_TOO_MANY)
    if refusal is not None:
        return problem(429, refusal.message, code="too_many_requests", headers=refusal.headers)
    item, key = service.submit_feedback(session, body)
    agency = session.get(Agency, item.agency_id)
    return FeedbackCreatedOut(code=item.code, key=key, status=item.status, agency_code=agency.code,
                              agency_name=agency.name, classify_due_at=item.classify_due_at,
                              answer_due_at=item.answer_due_at)


@router.get("/feedback/published", response_model=PublishedPageOut, summary="Các câu trả lời đã công khai")
def published(session: DbSession, q: Annotated[str, Query(max_length=200)] = "",
              agency: Annotated[str, Query(max_length=20, description="Mã cơ quan")] = "",
              procedure: Annotated[str, Query(max_length=64, description="Mã thủ tục")] = "",
              page: Annotated[int, Query(ge=1, le=10000)] = 1):
    agency_row = session.scalar(select(Agency).where(Agency.code == agency.strip())) if agency.strip() else None
    proc = find_procedure_by_code(session, procedure) if procedure.strip() else None
    if (agency.strip() and agency_row is None) or (procedure.strip() and proc is None):
        return PublishedPageOut(items=[], total=0, page=page)
    result = queries.public_page(session, q=q, agency_id=agency_row.id if agency_row else None,
                                 procedure_id=proc.id if proc else None, page=page)
    names = queries.agency_names(session, [i.agency_id for i in result.items])
    codes = dict(session.execute(select(Procedure.id, Procedure.code).where(
        Procedure.id.in_({i.procedure_id for i in result.items if i.procedure_id}))).all())
    return PublishedPageOut(total=result.total, page=result.page, items=[PublishedOut(
        code=i.code, title=i.title, content=i.content, answer=i.answer, agency_name=names.get(i.agency_id, ""),
        procedure_code=codes.get(i.procedure_id), received_at=i.received_at, answered_at=i.answered_at,
        published_at=i.published_at) for i in result.items])


@router.post("/feedback/vote", summary="Đánh giá câu trả lời (một lần)",
             responses={409: {"description": "Đã đánh giá, hoặc chưa được trả lời", **PROBLEM},
                        422: {"description": "Sai mã", **PROBLEM}})
def vote(session: DbSession, body: VoteIn):
    item = service.vote(session, body)
    return JSONResponse({"code": item.code, "helpful": item.helpful})


@router.get("/feedback/statistics", response_model=list[OnTimeOut], summary="Tỷ lệ trả lời đúng hạn theo cơ quan",
            responses={401: {"description": "Chưa đăng nhập", **PROBLEM}, 403: {"description": "Không có quyền", **PROBLEM},
                       422: {"description": "Ngày không hợp lệ", **PROBLEM}})
def statistics(session: DbSession, user: SignedIn,
               start: Annotated[str, Query(alias="from", max_length=10, description="dd/mm/yyyy hoặc YYYY-MM-DD")],
               end: Annotated[str, Query(alias="to", max_length=10)]):
    scope = policies.ensure_staff(session, user)
    first, last = queries.parse_period(start, end, today=to_local(now()).date())
    return [OnTimeOut(agency_code=r.agency_code, agency_name=r.agency_name, received=r.received, counted=r.counted,
                      on_time=r.on_time, late=r.late, pending=r.pending, no_deadline=r.no_deadline, ratio=r.ratio,
                      score=r.score)
            for r in queries.on_time_statistics(session, start=first, end=last, agency_ids=scope)]
