"""Settings read from the environment: the public address printed in QR codes."""

from __future__ import annotations

import pytest

from motcua.core.config import Settings

SECRET = "config-test-secret-key-0123456789abcdef"


@pytest.fixture
def env(monkeypatch):
    for name in ("HOST", "PORT", "PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def settings() -> Settings:
    return Settings(_env_file=None, secret_key=SECRET)


def test_public_base_url_defaults_to_the_served_address(env):
    assert settings().public_base_url == "http://127.0.0.1:8000"


def test_public_base_url_follows_port_and_host(env):
    env.setenv("PORT", "8123")
    assert settings().public_base_url == "http://127.0.0.1:8123"
    env.setenv("HOST", "192.168.1.20")
    assert settings().public_base_url == "http://192.168.1.20:8123"


@pytest.mark.parametrize(("host", "url"), [
    ("0.0.0.0", "http://127.0.0.1:8080"),  # a wildcard listens on the loopback too
    ("::", "http://[::1]:8080"),
    ("fe80::1", "http://[fe80::1]:8080"),
])
def test_public_base_url_of_wildcard_and_ipv6_hosts(env, host, url):
    env.setenv("HOST", host)
    env.setenv("PORT", "8080")
    assert settings().public_base_url == url


def test_a_set_public_base_url_wins_over_the_port(env):
    env.setenv("PORT", "8123")
    env.setenv("PUBLIC_BASE_URL", "https://dichvucong.langson.gov.vn")
    assert settings().public_base_url == "https://dichvucong.langson.gov.vn"
