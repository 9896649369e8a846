"""Fixtures (imported by the conftest of each test folder that needs them): the DVCQG simulator as a real HTTP server (uvicorn in a thread, a free port), its state
in a temporary SQLite file, reset before each test; an adapter configured to reach it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from motcua.integrations.dvcqg.config import DvcqgSettings
from motcua.integrations.dvcqg.legacy import LegacyPortal
from motcua.integrations.dvcqg.simulator import create_simulator
from tests.integrations.serving import serving

PASSWORD = "mat-khau-kiem-thu"


@dataclass
class Simulator:
    url: str
    app: object

    def control(self, method: str, path: str, **kwargs) -> httpx.Response:
        response = httpx.request(method, f"{self.url}{path}", timeout=10, **kwargs)
        response.raise_for_status()
        return response

    def fault(self, service: str, kind: str, value: str = "", times: int = 1) -> None:
        self.control("POST", "/_sim/faults", json={"service": service, "kind": kind, "value": value,
                                                    "times": times})

    def calls(self) -> list[dict]:
        return self.control("GET", "/_sim/calls").json()

    def put(self, record: dict) -> None:
        self.control("PUT", f"/_sim/procedures/{record['code']}", json=record)

    def abolish(self, code: str) -> None:
        self.control("DELETE", f"/_sim/procedures/{code}")

    def submit(self, record: dict) -> str:
        """A citizen's online submission; its MaHoSo."""
        return self.control("POST", "/_sim/dossiers", json=record).json()["MaHoSo"]

    def supplement(self, code: str, record: dict) -> str:
        return self.control("POST", f"/_sim/dossiers/{code}/supplements", json=record).json()["HoSoBoSungId"]

    def held(self, code: str) -> dict:
        """What the portal holds for a dossier: TrangThaiHoSo, NgayHenTra, record, progress …"""
        return self.control("GET", f"/_sim/dossiers/{code}").json()

    def record(self, code: str) -> dict:
        found = self.app.state.simulator.procedure(code)
        assert found is not None
        return found[0]


@pytest.fixture(scope="session")
def simulator_server(tmp_path_factory) -> Iterator[Simulator]:
    app = create_simulator(tmp_path_factory.mktemp("dvcqg") / "sim.db", password=PASSWORD, session_ttl=600)
    with serving(app) as url:
        yield Simulator(url, app)


@pytest.fixture
def simulator(simulator_server: Simulator) -> Simulator:
    simulator_server.control("POST", "/_sim/reset")
    return simulator_server


@pytest.fixture
def portal_settings(simulator: Simulator) -> DvcqgSettings:
    return DvcqgSettings(adapter_url=simulator.url, password=PASSWORD, timeout_seconds=2.0,
                         connect_timeout_seconds=2.0)


@pytest.fixture
def portal(portal_settings) -> Iterator[LegacyPortal]:
    with LegacyPortal(portal_settings) as adapter:
        yield adapter
