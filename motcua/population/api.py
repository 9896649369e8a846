"""JSON API of the population lookup (the counter form calls it from motcua.js) and of its
access log. A lookup that found nobody, was refused by the platform or got no answer is
still logged and committed: it is answered as problem+json with `detail.lookup_id`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from motcua.auth.deps import CurrentUser
from motcua.core.db import DbSession
from motcua.integrations.lgsp.population import Address, CitizenRecord, PopulationRegistry
from motcua.population import service
from motcua.population.client import population_registry
from motcua.population.enums import PURPOSE_LABELS, LookupOutcome, LookupPurpose
from motcua.population.schemas import (
    AccessLogEntryOut,
    AccessLogPageOut,
    AccessLogQuery,
    AddressOut,
    CitizenOut,
    LookupIn,
    LookupOut,
    PrefillOut,
)
from motcua.web.errors import problem
from motcua.web.paging import parse_page
from motcua.web.templating import vn_datetime

router = APIRouter(prefix="/api/v1/population", tags=["Tra cứu dân cư"])

PopulationClient = Annotated[PopulationRegistry, Depends(population_registry)]
FAILED_STATUS = {LookupOutcome.not_found: 404, LookupOutcome.not_permitted: 403, LookupOutcome.unavailable: 502}
ERRORS = {401: {"description": "Chưa đăng nhập"}, 403: {"description": "Không có quyền, hoặc nền tảng không cho phép"},
          404: {"description": "Không có công dân mang số định danh này"}, 422: {"description": "Dữ liệu không hợp lệ"},
          502: {"description": "Dịch vụ tra cứu không trả lời (lượt tra cứu vẫn được ghi nhật ký)"}}


def _address(address: Address | None) -> AddressOut | None:
    return AddressOut(**asdict(address), text=address.text) if address else None


def citizen_out(citizen: CitizenRecord) -> CitizenOut:
    return CitizenOut(
        id_number=citizen.id_number, full_name=citizen.full_name,
        birth_date=citizen.birth.text if citizen.birth else None, sex=citizen.sex.label,
        ethnicity=citizen.ethnicity, nationality=citizen.nationality,
        permanent_address=_address(citizen.permanent_address), current_address=_address(citizen.current_address),
        old_id_number=citizen.old_id_number,
    )


@router.post("/lookups", response_model=LookupOut, responses=ERRORS,
             summary="Tra cứu công dân trong CSDL quốc gia về dân cư (qua LGSP), ghi nhật ký truy cập")
def lookup(session: DbSession, user: CurrentUser, registry: PopulationClient, data: LookupIn):
    result = service.lookup_citizen(session, registry, user, data)
    if result.citizen is None:
        return problem(FAILED_STATUS[result.outcome], result.message, code=f"population_{result.outcome.value}",
                       detail={"lookup_id": str(result.entry.id), "outcome": result.outcome.value})
    return LookupOut(lookup_id=result.entry.id, outcome=result.outcome, message=result.message,
                     citizen=citizen_out(result.citizen),
                     prefill=PrefillOut(**service.prefill_fields(result.citizen)))


@router.get("/lookups", response_model=AccessLogPageOut, responses=ERRORS,
            summary="Nhật ký tra cứu CSDL dân cư (quản trị tỉnh, quản trị đơn vị)")
def access_log(session: DbSession, user: CurrentUser, query: Annotated[AccessLogQuery, Query()],
               page: Annotated[str | None, Query(max_length=6)] = None):
    listing = service.access_log(session, user, query, page=parse_page(page))
    return AccessLogPageOut(total=listing.total, page=listing.page, page_size=listing.page_size, items=[
        AccessLogEntryOut(
            id=row.id, at=vn_datetime(row.at), username=row.username,
            user_name=row.user_name, agency=agency, id_number=row.id_number, dossier_code=row.dossier_code,
            purpose=PURPOSE_LABELS[LookupPurpose(row.purpose)], outcome=LookupOutcome(row.outcome),
            message=row.message,
        ) for row, agency in listing.items])
