"""Editing a survey form: its settings and its questions (add, edit, reorder, remove), and a new
version of a form that already has answers. Used alike by the editor page and the API.

Why a form with answers is frozen (docs/reform-scoring.md): an answer is a value on the form's
scale for a question at a position, about one of the five elements. Once answers exist, changing
the scale or the "satisfied from" level re-reads every answer; adding a question leaves the
earlier responses without it; editing, removing or reordering a question changes what was
answered (paper forms already printed carry the old numbering, typed in later by position); and
the year decides which year's index the answers count in. Those changes are refused with the
reason; the officer makes a new version (a copy under a new link, the old one closed online).
The title, the introduction, the target and the open dates do not touch the answers and stay
editable.

Concurrent work: each change locks the form's row first (SELECT … FOR UPDATE on PostgreSQL;
SQLite has one writer at a time), and `surveys.submit` share-locks the same row before it reads the
questions, so an edit and a first answer are serialised: the edit counts the committed answer, or
the answer waits for the edit and is checked against the new questions.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.core.text import nfc
from motcua.reform.models import SurveyForm, SurveyQuestion, SurveyResponse
from motcua.reform.surveys import (
    MAX_QUESTIONS,
    FormIn,
    FormSettingsIn,
    QuestionIn,
    create_form,
    ensure_manages_surveys,
    questions_of,
)


class Direction(StrEnum):
    up = "up"
    down = "down"


class MoveIn(BaseModel):
    direction: Direction = Field(title="Chuyển câu hỏi lên hoặc xuống")


class VersionIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    slug: str = Field(min_length=3, max_length=60, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
                      title="Đường dẫn của phiên bản mới")


# Settings that re-read or re-file the answers already given.
FROZEN_SETTINGS = {"scale_max": "thang điểm", "satisfied_from": "mức tính là hài lòng", "year": "năm khảo sát"}


def response_count(session: Session, form: SurveyForm) -> int:
    return session.scalar(select(func.count()).select_from(SurveyResponse)
                          .where(SurveyResponse.form_id == form.id)) or 0


def _lock(session: Session, user: User | None, form: SurveyForm) -> int:
    """Check the user may edit, lock the form's row; the number of responses it has."""
    ensure_manages_surveys(session, user)
    session.execute(select(SurveyForm.id).where(SurveyForm.id == form.id).with_for_update())
    return response_count(session, form)


def _refuse_answered(count: int, what: str) -> None:
    if count:
        raise Conflict(f"Phiếu khảo sát đã có {count} phiếu trả lời: không {what} được nữa vì sẽ làm sai lệch các "
                       "ý kiến đã nhận. Hãy tạo phiên bản mới của phiếu để thay đổi.")


def _slug_free(session: Session, slug: str, form: SurveyForm | None = None, *, name: str = "slug") -> None:
    other = session.scalar(select(SurveyForm.id).where(SurveyForm.slug == slug))
    if other is not None and (form is None or other != form.id):
        raise InvalidInput(f"Đường dẫn “{slug}” đã dùng cho phiếu khảo sát khác.",
                           details=[{"name": name, "label": "Đường dẫn", "message": "Đường dẫn đã được dùng."}])


def update_settings(session: Session, user: User | None, form: SurveyForm, data: FormSettingsIn) -> SurveyForm:
    count = _lock(session, user, form)
    changed = [label for name, label in FROZEN_SETTINGS.items() if getattr(data, name) != getattr(form, name)]
    if changed:
        _refuse_answered(count, "đổi " + ", ".join(changed))
    _slug_free(session, data.slug, form)
    form.slug, form.title, form.year = data.slug, nfc(data.title), data.year
    form.intro = nfc(data.intro) if data.intro else None
    form.scale_max, form.satisfied_from, form.target_percent = data.scale_max, data.satisfied_from, data.target_percent
    form.opens_on, form.closes_on = data.opens_on, data.closes_on
    session.flush()
    return form


def _question(session: Session, form: SurveyForm, position: int) -> SurveyQuestion:
    q = session.scalar(select(SurveyQuestion).where(SurveyQuestion.form_id == form.id,
                                                    SurveyQuestion.position == position))
    if q is None:
        raise NotFound(f"Phiếu khảo sát không có câu {position}.")
    return q


def add_question(session: Session, user: User | None, form: SurveyForm, data: QuestionIn) -> SurveyQuestion:
    count = _lock(session, user, form)
    _refuse_answered(count, "thêm câu hỏi")
    questions = questions_of(session, form)
    if len(questions) >= MAX_QUESTIONS:
        raise InvalidInput(f"Một phiếu khảo sát có tối đa {MAX_QUESTIONS} câu hỏi.")
    q = SurveyQuestion(form_id=form.id, position=len(questions) + 1, element=data.element, text=nfc(data.text))
    session.add(q)
    session.flush()
    return q


def update_question(session: Session, user: User | None, form: SurveyForm, position: int,
                    data: QuestionIn) -> SurveyQuestion:
    count = _lock(session, user, form)
    q = _question(session, form, position)
    if (q.element, q.text) != (data.element.value, nfc(data.text)):
        _refuse_answered(count, "sửa câu hỏi")
    q.element, q.text = data.element.value, nfc(data.text)
    session.flush()
    return q


def _set_position(session: Session, q: SurveyQuestion, position: int) -> None:
    # One row at a time, flushed: the positions are unique within the form at every moment.
    q.position = position
    session.flush()


def move_question(session: Session, user: User | None, form: SurveyForm, position: int, data: MoveIn) -> None:
    count = _lock(session, user, form)
    q = _question(session, form, position)
    _refuse_answered(count, "đổi thứ tự câu hỏi")
    other_position = position - 1 if data.direction is Direction.up else position + 1
    other = session.scalar(select(SurveyQuestion).where(SurveyQuestion.form_id == form.id,
                                                        SurveyQuestion.position == other_position))
    if other is None:
        where = "đầu" if data.direction is Direction.up else "cuối"
        raise InvalidInput(f"Câu {position} đã ở {where} phiếu.")
    _set_position(session, q, 0)
    _set_position(session, other, position)
    _set_position(session, q, other_position)


def remove_question(session: Session, user: User | None, form: SurveyForm, position: int) -> None:
    count = _lock(session, user, form)
    q = _question(session, form, position)
    _refuse_answered(count, "xoá câu hỏi")
    questions = questions_of(session, form)
    if len(questions) == 1:
        raise InvalidInput("Phiếu khảo sát cần ít nhất một câu hỏi.")
    session.delete(q)
    session.flush()
    for later in (x for x in questions if x.position > position):
        _set_position(session, later, later.position - 1)


def new_version(session: Session, user: User | None, form: SurveyForm, data: VersionIn) -> SurveyForm:
    """A copy of the form (settings and questions) under a new link, open; the old form stops
    taking answers online (its answers and paper entry stay)."""
    _lock(session, user, form)
    _slug_free(session, data.slug, name="new_slug")  # the editor page's input of the new link
    settings = {name: getattr(form, name) for name in FormSettingsIn.model_fields if name != "slug"}
    copy = create_form(session, user, FormIn(
        slug=data.slug, **settings,
        questions=[QuestionIn(element=q.element, text=q.text) for q in questions_of(session, form)]))
    form.is_open = False
    session.flush()
    return copy
