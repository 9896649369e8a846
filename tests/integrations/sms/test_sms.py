"""The SMS gateway adapter against its simulator, served for real (uvicorn in a thread)."""

from __future__ import annotations

import httpx
import pytest

from motcua.integrations.sms import health
from motcua.integrations.sms.adapter import HttpSmsGateway
from motcua.integrations.sms.config import SmsSettings
from motcua.integrations.sms.interface import (
    TextGatewayDown,
    TextGatewayError,
    TextMessage,
    TextRejected,
)
from motcua.integrations.sms.simulator import create_simulator
from motcua.integrations.status import Health, run_health_checks
from tests.integrations.serving import serving
from tests.pg_harness import free_port

TEXT = "Hồ sơ H37.21-261202-0001 đã được tiếp nhận, hẹn trả kết quả ngày 09/12/2026."


@pytest.fixture
def sms(tmp_path):
    with serving(create_simulator(tmp_path / "sms.db", username="motcua", password="bi-mat")) as url:
        yield url


def gateway(url: str, **extra) -> HttpSmsGateway:
    return HttpSmsGateway(SmsSettings(url=url, username="motcua", password="bi-mat", **extra))


def test_a_message_is_sent_in_unicode_and_once_per_reference(sms):
    first = gateway(sms).send(TextMessage("84912345678", TEXT, "applicant:x:1:sms"))
    again = gateway(sms).send(TextMessage("84912345678", TEXT, "applicant:x:1:sms"))
    assert (again.message_id, first.duplicate, again.duplicate) == (first.message_id, False, True)
    assert httpx.get(f"{sms}/_sim/messages").json() == [{
        "message_id": first.message_id, "reference": "applicant:x:1:sms", "to": "84912345678", "text": TEXT,
        "sender": "MOTCUA"}]


def test_refusals_failures_and_outages_are_told_apart(sms, tmp_path):
    with pytest.raises(TextRejected, match="HTTP 400"):
        gateway(sms).send(TextMessage("0912", TEXT, "r1"))
    httpx.post(f"{sms}/_sim/faults", json={"kind": "http", "value": "503", "times": 1})
    with pytest.raises(TextGatewayError, match="HTTP 503") as failed:
        gateway(sms).send(TextMessage("84912345678", TEXT, "r2"))
    assert not isinstance(failed.value, (TextRejected, TextGatewayDown))
    with pytest.raises(TextGatewayError, match="HTTP 401") as wrong:
        HttpSmsGateway(SmsSettings(url=sms, username="motcua", password="sai")).send(
            TextMessage("84912345678", TEXT, "r3"))
    assert not isinstance(wrong.value, TextRejected)  # fixed in the settings, then retried
    httpx.post(f"{sms}/_sim/faults", json={"kind": "delay", "value": "1.5", "times": 1})
    with pytest.raises(TextGatewayDown, match="không kết nối được cổng SMS"):
        gateway(sms, timeout_seconds=0.5).send(TextMessage("84912345678", TEXT, "r4"))
    with pytest.raises(TextGatewayDown):
        gateway(f"http://127.0.0.1:{free_port()}").send(TextMessage("84912345678", TEXT, "r5"))
    assert httpx.get(f"{sms}/_sim/messages").json() == []
    assert httpx.post(f"{sms}/_sim/faults", json={"kind": "nổ", "value": "1"}).status_code == 422


def test_the_operations_page_checks_the_gateway(sms, monkeypatch):
    monkeypatch.delenv("SMS_URL", raising=False)
    assert [(r.system, r.health) for r in run_health_checks([health.CHECK])] == [("sms", Health.not_configured)]
    monkeypatch.setenv("SMS_URL", sms)
    monkeypatch.setenv("SMS_USERNAME", "motcua")
    monkeypatch.setenv("SMS_PASSWORD", "bi-mat")
    [result] = run_health_checks([health.CHECK])
    assert (result.system, result.health, result.target) == ("sms", Health.up, sms)
