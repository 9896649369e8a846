"""A real SMTP server (aiosmtpd) on a free port of this machine, started and stopped by the test."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from motcua.core.config import get_settings

REFUSED_DOMAIN = "@khong-ton-tai.example"  # recipients the server refuses for good (550)


class Mailbox:
    """aiosmtpd handler: keeps every message it accepted, refuses REFUSED_DOMAIN recipients."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith(REFUSED_DOMAIN):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.mailbox = Mailbox()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        return self.mailbox.messages

    def start(self) -> None:
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_env(smtp_server, monkeypatch) -> Iterator[SmtpServer]:
    """`motcua worker` configured through the environment to send through `smtp_server`."""
    monkeypatch.setenv("MOTCUA_SMTP_URL", smtp_server.url)
    get_settings.cache_clear()
    try:
        yield smtp_server
    finally:
        get_settings.cache_clear()
