"""Per-client limits for public endpoints, and the client address they are keyed by.

The counters live in the database (motcua.core.throttle) so every server process shares
them. The client address is `request.client.host`: uvicorn runs with proxy_headers, which
replaces it with the X-Forwarded-For address only when the connection comes from an
address in `--forwarded-allow-ips` (127.0.0.1 by default). Behind a reverse proxy, set
that to the proxy's address and nothing wider; otherwise any client could pick its own
address by sending the header (docs/auth.md "Client address").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request

from motcua.core import throttle
from motcua.core.clock import now
from motcua.core.db import session_scope

MSG_TOO_MANY = "Bạn tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau {seconds} giây."


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def retry_after(until: datetime, *, at: datetime | None = None) -> int:
    """Whole seconds until `until` (at least 1), for a `Retry-After` header."""
    return max(1, math.ceil((until - (at or now())).total_seconds()))


@dataclass(frozen=True)
class Refusal:
    """A request over its limit: the Vietnamese message and the seconds to wait."""

    message: str
    retry_after: int

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def limit_lookup(request: Request) -> Refusal | None:
    """Count one public lookup from the client; a `Refusal` once past the limit
    (`lookup_rate_limit` requests per `lookup_rate_window_seconds`)."""
    settings = request.app.state.settings
    return limit_client(request, "lookup", limit=settings.lookup_rate_limit,
                        window_seconds=settings.lookup_rate_window_seconds, message=MSG_TOO_MANY)


def limit_client(request: Request, name: str, *, limit: int, window_seconds: int, message: str) -> Refusal | None:
    """Count one request `name` from the client; a `Refusal` (`message` with {seconds}) once
    past `limit` requests in the window.

    The count must be kept even when the request is refused or its own unit of work rolls
    back: on PostgreSQL the count is its own short write unit of work (one row upsert, shared
    by every server process); on SQLite it is kept in the process (`throttle.MemoryCounters`),
    so a GET never waits for the single write lock.

    A fixed window per address: simple, shared by processes through one counter row, and
    good enough against guessing codes or flooding a form (a burst at a window edge lets
    through at most twice the limit).
    """
    at = now()
    key = f"{name}:{client_address(request)}"
    if request.app.state.engine.dialect.name == "sqlite":
        count = request.app.state.lookup_counters.hit(key, at=at, window_seconds=window_seconds)
    else:
        with session_scope(request.app.state.sessionmaker) as session:
            count = throttle.hit(session, key, at=at, window_seconds=window_seconds)
    if count.hits <= limit:
        return None
    seconds = retry_after(count.window_start + timedelta(seconds=window_seconds), at=at)
    return Refusal(message.format(seconds=seconds), seconds)
