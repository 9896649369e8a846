"""Security headers on every response (pages, API, static files, PDFs).

A pure ASGI middleware: it only adds headers to `http.response.start`, so streamed
responses (PDF books, exports) pass through untouched, unlike BaseHTTPMiddleware.

Content-Security-Policy, decided per directive:
- `script-src 'self'`: no inline script and no eval anywhere; the few behaviours pages
  need (confirm before deleting, print, back) live in /static/motcua.js, the charts drawn from
  marked tables in /static/charts.js; HTMX and Chart.js in /assets.
- `style-src 'self' 'unsafe-inline'`: the printable forms compute their CSS per form
  (`@page` size, margins, font scale) in a `<style>` block that the same template gives
  to the PDF renderer, and HTMX adds its indicator style. Jinja escapes every value, so
  typed text never reaches a style context, and CSS alone cannot run code; the XSS vector
  that matters — script — stays closed.
- `img-src 'self' data:`: QR codes on the forms are data: URIs.
- `frame-ancestors 'none'` (and X-Frame-Options DENY for older browsers): no page may be
  framed (clickjacking of dossier actions). `form-action 'self'`, `base-uri 'none'`,
  `object-src 'none'`.
Referrer-Policy `same-origin`: links out of the site do not carry dossier ids or search
terms. HSTS only when `session_https_only` (the site is served over HTTPS); sending it over
plain HTTP on a demo install would be ignored at best.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(*, https_only: bool) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if https_only:
        headers.append((b"strict-transport-security", HSTS.encode()))
    return headers


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, https_only: bool = False) -> None:
        self.app = app
        self.headers = security_headers(https_only=https_only)
        self.names = {name for name, _ in self.headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # a route may set its own value of a header (none does today); keep it
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [h for h in self.headers if h[0] not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
