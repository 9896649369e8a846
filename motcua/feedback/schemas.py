"""Input models of the feedback use cases, one per use case, shared by the page and the API."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from motcua.auth.service import EMAIL_RE, PHONE_RE
from motcua.core.text import nfc
from motcua.feedback.enums import Classification, Subject

TITLE_MAX = 200
CONTENT_MAX = 5000
ANSWER_MAX = 10000
REASON_MAX = 1000
# The inputs' limits, as the forms' `maxlength`.
TEXT_LIMITS = {"title": TITLE_MAX, "content": CONTENT_MAX, "answer": ANSWER_MAX, "reason": REASON_MAX}


def _text(value):
    return nfc(value.strip()) if isinstance(value, str) else value


def _paragraphs(value):
    """Multi-line text: NFC, each line's spaces collapsed (core.text.nfc), line breaks kept
    (at most one empty line in a row), so an answer keeps its paragraphs."""
    if not isinstance(value, str):
        return value
    lines = [nfc(line) or "" for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


Paragraphs = Annotated[str, BeforeValidator(_paragraphs)]


class FeedbackIn(BaseModel):
    """A feedback or petition as sent (page /phan-anh-kien-nghi/gui, POST /api/v1/feedback)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    subject: Subject = Field(title="Phản ánh, kiến nghị về")
    procedure_code: str | None = Field(default=None, max_length=64, title="Thủ tục")
    dossier_code: str | None = Field(default=None, max_length=60, title="Mã hồ sơ")
    agency_code: str | None = Field(default=None, max_length=20, title="Cơ quan")
    officer: str | None = Field(default=None, max_length=200, title="Cán bộ (họ tên, chức vụ)")
    title: str = Field(min_length=5, max_length=TITLE_MAX, title="Tiêu đề")
    content: Paragraphs = Field(min_length=20, max_length=CONTENT_MAX, title="Nội dung")
    sender_name: str = Field(min_length=2, max_length=200, title="Họ và tên người gửi")
    phone: str | None = Field(default=None, max_length=20, title="Số điện thoại")
    email: str | None = Field(default=None, max_length=254, title="Thư điện tử")

    @field_validator("title", "sender_name", "officer", "procedure_code", "dossier_code", "agency_code",
                     "phone", "email", mode="before")
    @classmethod
    def _clean(cls, value):
        return _text(value) or None

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value and not PHONE_RE.match(value):
            raise ValueError("Số điện thoại không hợp lệ (8–20 chữ số, có thể có dấu +, dấu cách, dấu chấm).")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value and not EMAIL_RE.match(value):
            raise ValueError("Địa chỉ thư điện tử không hợp lệ.")
        return value.lower() if value else value

    def missing(self) -> list[dict]:
        """What the subject needs and is missing, and a way to reach the sender: each as a
        refusal detail naming its input (the page marks it there)."""
        needed = {Subject.procedure: ("procedure_code", "Cần chọn thủ tục được phản ánh."),
                  Subject.dossier: ("dossier_code", "Cần nhập mã hồ sơ (in trên giấy tiếp nhận)."),
                  Subject.agency: ("agency_code", "Cần chọn cơ quan được phản ánh."),
                  Subject.officer: ("agency_code", "Cần chọn cơ quan nơi cán bộ làm việc.")}
        problems = []
        name, message = needed[self.subject]
        if not getattr(self, name):
            problems.append((name, message))
        if self.subject == Subject.officer and not self.officer:
            problems.append(("officer", "Cần nhập họ tên hoặc chức vụ của cán bộ được phản ánh."))
        if not self.phone and not self.email:
            problems.append(("phone", "Cần để lại số điện thoại hoặc thư điện tử để cơ quan liên hệ, trả lời."))
        return [{"name": n, "label": FeedbackIn.model_fields[n].title, "message": m} for n, m in problems]


class ClassifyIn(BaseModel):
    classification: Classification = Field(title="Phân loại")
    note: str | None = Field(default=None, max_length=REASON_MAX, title="Ghi chú")


class RejectIn(BaseModel):
    reason: Paragraphs = Field(min_length=5, max_length=REASON_MAX, title="Lý do không tiếp nhận")


class RouteIn(BaseModel):
    agency_code: str = Field(min_length=1, max_length=20, title="Chuyển đến cơ quan")
    note: str | None = Field(default=None, max_length=REASON_MAX, title="Ghi chú")


class AnswerIn(BaseModel):
    answer: Paragraphs = Field(min_length=10, max_length=ANSWER_MAX, title="Nội dung trả lời")


class VoteIn(BaseModel):
    code: str = Field(min_length=1, max_length=32, title="Mã phản ánh, kiến nghị")
    key: str = Field(min_length=1, max_length=64, title="Mã đánh giá")
    helpful: bool = Field(title="Câu trả lời có giúp ích không")


class FeedbackCreatedOut(BaseModel):
    code: str = Field(title="Mã phản ánh, kiến nghị (để theo dõi)")
    key: str = Field(title="Mã đánh giá (chỉ trả về một lần)")
    status: str
    agency_code: str
    agency_name: str
    classify_due_at: datetime | None = Field(title="Hạn tiếp nhận, phân loại")
    answer_due_at: datetime | None = Field(title="Hạn trả lời (không có khi chưa có quy định)")


class PublishedOut(BaseModel):
    """A published answer: never the sender's personal data."""

    code: str
    title: str
    content: str
    answer: str
    agency_name: str
    procedure_code: str | None
    received_at: datetime
    answered_at: datetime
    published_at: datetime


class PublishedPageOut(BaseModel):
    items: list[PublishedOut]
    total: int
    page: int


class OnTimeOut(BaseModel):
    agency_code: str
    agency_name: str
    received: int
    counted: int
    on_time: int
    late: int
    pending: int
    no_deadline: int
    ratio: float | None
    score: float
