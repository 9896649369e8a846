"""Fixtures (imported by the conftest of each test folder that needs them): the payment
platform simulator as a real HTTP server, its state in a temporary SQLite file, reset before
each test; adapter settings that reach it, also exported to the environment (`PAYMENT_URL`,
`MOTCUA_PAYMENT_HASH_KEY`) so the application's own adapter finds it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from motcua.integrations.payment.config import PaymentSettings
from motcua.integrations.payment.keypay import KeypayPlatform
from motcua.integrations.payment.simulator import create_simulator
from tests.integrations.serving import serving

HASH_KEY = "khoa-bi-mat-kiem-thu"
MERCHANT = "MOTCUA-KT"


@dataclass
class PaymentSimulator:
    url: str
    app: object

    def control(self, method: str, path: str, **kwargs) -> httpx.Response:
        response = httpx.request(method, f"{self.url}{path}", timeout=30, **kwargs)
        response.raise_for_status()
        return response

    def pay(self, transaction_id: str, *, deliver: bool = False) -> dict[str, Any]:
        return self.control("POST", f"/_sim/pay/{transaction_id}", json={"deliver": deliver}).json()

    def confirmation(self, transaction_id: str, *, tamper: str = "", deliver: bool = False) -> dict[str, Any]:
        return self.control("POST", f"/_sim/confirmations/{transaction_id}",
                            json={"tamper": tamper, "deliver": deliver}).json()

    def fault(self, operation: str, kind: str, value: str = "", times: int = 1) -> None:
        self.control("POST", "/_sim/faults", json={"operation": operation, "kind": kind, "value": value,
                                                    "times": times})

    def transactions(self) -> list[dict[str, Any]]:
        return self.control("GET", "/_sim/transactions").json()

    def calls(self) -> list[dict[str, Any]]:
        return self.control("GET", "/_sim/calls").json()

    def callbacks(self) -> list[dict[str, Any]]:
        return self.control("GET", "/_sim/callbacks").json()


@pytest.fixture(scope="session")
def payment_simulator_server(tmp_path_factory) -> Iterator[PaymentSimulator]:
    app = create_simulator(tmp_path_factory.mktemp("payment") / "sim.db", hash_key=HASH_KEY, merchant_code=MERCHANT,
                           callback_url="http://127.0.0.1:9/unset")
    with serving(app) as url:
        yield PaymentSimulator(url, app)


@pytest.fixture
def payment_simulator(payment_simulator_server: PaymentSimulator) -> PaymentSimulator:
    payment_simulator_server.control("POST", "/_sim/reset")
    return payment_simulator_server


@pytest.fixture
def payment_settings(payment_simulator: PaymentSimulator, monkeypatch) -> PaymentSettings:
    monkeypatch.setenv("PAYMENT_URL", payment_simulator.url)
    monkeypatch.setenv("MOTCUA_PAYMENT_HASH_KEY", HASH_KEY)
    monkeypatch.setenv("MOTCUA_PAYMENT_MERCHANT_CODE", MERCHANT)
    monkeypatch.setenv("MOTCUA_PAYMENT_TIMEOUT_SECONDS", "3")
    return PaymentSettings()


@pytest.fixture
def platform(payment_settings) -> Iterator[KeypayPlatform]:
    with KeypayPlatform(payment_settings) as adapter:
        yield adapter
