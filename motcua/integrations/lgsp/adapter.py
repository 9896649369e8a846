"""`PopulationRegistry` over the LGSP session transport (shared/reference/dvcqg.md §1, the
provincial platform speaks the same adapter style): one login per adapter object, the
population service called with the officer, purpose and dossier the platform logs.

Every failure becomes a `PopulationError` in Vietnamese: not found (`error_code` 404),
not permitted (403), and "service down" for everything else (connection, timeout, HTTP
error, a reply that cannot be read) — so the counter shows a sentence, never a 500.
"""

from __future__ import annotations

import httpx

from motcua.core.clock import now
from motcua.integrations.lgsp import wire
from motcua.integrations.lgsp.config import LgspSettings
from motcua.integrations.lgsp.population import (
    SERVICE,
    CitizenNotFound,
    CitizenRecord,
    LookupNotPermitted,
    LookupRequest,
    PopulationError,
)
from motcua.integrations.session_transport import SessionTransport, is_success, text


class LgspPopulation:
    def __init__(self, settings: LgspSettings, *, transport: httpx.BaseTransport | None = None):
        self.settings = settings
        self._transport = SessionTransport(settings.endpoint(), PopulationError, transport=transport)

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> LgspPopulation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lookup_citizen(self, request: LookupRequest) -> CitizenRecord:
        body = wire.request_body(request, madonvi=self.settings.madonvi,
                                 service=self.settings.population_service, at=now())
        reply = self._transport.call(self.settings.integration_endpoint, body, what=f"tra cứu {SERVICE}")
        code, message = text(reply.get("error_code")), text(reply.get("message"))
        if code == wire.NOT_FOUND_CODE:
            raise CitizenNotFound(f"{SERVICE} không có công dân mang số định danh {request.id_number}.")
        if code == wire.NOT_PERMITTED_CODE:
            raise LookupNotPermitted(
                f"{SERVICE} không cho phép tra cứu này{f': {message}' if message else ''}.")
        if not is_success(code):
            raise PopulationError(
                f"{SERVICE} chưa trả lời được (mã lỗi {code or 'trống'}: {message or 'không có thông báo'}).")
        records = reply.get("result")
        if not isinstance(records, list) or not records:
            raise CitizenNotFound(f"{SERVICE} không có công dân mang số định danh {request.id_number}.")
        try:
            found = wire.citizen(records[0])
        except (ValueError, AttributeError) as exc:
            raise PopulationError(f"{SERVICE} trả về bản ghi công dân không đọc được.") from exc
        if found.id_number != request.id_number:
            raise PopulationError(f"{SERVICE} trả về công dân khác với số định danh đã tra cứu.")
        return found
