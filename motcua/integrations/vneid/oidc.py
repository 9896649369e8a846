"""`NationalLogin` over OpenID Connect authorization code, as the national login runs it
(shared/reference/dvcqg.md §8): the client authenticates at the token endpoint with
`client_id` and `client_secret` in the form body; userinfo takes the access token as Bearer.

Every failure (connection, timeout, HTTP error, an OAuth error reply, a reply that is not
JSON, an id_token for another client or another login) becomes a `NationalLoginError` with a
Vietnamese message, so the callback page can show it as it is.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlencode

import httpx

from motcua.integrations.vneid import wire
from motcua.integrations.vneid.config import VneidSettings
from motcua.integrations.vneid.login import (
    NationalIdentity,
    NationalLoginError,
    NationalLoginRefused,
    Tokens,
)

log = logging.getLogger("motcua.vneid")

LOGIN = "Hệ thống định danh và xác thực điện tử quốc gia"
RETRY = "Vui lòng đăng nhập lại."
# RFC 6749 §5.2 error codes → what the citizen is told.
OAUTH_ERRORS = {
    "invalid_client": f"{LOGIN} không chấp nhận thông tin kết nối của cổng (client_id, client_secret). "
                      "Vui lòng báo quản trị hệ thống.",
    "invalid_grant": f"Mã xác thực không hợp lệ, đã được sử dụng hoặc đã hết hạn. {RETRY}",
    "unauthorized_client": f"Cổng chưa được phép đăng nhập qua {LOGIN}. Vui lòng báo quản trị hệ thống.",
}


class OidcLogin:
    def __init__(self, settings: VneidSettings, *, redirect_uri: str,
                 transport: httpx.BaseTransport | None = None):
        self.settings = settings
        self.redirect_uri = redirect_uri
        self._client = httpx.Client(
            base_url=settings.url.rstrip("/"),
            timeout=httpx.Timeout(settings.timeout_seconds, connect=settings.connect_timeout_seconds),
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> OidcLogin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _configured(self) -> None:
        if not self.settings.client_id or not self.settings.client_secret:
            raise NationalLoginError(
                f"Chưa cấu hình kết nối {LOGIN} (VNEID_CLIENT_ID, VNEID_CLIENT_SECRET). "
                "Vui lòng báo quản trị hệ thống."
            )

    def _send(self, method: str, path: str, what: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._client.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise NationalLoginError(
                f"{LOGIN} không trả lời ({what}) trong {self.settings.timeout_seconds:g} giây. {RETRY}"
            ) from exc
        except httpx.HTTPError as exc:
            log.warning("national login unreachable (%s): %s", what, exc)
            raise NationalLoginError(f"Không kết nối được {LOGIN} ({what}). Vui lòng thử lại sau.") from exc

    @staticmethod
    def _json(response: httpx.Response, what: str) -> dict[str, Any]:
        try:
            reply = response.json()
        except ValueError:
            reply = None
        if not isinstance(reply, dict):
            raise NationalLoginError(f"{LOGIN} trả về dữ liệu không đọc được ({what}, HTTP {response.status_code}).")
        return reply

    # --- NationalLogin ------------------------------------------------------------------

    def authorize_url(self, *, state: str, nonce: str) -> str:
        self._configured()
        query = urlencode({
            "response_type": "code", "client_id": self.settings.client_id, "redirect_uri": self.redirect_uri,
            "scope": self.settings.scope, "acr_values": self.settings.acr_values, "state": state, "nonce": nonce,
        })
        return f"{self.settings.url.rstrip('/')}{self.settings.authorize_path}?{query}"

    def exchange_code(self, code: str, *, nonce: str) -> Tokens:
        self._configured()
        what = "đổi mã xác thực"
        response = self._send("POST", self.settings.token_path, what, data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": self.redirect_uri,
            "client_id": self.settings.client_id, "client_secret": self.settings.client_secret,
        })
        if response.status_code >= 500:
            raise NationalLoginError(f"{LOGIN} trả lỗi HTTP {response.status_code} ({what}). Vui lòng thử lại sau.")
        reply = self._json(response, what)
        if response.status_code >= 400 or "error" in reply:
            error = wire.text(reply.get("error")) or f"HTTP {response.status_code}"
            log.warning("national login refused the code exchange: %s", error)
            raise NationalLoginRefused(
                OAUTH_ERRORS.get(error, f"{LOGIN} từ chối đổi mã xác thực (mã lỗi {error}). {RETRY}"))
        access_token = wire.text(reply.get("access_token"))
        id_token = wire.text(reply.get("id_token"))
        if not access_token or not id_token:
            raise NationalLoginRefused(f"{LOGIN} không cấp đủ mã truy cập (access_token, id_token). {RETRY}")
        return Tokens(access_token=access_token, id_token=id_token, subject=self._check_id_token(id_token, nonce))

    def _check_id_token(self, id_token: str, nonce: str) -> str | None:
        """The id_token's subject, after the checks of OpenID Connect Core §3.1.3.7: for this
        client, unexpired, and carrying the nonce of this login (a token of another login
        replayed into this one is refused)."""
        claims = wire.id_token_claims(id_token)
        refused = NationalLoginRefused(f"Thông tin xác thực (id_token) nhận được không hợp lệ. {RETRY}")
        if claims is None:
            raise refused
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        expires = claims.get("exp")
        if (self.settings.client_id not in audiences or not isinstance(expires, int | float)
                or expires <= time.time() or claims.get("nonce") != nonce):
            raise refused
        return wire.text(claims.get("sub"))

    def userinfo(self, tokens: Tokens) -> NationalIdentity:
        what = "lấy thông tin định danh"
        response = self._send("GET", self.settings.userinfo_path, what,
                              headers={"Authorization": f"Bearer {tokens.access_token}"})
        if response.status_code in (401, 403):
            raise NationalLoginRefused(f"{LOGIN} không chấp nhận mã truy cập (đã hết hạn hoặc bị thu hồi). {RETRY}")
        if response.status_code >= 400:
            raise NationalLoginError(f"{LOGIN} trả lỗi HTTP {response.status_code} ({what}). Vui lòng thử lại sau.")
        identity = wire.identity(self._json(response, what))
        if tokens.subject is not None and identity.sub != tokens.subject:
            # OpenID Connect Core §5.3.2: userinfo about another account is not used.
            raise NationalLoginRefused(f"Thông tin định danh nhận được không khớp với phiên đăng nhập. {RETRY}")
        return identity
