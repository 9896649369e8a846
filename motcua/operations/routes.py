"""`/quan-tri/tich-hop`: each external system's health, queue, oldest unsent item and last
error (province administrators). The checks run in worker threads with short timeouts; the
route itself is a plain `def`, so nothing of it runs on the event loop."""

from __future__ import annotations

from fastapi import APIRouter, Request

from motcua.auth.deps import CurrentUser
from motcua.core.db import DbSession
from motcua.operations.service import overview
from motcua.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/quan-tri/tich-hop")
def integrations_page(request: Request, session: DbSession, user: CurrentUser):
    return templates.TemplateResponse(request, "operations/integrations.html", {"systems": overview(session, user)})
