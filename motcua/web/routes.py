"""Liveness (`/healthz`, also the baseline for benchmarks) and readiness (`/readyz`)."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from alembic.script import ScriptDirectory
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from motcua.core.db import read_only_scope

log = logging.getLogger("motcua")

router = APIRouter()

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"


@router.get("/healthz", tags=["hệ thống"], summary="Kiểm tra hoạt động")
def healthz() -> dict[str, str]:
    """Liveness: the process answers (no database work, so a busy database never gets a
    live server restarted)."""
    return {"status": "ok"}


@lru_cache(maxsize=1)
def migration_heads() -> frozenset[str]:
    """The head revision(s) of the migrations shipped with this code (read once)."""
    return frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())


def _database_revisions(request: Request) -> set[str]:
    with read_only_scope(request.app.state.sessionmaker) as session:
        return set(session.scalars(text("SELECT version_num FROM alembic_version")))


@router.get(
    "/readyz",
    tags=["hệ thống"],
    summary="Sẵn sàng phục vụ",
    description="200 khi cơ sở dữ liệu trả lời và cấu trúc đã cập nhật đến migration mới nhất; 503 nếu không.",
    responses={503: {"description": "Chưa sẵn sàng"}},
)
def readyz(request: Request) -> JSONResponse:
    try:
        revisions = _database_revisions(request)
    except SQLAlchemyError as exc:  # unreachable, or never migrated (no alembic_version)
        log.warning("not ready: database error %s", exc.__class__.__name__)
        return JSONResponse(
            {"status": "unavailable", "detail": "Không kết nối được cơ sở dữ liệu hoặc chưa khởi tạo (motcua db upgrade)."},
            status_code=503,
            headers={"Retry-After": "5"},
        )
    heads = migration_heads()
    if revisions != heads:
        return JSONResponse(
            {
                "status": "migrations_pending",
                "detail": "Cấu trúc cơ sở dữ liệu chưa cập nhật; chạy `motcua db upgrade`.",
                "database": sorted(revisions),
                "expected": sorted(heads),
            },
            status_code=503,
            headers={"Retry-After": "5"},
        )
    return JSONResponse({"status": "ok", "revision": sorted(heads)})
