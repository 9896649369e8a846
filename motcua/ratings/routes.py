"""Pages: the applicant's online rating, the counter kiosk, and the officer's pairing page.

- `/cong-dan/ho-so/{code}/danh-gia` — the signed-in citizen rates their own dossier after the
  result (the citizens' dossier pages include `ratings/_dossier_rating.html`).
- `/kiosk/danh-gia` — no login: the device paired to a counter officer (cookie `motcua_kiosk`)
  waits (plain-HTML refresh) and offers the dossier that officer has just returned.
- `/quay/thiet-bi-danh-gia` — the counter officer pairs and unpairs their devices.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from motcua.auth.deps import CurrentUser
from motcua.citizens.deps import current_citizen
from motcua.citizens.sections import register_citizen_section
from motcua.core.db import DbSession
from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.sections import PageSection
from motcua.ratings import queries, service
from motcua.ratings.enums import (
    INDICES,
    OVERALL_QUESTION,
    SATISFACTION_LABELS,
    RatingChannel,
)
from motcua.ratings.inputs import COMMENT_MAX, FIELDS, parse_rating
from motcua.ratings.models import RatingKiosk
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)


def _citizen_rating(session, dossier: Dossier) -> str | None:
    """The citizen's dossier page shows «Đánh giá» once the result is out ("open") and the
    rating once given ("rated")."""
    return queries.rating_states(session, [dossier])[dossier.id]


register_citizen_section(PageSection("ratings.citizen", "ratings/_citizen_section.html", _citizen_rating))

CITIZEN_LOGIN = "/cong-dan/dang-nhap"
KIOSK = "/kiosk/danh-gia"
KIOSK_THANKS = KIOSK + "/cam-on"
KIOSK_PAIR = "/kiosk/ghep-noi"
DEVICES = "/quay/thiet-bi-danh-gia"
KIOSK_COOKIE = "motcua_kiosk"
KIOSK_COOKIE_AGE = 365 * 24 * 3600
# Seconds between two looks of the waiting kiosk; the form itself goes back to waiting after
# this long untouched (a citizen who walked away does not block the next one).
KIOSK_POLL_SECONDS = 5
KIOSK_FORM_SECONDS = 180
KIOSK_THANKS_SECONDS = 6


def rate_path(code: str) -> str:
    return f"/cong-dan/ho-so/{code}/danh-gia"


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _questions() -> dict:
    return {"indices": INDICES, "overall_question": OVERALL_QUESTION, "satisfaction_labels": SATISFACTION_LABELS,
            "comment_max": COMMENT_MAX}


# ------------------------------------------------------------------ online


def _rate_context(session, dossier: Dossier, typed: dict | None = None) -> dict:
    return {"dossier": dossier, "rating": service.rating_of(session, dossier.id),
            "ratable": service.is_ratable(dossier), "typed": typed or {}, "not_yet": service.NOT_YET,
            **_questions()}


@router.get("/cong-dan/ho-so/{code}/danh-gia")
def rate_page(request: Request, session: DbSession, code: str):
    citizen = current_citizen(request, session)
    if citizen is None:
        return _redirect(CITIZEN_LOGIN)
    dossier = service.citizen_dossier(session, citizen, code)
    return templates.TemplateResponse(request, "ratings/rate.html", _rate_context(session, dossier))


@router.post("/cong-dan/ho-so/{code}/danh-gia")
def rate_submit(request: Request, session: DbSession, code: str, form: PageForm):
    citizen = current_citizen(request, session)
    if citizen is None:
        return _redirect(CITIZEN_LOGIN)
    dossier = service.citizen_dossier(session, citizen, code)
    try:
        service.record_rating(session, dossier, parse_rating(form), channel=RatingChannel.online, citizen=citizen)
    except DomainError as exc:
        typed = typed_values(form, FIELDS)
        return form_again(request, session, exc, "ratings/rate.html",
                          lambda: _rate_context(session, service.citizen_dossier(session, citizen, code), typed))
    flash(request, "Cảm ơn ông/bà đã đánh giá. Ý kiến đã được ghi nhận.", "success")
    return _redirect(rate_path(dossier.code))


# ------------------------------------------------------------------ kiosk


def _kiosk(request: Request, session) -> RatingKiosk | None:
    return service.kiosk_of(session, request.cookies.get(KIOSK_COOKIE))


def _kiosk_page(request: Request, template: str, context: dict, status_code: int = 200) -> Response:
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


def _kiosk_context(session, kiosk: RatingKiosk, dossier: Dossier | None, typed: dict | None = None) -> dict:
    return {"kiosk": kiosk, "dossier": dossier, "typed": typed or {}, "poll_seconds": KIOSK_POLL_SECONDS,
            "form_seconds": KIOSK_FORM_SECONDS, **_questions()}


@router.get(KIOSK)
def kiosk_page(request: Request, session: DbSession):
    kiosk = _kiosk(request, session)
    if kiosk is None:
        return _kiosk_page(request, "ratings/kiosk_unpaired.html", {"devices_path": DEVICES})
    dossier = service.offered_dossier(session, kiosk)
    return _kiosk_page(request, "ratings/kiosk.html", _kiosk_context(session, kiosk, dossier))


@router.post(KIOSK)
def kiosk_submit(request: Request, session: DbSession, form: PageForm):
    kiosk = _kiosk(request, session)
    if kiosk is None:
        return _kiosk_page(request, "ratings/kiosk_unpaired.html", {"devices_path": DEVICES}, 403)
    try:
        dossier = service.kiosk_dossier(session, kiosk, str(form.get("dossier_id") or "")[:64])
        service.record_rating(session, dossier, parse_rating(form), channel=RatingChannel.kiosk, kiosk=kiosk)
    except DomainError as exc:
        typed = typed_values(form, FIELDS)
        kiosk_id = kiosk.id

        def again() -> dict:
            fresh = session.get(RatingKiosk, kiosk_id)
            offered = service.offered_dossier(session, fresh)
            return _kiosk_context(session, fresh, offered, typed if offered is not None and str(offered.id) == str(
                form.get("dossier_id")) else None)

        response = form_again(request, session, exc, "ratings/kiosk.html", again)
        response.headers["Cache-Control"] = "no-store"
        return response
    return _redirect(KIOSK_THANKS)


@router.get(KIOSK_THANKS)
def kiosk_thanks(request: Request):
    return _kiosk_page(request, "ratings/kiosk_thanks.html", {"back_seconds": KIOSK_THANKS_SECONDS})


@router.get(KIOSK_PAIR + "/{pairing_code}")
def kiosk_pair_page(request: Request, pairing_code: str):
    """Opened once on the device: a button, so that a link previewer fetching the link pairs nothing."""
    return _kiosk_page(request, "ratings/kiosk_pair.html", {"action": f"{KIOSK_PAIR}/{pairing_code[:100]}"})


@router.post(KIOSK_PAIR + "/{pairing_code}")
def kiosk_pair(request: Request, session: DbSession, pairing_code: str):
    """The one-time code becomes the device's cookie (only its hash is stored)."""
    kiosk, token = service.pair_device(session, pairing_code[:100])
    response = _redirect(KIOSK)
    response.set_cookie(KIOSK_COOKIE, token, max_age=KIOSK_COOKIE_AGE, httponly=True, samesite="lax",
                        secure=request.app.state.settings.session_https_only, path="/kiosk")
    flash(request, f"Đã ghép nối thiết bị “{kiosk.label}”.", "success")
    return response


# ------------------------------------------------------------------ the officer's devices


def _devices_context(session, user, new: service.NewKiosk | None = None, request: Request | None = None) -> dict:
    link = str(request.base_url).rstrip("/") + f"{KIOSK_PAIR}/{new.pairing_code}" if new and request else None
    return {"kiosks": service.officer_kiosks(session, user), "new_kiosk": new, "pairing_link": link,
            "pairing_minutes": int(service.PAIRING_TTL.total_seconds() // 60), "kiosk_path": KIOSK}


@router.get(DEVICES)
def devices_page(request: Request, session: DbSession, user: CurrentUser):
    service.ensure_counter_officer(user)
    return templates.TemplateResponse(request, "ratings/devices.html", _devices_context(session, user))


@router.post(DEVICES)
def devices_create(request: Request, session: DbSession, user: CurrentUser, form: PageForm):
    new = service.create_kiosk(session, user, str(form.get("label") or "")[:200])
    # Shown once, in this answer: only the code's hash is stored.
    response = templates.TemplateResponse(request, "ratings/devices.html",
                                          _devices_context(session, user, new, request))
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post(DEVICES + "/{kiosk_id}/huy")
def devices_revoke(request: Request, session: DbSession, user: CurrentUser, kiosk_id: str):
    kiosk = service.revoke_kiosk(session, user, kiosk_id[:64])
    flash(request, f"Đã huỷ ghép nối thiết bị “{kiosk.label}”.", "success")
    return _redirect(DEVICES)
