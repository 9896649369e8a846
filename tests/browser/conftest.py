"""Browser tests: the real app served by uvicorn in a thread, driven by Debian's chromium.

Never downloads a browser: Playwright launches /usr/bin/chromium. Without chromium the
tests are skipped, except under CI=true where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.databases import fresh_url

# One national login simulator for every browser test (defined here, not imported by each
# module, which would start one per module): the live app makes its national login client
# once, at the first citizen login, with the simulator's URL of that moment.
from tests.integrations.vneid.fixtures import vneid, vneid_server  # noqa: F401  (fixtures)
from tests.needs import missing
from tests.pg_harness import free_port

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass(frozen=True)
class LiveSite:
    base: str  # the app's base URL
    url: str  # its database (tests prepare dossiers through the API, read it back here)


@pytest.fixture(scope="session")
def live_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("live")


@pytest.fixture(scope="session")
def live_database_url(live_root) -> str:
    """The live server's database (a test may prepare data in it, or run worker jobs on it)."""
    return fresh_url("sqlite", "demo", live_root, "live")


@pytest.fixture(scope="session")
def live_server(live_site: LiveSite) -> str:
    """Base URL of the app on a migrated, seeded (incl. demo data) SQLite database."""
    return live_site.base


@pytest.fixture(scope="session")
def live_site(live_root, live_database_url) -> Iterator[LiveSite]:
    """The app served on a migrated, seeded (incl. demo data) SQLite database, one per
    test process: every browser test shares it."""
    import uvicorn

    from motcua.app import create_app
    from motcua.core.config import Settings
    from motcua.core.db import make_engine

    root, url = live_root, live_database_url
    engine = make_engine(url)
    port = free_port()
    settings = Settings(
        database_url=url,
        secret_key="browser-test-secret-key-0123456789abcdef",
        storage_dir=root / "files",
        public_base_url=f"http://127.0.0.1:{port}",
    )
    app = create_app(settings, engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        raise RuntimeError("live server did not start")
    yield LiveSite(base, url)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
