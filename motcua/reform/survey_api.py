"""JSON: satisfaction survey forms, responses (public and from paper) and results."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel

from motcua.auth.deps import require_user
from motcua.auth.models import User
from motcua.core.db import DbSession
from motcua.reform import policies, survey_editor, surveys
from motcua.reform.survey_editor import MoveIn, VersionIn
from motcua.reform.surveys import (
    MAX_QUESTIONS,
    MSG_TOO_MANY,
    RATE_LIMIT,
    RATE_WINDOW_SECONDS,
    Channel,
    Element,
    FormIn,
    FormSettingsIn,
    QuestionIn,
    ResponseIn,
)
from motcua.web.errors import problem
from motcua.web.ratelimit import limit_client

# Paths under /api/v1/reform: the domain's api.py includes this router into its prefixed one.
router = APIRouter(tags=["cải cách hành chính: khảo sát"])
SignedIn = Annotated[User, Depends(require_user)]
PROBLEM = {"content": {"application/problem+json": {}}}
ERRORS = {403: {"description": "Không có quyền", **PROBLEM}, 404: {"description": "Không tìm thấy", **PROBLEM},
          409: {"description": "Phiếu khảo sát không nhận ý kiến", **PROBLEM},
          422: {"description": "Dữ liệu không hợp lệ", **PROBLEM}}


class QuestionOut(BaseModel):
    position: int
    element: Element
    text: str


class FormOut(BaseModel):
    id: uuid.UUID
    slug: str
    title: str
    year: int
    scale_max: int
    satisfied_from: int
    target_percent: int
    opens_on: date | None
    closes_on: date | None
    accepting: bool
    responses: int  # once a form has responses, its questions and scale are frozen (a new version instead)
    questions: list[QuestionOut]


class ShareOut(BaseModel):
    answers: int
    satisfied: int
    percent: Decimal | None  # 0.1 %; None when nothing was answered


class ResultOut(BaseModel):
    id: uuid.UUID | None  # the agency or field; None for the province (or responses without a field)
    label: str
    responses: int
    overall: ShareOut
    by_element: dict[Element, ShareOut]
    target_met: bool | None


class RatingsOut(BaseModel):
    """The citizens' dossier ratings (TT 01/2018) of the same year."""

    agency_id: uuid.UUID | None
    total: int
    satisfied: int
    share_satisfied: float | None


class ResultsOut(BaseModel):
    form: FormOut
    province: ResultOut
    units: list[ResultOut]
    fields: list[ResultOut]
    dossier_ratings: list[RatingsOut]


class CreatedOut(BaseModel):
    id: uuid.UUID


def _form_out(session, form) -> FormOut:
    return FormOut(id=form.id, slug=form.slug, title=form.title, year=form.year, scale_max=form.scale_max,
                   satisfied_from=form.satisfied_from, target_percent=form.target_percent, opens_on=form.opens_on,
                   closes_on=form.closes_on, accepting=surveys.is_accepting(form),
                   responses=survey_editor.response_count(session, form),
                   questions=[QuestionOut(position=q.position, element=q.element, text=q.text)
                              for q in surveys.questions_of(session, form)])


def _share(s: surveys.Share) -> ShareOut:
    return ShareOut(answers=s.answers, satisfied=s.satisfied, percent=s.percent)


def _result(key, r: surveys.Result) -> ResultOut:
    return ResultOut(id=key, label=r.label, responses=r.responses, overall=_share(r.overall),
                     by_element={e: _share(s) for e, s in r.by_element.items()}, target_met=r.target_met)


@router.get("/surveys", response_model=list[FormOut], summary="Các phiếu khảo sát sự hài lòng")
def list_forms(session: DbSession, user: SignedIn):
    policies.ensure_staff(session, user)
    return [_form_out(session, f) for f in surveys.list_forms(session)]


@router.post("/surveys", status_code=201, response_model=FormOut, responses=ERRORS,
             summary="Tạo phiếu khảo sát (Sở Nội vụ)")
def create_form(session: DbSession, user: SignedIn, body: FormIn):
    return _form_out(session, surveys.create_form(session, user, body))


@router.get("/surveys/public/{slug}", response_model=FormOut, responses=ERRORS,
            summary="Phiếu khảo sát công khai (không cần đăng nhập)")
def public_form(session: DbSession, slug: str):
    return _form_out(session, surveys.form_by_slug(session, slug))


@router.post("/surveys/public/{slug}/responses", status_code=201, response_model=CreatedOut,
             responses=ERRORS | {429: {"description": "Gửi quá nhiều trong thời gian ngắn", **PROBLEM}},
             summary="Gửi ý kiến (không cần đăng nhập)")
def public_response(request: Request, session: DbSession, slug: str, body: ResponseIn):
    refusal = limit_client(request, "survey", limit=RATE_LIMIT, window_seconds=RATE_WINDOW_SECONDS,
                           message=MSG_TOO_MANY)
    if refusal is not None:
        return problem(429, refusal.message, code="too_many_requests", headers=refusal.headers)
    form = surveys.form_by_slug(session, slug)
    return CreatedOut(id=surveys.submit(session, form, body, channel=Channel.online).id)


@router.post("/surveys/{form_id}/paper-responses", status_code=201, response_model=CreatedOut, responses=ERRORS,
             summary="Nhập phiếu khảo sát giấy")
def paper_response(session: DbSession, user: SignedIn, form_id: uuid.UUID, body: ResponseIn):
    form = surveys.get_form(session, form_id)
    return CreatedOut(id=surveys.submit(session, form, body, channel=Channel.paper, staff=user).id)


@router.get("/surveys/{form_id}/results", response_model=ResultsOut, responses=ERRORS,
            summary="Kết quả theo yếu tố, đơn vị, lĩnh vực và toàn tỉnh; đánh giá hồ sơ cùng năm")
def results(session: DbSession, user: SignedIn, form_id: uuid.UUID):
    scope = policies.ensure_staff(session, user)
    form = surveys.get_form(session, form_id)
    r = surveys.results(session, form)
    units = [(k, res) for k, res in r["units"] if scope is None or k in scope]
    ratings = surveys.dossier_ratings(session, form, [None, *(k for k, _ in units)])
    return ResultsOut(
        form=_form_out(session, form), province=_result(None, r["province"]),
        units=[_result(k, res) for k, res in units],
        fields=[_result(k, res) for k, res in r["fields"]] if scope is None else [],
        dossier_ratings=[RatingsOut(agency_id=k, total=s.total, satisfied=s.satisfied,
                                    share_satisfied=s.share_satisfied) for k, s in ratings.items()])


# --- the editor (the Department; same rules and inputs as the editor page) -----------------

Position = Annotated[int, Path(ge=1, le=MAX_QUESTIONS, description="Số thứ tự câu hỏi")]


@router.put("/surveys/{form_id}", response_model=FormOut, responses=ERRORS,
            summary="Sửa thiết lập phiếu (thang điểm, mức hài lòng, năm: chỉ khi chưa có phiếu trả lời)")
def update_form(session: DbSession, user: SignedIn, form_id: uuid.UUID, body: FormSettingsIn):
    form = surveys.get_form(session, form_id)
    return _form_out(session, survey_editor.update_settings(session, user, form, body))


@router.post("/surveys/{form_id}/questions", status_code=201, response_model=FormOut, responses=ERRORS,
             summary="Thêm câu hỏi (khi chưa có phiếu trả lời)")
def add_question(session: DbSession, user: SignedIn, form_id: uuid.UUID, body: QuestionIn):
    form = surveys.get_form(session, form_id)
    survey_editor.add_question(session, user, form, body)
    return _form_out(session, form)


@router.put("/surveys/{form_id}/questions/{position}", response_model=FormOut, responses=ERRORS,
            summary="Sửa câu hỏi (khi chưa có phiếu trả lời)")
def update_question(session: DbSession, user: SignedIn, form_id: uuid.UUID, position: Position, body: QuestionIn):
    form = surveys.get_form(session, form_id)
    survey_editor.update_question(session, user, form, position, body)
    return _form_out(session, form)


@router.post("/surveys/{form_id}/questions/{position}/move", response_model=FormOut, responses=ERRORS,
             summary="Chuyển câu hỏi lên hoặc xuống (khi chưa có phiếu trả lời)")
def move_question(session: DbSession, user: SignedIn, form_id: uuid.UUID, position: Position, body: MoveIn):
    form = surveys.get_form(session, form_id)
    survey_editor.move_question(session, user, form, position, body)
    return _form_out(session, form)


@router.delete("/surveys/{form_id}/questions/{position}", response_model=FormOut, responses=ERRORS,
               summary="Xoá câu hỏi (khi chưa có phiếu trả lời)")
def remove_question(session: DbSession, user: SignedIn, form_id: uuid.UUID, position: Position):
    form = surveys.get_form(session, form_id)
    survey_editor.remove_question(session, user, form, position)
    return _form_out(session, form)


@router.post("/surveys/{form_id}/versions", status_code=201, response_model=FormOut, responses=ERRORS,
             summary="Tạo phiên bản mới của phiếu (bản sao với đường dẫn mới; phiếu cũ ngừng nhận ý kiến trực tuyến)")
def new_version(session: DbSession, user: SignedIn, form_id: uuid.UUID, body: VersionIn):
    form = surveys.get_form(session, form_id)
    return _form_out(session, survey_editor.new_version(session, user, form, body))
