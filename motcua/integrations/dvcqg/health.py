"""The operations page's check of the national portal (found by convention: `CHECK`, see
integrations.status): a login through the adapter's session transport, which reads nothing."""

from __future__ import annotations

from motcua.integrations.dvcqg.config import DvcqgSettings
from motcua.integrations.dvcqg.portal import PortalError
from motcua.integrations.session_transport import Endpoint, check_login
from motcua.integrations.status import HealthCheck, Probe

HEALTH_TIMEOUT_SECONDS = 3.0


def probe() -> Probe:
    settings = DvcqgSettings()
    if not settings.password:
        return Probe(target=settings.adapter_url, configured=False, timeout_seconds=HEALTH_TIMEOUT_SECONDS)
    endpoint = Endpoint(
        system="Cổng Dịch vụ công quốc gia", url=settings.adapter_url, auth_endpoint=settings.auth_endpoint,
        username=settings.username, password=settings.password, timeout_seconds=HEALTH_TIMEOUT_SECONDS,
        connect_timeout_seconds=HEALTH_TIMEOUT_SECONDS, headers={"dstcode": settings.dstcode},
        credential_variables="MOTCUA_DVCQG_USERNAME, MOTCUA_DVCQG_PASSWORD",
    )
    return Probe(target=settings.adapter_url, configured=True, timeout_seconds=HEALTH_TIMEOUT_SECONDS,
                 run=lambda: check_login(endpoint, PortalError))


CHECK = HealthCheck(system="dvcqg", label="Cổng Dịch vụ công quốc gia (DVCQG)", probe=probe)
