"""The outbox delivers each message once: through a real SMTP server, or into a folder."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from motcua.core.clock import frozen, to_local
from motcua.core.config import Settings
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.dossiers.models import Notification
from motcua.dossiers.service.alerts import run_overdue_alerts
from motcua.jobs.worker import run_due_jobs
from motcua.notify import service as outbox
from motcua.notify.channels import FolderChannel, SmtpChannel, channel_for, message_id
from motcua.notify.models import MessageStatus, OutboxMessage
from tests.conftest import BACKENDS
from tests.databases import fresh_url
from tests.dossiers.world import build_world, local, receive
from tests.notify.conftest import REFUSED_DOMAIN, SmtpServer

SENDER = "Hệ thống một cửa <motcua@tinh.example>"


def _message(db, key: str) -> OutboxMessage:
    db.expire_all()
    return db.get(OutboxMessage, key)


def _queue(db, key: str, recipient: str = "canbo@tinh.example", *, at) -> None:
    with frozen(at):
        assert outbox.enqueue(db, key=key, kind="test", recipient=recipient, recipient_name="Trần Văn Chuyên",
                              subject="Hồ sơ H99-270302-0001 sắp đến hạn trả kết quả",
                              body="Kính gửi anh Chuyên,\n\nHồ sơ sắp đến hạn.\n")
    db.commit()


def _without_applicant_notices(db) -> None:
    """This test is about the alerts: the applicant's notices of the receipts (notices domain) go."""
    db.execute(delete(OutboxMessage).where(OutboxMessage.key.like("applicant:%")))
    db.commit()


def test_an_overdue_alert_reaches_the_smtp_server_once_even_after_it_was_down(db, session_factory, smtp_env):
    world = build_world(db)
    world.head.email = "lanhdao@tinh.example"
    with frozen(local(2027, 3, 2, 9, 0)):
        first = receive(db, world)  # due 09/03/2027 17:00
    with frozen(local(2027, 3, 4, 9, 0)):
        second = receive(db, world)
    db.commit()
    _without_applicant_notices(db)
    assert first.due_at == local(2027, 3, 9, 17, 0)

    # `motcua worker --once`: the alert and its e-mail go out in one run.
    with frozen(local(2027, 3, 8, 9, 0)):
        outcome = run_due_jobs(session_factory, elapsed=0)
        again = run_due_jobs(session_factory, elapsed=0)
    assert outcome["alert-overdue"] == "cảnh báo 1 hồ sơ sắp đến hạn/quá hạn"
    assert outcome["notify-send"] == "gửi 1 thông báo, 0 chờ gửi lại, 0 không gửi được"
    assert again["notify-send"] == "gửi 0 thông báo, 0 chờ gửi lại, 0 không gửi được"
    [mail] = smtp_env.messages
    note = db.scalars(select(Notification).where(Notification.dossier_id == first.id)).one()
    assert note.sent_at == local(2027, 3, 8, 9, 0)
    assert mail["To"] == "Phạm Thị Lãnh Đạo <lanhdao@tinh.example>"
    assert mail["Subject"] == f"Hồ sơ {first.code} sắp đến hạn trả kết quả (09/03/2027 17:00)"
    assert mail["Message-ID"] == message_id(f"notification:{note.id}", "localhost")  # the default sender's domain
    body = mail.get_content()
    assert f"Mã hồ sơ: {first.code}\nThủ tục: {first.procedure_name}\nHạn trả kết quả: 09/03/2027 17:00\n" in body
    assert body.startswith("Kính gửi Phạm Thị Lãnh Đạo,\n\n" + note.message)

    # The server goes down; the second dossier's alert waits in the outbox.
    smtp_env.stop()
    alert_at = second.due_at - timedelta(days=1)
    with frozen(alert_at):
        assert run_overdue_alerts(session_factory) == [second.code]
        report = outbox.send_due(session_factory, channel_for(Settings(smtp_url=smtp_env.url)))
    assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
    key = f"notification:{db.scalars(select(Notification.id).where(Notification.dossier_id == second.id)).one()}"
    waiting = _message(db, key)
    assert (waiting.status, waiting.attempts) == (MessageStatus.PENDING, 1)
    assert waiting.next_attempt_at == alert_at + timedelta(minutes=1)
    assert waiting.last_error.startswith("không kết nối được máy chủ thư 127.0.0.1:")
    with frozen(alert_at + timedelta(seconds=30)):  # not due yet: nothing tried
        assert outbox.send_due(session_factory, channel_for(Settings(smtp_url=smtp_env.url))).retrying == 0
    with frozen(alert_at + timedelta(minutes=1)):
        assert outbox.send_due(session_factory, channel_for(Settings(smtp_url=smtp_env.url))).retrying == 1
    waiting = _message(db, key)
    assert (waiting.status, waiting.attempts) == (MessageStatus.PENDING, 2)
    assert waiting.next_attempt_at == alert_at + timedelta(minutes=3)  # then 2 minutes

    smtp_env.start()
    with frozen(alert_at + timedelta(minutes=2)):  # up again, but the back-off still runs
        assert run_due_jobs(session_factory, elapsed=0)["notify-send"].startswith("gửi 0 thông báo")
    with frozen(alert_at + timedelta(minutes=3)):
        assert run_due_jobs(session_factory, elapsed=0)["notify-send"].startswith("gửi 1 thông báo")
    for minutes in (4, 60, 24 * 60):
        with frozen(alert_at + timedelta(minutes=minutes)):
            assert run_due_jobs(session_factory, elapsed=0)["notify-send"].startswith("gửi 0 thông báo")
    assert [m["Subject"] for m in smtp_env.messages] == [
        f"Hồ sơ {first.code} sắp đến hạn trả kết quả (09/03/2027 17:00)",
        f"Hồ sơ {second.code} sắp đến hạn trả kết quả ({to_local(second.due_at):%d/%m/%Y %H:%M})",
    ]
    delivered = _message(db, key)
    assert (delivered.status, delivered.attempts, delivered.last_error) == (MessageStatus.SENT, 3, None)
    assert delivered.sent_at == alert_at + timedelta(minutes=3)


def test_without_smtp_each_message_is_a_readable_eml_file(db, session_factory, tmp_path):
    channel = channel_for(Settings(outbox_dir=tmp_path / "outbox", smtp_from=SENDER))
    assert isinstance(channel, FolderChannel)
    _queue(db, "test:1", at=local(2027, 3, 8, 9, 0))
    with frozen(local(2027, 3, 8, 9, 0)):
        assert outbox.send_due(session_factory, channel).sent == 1
    [path] = (tmp_path / "outbox").iterdir()
    assert path.name == f"20270308-090000-{message_id('test:1', 'x')[1:33]}.eml"
    mail = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert mail["From"] == SENDER
    assert mail["To"] == "Trần Văn Chuyên <canbo@tinh.example>"
    assert mail["Subject"] == "Hồ sơ H99-270302-0001 sắp đến hạn trả kết quả"
    assert mail["Date"] == "Mon, 08 Mar 2027 09:00:00 +0700"
    assert mail["Message-ID"] == message_id("test:1", "tinh.example")
    assert mail.get_content() == "Kính gửi anh Chuyên,\n\nHồ sơ sắp đến hạn.\n"
    assert _message(db, "test:1").status == MessageStatus.SENT


def test_the_same_key_queues_one_message(db):
    _queue(db, "notification:x", at=local(2027, 3, 8, 9, 0))
    with frozen(local(2027, 3, 8, 10, 0)):
        assert not outbox.enqueue(db, key="notification:x", kind="test", recipient="khac@tinh.example",
                                  subject="khác", body="khác")
    assert db.scalars(select(OutboxMessage.recipient)).all() == ["canbo@tinh.example"]


def test_a_message_that_keeps_failing_ends_failed_with_its_last_error(db, session_factory):
    server = SmtpServer()  # never started: its port refuses connections
    channel = SmtpChannel(server.url, SENDER)
    at = local(2027, 3, 8, 9, 0)
    _queue(db, "test:down", at=at)
    delays = []
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        with frozen(at):
            report = outbox.send_due(session_factory, channel)
        row = _message(db, "test:down")
        assert row.attempts == attempt
        delays.append(row.next_attempt_at - at)
        at = row.next_attempt_at
    assert (report.retrying, report.failed) == (0, 1)
    assert delays[:7] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60)]
    assert set(delays[6:]) == {timedelta(hours=1)}
    assert row.status == MessageStatus.FAILED
    assert row.last_error.startswith(f"không kết nối được máy chủ thư 127.0.0.1:{server.port}: ")
    with frozen(at + timedelta(days=1)):
        assert outbox.send_due(session_factory, channel).failed == 0  # never tried again


def test_a_recipient_the_server_refuses_fails_at_once(db, session_factory, smtp_server):
    _queue(db, "test:refused", recipient="ai" + REFUSED_DOMAIN, at=local(2027, 3, 8, 9, 0))
    _queue(db, "test:fine", at=local(2027, 3, 8, 9, 0))
    with frozen(local(2027, 3, 8, 9, 0)):
        report = outbox.send_due(session_factory, SmtpChannel(smtp_server.url, SENDER))
    assert (report.sent, report.retrying, report.failed) == (1, 0, 1)
    refused = _message(db, "test:refused")
    assert (refused.status, refused.attempts) == (MessageStatus.FAILED, 1)
    assert "550" in refused.last_error
    assert [m["To"] for m in smtp_server.messages] == ["Trần Văn Chuyên <canbo@tinh.example>"]


def test_alerts_written_before_the_outbox_are_sent_once(db, session_factory, tmp_path):
    world = build_world(db)
    world.head.email = "lanhdao@tinh.example"
    with frozen(local(2027, 3, 2, 9, 0)):
        running, finished = receive(db, world), receive(db, world)
    finished.status = "returned"
    old = [Notification(dossier_id=d.id, recipient_id=world.head.id, recipient_unit_id=world.dept.id,
                        kind="overdue_alert", message="Hồ sơ sắp đến hạn.", created_at=local(2027, 3, 8, 9, 0))
           for d in (running, finished)]
    db.add_all(old)
    for d in (running, finished):
        d.overdue_alerted_at = local(2027, 3, 8, 9, 0)
    db.commit()
    _without_applicant_notices(db)
    with frozen(local(2027, 3, 8, 9, 15)):
        assert run_overdue_alerts(session_factory) == []
        assert run_overdue_alerts(session_factory) == []
    db.expire_all()
    assert [n.sent_at for n in old] == [local(2027, 3, 8, 9, 15)] * 2
    [queued] = db.scalars(select(OutboxMessage)).all()
    assert (queued.key, queued.recipient) == (f"notification:{old[0].id}", "lanhdao@tinh.example")
    assert queued.subject == f"Hồ sơ {running.code} sắp đến hạn trả kết quả (09/03/2027 17:00)"


@pytest.fixture
def committing_factory(backend, tmp_path) -> Iterator[sessionmaker[Session]]:
    """A migrated database of the test's backend whose units of work really commit, each on
    its own connection (the shared test database rolls every test back on one connection)."""
    engine = make_engine(fresh_url(backend, "migrated", tmp_path, "senders"))
    try:
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()


def _queue_many(factory, count: int, *, at) -> None:
    with frozen(at), session_scope(factory) as session:
        for i in range(count):
            outbox.enqueue(session, key=f"test:{i:03d}", kind="test", recipient=f"cb{i}@tinh.example",
                           subject=f"Thư {i}", body="Nội dung.\n")


@pytest.mark.parametrize("backend", [b for b in ("postgresql", "sqlite") if b in BACKENDS])
def test_two_senders_never_send_one_message_twice(backend, committing_factory, smtp_server):
    factory = committing_factory
    at = local(2027, 3, 8, 9, 0)
    count = 3 * outbox.CLAIM_BATCH + 5
    _queue_many(factory, count, at=at)
    channel = SmtpChannel(smtp_server.url, SENDER)
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def sender() -> None:
        try:
            barrier.wait(timeout=30)
            reports.append(outbox.send_due(factory, channel))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    with frozen(at):  # the clock is process-wide: freeze it once, here
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    with session_scope(factory, write=False) as session:
        rows = session.execute(select(OutboxMessage.status, OutboxMessage.attempts)).all()
    assert errors == []
    assert sum(r.sent for r in reports) == count
    assert sorted(m["Subject"] for m in smtp_server.messages) == sorted(f"Thư {i}" for i in range(count))
    assert set(rows) == {(MessageStatus.SENT, 1)}


def test_a_claim_whose_sender_died_is_sent_again_after_its_lease_with_the_same_message_id(db, session_factory,
                                                                                        smtp_server):
    at = local(2027, 3, 8, 9, 0)
    _queue(db, "test:crash", at=at)
    with frozen(at), session_scope(session_factory) as session:
        [lost] = outbox.claim(session, at=at)  # the sender dies before it sends or records
    channel = SmtpChannel(smtp_server.url, SENDER)
    with frozen(at + outbox.SEND_LEASE - timedelta(seconds=1)):
        assert outbox.send_due(session_factory, channel).sent == 0  # still claimed
    with frozen(at + outbox.SEND_LEASE):
        assert outbox.send_due(session_factory, channel).sent == 1
    with frozen(at + outbox.SEND_LEASE), session_scope(session_factory) as session:
        assert not outbox.record_sent(session, lost, at=at)  # the old claim records nothing
    row = _message(db, "test:crash")
    assert (row.status, row.attempts) == (MessageStatus.SENT, 2)
    assert [m["Message-ID"] for m in smtp_server.messages] == [message_id("test:crash", "tinh.example")]


@pytest.mark.parametrize("backend", ["postgresql"] if "postgresql" in BACKENDS else [])
def test_on_postgresql_a_second_claim_skips_the_rows_the_first_holds(backend, committing_factory):
    at = local(2027, 3, 8, 9, 0)
    _queue_many(committing_factory, 2 * outbox.CLAIM_BATCH, at=at)
    with session_scope(committing_factory) as first:
        taken = outbox.claim(first, at=at)  # not committed yet: its rows stay locked
        with session_scope(committing_factory) as second:
            other = outbox.claim(second, at=at)  # neither waits nor takes the same rows
    assert len(taken) == len(other) == outbox.CLAIM_BATCH
    assert not {m.key for m in taken} & {m.key for m in other}
