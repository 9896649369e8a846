"""`NationalPortal` over the legacy adapter/LGSP transport (shared/reference/dvcqg.md §1).

One login per adapter object: the session is kept and sent with every call; when the portal
says it is missing or expired, the adapter logs in again once and repeats the call. Every
failure (connection, timeout, HTTP 5xx, a reply that is not JSON, a non-zero `error_code`)
becomes a `PortalError` naming the service, in Vietnamese, so a command or a page can show
it as it is.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import httpx

from motcua.integrations.dvcqg import wire
from motcua.integrations.dvcqg.config import DvcqgSettings
from motcua.integrations.dvcqg.portal import (
    DossierRecord,
    NationalAgency,
    NationalDossier,
    NationalField,
    NationalProcedure,
    NationalProcedureItem,
    OnlineSupplement,
    PortalError,
    ProgressEntry,
    Rating,
    Submission,
    UnknownNationalProcedure,
)

log = logging.getLogger("motcua.dvcqg")

PORTAL = "Cổng Dịch vụ công quốc gia"
# LayThuTuc's answer for a code the national database does not hold (simulator; [U] elsewhere).
UNKNOWN_PROCEDURE_CODE = "404"


class _SessionExpired(Exception):
    pass


class LegacyPortal:
    def __init__(self, settings: DvcqgSettings, *, transport: httpx.BaseTransport | None = None):
        self.settings = settings
        self._client = httpx.Client(
            base_url=settings.adapter_url.rstrip("/"),
            timeout=httpx.Timeout(settings.timeout_seconds, connect=settings.connect_timeout_seconds),
            headers={"dstcode": settings.dstcode},
            transport=transport,
        )
        self._session: str | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> LegacyPortal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transport ---------------------------------------------------------------------

    def _post(self, path: str, body: dict[str, Any], service: str) -> dict[str, Any]:
        try:
            response = self._client.post(path, json=body)
        except httpx.TimeoutException as exc:
            raise PortalError(
                f"{PORTAL} không trả lời {service} trong {self.settings.timeout_seconds:g} giây."
            ) from exc
        except httpx.HTTPError as exc:
            raise PortalError(
                f"Không kết nối được {PORTAL} ({self.settings.adapter_url}) khi gọi {service}: {exc}."
            ) from exc
        if response.status_code == 401:
            raise _SessionExpired
        if response.status_code >= 400:
            raise PortalError(f"{PORTAL} trả lỗi HTTP {response.status_code} khi gọi {service}.")
        try:
            reply = response.json()
        except ValueError as exc:
            raise PortalError(f"{PORTAL} trả về dữ liệu không đọc được (không phải JSON) khi gọi {service}.") from exc
        if not isinstance(reply, dict):
            raise PortalError(f"{PORTAL} trả về dữ liệu không đúng định dạng khi gọi {service}.")
        return reply

    def _login(self) -> str:
        if not self.settings.password:
            raise PortalError(
                f"Chưa cấu hình tài khoản kết nối {PORTAL} (MOTCUA_DVCQG_USERNAME, MOTCUA_DVCQG_PASSWORD)."
            )
        try:
            reply = self._post(self.settings.auth_endpoint,
                               {"username": self.settings.username, "password": self.settings.password},
                               "đăng nhập")
        except _SessionExpired as exc:
            raise PortalError(f"{PORTAL} từ chối đăng nhập: sai tài khoản hoặc mật khẩu.") from exc
        session = wire.text(reply.get("session"))
        if not wire.is_success(reply.get("error_code")) or not session:
            raise PortalError(
                f"{PORTAL} từ chối đăng nhập (mã lỗi {wire.text(reply.get('error_code')) or 'trống'}): "
                f"{wire.text(reply.get('message')) or 'không có thông báo'}."
            )
        return session

    def call(self, service: str, *, endpoint: str | None = None, **arguments: Any) -> dict[str, Any]:
        """One service call; the reply when `error_code` says success, else `PortalError`."""
        path = endpoint or self.settings.integration_endpoint
        for attempt in (1, 2):
            with self._lock:
                if self._session is None:
                    self._session = self._login()
                session = self._session
            body = {"session": session, "madonvi": self.settings.madonvi, "service": service} | arguments
            try:
                reply = self._post(path, body, service)
            except _SessionExpired:
                reply = {"error_code": wire.SESSION_EXPIRED_CODE}
            code = wire.text(reply.get("error_code"))
            if code == wire.SESSION_EXPIRED_CODE:
                with self._lock:
                    if self._session == session:
                        self._session = None
                if attempt == 1:
                    log.info("national portal session expired; logging in again")
                    continue
                break
            if not wire.is_success(code):
                message = wire.text(reply.get("message")) or "không có thông báo"
                error = UnknownNationalProcedure if code == UNKNOWN_PROCEDURE_CODE else PortalError
                raise error(f"{PORTAL} từ chối {service} (mã lỗi {code or 'trống'}): {message}.")
            return reply
        raise PortalError(f"{PORTAL} không chấp nhận phiên đăng nhập mới khi gọi {service}.")

    def _share(self, service: str, **arguments: Any) -> list[dict[str, Any]]:
        return wire.records(self.call(service, endpoint=self.settings.share_endpoint, **arguments))

    # --- NationalPortal ----------------------------------------------------------------

    def get_procedure(self, code: str) -> NationalProcedure:
        found = self._share("LayThuTuc", maTTHC=code)
        if not found:
            raise UnknownNationalProcedure(f"{PORTAL} không có thủ tục mã {code}.")
        return wire.procedure(found[0], code)

    def list_procedures(self) -> list[NationalProcedureItem]:
        return [item for item in map(wire.procedure_item, self._share("LayDanhSachTTHC")) if item.code]

    def list_agencies(self) -> list[NationalAgency]:
        return [a for a in map(wire.agency, self._share("LayDanhMucCoQuan")) if a.code]

    def list_fields(self) -> list[NationalField]:
        return [f for f in map(wire.field, self._share("LayDanhMucLinhVuc")) if f.code]

    # --- dossiers (integration endpoint) -------------------------------------------------

    def lookup_dossier(self, code: str) -> NationalDossier | None:
        found = wire.records(self.call("TraCuuHoSo", mahoso=code))
        return wire.national_dossier(found[0], code) if found else None

    def push_dossier(self, record: DossierRecord, *, updating: bool) -> None:
        self.call("DongBoHoSoMC", isUpdating=wire.flag(updating), data=[wire.record_out(record)])

    def push_progress(self, entries: list[ProgressEntry]) -> None:
        if entries:
            self.call("CapNhatTienDoHoSoMC", data=[wire.progress_out(e) for e in entries])

    def new_submissions(self) -> list[Submission]:
        return [s for s in map(wire.submission_in, wire.records(self.call("LayDanhSachHoSoMoi"))) if s.code]

    def new_supplements(self) -> list[OnlineSupplement]:
        found = wire.records(self.call("LayDanhSachHoSoBoSungMoi"))
        return [s for s in map(wire.supplement_in, found) if s.code and s.round_id]

    def push_rating(self, rating: Rating) -> None:
        self.call("DongBoDanhGia", data=[wire.rating_out(rating)])
