"""Channels deliver one outbox message each: e-mail (SMTP or a folder of .eml files) and SMS
(an SMS gateway, integrations.sms, or a folder of .txt files); a Zalo official account would
be one more class over a gateway of the same `TextGateway` interface.

A channel raises on failure: `PermanentFailure` when retrying cannot help (the server
refused the recipient or the message for good, 5xx), `ChannelDown` when the channel could
not be reached at all (the sender then stops its batch: one dead server costs one timeout
per run, not one per message), anything else for a failure worth retrying.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from motcua.core.clock import to_local
from motcua.core.config import Settings
from motcua.integrations.sms.adapter import HttpSmsGateway
from motcua.integrations.sms.config import SmsSettings
from motcua.integrations.sms.interface import (
    TextGateway,
    TextGatewayDown,
    TextMessage,
    TextRejected,
)
from motcua.notify.models import ChannelKind

# Namespace of the Message-ID header: the same outbox message always gets the same id, so
# a receiving server (or the reader's mail program) can drop a repeated delivery.
MESSAGE_ID_NAMESPACE = uuid.UUID("6d6f7463-7561-4e6f-b469-667900000001")

# Seconds an SMTP conversation may stall before the attempt counts as failed; far below the
# sender's lease (service.SEND_LEASE), so a slow server never lets a second sender in.
SMTP_TIMEOUT = 30


@dataclass(frozen=True)
class Outgoing:
    """A claimed message, detached from any session: it is sent outside every transaction."""

    key: str
    channel: str
    recipient: str
    recipient_name: str
    subject: str
    body: str
    created_at: datetime
    attempts: int  # this attempt's number (1 for the first)


class PermanentFailure(Exception):
    """The channel refused the message for good; the sender marks it failed at once."""


class ChannelDown(Exception):
    """The channel cannot be reached; the rest of the batch waits for the next attempt."""


class Channel(Protocol):
    def send(self, message: Outgoing) -> None:
        """Deliver `message` or raise; returning means the channel accepted it."""


def message_id(key: str, domain: str) -> str:
    return f"<{uuid.uuid5(MESSAGE_ID_NAMESPACE, key).hex}@{domain}>"


def email_message(message: Outgoing, sender: str) -> EmailMessage:
    """The message as an RFC 5322 e-mail (UTF-8 text; headers encoded where needed)."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "motcua.invalid"
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = formataddr((message.recipient_name, message.recipient)) if message.recipient_name else message.recipient
    mail["Subject"] = message.subject
    mail["Date"] = format_datetime(to_local(message.created_at))
    mail["Message-ID"] = message_id(message.key, domain)
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to the system
    mail.set_content(message.body)
    return mail


@dataclass(frozen=True)
class SmtpChannel:
    """E-mail through an SMTP server: one connection per message, TLS as the URL says."""

    url: str
    sender: str
    timeout: float = SMTP_TIMEOUT

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in {"smtp", "smtps", "smtp+starttls"} or not parts.hostname:
            raise ValueError("MOTCUA_SMTP_URL: dùng dạng smtp://máy:cổng, smtps://… hoặc smtp+starttls://…")

    def send(self, message: Outgoing) -> None:
        parts = urlsplit(self.url)
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
        mail = email_message(message, self.sender)
        try:
            if parts.scheme == "smtps":
                client = smtplib.SMTP_SSL(parts.hostname, port, timeout=self.timeout,
                                          context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(parts.hostname, port, timeout=self.timeout)
        except OSError as exc:  # refused, unreachable, timed out, TLS handshake
            raise ChannelDown(f"không kết nối được máy chủ thư {parts.hostname}:{port}: {exc}") from exc
        try:
            with client:
                if parts.scheme == "smtp+starttls":
                    client.starttls(context=ssl.create_default_context())
                if parts.username:
                    client.login(unquote(parts.username), unquote(parts.password or ""))
                client.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(f"máy chủ thư từ chối người nhận: {exc.recipients}") from exc
            raise
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code >= 500 and not isinstance(exc, smtplib.SMTPAuthenticationError):
                raise PermanentFailure(f"máy chủ thư từ chối: {exc.smtp_code} {exc.smtp_error!r}") from exc
            raise


@dataclass(frozen=True)
class _Folder:
    """A message as one file, named by its creation time and key (a repeat rewrites it),
    appearing whole or not at all (written aside, then renamed)."""

    folder: Path
    suffix = ".eml"

    def path_for(self, message: Outgoing) -> Path:
        stamp = to_local(message.created_at).strftime("%Y%m%d-%H%M%S")
        return self.folder / f"{stamp}-{uuid.uuid5(MESSAGE_ID_NAMESPACE, message.key).hex}{self.suffix}"

    def content(self, message: Outgoing) -> bytes:
        raise NotImplementedError

    def send(self, message: Outgoing) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.path_for(message)
        fd, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(self.content(message))
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


@dataclass(frozen=True)
class FolderChannel(_Folder):
    """Without an SMTP server: each message becomes a .eml file an administrator can open."""

    folder: Path
    sender: str

    def content(self, message: Outgoing) -> bytes:
        return email_message(message, self.sender).as_bytes()


@dataclass(frozen=True)
class SmsFolderChannel(_Folder):
    """Without an SMS gateway (SMS_URL unset): each text message becomes a .txt file
    (first line the number, then the text, UTF-8) in the `sms` folder beside the e-mails."""

    folder: Path
    suffix = ".txt"

    def content(self, message: Outgoing) -> bytes:
        return f"{message.recipient}\n{message.body}\n".encode()


@dataclass(frozen=True)
class TextChannel:
    """Text messages through a gateway (SMS today): the outbox key is the gateway's reference,
    so a gateway that keeps references drops a repeated delivery."""

    gateway: TextGateway

    def send(self, message: Outgoing) -> None:
        try:
            self.gateway.send(TextMessage(recipient=message.recipient, text=message.body, reference=message.key))
        except TextRejected as exc:
            raise PermanentFailure(exc.message) from exc
        except TextGatewayDown as exc:
            raise ChannelDown(exc.message) from exc


def channel_for(settings: Settings) -> Channel:
    """The e-mail channel the settings give: SMTP when MOTCUA_SMTP_URL is set, else the folder."""
    if settings.smtp_url:
        return SmtpChannel(settings.smtp_url, settings.smtp_from)
    return FolderChannel(Path(settings.outbox_dir), settings.smtp_from)


def sms_channel_for(settings: Settings, sms: SmsSettings) -> Channel:
    """The SMS gateway when SMS_URL is set, else the folder `<outbox>/sms`."""
    if sms.configured:
        return TextChannel(HttpSmsGateway(sms))
    return SmsFolderChannel(Path(settings.outbox_dir) / "sms")


def channels_for(settings: Settings, sms: SmsSettings | None = None) -> dict[str, Channel]:
    """Every channel the sender delivers through, by `ChannelKind`."""
    return {ChannelKind.EMAIL: channel_for(settings),
            ChannelKind.SMS: sms_channel_for(settings, sms or SmsSettings())}
