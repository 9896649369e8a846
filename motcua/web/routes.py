"""Health check (the baseline for benchmarks)."""

from fastapi import APIRouter

router = APIRouter()


@router.get("/healthz", tags=["hệ thống"], summary="Kiểm tra hoạt động")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
