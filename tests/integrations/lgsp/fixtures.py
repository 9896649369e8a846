"""Fixtures (imported by the conftest of each test folder that needs them): the LGSP simulator
as a real HTTP server (uvicorn in a thread, a free port), its state in a temporary SQLite file,
reset before each test; settings and an adapter that reach it; `lgsp_env` points the
application (which reads LGSP_* from the environment) at it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from motcua.integrations.lgsp.adapter import LgspPopulation
from motcua.integrations.lgsp.config import LgspSettings
from motcua.integrations.lgsp.simulator import create_simulator
from motcua.population.client import close_adapters
from tests.integrations.serving import serving

PASSWORD = "mat-khau-lgsp-kiem-thu"
TIMEOUT = 2.0


@dataclass
class LgspSimulator:
    url: str

    def control(self, method: str, path: str, **kwargs) -> httpx.Response:
        response = httpx.request(method, f"{self.url}{path}", timeout=10, **kwargs)
        response.raise_for_status()
        return response

    def fault(self, kind: str, value: str = "", *, service: str = "*", times: int = 1) -> None:
        self.control("POST", "/_sim/faults", json={"service": service, "kind": kind, "value": value, "times": times})

    def calls(self, service: str | None = None) -> list[dict]:
        calls = self.control("GET", "/_sim/calls").json()
        return [c for c in calls if service is None or c["service"] == service]

    def lookups(self) -> list[dict]:
        return [c["body"] for c in self.calls(LgspSettings().population_service)]


@pytest.fixture(scope="session")
def lgsp_server(tmp_path_factory) -> Iterator[LgspSimulator]:
    app = create_simulator(tmp_path_factory.mktemp("lgsp") / "sim.db", password=PASSWORD, session_ttl=600)
    with serving(app) as url:
        yield LgspSimulator(url)


@pytest.fixture
def lgsp(lgsp_server: LgspSimulator) -> LgspSimulator:
    lgsp_server.control("POST", "/_sim/reset")
    return lgsp_server


@pytest.fixture
def lgsp_settings(lgsp: LgspSimulator) -> LgspSettings:
    return LgspSettings(url=lgsp.url, password=PASSWORD, timeout_seconds=TIMEOUT, connect_timeout_seconds=TIMEOUT,
                        health_timeout_seconds=TIMEOUT, cooldown_seconds=0)


@pytest.fixture
def population(lgsp_settings) -> Iterator[LgspPopulation]:
    with LgspPopulation(lgsp_settings) as adapter:
        yield adapter


@pytest.fixture
def lgsp_env(lgsp: LgspSimulator, monkeypatch) -> Iterator[LgspSimulator]:
    """The application's LGSP_* environment pointing at the simulator (short timeouts); the
    application's adapters start afresh (the reset simulator forgot their sessions)."""
    close_adapters()
    monkeypatch.setenv("LGSP_URL", lgsp.url)
    monkeypatch.setenv("LGSP_PASSWORD", PASSWORD)
    monkeypatch.setenv("LGSP_TIMEOUT_SECONDS", str(TIMEOUT))
    monkeypatch.setenv("LGSP_CONNECT_TIMEOUT_SECONDS", str(TIMEOUT))
    monkeypatch.setenv("LGSP_HEALTH_TIMEOUT_SECONDS", str(TIMEOUT))
    monkeypatch.setenv("LGSP_COOLDOWN_SECONDS", "0")
    yield lgsp
    close_adapters()
