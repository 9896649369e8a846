"""Satisfaction surveys (SIPAS-style) of the province: forms, answers, results.

A form asks questions on the five service elements of SIPAS on a scale (1..`scale_max`, 5 by
default); an answer ≥ `satisfied_from` (4: "Hài lòng", 5: "Rất hài lòng") counts as satisfied.
Responses come online (public link or QR at the counter: /khao-sat/{slug}, no login, limited
per client) or are typed from paper by staff. Each response names the unit it is about and,
when known, the field (lĩnh vực) of the procedure.

Results (docs/reform-scoring.md): per element, the share of satisfied answers among that
element's answers; overall, satisfied answers / all answers (every element weighs by its
number of answers). The target (90 % by default, the province's plan) is met when the overall
share is at least the target. Shares are exact fractions, shown rounded to 0.1 %.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import in_scope
from motcua.catalog.models import Field as CatalogField
from motcua.core.clock import LOCAL_TZ, now, to_local
from motcua.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.core.text import nfc
from motcua.org.models import Agency
from motcua.ratings import queries as ratings_queries
from motcua.reform import policies
from motcua.reform.models import SurveyAnswer, SurveyForm, SurveyQuestion, SurveyResponse


class Element(StrEnum):
    """The five elements of the public service SIPAS measures."""

    access = "access"
    procedure = "procedure"
    servant = "servant"
    result = "result"
    feedback = "feedback"


ELEMENT_LABELS = {
    Element.access: "Tiếp cận dịch vụ",
    Element.procedure: "Thủ tục hành chính",
    Element.servant: "Công chức trực tiếp giải quyết công việc",
    Element.result: "Kết quả cung ứng dịch vụ",
    Element.feedback: "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị",
}


class Channel(StrEnum):
    online = "online"
    paper = "paper"


CHANNEL_LABELS = {Channel.online: "Trực tuyến", Channel.paper: "Phiếu giấy"}
# Labels of a five-point scale; other scales show their numbers only.
SCALE5_LABELS = {1: "Rất không hài lòng", 2: "Không hài lòng", 3: "Bình thường", 4: "Hài lòng", 5: "Rất hài lòng"}
COMMENT_MAX = 2000
# Public answers per client address: a counter tablet answers for many citizens from one
# address, so generous, but a flood stops.
RATE_LIMIT, RATE_WINDOW_SECONDS = 30, 600
MSG_TOO_MANY = "Thiết bị này đã gửi quá nhiều phiếu trong thời gian ngắn. Vui lòng thử lại sau {seconds} giây."


# --- inputs --------------------------------------------------------------------------------


class QuestionIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    element: Element = Field(title="Yếu tố")
    text: str = Field(min_length=5, max_length=1000, title="Câu hỏi")


class FormSettingsIn(BaseModel):
    """A form's settings (the editor's first part, survey_editor.update_settings)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    slug: str = Field(min_length=3, max_length=60, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", title="Đường dẫn")
    title: str = Field(min_length=5, max_length=255, title="Tên phiếu khảo sát")
    year: int = Field(ge=2000, le=2100, title="Năm")
    intro: str | None = Field(default=None, max_length=2000, title="Lời giới thiệu")
    scale_max: int = Field(default=5, ge=2, le=10, title="Thang điểm")
    satisfied_from: int = Field(default=4, ge=1, le=10, title="Hài lòng từ mức")
    target_percent: int = Field(default=90, ge=1, le=100, title="Chỉ tiêu hài lòng (%)")
    opens_on: date | None = Field(default=None, title="Mở từ ngày")
    closes_on: date | None = Field(default=None, title="Đóng sau ngày")

    @model_validator(mode="after")
    def _consistent(self):
        if self.satisfied_from > self.scale_max:
            raise ValueError("Mức hài lòng phải nằm trong thang điểm.")
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValueError("Ngày đóng phải sau ngày mở.")
        return self


MAX_QUESTIONS = 60


class FormIn(FormSettingsIn):
    """A new form: its settings and its questions (at least one)."""

    questions: list[QuestionIn] = Field(min_length=1, max_length=MAX_QUESTIONS, title="Câu hỏi")


class ResponseIn(BaseModel):
    """One response: the unit (agency code), the field (code, optional), an answer per question
    position, an optional comment."""

    model_config = ConfigDict(str_strip_whitespace=True)

    agency_code: str = Field(min_length=1, max_length=20, title="Cơ quan giải quyết")
    field_code: str | None = Field(default=None, max_length=80, title="Lĩnh vực")
    answers: dict[int, int] = Field(title="Câu trả lời")
    comment: str | None = Field(default=None, max_length=COMMENT_MAX, title="Góp ý")


def ensure_manages_surveys(session: Session, user: User | None) -> None:
    if not policies.manages_plans(session, user):
        raise Forbidden("Chỉ cán bộ cải cách hành chính của Sở Nội vụ (hoặc quản trị tỉnh) được tạo, đóng, mở "
                        "phiếu khảo sát.")


# --- forms ---------------------------------------------------------------------------------


def create_form(session: Session, user: User | None, data: FormIn) -> SurveyForm:
    ensure_manages_surveys(session, user)
    if session.scalar(select(SurveyForm.id).where(SurveyForm.slug == data.slug)):
        raise Conflict(f"Đường dẫn “{data.slug}” đã dùng cho phiếu khảo sát khác.")
    form = SurveyForm(slug=data.slug, title=nfc(data.title), year=data.year,
                      intro=nfc(data.intro) if data.intro else None, scale_max=data.scale_max,
                      satisfied_from=data.satisfied_from, target_percent=data.target_percent,
                      opens_on=data.opens_on, closes_on=data.closes_on, is_open=True)
    session.add(form)
    session.flush()
    for position, q in enumerate(data.questions, start=1):
        session.add(SurveyQuestion(form_id=form.id, position=position, element=q.element, text=nfc(q.text)))
    session.flush()
    return form


def form_by_slug(session: Session, slug: str) -> SurveyForm:
    form = session.scalar(select(SurveyForm).where(SurveyForm.slug == slug))
    if form is None:
        raise NotFound("Không tìm thấy phiếu khảo sát.")
    return form


def get_form(session: Session, form_id: uuid.UUID) -> SurveyForm:
    form = session.get(SurveyForm, form_id)
    if form is None:
        raise NotFound("Không tìm thấy phiếu khảo sát.")
    return form


def list_forms(session: Session) -> list[SurveyForm]:
    return list(session.scalars(select(SurveyForm).order_by(SurveyForm.year.desc(), SurveyForm.title)))


def questions_of(session: Session, form: SurveyForm) -> list[SurveyQuestion]:
    return list(session.scalars(select(SurveyQuestion).where(SurveyQuestion.form_id == form.id)
                                .order_by(SurveyQuestion.position)))


def counter_link(session: Session, form: SurveyForm, public_base_url: str, agency_code: str = "") -> tuple[str, Agency | None]:
    """The address a counter's QR code carries, and the unit it names: the public form with the
    unit filled in (`?co_quan=`), so a citizen at that counter only answers the questions."""
    url = f"{public_base_url.rstrip('/')}/khao-sat/{form.slug}"
    code = agency_code.strip()
    if not code:
        return url, None
    agency = session.scalar(select(Agency).where(Agency.code == code, Agency.dissolved_on.is_(None)))
    if agency is None:
        raise _refuse([{"name": "co_quan", "label": "Cơ quan đặt mã QR",
                        "message": f"Không có cơ quan đang hoạt động mang mã {code}."}])
    return f"{url}?co_quan={quote(agency.code, safe='')}", agency


def is_accepting(form: SurveyForm, today: date | None = None) -> bool:
    today = today or to_local(now()).date()
    return (form.is_open and (form.opens_on is None or form.opens_on <= today)
            and (form.closes_on is None or today <= form.closes_on))


def set_open(session: Session, user: User | None, form: SurveyForm, is_open: bool) -> None:
    ensure_manages_surveys(session, user)
    form.is_open = is_open
    session.flush()


def answer_label(form: SurveyForm, value: int) -> str:
    return SCALE5_LABELS[value] if form.scale_max == 5 else str(value)


# --- responses -----------------------------------------------------------------------------


def _refuse(details: list[dict]) -> InvalidInput:
    return InvalidInput("Phiếu chưa ghi nhận được, cần sửa: " + " ".join(d["message"] for d in details),
                        details=details)


def submit(session: Session, form: SurveyForm, data: ResponseIn, *, channel: Channel,
           staff: User | None = None) -> SurveyResponse:
    """Record one response. Online: only while the form accepts answers. From paper (`staff`
    given): staff who see the unit's reform work (its own staff, the Department of Home
    Affairs), also after the form closed online (paper forms collected in the period arrive later)."""
    if channel == Channel.online and not is_accepting(form):
        raise Conflict("Phiếu khảo sát này đã đóng hoặc chưa mở: không nhận thêm ý kiến.")
    # Share-lock the form (PostgreSQL): an edit of its questions in progress (survey_editor, which
    # locks it for update) finishes first, so the answers below match the questions read here.
    session.execute(select(SurveyForm.id).where(SurveyForm.id == form.id).with_for_update(read=True))
    details: list[dict] = []
    agency = session.scalar(select(Agency).where(Agency.code == data.agency_code))
    if agency is None:
        details.append({"name": "agency_code", "label": "Cơ quan giải quyết",
                        "message": "Chọn cơ quan đã giải quyết hồ sơ của quý vị."})
    field_row = None
    if data.field_code:
        field_row = session.scalar(select(CatalogField).where(CatalogField.code == data.field_code))
        if field_row is None:
            details.append({"name": "field_code", "label": "Lĩnh vực", "message": "Lĩnh vực không có trong danh mục."})
    questions = questions_of(session, form)
    for q in questions:
        value = data.answers.get(q.position)
        if value is None:
            details.append({"name": f"q{q.position}", "label": f"Câu {q.position}",
                            "message": f"Câu {q.position}: chưa chọn mức đánh giá."})
        elif not 1 <= value <= form.scale_max:
            details.append({"name": f"q{q.position}", "label": f"Câu {q.position}",
                            "message": f"Câu {q.position}: mức đánh giá phải từ 1 đến {form.scale_max}."})
    unknown = set(data.answers) - {q.position for q in questions}
    if unknown:
        details.append({"name": None, "label": "", "message": "Phiếu có câu trả lời cho câu hỏi không có trong phiếu."})
    if details:
        raise _refuse(details)
    if staff is not None and not in_scope(policies.reform_scope(session, staff), agency.id):
        raise Forbidden("Bạn chỉ nhập phiếu giấy về cơ quan, đơn vị của mình.")
    response = SurveyResponse(form_id=form.id, agency_id=agency.id, field_id=field_row.id if field_row else None,
                              channel=channel, entered_by_id=staff.id if staff else None,
                              comment=nfc(data.comment) if data.comment else None)
    session.add(response)
    session.flush()
    for q in questions:
        session.add(SurveyAnswer(response_id=response.id, question_id=q.id, value=data.answers[q.position]))
    session.flush()
    return response



# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    answers: int
    satisfied: int

    @property
    def share(self) -> Decimal | None:
        """satisfied / answers; None when nothing was answered (not computable, not 0)."""
        return Decimal(self.satisfied) / Decimal(self.answers) if self.answers else None

    @property
    def percent(self) -> Decimal | None:
        s = self.share
        return (s * 100).quantize(Decimal("0.1")) if s is not None else None


@dataclass(frozen=True)
class Result:
    label: str
    responses: int
    overall: Share
    by_element: dict[Element, Share] = field(default_factory=dict)
    target_percent: int = 90

    @property
    def target_met(self) -> bool | None:
        s = self.overall.share
        return None if s is None else s * 100 >= self.target_percent


def _satisfied_case():
    return func.sum(case((SurveyAnswer.value >= SurveyForm.satisfied_from, 1), else_=0))


def _aggregate(session: Session, where: list, group=None) -> dict:
    """{group key: (responses, {element: Share})} over answers matching `where`."""
    keys = [group] if group is not None else []
    q = (select(*keys, SurveyQuestion.element, func.count(), _satisfied_case(),
                func.count(func.distinct(SurveyAnswer.response_id)))
         .select_from(SurveyAnswer)
         .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
         .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
         .join(SurveyForm, SurveyForm.id == SurveyResponse.form_id)
         .where(*where).group_by(*keys, SurveyQuestion.element))
    out: dict = {}
    for row in session.execute(q).all():
        key = row[0] if group is not None else None
        element, answers, satisfied = row[-4], row[-3], row[-2]
        out.setdefault(key, {})[Element(element)] = Share(int(answers), int(satisfied or 0))
    counts_q = select(*keys, func.count(func.distinct(SurveyResponse.id))).select_from(SurveyResponse).join(
        SurveyForm, SurveyForm.id == SurveyResponse.form_id).where(*where)
    if group is not None:
        counts_q = counts_q.group_by(group)
    counts = {(r[0] if group is not None else None): int(r[-1]) for r in session.execute(counts_q).all()}
    return {k: (counts.get(k, 0), v) for k, v in out.items()}


def _result(label: str, responses: int, elements: dict[Element, Share], target: int) -> Result:
    overall = Share(sum(s.answers for s in elements.values()), sum(s.satisfied for s in elements.values()))
    full = {e: elements.get(e, Share(0, 0)) for e in Element}
    return Result(label, responses, overall, full, target)


def results(session: Session, form: SurveyForm) -> dict:
    """The form's results for the province, per unit and per field."""
    where = [SurveyResponse.form_id == form.id]
    province = _aggregate(session, where).get(None, (0, {}))
    by_unit = _aggregate(session, where, SurveyResponse.agency_id)
    by_field = _aggregate(session, where, SurveyResponse.field_id)
    agencies = dict(session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(by_unit))).tuples().all())
    fields = dict(session.execute(select(CatalogField.id, CatalogField.name)
                                  .where(CatalogField.id.in_([k for k in by_field if k]))).tuples().all())
    units = sorted(((k, _result(agencies.get(k, ""), n, e, form.target_percent)) for k, (n, e) in by_unit.items()),
                   key=lambda kv: kv[1].label)
    field_rows = sorted(((k, _result(fields.get(k, "Không ghi lĩnh vực") if k else "Không ghi lĩnh vực", n, e,
                                     form.target_percent)) for k, (n, e) in by_field.items()),
                        key=lambda kv: kv[1].label)
    return {"province": _result("Toàn tỉnh", province[0], province[1], form.target_percent),
            "units": units, "fields": field_rows}


def unit_share(session: Session, year: int, agency_id: uuid.UUID) -> Decimal | None:
    """The unit's overall satisfied share in every survey of `year` (scoring's survey part)."""
    data = _aggregate(session, [SurveyForm.year == year, SurveyResponse.agency_id == agency_id]).get(None)
    if data is None:
        return None
    return _result("", data[0], data[1], 90).overall.share


def year_period(year: int) -> tuple[datetime, datetime]:
    start = datetime.combine(date(year, 1, 1), time(), tzinfo=LOCAL_TZ)
    end = datetime.combine(date(year + 1, 1, 1), time(), tzinfo=LOCAL_TZ)
    return start, end


def dossier_ratings(session: Session, form: SurveyForm, agency_ids: list[uuid.UUID | None]) -> dict:
    """The citizens' dossier ratings (ratings domain, TT 01/2018) of the form's year, per unit
    (None = the province), to show beside the survey's results."""
    period = year_period(form.year)
    return {a: ratings_queries.satisfaction(session, a, period) for a in agency_ids}
