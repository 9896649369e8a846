"""The session transport of the legacy adapter / LGSP style (shared/reference/dvcqg.md §1),
for any system that speaks it: `POST {url}{auth_endpoint}` with `{username, password}` gives a
`session`; every call is `POST {url}{endpoint}` with a JSON body carrying that session.

What a reply *means* (which `error_code` says "not found", where the records are) belongs to
each system's adapter; this module only logs in, sends, logs in again once when the session
is missing or expired, and turns every transport failure (connection, timeout, HTTP error, a
reply that is not a JSON object) into the system's own `DomainError` with a Vietnamese message
naming the system — never an httpx exception.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from motcua.core.errors import DomainError

log = logging.getLogger("motcua.integrations")

SUCCESS_CODES = {"0", "00"}
# Not in the public code ([U]); the simulators answer a missing or expired session with it
# (and HTTP 401), and the transport logs in again once when it sees it.
SESSION_EXPIRED_CODE = "401"


def text(value: Any) -> str:
    """Any reply value as trimmed text ("" for null): replies are read loosely (§1)."""
    if value is None:
        return ""
    return str(value).strip()


def is_success(error_code: Any) -> bool:
    return text(error_code) in SUCCESS_CODES


class _SessionExpired(Exception):
    pass


@dataclass(frozen=True)
class Endpoint:
    """Where and as whom a session transport connects; `system` names it in messages."""

    system: str  # e.g. "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP)"
    url: str
    auth_endpoint: str
    username: str
    password: str
    timeout_seconds: float
    connect_timeout_seconds: float
    credential_variables: str  # named in the message when no password is configured
    headers: dict[str, str] = field(default_factory=dict)


class SessionTransport:
    """One login per object, kept and sent with every call; thread-safe."""

    def __init__(self, endpoint: Endpoint, error: type[DomainError], *,
                 transport: httpx.BaseTransport | None = None):
        self.endpoint = endpoint
        self.error = error
        self._client = httpx.Client(
            base_url=endpoint.url.rstrip("/"),
            timeout=httpx.Timeout(endpoint.timeout_seconds, connect=endpoint.connect_timeout_seconds),
            headers=endpoint.headers,
            transport=transport,
        )
        self._session: str | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def _post(self, path: str, body: dict[str, Any], what: str) -> dict[str, Any]:
        system = self.endpoint.system
        try:
            response = self._client.post(path, json=body)
        except httpx.TimeoutException as exc:
            raise self.error(f"{system} không trả lời {what} trong {self.endpoint.timeout_seconds:g} giây.") from exc
        except httpx.HTTPError as exc:
            raise self.error(f"Không kết nối được {system} ({self.endpoint.url}) khi {what}.") from exc
        if response.status_code == 401:
            raise _SessionExpired
        if response.status_code >= 400:
            raise self.error(f"{system} trả lỗi HTTP {response.status_code} khi {what}.")
        try:
            reply = response.json()
        except ValueError as exc:
            raise self.error(f"{system} trả về dữ liệu không đọc được (không phải JSON) khi {what}.") from exc
        if not isinstance(reply, dict):
            raise self.error(f"{system} trả về dữ liệu không đúng định dạng khi {what}.")
        return reply

    def login(self) -> str:
        """A fresh session, or the system's error (also the health check: it reads nothing)."""
        endpoint = self.endpoint
        if not endpoint.password:
            raise self.error(f"Chưa cấu hình tài khoản kết nối {endpoint.system} ({endpoint.credential_variables}).")
        try:
            reply = self._post(endpoint.auth_endpoint,
                               {"username": endpoint.username, "password": endpoint.password}, "đăng nhập")
        except _SessionExpired as exc:
            raise self.error(f"{endpoint.system} từ chối đăng nhập: sai tài khoản hoặc mật khẩu.") from exc
        session = text(reply.get("session"))
        if not is_success(reply.get("error_code")) or not session:
            raise self.error(
                f"{endpoint.system} từ chối đăng nhập (mã lỗi {text(reply.get('error_code')) or 'trống'}): "
                f"{text(reply.get('message')) or 'không có thông báo'}."
            )
        return session

    def call(self, path: str, body: dict[str, Any], *, what: str) -> dict[str, Any]:
        """`body` sent with the session; the reply, whatever its `error_code` (the caller reads
        it), except a missing/expired session, after which it logs in again once."""
        for attempt in (1, 2):
            with self._lock:
                if self._session is None:
                    self._session = self.login()
                session = self._session
            try:
                reply = self._post(path, {"session": session} | body, what)
            except _SessionExpired:
                reply = {"error_code": SESSION_EXPIRED_CODE}
            if text(reply.get("error_code")) != SESSION_EXPIRED_CODE:
                return reply
            with self._lock:
                if self._session == session:
                    self._session = None
            if attempt == 1:
                log.info("%s: session expired; logging in again", self.endpoint.system)
        raise self.error(f"{self.endpoint.system} không chấp nhận phiên đăng nhập mới khi {what}.")


def check_login(endpoint: Endpoint, error: type[DomainError]) -> float:
    """Log in once (nothing is read or written): the seconds it took, or `error`. The health
    check of a session-transport system; `endpoint` carries the short timeout to use."""
    started = time.monotonic()
    client = SessionTransport(endpoint, error)
    try:
        client.login()
    finally:
        client.close()
    return time.monotonic() - started
