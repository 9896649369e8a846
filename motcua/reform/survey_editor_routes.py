"""Pages of the survey editor (/quan-tri/cai-cach/khao-sat): a new form on the list page, then
its settings and questions (add, edit, move up or down, remove) and a new version. The rules are
survey_editor's; the inputs are the API's (FormIn, FormSettingsIn, QuestionIn, MoveIn, VersionIn)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from motcua.auth.deps import CurrentUser
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, Forbidden, InvalidInput
from motcua.dossiers.inputs import validated
from motcua.reform import policies, survey_editor, surveys
from motcua.reform.survey_editor import Direction, MoveIn, VersionIn
from motcua.reform.surveys import ELEMENT_LABELS, FormIn, FormSettingsIn, QuestionIn
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

ADMIN = "/quan-tri/cai-cach/khao-sat"
SETTINGS_FIELDS = tuple(FormSettingsIn.model_fields)
QUESTION_FIELDS = ("element", "text")
# The first question of a new form is typed on the same page form.
FIRST_QUESTION = {("questions", 0, "element"): "element", ("questions", 0, "text"): "text"}


def _values(form, names) -> dict:
    """Typed values without the empty ones (they take the model's default, as in the API)."""
    return {k: v.strip() for k, v in typed_values(form, names).items() if v.strip()}


def list_context(session, user, typed: dict | None = None) -> dict:
    policies.ensure_staff(session, user)
    return {"forms": surveys.list_forms(session), "manages": policies.manages_plans(session, user),
            "element_labels": ELEMENT_LABELS, "typed": typed or {}}


@router.get(ADMIN)
def forms_list(request: Request, session: DbSession, user: CurrentUser):
    return templates.TemplateResponse(request, "reform/survey_list.html", list_context(session, user))


@router.post(ADMIN)
def create_form(request: Request, session: DbSession, user: CurrentUser, form: PageForm):
    typed = typed_values(form, SETTINGS_FIELDS + QUESTION_FIELDS)
    try:
        values = _values(form, SETTINGS_FIELDS)
        values["questions"] = [_values(form, QUESTION_FIELDS)]
        created = surveys.create_form(session, user, validated(FormIn, values, FIRST_QUESTION))
    except Forbidden:
        raise
    except DomainError as exc:
        return form_again(request, session, exc, "reform/survey_list.html", lambda: list_context(session, user, typed))
    flash(request, "Đã tạo phiếu khảo sát. Thêm các câu hỏi tiếp theo bên dưới.")
    return RedirectResponse(f"{ADMIN}/{created.id}/sua", status_code=303)


def editor_context(session, user, form, typed: dict | None = None) -> dict:
    policies.ensure_staff(session, user)
    return {"survey": form, "questions": surveys.questions_of(session, form), "element_labels": ELEMENT_LABELS,
            "responses": survey_editor.response_count(session, form), "typed": typed or {},
            "manages": policies.manages_plans(session, user), "max_questions": surveys.MAX_QUESTIONS}


@router.get(ADMIN + "/{form_id}/sua")
def editor(request: Request, session: DbSession, user: CurrentUser, form_id: uuid.UUID):
    form = surveys.get_form(session, form_id)
    return templates.TemplateResponse(request, "reform/survey_editor.html", editor_context(session, user, form))


def _position(form) -> int:
    raw = (form.get("position") or "").strip()
    if not raw.isdigit():
        raise InvalidInput("Chưa rõ câu hỏi nào (số thứ tự câu hỏi không hợp lệ).")
    return int(raw)


def _act(session, user, survey, action: str, form) -> tuple[str, str]:
    """Do `action`; (the message, the page to go to)."""
    edit = f"{ADMIN}/{survey.id}/sua"
    if action == "thiet-lap":
        survey_editor.update_settings(session, user, survey, validated(FormSettingsIn, _values(form, SETTINGS_FIELDS)))
        return "Đã lưu thiết lập phiếu khảo sát.", edit
    if action == "them-cau-hoi":
        q = survey_editor.add_question(session, user, survey, validated(QuestionIn, _values(form, QUESTION_FIELDS)))
        return f"Đã thêm câu {q.position}.", edit
    if action == "sua-cau-hoi":
        position = _position(form)
        survey_editor.update_question(session, user, survey, position,
                                      validated(QuestionIn, _values(form, QUESTION_FIELDS)))
        return f"Đã lưu câu {position}.", edit
    if action in ("len", "xuong"):
        position = _position(form)
        direction = Direction.up if action == "len" else Direction.down
        survey_editor.move_question(session, user, survey, position, MoveIn(direction=direction))
        return f"Đã chuyển câu {position} {'lên' if action == 'len' else 'xuống'}.", edit
    if action == "xoa":
        position = _position(form)
        survey_editor.remove_question(session, user, survey, position)
        return f"Đã xoá câu {position}.", edit
    if action == "phien-ban-moi":
        data = validated(VersionIn, {"slug": (form.get("new_slug") or "").strip()}, {("slug",): "new_slug"})
        copy = survey_editor.new_version(session, user, survey, data)
        return "Đã tạo phiên bản mới; phiếu cũ ngừng nhận ý kiến trực tuyến.", f"{ADMIN}/{copy.id}/sua"
    raise InvalidInput("Thao tác không hợp lệ.")


@router.post(ADMIN + "/{form_id}/sua/{action}")
def editor_action(request: Request, session: DbSession, user: CurrentUser, form_id: uuid.UUID, action: str,
                  form: PageForm):
    survey = surveys.get_form(session, form_id)
    typed = typed_values(form, SETTINGS_FIELDS + QUESTION_FIELDS + ("position", "new_slug")) | {"action": action}
    try:
        done, to = _act(session, user, survey, action, form)
    except Forbidden:
        raise
    except DomainError as exc:
        return form_again(request, session, exc, "reform/survey_editor.html",
                          lambda: editor_context(session, user, surveys.get_form(session, form_id), typed))
    flash(request, done)
    return RedirectResponse(to, status_code=303)
