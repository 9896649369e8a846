"""Pages of «Hồ sơ của tôi» (`/cong-dan/ho-so`): the signed-in citizen's dossiers, each with
its timeline and, once the result exists, its result files. Mounted by citizens.routes.

Another person's dossier, an unknown code and a file that is not a result of the citizen's
own dossier all answer 404 alike: nothing tells whether such a dossier exists.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from motcua.citizens import tracking
from motcua.citizens.deps import current_citizen
from motcua.citizens.sections import citizen_sections
from motcua.core.db import DbSession
from motcua.core.errors import NotFound
from motcua.dossiers.enums import EXTERNAL_LABELS
from motcua.dossiers.storage import content_disposition
from motcua.dossiers.tracking import load_timeline
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.templating import templates

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

MY_DOSSIERS_PATH = "/cong-dan/ho-so"
LOGIN_PATH = "/cong-dan/dang-nhap"
# The citizen's own data: never kept by a shared cache.
PRIVATE = {"Cache-Control": "private, no-store"}


def _signed_in(request: Request, session):
    citizen = current_citizen(request, session)
    if citizen is None:
        flash(request, "Vui lòng đăng nhập bằng tài khoản định danh điện tử để xem hồ sơ của bạn.", "info")
    return citizen


@router.get(MY_DOSSIERS_PATH)
def my_dossiers(request: Request, session: DbSession,
                trang: Annotated[int, Query(ge=1, le=10000)] = 1):
    """Every dossier of the citizen, every channel, newest first, paged."""
    citizen = _signed_in(request, session)
    if citizen is None:
        return RedirectResponse(LOGIN_PATH, status_code=303)
    result = tracking.my_dossiers(session, citizen, page=trang)
    return templates.TemplateResponse(request, "citizens/my_dossiers.html", {
        "result": result,
        "pages_total": max(1, -(-result.total // result.page_size)),
        "external_labels": {int(k): v for k, v in EXTERNAL_LABELS.items()},
    }, headers=PRIVATE)


@router.get(MY_DOSSIERS_PATH + "/{code}")
def my_dossier(request: Request, session: DbSession, code: str):
    """One of the citizen's dossiers: its timeline and, once issued, its result files."""
    citizen = _signed_in(request, session)
    if citizen is None:
        return RedirectResponse(LOGIN_PATH, status_code=303)
    dossier = tracking.my_dossier(session, citizen, code)
    return templates.TemplateResponse(request, "citizens/my_dossier.html", {
        "d": dossier,
        "t": load_timeline(session, dossier),
        "files": tracking.my_result_files(session, dossier),
        "sections": citizen_sections(session, dossier),
    }, headers=PRIVATE)


@router.get(MY_DOSSIERS_PATH + "/{code}/ket-qua/{attachment_id}")
def my_result_file(request: Request, session: DbSession, code: str, attachment_id: uuid.UUID):
    """A result file of the citizen's own dossier, once the result is issued; 404 otherwise."""
    citizen = current_citizen(request, session)
    if citizen is None:
        raise NotFound("Không tìm thấy tệp kết quả.")
    attachment, content = tracking.my_result_file(session, citizen, code, attachment_id,
                                                  storage_root=request.app.state.settings.storage_dir)
    return Response(content, media_type=attachment.content_type, headers={
        **PRIVATE,
        "Content-Disposition": content_disposition(attachment.filename, inline=False),
        "X-Content-Type-Options": "nosniff",
    })
