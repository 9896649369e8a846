"""Fixtures (imported by the conftest of each test folder that needs them): the national login
simulator as a real HTTP server (uvicorn in a thread, a free port), its state in a temporary
SQLite file, reset before each test; and a browser's part of the login (the authorize page:
pick a test identity, follow the redirect) played over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from motcua.integrations.vneid.simulator import create_simulator
from tests.html_forms import _Forms
from tests.integrations.serving import serving

CLIENT_ID = "motcua-kiem-thu"
CLIENT_SECRET = "bi-mat-kiem-thu"
CITIZEN = "sim-cd-0001"  # seeded: Nguyễn Văn An, SoDinhDanh 020190000123, TechID VNEID-TECH-000001
CITIZEN_2 = "sim-cd-0002"  # seeded: Hoàng Thị Bình, SoDinhDanh 020185000456, SoCMND 082123456
BUSINESS = "sim-dn-0001"  # seeded: Công ty TNHH Thương mại Hữu Nghị, MaSoThue 4900123456


@dataclass
class VneidSimulator:
    url: str
    app: object

    def control(self, method: str, path: str, **kwargs) -> httpx.Response:
        response = httpx.request(method, f"{self.url}{path}", timeout=10, **kwargs)
        response.raise_for_status()
        return response

    def add_identity(self, **attributes) -> dict:
        return self.control("POST", "/_sim/identities", json=attributes).json()

    def fault(self, endpoint: str, kind: str, value: str = "", times: int = 1) -> None:
        self.control("POST", "/_sim/faults", json={"endpoint": endpoint, "kind": kind, "value": value,
                                                    "times": times})

    def advance(self, seconds: float) -> None:
        self.control("POST", "/_sim/clock", json={"advance_seconds": seconds})

    def calls(self, endpoint: str | None = None) -> list[dict]:
        return [c for c in self.control("GET", "/_sim/calls").json() if endpoint in (None, c["endpoint"])]

    def authorize(self, authorize_url: str, sub: str) -> str:
        """What the browser does at the national login: open the page, press «Đăng nhập» beside
        the identity `sub`; the callback URL it is sent back to (with `code` and `state`)."""
        assert authorize_url.startswith(f"{self.url}/oauth2/authorize?")
        page = httpx.get(authorize_url, timeout=10)
        assert page.status_code == 200, page.text
        parser = _Forms()
        parser.feed(page.text)
        form = next(f for f in parser.forms if ("sub", sub, "") in f["fields"])
        decision = httpx.post(authorize_url.split("?")[0], data=dict(
            [(name, value) for name, value, _ in form["fields"]] + [("action", "login")]), timeout=10)
        assert decision.status_code == 302, decision.text
        return decision.headers["location"]


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.fixture(scope="session")
def vneid_server(tmp_path_factory) -> Iterator[VneidSimulator]:
    app = create_simulator(tmp_path_factory.mktemp("vneid") / "sim.db", client_id=CLIENT_ID,
                           client_secret=CLIENT_SECRET)
    with serving(app) as url:
        yield VneidSimulator(url, app)


@pytest.fixture
def vneid(vneid_server: VneidSimulator) -> VneidSimulator:
    vneid_server.control("POST", "/_sim/reset")
    return vneid_server
