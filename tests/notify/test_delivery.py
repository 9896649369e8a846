"""An applicant's notice written while the mail server is down and the SMS gateway fails is
delivered exactly once on each channel after they return: a real SMTP server (aiosmtpd) and
the SMS simulator, both served on this machine, and the outbox's sender."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select

from motcua.core.clock import frozen
from motcua.integrations.sms.adapter import HttpSmsGateway
from motcua.integrations.sms.config import SmsSettings
from motcua.integrations.sms.simulator import create_simulator
from motcua.notify import service as outbox
from motcua.notify.channels import SmtpChannel, TextChannel, message_id
from motcua.notify.integration_status import PROVIDERS
from motcua.notify.models import MessageStatus, OutboxMessage
from tests.dossiers.world import build_world, local, receive
from tests.integrations.serving import serving
from tests.notify.conftest import SmtpServer

SENDER = "Hệ thống một cửa <motcua@tinh.example>"


def _rows(db) -> dict[str, OutboxMessage]:
    db.expire_all()
    return {m.channel: m for m in db.scalars(select(OutboxMessage))}


def _pass(factory, channels, at) -> tuple[int, int, int]:
    with frozen(at):
        report = outbox.send_due(factory, channels)
    return report.sent, report.retrying, report.failed


def test_a_notice_written_while_the_servers_fail_is_delivered_once_after_they_return(db, session_factory, tmp_path):
    smtp = SmtpServer()  # not started yet: the port refuses connections
    with serving(create_simulator(tmp_path / "sms.db")) as sms_url:
        httpx.post(f"{sms_url}/_sim/faults", json={"kind": "http", "value": "503", "times": 2})
        channels = {"email": SmtpChannel(smtp.url, SENDER),
                    "sms": TextChannel(HttpSmsGateway(SmsSettings(url=sms_url)))}
        world = build_world(db)
        at = local(2027, 3, 2, 9, 0)
        with frozen(at):
            dossier = receive(db, world)
        db.commit()  # the receipt and its notices, one per channel

        assert _pass(session_factory, channels, at) == (0, 2, 0)
        rows = _rows(db)
        assert (rows["email"].status, rows["email"].attempts) == (MessageStatus.PENDING, 1)
        assert rows["email"].last_error.startswith("không kết nối được máy chủ thư 127.0.0.1:")
        assert (rows["sms"].status, rows["sms"].attempts) == (MessageStatus.PENDING, 1)
        assert rows["sms"].last_error.startswith("TextGatewayError: cổng SMS trả lỗi HTTP 503")
        [queue] = [p.status(db) for p in PROVIDERS]  # what the operations page shows of the SMS
        assert (queue.system, queue.pending, queue.oldest_unsent_at) == ("sms", 1, at)
        assert queue.last_error == rows["sms"].last_error
        assert _pass(session_factory, channels, at + timedelta(seconds=30)) == (0, 0, 0)  # waiting: not tried
        assert _pass(session_factory, channels, at + timedelta(minutes=1)) == (0, 2, 0)  # still failing

        smtp.start()
        try:
            assert _pass(session_factory, channels, at + timedelta(minutes=3)) == (2, 0, 0)
            for minutes in (4, 60, 24 * 60):
                assert _pass(session_factory, channels, at + timedelta(minutes=minutes)) == (0, 0, 0)
            [mail] = smtp.messages
        finally:
            smtp.stop()
        texts = httpx.get(f"{sms_url}/_sim/messages").json()
        calls = httpx.get(f"{sms_url}/_sim/calls").json()

    rows = _rows(db)
    assert {(c, r.status, r.attempts, r.sent_at) for c, r in rows.items()} == {
        ("email", MessageStatus.SENT, 3, at + timedelta(minutes=3)),
        ("sms", MessageStatus.SENT, 3, at + timedelta(minutes=3))}
    assert mail["To"] == "Nguyễn Văn An <an@example.vn>"
    assert mail["Subject"] == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert mail["Message-ID"] == message_id(f"applicant:{dossier.id}:1:email", "tinh.example")
    assert "Ngày hẹn trả kết quả: 09/03/2027 lúc 17:00\n" in mail.get_content()
    assert [(t["to"], t["reference"]) for t in texts] == [("84912345678", f"applicant:{dossier.id}:1:sms")]
    assert texts[0]["text"].startswith(f"Hồ sơ {dossier.code} đã được tiếp nhận, hẹn trả kết quả ngày 09/03/2027.")
    assert len(calls) == 3  # two refused by the injected faults, one accepted


def test_a_dead_mail_server_does_not_hold_back_the_sms(db, session_factory, tmp_path):
    smtp = SmtpServer()  # never started
    with serving(create_simulator(tmp_path / "sms.db")) as sms_url:
        channels = {"email": SmtpChannel(smtp.url, SENDER),
                    "sms": TextChannel(HttpSmsGateway(SmsSettings(url=sms_url)))}
        world = build_world(db)
        at = local(2027, 3, 2, 9, 0)
        with frozen(at):
            for _ in range(3):
                receive(db, world)
        db.commit()
        # The first e-mail meets the dead server; the other two are not tried; the SMS all leave.
        assert _pass(session_factory, channels, at) == (3, 3, 0)
        assert len(httpx.get(f"{sms_url}/_sim/messages").json()) == 3
    rows = db.scalars(select(OutboxMessage).where(OutboxMessage.channel == "email")).all()
    assert {(r.status, r.attempts) for r in rows} == {(MessageStatus.PENDING, 1)}
