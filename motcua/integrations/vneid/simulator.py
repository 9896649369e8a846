"""A local stand-in for the national login (VNeID through the National Public Service Portal),
speaking OpenID Connect authorization code as shared/reference/dvcqg.md §8 describes it.

- `GET /oauth2/authorize` (`response_type=code`, `client_id`, `redirect_uri`, `scope` with
  `openid`, `state`, optional `nonce`, `acr_values`): a page to pick a test identity or enter
  a new one; `POST /oauth2/authorize` redirects to `redirect_uri` with `code` and `state`
  (or `error=access_denied`). An unknown client or a bad redirect URI is shown on the page,
  never redirected to (RFC 6749 §4.1.2.1).
- `POST /oauth2/token` (form-encoded; the client authenticates with `client_id` and
  `client_secret` in the body or HTTP Basic): `invalid_client` (401) for a wrong secret;
  `invalid_grant` for an unknown, expired or already used code, or another client's or
  another `redirect_uri`'s; a reused code also revokes the tokens issued for it (RFC 6749
  §4.1.2). Answers `access_token`, `id_token` (HS256, signed with the client secret; `iss`,
  `sub`, `aud`, `exp`, `iat`, `nonce`), `token_type`, `expires_in`.
- `GET /oauth2/userinfo` (Bearer): the identity's attributes (`sub`, `TechID`,
  `LoaiTaiKhoan`, `SoDinhDanh`, `SoCMND`, `HoChieu`, `HoVaTen`, `GioiTinh`, `DiaChi`,
  `SoDienThoai`, `ThuDienTu`; for businesses `MaSoThue`, `MaSoDoanhNghiep`, `TenDoanhNghiep`);
  401 with `WWW-Authenticate` for an unknown, expired or revoked token.
- State (identities, codes, tokens, faults, calls, a clock offset) in one SQLite file.
- Test endpoints under `/_sim/`: `identities` (list, add), `reset` (back to the seeded
  identities), `faults` (per endpoint: HTTP status, delay, an OAuth error; for the next N
  calls or always), `clock` (move the simulator's time forward, to expire codes and
  tokens), `calls` (token and userinfo requests received, the secret masked).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from base64 import b64decode, urlsafe_b64encode
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Body, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse

from motcua.integrations.simstore import SimulatorStore

DEFAULT_CLIENT_ID = "motcua"
DEFAULT_CLIENT_SECRET = "simulator"
ENDPOINTS = {"authorize", "token", "userinfo", "*"}
FAULT_KINDS = {"http", "delay", "oauth_error"}
# Attributes a test identity may carry (§8), in the order the authorize page shows them.
ATTRIBUTES = ("TechID", "LoaiTaiKhoan", "SoDinhDanh", "SoCMND", "HoChieu", "HoVaTen", "GioiTinh", "DiaChi",
              "SoDienThoai", "ThuDienTu", "MaSoThue", "MaSoDoanhNghiep", "TenDoanhNghiep")
SEED_IDENTITIES: tuple[dict[str, str], ...] = (
    {"sub": "sim-cd-0001", "TechID": "VNEID-TECH-000001", "LoaiTaiKhoan": "1", "SoDinhDanh": "020190000123",
     "HoVaTen": "Nguyễn Văn An", "GioiTinh": "Nam", "DiaChi": "Số 12 đường Trần Đăng Ninh, phường Tam Thanh, "
     "tỉnh Lạng Sơn", "SoDienThoai": "0912345678", "ThuDienTu": "an.nguyen@example.vn"},
    {"sub": "sim-cd-0002", "TechID": "VNEID-TECH-000002", "LoaiTaiKhoan": "1", "SoDinhDanh": "020185000456",
     "SoCMND": "082123456", "HoVaTen": "Hoàng Thị Bình", "GioiTinh": "Nữ",
     "DiaChi": "Thôn Nà Chuông, xã Văn Quan, tỉnh Lạng Sơn", "SoDienThoai": "0987654321"},
    {"sub": "sim-dn-0001", "TechID": "VNEID-TECH-900001", "LoaiTaiKhoan": "2", "HoVaTen": "Lương Văn Cường",
     "MaSoThue": "4900123456", "MaSoDoanhNghiep": "4900123456",
     "TenDoanhNghiep": "Công ty TNHH Thương mại Hữu Nghị", "DiaChi": "Số 5 đường Lê Lợi, phường Lương Văn Tri, "
     "tỉnh Lạng Sơn", "ThuDienTu": "lienhe@huunghi.example.vn"},
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS identities (sub TEXT PRIMARY KEY, attributes TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS codes (code TEXT PRIMARY KEY, client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL,
    sub TEXT NOT NULL, nonce TEXT, scope TEXT NOT NULL, expires REAL NOT NULL, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, code TEXT NOT NULL, sub TEXT NOT NULL,
    client_id TEXT NOT NULL, expires REAL NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS clock (id INTEGER PRIMARY KEY CHECK (id = 1), offset REAL NOT NULL);
"""


class SimulatorState(SimulatorStore):
    """The simulator's disk state; faults and calls are kept per endpoint (authorize, token, userinfo)."""

    def __init__(self, path: Path):
        super().__init__(path, SCHEMA)
        with self.db() as db:
            empty = db.execute("SELECT COUNT(*) FROM identities").fetchone()[0] == 0
        if empty:
            self.reset()

    def reset(self) -> int:
        """Back to the seeded identities; codes, tokens, faults, calls and the clock forgotten."""
        self.clear("identities", "codes", "tokens", "clock")
        for identity in SEED_IDENTITIES:
            self.add_identity(dict(identity))
        return len(SEED_IDENTITIES)

    def now(self) -> float:
        """The simulator's time: the real one moved forward by `/_sim/clock`."""
        with self.db() as db:
            row = db.execute("SELECT offset FROM clock WHERE id = 1").fetchone()
        return time.time() + (row[0] if row else 0.0)

    def advance(self, seconds: float) -> None:
        with self.db() as db:
            db.execute("INSERT INTO clock VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET offset = offset + ?",
                       (seconds, seconds))

    # --- identities ----------------------------------------------------------------------

    def add_identity(self, attributes: dict[str, Any]) -> dict[str, str]:
        """Store a test identity: `sub` and `TechID` are made up when absent (an explicit
        null or "" TechID is kept absent: a national account without one, to test refusals)."""
        identity = {"sub": str(attributes.get("sub") or f"sim-{secrets.token_hex(6)}")}
        if "TechID" not in attributes:
            identity["TechID"] = f"VNEID-TECH-{secrets.token_hex(6).upper()}"
        for name in ATTRIBUTES:
            value = attributes.get(name)
            if value is not None and str(value).strip():
                identity[name] = str(value).strip()
        with self.db() as db:
            position = db.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM identities").fetchone()[0]
            db.execute("INSERT OR REPLACE INTO identities VALUES (?, ?, ?)",
                       (identity["sub"], json.dumps(identity, ensure_ascii=False), position))
        return identity

    def identities(self) -> list[dict[str, str]]:
        with self.db() as db:
            rows = db.execute("SELECT attributes FROM identities ORDER BY position").fetchall()
        return [json.loads(r[0]) for r in rows]

    def identity(self, sub: str) -> dict[str, str] | None:
        with self.db() as db:
            row = db.execute("SELECT attributes FROM identities WHERE sub = ?", (sub,)).fetchone()
        return json.loads(row[0]) if row else None

    # --- codes and tokens ----------------------------------------------------------------

    def issue_code(self, *, client_id: str, redirect_uri: str, sub: str, nonce: str | None, scope: str,
                   ttl: float) -> str:
        code, expires = secrets.token_urlsafe(24), self.now() + ttl
        with self.db() as db:
            db.execute("INSERT INTO codes (code, client_id, redirect_uri, sub, nonce, scope, expires) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (code, client_id, redirect_uri, sub, nonce, scope, expires))
        return code

    def redeem_code(self, code: str, *, client_id: str, redirect_uri: str, ttl: float) -> tuple[str, dict] | str:
        """(access token, the code's record), or the reason it is refused. A code is redeemed
        once: a second use is refused and revokes what the first one got."""
        at = self.now()
        with self.db() as db:
            row = db.execute("SELECT client_id, redirect_uri, sub, nonce, expires, used FROM codes WHERE code = ?",
                             (code,)).fetchone()
            if row is None:
                return "unknown code"
            code_client, code_redirect, sub, nonce, expires, used = row
            if used:
                db.execute("UPDATE tokens SET revoked = 1 WHERE code = ?", (code,))
                return "code already used"
            if expires <= at:
                return "code expired"
            if code_client != client_id:
                return "code issued to another client"
            if code_redirect != redirect_uri:
                return "redirect_uri differs from the authorization request"
            db.execute("UPDATE codes SET used = 1 WHERE code = ?", (code,))
            token = secrets.token_urlsafe(32)
            db.execute("INSERT INTO tokens (token, code, sub, client_id, expires) VALUES (?, ?, ?, ?, ?)",
                       (token, code, sub, client_id, at + ttl))
        return token, {"sub": sub, "nonce": nonce, "client_id": client_id}

    def token_subject(self, token: str) -> str | None:
        with self.db() as db:
            row = db.execute("SELECT sub, expires, revoked FROM tokens WHERE token = ?", (token,)).fetchone()
        if row is None or row[2] or row[1] <= self.now():
            return None
        return row[0]


def id_token(*, issuer: str, sub: str, client_id: str, secret: str, nonce: str | None, at: float,
             ttl: float) -> str:
    """A compact JWT signed HS256 with the client secret (OpenID Connect Core §10.1)."""

    def part(data: dict[str, Any]) -> str:
        return urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=").decode()

    claims: dict[str, Any] = {"iss": issuer, "sub": sub, "aud": client_id, "iat": int(at), "exp": int(at + ttl),
                              "acr": "LoA1"}
    if nonce:
        claims["nonce"] = nonce
    signing_input = f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{urlsafe_b64encode(signature).rstrip(b'=').decode()}"


# --- the authorize page ------------------------------------------------------------------------

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Đăng nhập bằng tài khoản định danh điện tử (mô phỏng)</title>
<style>body{{font-family:sans-serif;max-width:760px;margin:24px auto;padding:0 12px}}
.identity{{border:1px solid #ccc;padding:8px 12px;margin:8px 0}}label{{display:block;margin-top:6px}}
.note{{background:#fff4d6;padding:8px}}</style></head><body>
<h1>Hệ thống định danh và xác thực điện tử — trình mô phỏng</h1>
<p class="note">Trình mô phỏng dùng cho phát triển và kiểm thử, không phải hệ thống thật.</p>
{body}</body></html>"""


def _hidden(params: dict[str, str]) -> str:
    return "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in params.items())


def authorize_page(identities: list[dict[str, str]], params: dict[str, str]) -> str:
    hidden = _hidden(params)
    items = []
    for identity in identities:
        kind = "Tổ chức, doanh nghiệp" if identity.get("LoaiTaiKhoan") == "2" else "Công dân"
        number = identity.get("SoDinhDanh") or identity.get("MaSoThue") or identity.get("SoCMND") or ""
        items.append(
            f'<form method="post" class="identity">{hidden}<input type="hidden" name="sub" '
            f'value="{escape(identity["sub"])}"><strong>{escape(identity.get("HoVaTen", ""))}</strong> — {kind}, '
            f'{escape(number)} <button type="submit" name="action" value="login">Đăng nhập</button></form>')
    fields = "".join(f'<label>{name} <input name="{name}"></label>' for name in ATTRIBUTES if name != "LoaiTaiKhoan")
    return PAGE.format(body=(
        "<h2>Chọn tài khoản thử nghiệm</h2>" + "".join(items)
        + f'<h2>Hoặc nhập một tài khoản mới</h2><form method="post">{hidden}'
        '<label>LoaiTaiKhoan <select name="LoaiTaiKhoan"><option value="1">1 — Công dân</option>'
        f'<option value="2">2 — Tổ chức, doanh nghiệp</option></select></label>{fields}'
        '<p><button type="submit" name="action" value="new">Tạo và đăng nhập</button></p></form>'
        f'<form method="post">{hidden}<button type="submit" name="action" value="deny">Từ chối</button></form>'
    ))


def _error_page(message: str, status: int = 400) -> HTMLResponse:
    return HTMLResponse(PAGE.format(body=f'<p role="alert">{escape(message)}</p>'), status_code=status)


def _redirect(uri: str, **params: str) -> RedirectResponse:
    joiner = "&" if urlsplit(uri).query else "?"
    return RedirectResponse(f"{uri}{joiner}{urlencode(params)}", status_code=302)


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="oauth2"'
    return JSONResponse({"error": error, "error_description": description}, status_code=status, headers=headers)


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, _, password = b64decode(value).decode().partition(":")
    except ValueError:
        return None
    return user, password


def create_simulator(
    state_path: Path,
    *,
    client_id: str = DEFAULT_CLIENT_ID,
    client_secret: str = DEFAULT_CLIENT_SECRET,
    code_ttl: float = 60.0,
    token_ttl: float = 600.0,
) -> FastAPI:
    """The simulator app, with one registered client (`client_id`, `client_secret`)."""
    state = SimulatorState(state_path)
    app = FastAPI(title="Mô phỏng hệ thống định danh điện tử quốc gia", openapi_url=None, docs_url=None,
                  redoc_url=None)
    app.state.simulator = state

    def fault(endpoint: str) -> PlainTextResponse | JSONResponse | None:
        found = state.take_fault(endpoint)
        if found is None:
            return None
        kind, value = found
        if kind == "delay":
            time.sleep(float(value))
            return None
        if kind == "http":
            return PlainTextResponse("Lỗi máy chủ giả lập", status_code=int(value))
        return _oauth_error(value, "Lỗi giả lập")

    def authorize_params(request_params: dict[str, str]) -> tuple[dict[str, str], str | None]:
        """The authorization request to carry through the page, and what is wrong with it
        that must be shown here rather than sent to a redirect URI that may not be the client's."""
        params = {k: request_params.get(k, "") for k in
                  ("response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "acr_values")}
        if params["client_id"] != client_id:
            return params, f"Ứng dụng (client_id) «{params['client_id']}» chưa được đăng ký."
        parts = urlsplit(params["redirect_uri"])
        if parts.scheme not in {"http", "https"} or not parts.netloc or parts.fragment:
            return params, "Địa chỉ chuyển hướng (redirect_uri) không hợp lệ."
        return params, None

    @app.get("/oauth2/authorize", response_class=HTMLResponse)
    def authorize(request: Request):
        if (failed := fault("authorize")) is not None:
            return failed
        params, problem = authorize_params(dict(request.query_params))
        if problem:
            return _error_page(problem)
        if params["response_type"] != "code":
            return _redirect(params["redirect_uri"], error="unsupported_response_type", state=params["state"])
        if "openid" not in params["scope"].split():
            return _redirect(params["redirect_uri"], error="invalid_scope", state=params["state"])
        return HTMLResponse(authorize_page(state.identities(), params))

    @app.post("/oauth2/authorize")
    async def authorize_decision(request: Request):
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        params, problem = authorize_params(form)
        if problem:
            return _error_page(problem)
        action = form.get("action", "login")
        if action == "deny":
            return _redirect(params["redirect_uri"], error="access_denied", state=params["state"])
        if action == "new":
            identity = state.add_identity({name: form.get(name) for name in ATTRIBUTES})
        else:
            identity = state.identity(form.get("sub", ""))
            if identity is None:
                return _error_page("Không có tài khoản thử nghiệm này.", 404)
        code = state.issue_code(client_id=client_id, redirect_uri=params["redirect_uri"], sub=identity["sub"],
                                nonce=params["nonce"] or None, scope=params["scope"], ttl=code_ttl)
        return _redirect(params["redirect_uri"], code=code, state=params["state"])

    @app.post("/oauth2/token")
    def token(
        request: Request,
        grant_type: str = Form(""),
        code: str = Form(""),
        redirect_uri: str = Form(""),
        form_client_id: str = Form("", alias="client_id"),
        form_client_secret: str = Form("", alias="client_secret"),
    ):
        basic = _basic_credentials(request)
        caller, secret = basic or (form_client_id, form_client_secret)
        state.record_call("token", {"grant_type": grant_type, "code": code, "redirect_uri": redirect_uri,
                                    "client_id": caller, "client_secret": "***" if secret else "",
                                    "auth": "basic" if basic else "post"})
        if (failed := fault("token")) is not None:
            return failed
        if caller != client_id or not hmac.compare_digest(secret.encode(), client_secret.encode()):
            return _oauth_error("invalid_client", "Client authentication failed", 401)
        if grant_type != "authorization_code":
            return _oauth_error("unsupported_grant_type", f"grant_type {grant_type!r} is not supported")
        redeemed = state.redeem_code(code, client_id=caller, redirect_uri=redirect_uri, ttl=token_ttl)
        if isinstance(redeemed, str):
            return _oauth_error("invalid_grant", redeemed)
        access_token, record = redeemed
        issuer = str(request.base_url).rstrip("/")
        return JSONResponse({
            "access_token": access_token, "token_type": "Bearer", "expires_in": int(token_ttl), "scope": "openid",
            "id_token": id_token(issuer=issuer, sub=record["sub"], client_id=caller, secret=client_secret,
                                 nonce=record["nonce"], at=state.now(), ttl=token_ttl),
        }, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    @app.get("/oauth2/userinfo")
    def userinfo(request: Request):
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        state.record_call("userinfo", {"scheme": scheme})
        if (failed := fault("userinfo")) is not None:
            return failed
        sub = state.token_subject(value.strip()) if scheme.lower() == "bearer" else None
        identity = state.identity(sub) if sub else None
        if identity is None:
            return JSONResponse({"error": "invalid_token"}, status_code=401,
                                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return JSONResponse(identity, headers={"Cache-Control": "no-store"})

    # --- test controls -------------------------------------------------------------------

    @app.get("/_sim/identities")
    def list_identities():
        return state.identities()

    @app.post("/_sim/identities", status_code=201)
    def add_identity(body: dict[str, Any] = Body(...)):  # noqa: B008
        return state.add_identity(body)

    @app.post("/_sim/reset")
    def reset():
        return {"identities": state.reset()}

    @app.post("/_sim/faults")
    def add_fault(body: dict[str, Any] = Body(...)):  # noqa: B008
        endpoint, kind = str(body.get("endpoint") or "*"), str(body.get("kind") or "")
        if endpoint not in ENDPOINTS or kind not in FAULT_KINDS:
            return JSONResponse({"error": f"endpoint must be one of {sorted(ENDPOINTS)}, "
                                          f"kind one of {sorted(FAULT_KINDS)}"}, status_code=422)
        state.add_fault(endpoint, kind, str(body.get("value") or ""), int(body.get("times", 1)))
        return {"ok": True}

    @app.delete("/_sim/faults")
    def clear_faults():
        state.clear_faults()
        return {"ok": True}

    @app.post("/_sim/clock")
    def advance_clock(body: dict[str, Any] = Body(...)):  # noqa: B008
        state.advance(float(body.get("advance_seconds", 0)))
        return {"now": state.now()}

    @app.get("/_sim/calls")
    def calls():
        return [{"endpoint": endpoint, "body": body} for endpoint, body in state.calls()]

    return app
