"""Pages of a unit's management reviews and yearly objective targets (issue 14 items 4–5),
reached from the unit page /chat-luong/don-vi/{code}. Thin: the form becomes the API's input
model (`ReviewPlanIn`, `ReviewHeldIn`, `TargetIn`), one service call, render; a refusal shows
the form again with what was typed. Who may read and write is decided in the services
(`audit_access`): the unit's quality secretary or head records, the Department of Science and
Technology reads every unit.

Mounted under /chat-luong by quality/routes.py, before its catch-all unit actions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse

from motcua.auth.deps import CurrentUser
from motcua.core.db import DbSession
from motcua.core.errors import DomainError
from motcua.dossiers.inputs import validated
from motcua.org.models import Agency
from motcua.quality import audit_access, audits, objectives, policies, reports
from motcua.quality.audit_enums import REVIEW_INPUT_LABELS, ReviewInput
from motcua.quality.audit_schemas import ReviewHeldIn, ReviewPlanIn, TargetIn
from motcua.quality.models import QualityUnit
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
BASE = "/chat-luong"
INPUT_PREFIX = "input_"  # + a ReviewInput value: one text box per input of clause 9.3.2
REVIEW_FIELDS = ("planned_on", "held_on", "chaired_by", "decisions", *(INPUT_PREFIX + t.value for t in ReviewInput))
TARGET_FIELDS = ("year", "on_time_share_min", "overdue_max", "satisfaction_min")
YearQ = Annotated[int | None, Query(ge=2000, le=2100)]


def _unit(session, user, code: str) -> tuple[QualityUnit, Agency]:
    unit = audit_access.unit_by_agency_code(session, user, code[:40])
    return unit, session.get(Agency, unit.agency_id)


def _input_labels() -> dict[str, str]:
    return {t.value: REVIEW_INPUT_LABELS[t] for t in ReviewInput}


# --- management reviews ---------------------------------------------------------------------


def _reviews_context(session, user, code: str, typed: dict | None = None) -> dict:
    unit, agency = _unit(session, user, code)
    return {"unit": unit, "agency": agency, "reviews": audits.list_reviews(session, user, unit_id=unit.id),
            "can_act": policies.can_act(user, unit), "today": audits.today(), "typed": typed or {},
            "input_labels": _input_labels()}


@router.get(f"{BASE}/don-vi/{{code}}/xem-xet")
def reviews_page(request: Request, session: DbSession, user: CurrentUser, code: str):
    return templates.TemplateResponse(request, "quality/reviews.html", _reviews_context(session, user, code))


@router.post(f"{BASE}/don-vi/{{code}}/xem-xet")
def plan_review(request: Request, session: DbSession, user: CurrentUser, code: str, form: PageForm):
    typed = typed_values(form, REVIEW_FIELDS)
    try:
        unit = audit_access.unit_by_agency_code(session, user, code[:40], act=True)
        review = audits.plan_review(session, user, unit.id, validated(
            ReviewPlanIn, {k: v for k, v in typed.items() if k == "planned_on" and v.strip()}))
    except DomainError as exc:
        return form_again(request, session, exc, "quality/reviews.html",
                          lambda: _reviews_context(session, user, code, typed))
    flash(request, "Đã lập kế hoạch họp xem xét của lãnh đạo.")
    return RedirectResponse(f"{BASE}/xem-xet/{review.id}", status_code=303)


def _review_context(session, user, review_id: uuid.UUID, typed: dict | None = None) -> dict:
    review = audits.get_review(session, user, review_id)
    unit = session.get(QualityUnit, review.unit_id)
    return {"review": review, "unit": unit, "agency": session.get(Agency, unit.agency_id),
            "can_act": policies.can_act(user, unit), "today": audits.today(), "typed": typed or {},
            "input_labels": _input_labels()}


@router.get(f"{BASE}/xem-xet/{{review_id}}")
def review_page(request: Request, session: DbSession, user: CurrentUser, review_id: uuid.UUID):
    return templates.TemplateResponse(request, "quality/review.html", _review_context(session, user, review_id))


def review_held_input(typed: dict[str, str]) -> ReviewHeldIn:
    """The minutes form as the API's body: each input box filled becomes an input of that topic
    (in the order of clause 9.3.2), each line of the decisions box a decision. An error is
    shown at the box it came from."""
    topics = [t for t in ReviewInput if typed.get(INPUT_PREFIX + t.value, "").strip()]
    names = {("inputs", i, "note"): INPUT_PREFIX + t.value for i, t in enumerate(topics)}
    names[("inputs",)] = "inputs"
    decisions = [line.strip() for line in typed.get("decisions", "").splitlines() if line.strip()]
    names |= {("decisions", i): "decisions" for i in range(len(decisions))}
    values = {k: typed[k] for k in ("held_on", "chaired_by") if typed.get(k, "").strip()}
    values["inputs"] = [{"topic": t.value, "note": typed[INPUT_PREFIX + t.value]} for t in topics]
    values["decisions"] = decisions
    return validated(ReviewHeldIn, values, names)


@router.post(f"{BASE}/xem-xet/{{review_id}}")
def record_review(request: Request, session: DbSession, user: CurrentUser, review_id: uuid.UUID, form: PageForm):
    typed = typed_values(form, REVIEW_FIELDS)
    try:
        audits.record_review(session, user, review_id, review_held_input(typed))
    except DomainError as exc:
        return form_again(request, session, exc, "quality/review.html",
                          lambda: _review_context(session, user, review_id, typed))
    flash(request, "Đã ghi biên bản họp xem xét của lãnh đạo.")
    return RedirectResponse(f"{BASE}/xem-xet/{review_id}", status_code=303)


# --- objective targets ----------------------------------------------------------------------


def _targets_context(session, user, code: str, year: int, typed: dict | None = None) -> dict:
    unit, agency = _unit(session, user, code)
    targets = objectives.targets_of(session, user, unit.id)
    measured = objectives.year_measure(session, user, unit.id, year)
    return {"unit": unit, "agency": agency, "year": year, "targets": targets,
            "target": next((t for t in targets if t.year == year), None), "measure": measured,
            "lines": objectives.measure_lines(measured) if measured else [],
            "cell": reports.cell_text, "can_act": policies.can_act(user, unit), "typed": typed or {}}


@router.get(f"{BASE}/don-vi/{{code}}/muc-tieu")
def targets_page(request: Request, session: DbSession, user: CurrentUser, code: str, nam: YearQ = None):
    return templates.TemplateResponse(request, "quality/targets.html",
                                      _targets_context(session, user, code, nam or audits.today().year))


@router.post(f"{BASE}/don-vi/{{code}}/muc-tieu")
def set_target(request: Request, session: DbSession, user: CurrentUser, code: str, form: PageForm):
    typed = typed_values(form, TARGET_FIELDS)
    try:
        unit = audit_access.unit_by_agency_code(session, user, code[:40], act=True)
        target = objectives.set_target(session, user, unit.id, validated(
            TargetIn, {k: v.strip() for k, v in typed.items() if v.strip()}))
    except DomainError as exc:
        year = typed.get("year", "").strip()
        shown = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else audits.today().year
        return form_again(request, session, exc, "quality/targets.html",
                          lambda: _targets_context(session, user, code, shown, typed))
    flash(request, f"Đã lưu chỉ tiêu mục tiêu chất lượng năm {target.year}.")
    return RedirectResponse(f"{BASE}/don-vi/{code}/muc-tieu?nam={target.year}", status_code=303)


