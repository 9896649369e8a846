"""create_app(): routers, middleware, templates, error handlers."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

import motcua.models  # noqa: F401  (every domain's tables on one registry)
from motcua.auth.deps import install_auth
from motcua.core.config import Settings, get_settings
from motcua.core.db import make_engine, make_sessionmaker
from motcua.core.throttle import MemoryCounters
from motcua.domains import registry
from motcua.web.errors import install_error_handlers
from motcua.web.input_guard import refuse_control_characters
from motcua.web.security import SecurityHeadersMiddleware

API_DESCRIPTION = """
API của hệ thống thông tin giải quyết thủ tục hành chính (motcua).

Xác thực: `Authorization: Bearer <token>` (lấy bằng `motcua token --username U`).
Lỗi trả về dạng `application/problem+json` với thông báo tiếng Việt.
"""


def create_app(settings: Settings | None = None, *, engine=None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="motcua — Hệ thống giải quyết thủ tục hành chính",
        version="0.1.0",
        description=API_DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        # One rule for control characters in every request (web/input_guard.py).
        dependencies=[Depends(refuse_control_characters)],
    )
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings.database_url, echo=settings.sql_echo)
    app.state.sessionmaker = make_sessionmaker(app.state.engine)
    app.state.lookup_counters = MemoryCounters()  # public lookup limit on SQLite (web.ratelimit)

    install_auth(app)  # request.state.user; must run inside SessionMiddleware
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="motcua_session",
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.session_https_only,
    )
    install_error_handlers(app)
    # Outermost: every response gets the headers, error pages and static files included.
    app.add_middleware(SecurityHeadersMiddleware, https_only=settings.session_https_only)

    static_dir = Path(__file__).resolve().parent / "web" / "static"
    app.mount("/static", StaticFiles(directory=static_dir), name="static")
    assets_dir = Path("var") / "assets"
    assets_dir.mkdir(parents=True, exist_ok=True)
    app.mount("/assets", StaticFiles(directory=assets_dir), name="assets")

    # Each domain's `routes.py` and `api.py` (motcua.domains); a broken one stops here.
    for router in registry.routers():
        app.include_router(router)
    return app
