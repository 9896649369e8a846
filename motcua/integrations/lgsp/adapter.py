"""`PopulationRegistry` over the LGSP session transport (shared/reference/dvcqg.md §1, the
provincial platform speaks the same adapter style): one login per adapter object, the
population service called with the officer, purpose and dossier the platform logs.

Every failure becomes a `PopulationError` in Vietnamese: not found (`error_code` 404),
not permitted (403), and "service down" for everything else (connection, timeout, HTTP
error, a reply that cannot be read) — so the counter shows a sentence, never a 500.

A platform that does not answer in time is not asked again for `cooldown_seconds`: the
lookups meanwhile fail at once, saying so, instead of each officer waiting the whole timeout.
"""

from __future__ import annotations

import math
import threading
import time

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
        self._quiet_until = 0.0  # time.monotonic() before which the platform is not called
        self._lock = threading.Lock()

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> LgspPopulation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, body: dict) -> dict:
        with self._lock:
            wait = self._quiet_until - time.monotonic()
        if wait > 0:
            raise PopulationError(f"{self._transport.endpoint.system} vừa không trả lời kịp; "
                                  f"thử lại sau {math.ceil(wait)} giây.")
        try:
            return self._transport.call(self.settings.integration_endpoint, body, what=f"tra cứu {SERVICE}")
        except PopulationError as exc:
            if isinstance(exc.__cause__, httpx.TimeoutException):
                with self._lock:
                    self._quiet_until = time.monotonic() + self.settings.cooldown_seconds
            raise

    def lookup_citizen(self, request: LookupRequest) -> CitizenRecord:
        body = wire.request_body(request, madonvi=self.settings.madonvi,
                                 service=self.settings.population_service, at=now())
        reply = self._call(body)
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
