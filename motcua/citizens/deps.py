"""The citizen's session: kept in the same signed session cookie as the staff session
(motcua.auth.deps), under keys of its own, so the two never mix: signing in as either
clears the cookie first, so one browser session is a staff member's or a citizen's, never
both, and no staff check ever reads a citizen key (a citizen is never a staff user)."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from motcua.citizens import service
from motcua.citizens.models import Citizen

SESSION_CITIZEN = "citizen_id"
SESSION_STAMP = "citizen_stamp"
# Shown by the layout (web/base.html) without a database query.
SESSION_NAME = "citizen_name"
# The login under way: the `state` and `nonce` sent to the national login, and when.
SESSION_LOGIN = "vneid_login"
# The link request waiting for the citizen's confirmation (its id only).
SESSION_LINK = "citizen_link"


def sign_in_citizen(request: Request, citizen: Citizen) -> None:
    """Start a fresh session for `citizen` (a staff session or an old one is ended: no
    session fixation, no mixed roles)."""
    request.session.clear()
    request.session[SESSION_CITIZEN] = str(citizen.id)
    request.session[SESSION_STAMP] = service.session_stamp(citizen)
    request.session[SESSION_NAME] = citizen.display_name


def sign_out_citizen(request: Request) -> None:
    request.session.clear()


def current_citizen(request: Request, session: Session) -> Citizen | None:
    """The signed-in citizen, loaded in the request's unit of work; a stale session is ended."""
    citizen = service.load_session_citizen(
        session, request.session.get(SESSION_CITIZEN), request.session.get(SESSION_STAMP))
    if citizen is None and request.session.get(SESSION_CITIZEN):
        for key in (SESSION_CITIZEN, SESSION_STAMP, SESSION_NAME):
            request.session.pop(key, None)
    return citizen
