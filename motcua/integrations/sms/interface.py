"""What a text-message gateway offers the application: send one message to one recipient.

The SMS gateway implements it (adapter.HttpSmsGateway); a Zalo official-account (ZNS)
gateway can implement the same Protocol later — its recipient is also a phone number and
its message a short text — and be plugged in as another outbox channel, nothing else
changing. Errors say in Vietnamese what went wrong and whether a retry can help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from motcua.core.errors import DomainError


@dataclass(frozen=True)
class TextMessage:
    recipient: str  # phone number, international form without "+" (84912345678)
    text: str  # Vietnamese with its diacritics (sent as Unicode, never stripped)
    reference: str  # the sender's idempotency key: the gateway sends one message per reference


@dataclass(frozen=True)
class TextReceipt:
    message_id: str  # the gateway's id of the accepted message
    duplicate: bool = False  # the gateway had already accepted this reference


class TextGatewayError(DomainError):
    """A failure worth retrying later (a 5xx, an unreadable answer)."""


class TextRejected(TextGatewayError):
    """The gateway refused this message for good (bad number, empty text): do not retry."""


class TextGatewayDown(TextGatewayError):
    """The gateway could not be reached (refused, timed out): the rest of the batch waits too."""


class TextGateway(Protocol):
    def send(self, message: TextMessage) -> TextReceipt:
        """Hand `message` to the gateway; returning means it was accepted."""
