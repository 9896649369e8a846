"""The operations page's check of LGSP (found by convention: `CHECK`, see integrations.status)."""

from __future__ import annotations

from motcua.integrations.lgsp.config import LgspSettings
from motcua.integrations.lgsp.population import PopulationError
from motcua.integrations.session_transport import check_login
from motcua.integrations.status import HealthCheck, Probe


def probe() -> Probe:
    settings = LgspSettings()
    if not settings.configured:
        return Probe(target=settings.url, configured=False, timeout_seconds=settings.health_timeout_seconds)
    endpoint = settings.endpoint(timeout=settings.health_timeout_seconds)
    return Probe(target=settings.url, configured=True, timeout_seconds=settings.health_timeout_seconds,
                 run=lambda: check_login(endpoint, PopulationError))


CHECK = HealthCheck(system="lgsp", label="LGSP — Cơ sở dữ liệu quốc gia về dân cư", probe=probe)
