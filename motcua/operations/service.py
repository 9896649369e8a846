"""The integrations overview: every system's health check (integrations.status, network, in
worker threads) beside what the domains know of their exchanges with it (`PROVIDERS` of each
domain's `integration_status.py`, read in the caller's unit of work)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import is_province_admin
from motcua.core.errors import Forbidden
from motcua.domains import registry
from motcua.integrations.status import (
    HealthResult,
    IntegrationStatus,
    QueueStatus,
    health_checks,
    run_health_checks,
)

STATUS_MODULE = "integration_status"


@dataclass(frozen=True)
class SystemOverview:
    health: HealthResult
    queues: list[QueueStatus] = field(default_factory=list)


def ensure_operator(user: User | None) -> None:
    if not is_province_admin(user):
        raise Forbidden("Chỉ quản trị tỉnh được xem tình trạng kết nối các hệ thống.")


def status_providers() -> list[IntegrationStatus]:
    return [provider for module in registry.modules(STATUS_MODULE) for provider in module.PROVIDERS]


def overview(session: Session, user: User) -> list[SystemOverview]:
    """One entry per system with a health check, in system order; a domain's queue of a
    system without a check is shown too (its health then unknown: "not configured")."""
    ensure_operator(user)
    queues: dict[str, list[QueueStatus]] = {}
    for provider in status_providers():
        queues.setdefault(provider.system, []).append(provider.status(session))
    results = run_health_checks(health_checks())
    return [SystemOverview(result, queues.get(result.system, [])) for result in results]
