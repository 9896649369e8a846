"""The SMS gateway over HTTP (httpx): one JSON POST per message.

Request: `POST {url}{send_endpoint}` with HTTP Basic credentials and
`{"to": "84912345678", "text": "…", "sender": "MOTCUA", "reference": "<outbox key>"}`,
UTF-8 JSON (the text keeps its diacritics; the gateway sends it as a Unicode SMS).
Answer: 200 `{"status": "accepted", "message_id": "…", "duplicate": false}`. A 4xx other than
401/403/408/429 is a refusal of this message (`TextRejected`); 401/403 (credentials), 408,
429 and 5xx are worth retrying; a connection that fails or times out means the gateway is
down (`TextGatewayDown`). `reference` lets the gateway drop a repeat of a message it
already accepted (the outbox's at-least-once window).
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from motcua.integrations.sms.config import SmsSettings
from motcua.integrations.sms.interface import (
    TextGatewayDown,
    TextGatewayError,
    TextMessage,
    TextReceipt,
    TextRejected,
)

RETRYABLE_4XX = frozenset({401, 403, 408, 429})


def _auth(settings: SmsSettings) -> httpx.BasicAuth | None:
    return httpx.BasicAuth(settings.username, settings.password) if settings.username else None


def _timeout(settings: SmsSettings, seconds: float | None = None) -> httpx.Timeout:
    total = seconds or settings.timeout_seconds
    return httpx.Timeout(total, connect=min(settings.connect_timeout_seconds, total))


@dataclass(frozen=True)
class HttpSmsGateway:
    settings: SmsSettings

    def send(self, message: TextMessage) -> TextReceipt:
        s = self.settings
        body = {"to": message.recipient, "text": message.text, "sender": s.sender, "reference": message.reference}
        try:
            response = httpx.post(s.url.rstrip("/") + s.send_endpoint, json=body, auth=_auth(s),
                                  timeout=_timeout(s))
        except (httpx.ConnectError, httpx.TimeoutException) as exc:
            raise TextGatewayDown(f"không kết nối được cổng SMS {s.url}: {exc}") from exc
        except httpx.HTTPError as exc:
            raise TextGatewayError(f"lỗi khi gọi cổng SMS {s.url}: {exc}") from exc
        if response.status_code >= 400:
            detail = response.text[:200]
            if response.status_code < 500 and response.status_code not in RETRYABLE_4XX:
                raise TextRejected(f"cổng SMS từ chối tin nhắn: HTTP {response.status_code} {detail}")
            raise TextGatewayError(f"cổng SMS trả lỗi HTTP {response.status_code}: {detail}")
        try:
            answer = response.json()
            if answer.get("status") != "accepted":
                raise ValueError(answer)
            return TextReceipt(str(answer["message_id"]), bool(answer.get("duplicate", False)))
        except (ValueError, KeyError, AttributeError) as exc:
            raise TextGatewayError(f"cổng SMS trả lời không đọc được: {response.text[:200]}") from exc

    def check(self) -> float:
        """The operations page's probe: the gateway answers its status call; returns the seconds."""
        s = self.settings
        try:
            response = httpx.get(s.url.rstrip("/") + s.status_endpoint, auth=_auth(s),
                                 timeout=_timeout(s, s.health_timeout_seconds))
        except httpx.HTTPError as exc:
            raise TextGatewayDown(f"không kết nối được cổng SMS {s.url}: {exc}") from exc
        if response.status_code != 200:
            raise TextGatewayError(f"cổng SMS trả lỗi HTTP {response.status_code}")
        return response.elapsed.total_seconds()
