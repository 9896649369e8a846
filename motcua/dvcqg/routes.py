"""Pages of the national portal domain: the code mapping (below), the dossiers out of sync
with the portal (`SYNC_PATH`, staff of the agencies concerned and administrators) and the
online queue of the one-stop sections (`QUEUE_PATH`: the counter's decision on submissions
from the portal; the rules are in dossiers.service.online).

Administrator page: local procedures ↔ national procedure codes (MaTTHC).

Candidates are suggested by name similarity from the cached national list (refreshed by the
worker's `dvcqg-catalog-list` job or `motcua catalog sync`; no portal call while the page
renders) and confirmed one by one by a province administrator; `motcua catalog sync` then
compares the confirmed ones with the national database. The rules live in
catalog.national_codes; this module only shows and posts them.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from motcua.auth.deps import CurrentUser
from motcua.auth.policies import is_province_admin
from motcua.catalog import national_codes
from motcua.catalog.service import get_procedure_by_code
from motcua.core.db import DbSession
from motcua.core.errors import DomainError, Forbidden, InvalidInput
from motcua.dossiers.enums import EXTERNAL_LABELS, STATUS_LABELS, ExternalStatus, ReceiptOutcome
from motcua.dossiers.service.common import get_dossier_row
from motcua.dossiers.service.online import OnlineDecision, decide_online, online_queue
from motcua.dvcqg import catalog_sync, reconcile
from motcua.dvcqg.enums import SYNC_STATE_LABELS
from motcua.web.csrf import csrf_protect
from motcua.web.flash import flash
from motcua.web.forms import PageForm, form_again, typed_values
from motcua.web.paging import parse_page
from motcua.web.templating import templates

PATH = "/quan-tri/thu-tuc/ma-quoc-gia"
TEMPLATE = "dvcqg/code_mapping.html"
TABS = {"chua-ghep": False, "da-ghep": True}
MAX_QUERY = 200

mapping = APIRouter(prefix=PATH, dependencies=[Depends(csrf_protect)], include_in_schema=False)


def _ensure_province_admin(user) -> None:
    if not is_province_admin(user):
        raise Forbidden("Chỉ quản trị tỉnh được ghép mã thủ tục quốc gia.")


def _back(tab: str, query: str, page: int) -> str:
    params = {k: v for k, v in (("tab", tab), ("q", query), ("page", page)) if v and v != 1}
    return f"{PATH}?{urlencode(params)}" if params else PATH


def _context(session: Session, *, tab: str, query: str, page: int, typed: dict | None = None,
             error: str | None = None) -> dict:
    listing = national_codes.mapping_page(session, mapped=TABS[tab], query=query, page=page)
    national = catalog_sync.national_list(session)
    suggestions = {}
    if not TABS[tab] and national.choices:
        suggestions = {
            p.id: national_codes.suggest_candidates(p.name, national.choices, limit=3, folded=national.folded)
            for p in listing.procedures
        }
    mapped = national_codes.national_codes_by_procedure(session, listing.procedures) if TABS[tab] else {}
    return {
        "tab": tab, "query": query, "listing": listing, "suggestions": suggestions, "mapped": mapped,
        "national_count": len(national.choices), "pulled_at": national.pulled_at,
        "typed": typed or {}, "error": error, "back": _back(tab, query, page),
        "page_url": lambda n: _back(tab, query, n),
    }


def _listing_params(tab: str | None, q: str | None, page: str | None) -> tuple[str, str, int]:
    tab = tab if tab in TABS else "chua-ghep"
    return tab, (q or "").strip()[:MAX_QUERY], parse_page(page)


@mapping.get("")
def code_mapping(request: Request, session: DbSession, user: CurrentUser,
                 tab: str | None = None, q: str | None = None, page: str | None = None):
    _ensure_province_admin(user)
    try:
        tab, query, page_no = _listing_params(tab, q, page)
    except InvalidInput as exc:
        return templates.TemplateResponse(
            request, TEMPLATE, _context(session, tab="chua-ghep", query="", page=1, error=exc.message),
            status_code=exc.status_code)
    return templates.TemplateResponse(request, TEMPLATE, _context(session, tab=tab, query=query, page=page_no))


def _posted_listing(typed: dict) -> tuple[str, str, int]:
    try:
        return _listing_params(typed.get("tab"), typed.get("q"), typed.get("page"))
    except InvalidInput:
        return "chua-ghep", "", 1


@mapping.post("/xac-nhan")
def confirm(request: Request, session: DbSession, user: CurrentUser, form: PageForm):
    """Confirm the national code chosen among the suggestions, or typed, for one procedure."""
    _ensure_province_admin(user)
    typed = typed_values(form)
    tab, query, page = _posted_listing(typed)
    try:
        procedure = get_procedure_by_code(session, typed.get("code"))
        chosen = (typed.get("national_code_typed") or "").strip() or typed.get("national_code") or ""
        if not chosen:
            raise InvalidInput("Chọn một mã gợi ý hoặc nhập mã thủ tục quốc gia.")
        code = national_codes.normalize_national_code(chosen)
        name = catalog_sync.national_name(session, code)
        if name is None:
            raise InvalidInput(f"Mã {code} không có trong danh mục thủ tục quốc gia đã tải về.")
        national_codes.confirm_national_code(session, procedure, national_code=code, national_name=name, user=user)
    except DomainError as exc:
        message = exc.message
        return form_again(request, session, exc, TEMPLATE, lambda: _context(
            session, tab=tab, query=query, page=page, typed=typed, error=message))
    flash(request, f"Đã ghép {procedure.code} với mã thủ tục quốc gia {code}: {name}.")
    return RedirectResponse(_back(tab, query, page), status_code=303)


@mapping.post("/bo-ghep")
def unmap(request: Request, session: DbSession, user: CurrentUser, form: PageForm):
    _ensure_province_admin(user)
    typed = typed_values(form)
    tab, query, page = _posted_listing(typed)
    try:
        procedure = get_procedure_by_code(session, typed.get("code"))
        removed = national_codes.remove_national_code(session, procedure, user=user)
    except DomainError as exc:
        message = exc.message
        return form_again(request, session, exc, TEMPLATE, lambda: _context(
            session, tab=tab, query=query, page=page, typed=typed, error=message))
    flash(request, f"Đã bỏ mã thủ tục quốc gia của {procedure.code}." if removed
          else f"{procedure.code} chưa được ghép mã thủ tục quốc gia.")
    return RedirectResponse(_back(tab, query, page), status_code=303)


# --- dossiers out of sync -----------------------------------------------------------------

SYNC_PATH = "/quan-tri/dvcqg/dong-bo-ho-so"
SYNC_TEMPLATE = "dvcqg/out_of_sync.html"
sync = APIRouter(prefix=SYNC_PATH, include_in_schema=False)


def _staff_scope(user) -> set | None:
    """None: every dossier (province administrator); else the agencies the user holds a role in."""
    if is_province_admin(user):
        return None
    agencies = {r.agency_id for r in user.roles if r.agency_id is not None}
    if not agencies:
        raise Forbidden("Chỉ cán bộ, công chức và quản trị được xem tình trạng đồng bộ hồ sơ.")
    return agencies


@sync.get("")
def out_of_sync_page(request: Request, session: DbSession, user: CurrentUser):
    rows = reconcile.out_of_sync(session, agencies=_staff_scope(user))
    return templates.TemplateResponse(request, SYNC_TEMPLATE, {
        "rows": rows, "state_labels": SYNC_STATE_LABELS,
        "external": lambda code: f"{code} – {EXTERNAL_LABELS[ExternalStatus(code)]}" if code else "—",
    })


# --- the online queue ----------------------------------------------------------------------

QUEUE_PATH = "/quay/truc-tuyen"
QUEUE_TEMPLATE = "dvcqg/online_queue.html"
queue = APIRouter(prefix=QUEUE_PATH, dependencies=[Depends(csrf_protect)], include_in_schema=False)
OUTCOME_CHOICES = (
    (ReceiptOutcome.accepted, "Tiếp nhận (hẹn ngày trả kết quả)"),
    (ReceiptOutcome.incomplete, "Yêu cầu bổ sung, hoàn thiện (công dân bổ sung trực tuyến)"),
    (ReceiptOutcome.refused, "Từ chối tiếp nhận"),
)


def _counter_units(user) -> set | None:
    if is_province_admin(user):
        return None
    units = {r.agency_id for r in user.roles if r.role == "counter_officer"}
    if not units:
        raise Forbidden("Chỉ công chức Bộ phận Một cửa được tiếp nhận hồ sơ trực tuyến.")
    return units


def _queue_context(session: Session, user, *, typed: dict | None = None, error: str | None = None,
                   failed: str | None = None) -> dict:
    return {"dossiers": online_queue(session, _counter_units(user)), "status_labels": STATUS_LABELS,
            "outcomes": OUTCOME_CHOICES, "typed": typed or {}, "error": error, "failed": failed}


@queue.get("")
def online_queue_page(request: Request, session: DbSession, user: CurrentUser):
    return templates.TemplateResponse(request, QUEUE_TEMPLATE, _queue_context(session, user))


def _int_or_none(value: str | None, label: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput(f"{label} phải là số nguyên dương.")
    return int(value)


def decision_from(typed: dict) -> OnlineDecision:
    """The posted decision (one text line per missing item)."""
    return OnlineDecision(
        outcome=typed.get("outcome") or "",
        missing_items=[line.strip() for line in (typed.get("missing_items") or "").splitlines() if line.strip()],
        refusal_reason=typed.get("refusal_reason"), note=typed.get("note"),
        time_limit_days=_int_or_none(typed.get("time_limit_days"), "Số ngày làm việc"),
        time_limit_hours=_int_or_none(typed.get("time_limit_hours"), "Số giờ làm việc"),
        time_limit_basis=typed.get("time_limit_basis"),
    )


@queue.post("/{dossier_id}")
def decide(request: Request, dossier_id: uuid.UUID, session: DbSession, user: CurrentUser, form: PageForm):
    """The counter's decision on one online submission: accepted, incomplete or refused."""
    typed = typed_values(form)
    try:
        dossier = get_dossier_row(session, dossier_id)
        decide_online(session, dossier, user=user, decision=decision_from(typed))
    except DomainError as exc:
        message = exc.message
        return form_again(request, session, exc, QUEUE_TEMPLATE, lambda: _queue_context(
            session, user, typed=typed, error=message, failed=str(dossier_id)))
    flash(request, f"Hồ sơ {dossier.code}: {STATUS_LABELS[dossier.status]}.")
    return RedirectResponse(f"/ho-so/{dossier.id}", status_code=303)


router = APIRouter()
router.include_router(mapping)
router.include_router(sync)
router.include_router(queue)
