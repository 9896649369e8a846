"""The operations page's check of the SMS gateway (found by convention: `CHECK`)."""

from __future__ import annotations

from motcua.integrations.sms.adapter import HttpSmsGateway
from motcua.integrations.sms.config import SmsSettings
from motcua.integrations.status import HealthCheck, Probe


def probe() -> Probe:
    settings = SmsSettings()
    if not settings.configured:
        return Probe(target="(chưa đặt SMS_URL)", configured=False, timeout_seconds=settings.health_timeout_seconds)
    return Probe(target=settings.url, configured=True, timeout_seconds=settings.health_timeout_seconds,
                 run=HttpSmsGateway(settings).check)


CHECK = HealthCheck(system="sms", label="Cổng tin nhắn SMS (thông báo cho người nộp hồ sơ)", probe=probe)
