"""Tampering with an audit row is reported by the verify function and by `motcua audit verify`."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from typer.testing import CliRunner

from motcua.core.clock import frozen
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.dossiers.audit import GENESIS, dossier_events, event_hash, verify_chain, verify_chains
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.service import ActionParams, perform_action
from tests.dossiers.world import build_world, local, receive


def test_event_hash_is_canonical_and_chained():
    facts = {"dossier_id": None, "seq": 1, "action": "receive", "note": "Ghi chú", "data": {"b": 1, "a": 2}}
    assert event_hash(facts, GENESIS) == event_hash(dict(reversed(list(facts.items()))), GENESIS)
    assert event_hash(facts, GENESIS) != event_hash({**facts, "note": "Ghi chu"}, GENESIS)
    assert event_hash(facts, GENESIS) != event_hash(facts, "1" * 64)


def test_tampered_row_is_reported(db, world):
    with frozen(local(2027, 3, 2, 9, 0)):
        d = receive(db, world)
        other = receive(db, world)
        perform_action(db, d, user=world.head, action="assign", params=ActionParams(assignee=world.specialist))
        perform_action(db, other, user=world.counter, action="withdraw", params=ActionParams())
    checked, problems = verify_chains(db)
    assert [p for p in problems if p.dossier_id in {d.id, other.id}] == []
    db.execute(update(DossierEvent).where(DossierEvent.dossier_id == d.id, DossierEvent.seq == 1)
               .values(note="Sửa trộm"))
    db.expire_all()
    checked, problems = verify_chains(db)
    mine = [(p.code, p.seq, p.reason) for p in problems if p.dossier_id in {d.id, other.id}]
    assert mine == [(d.code, 1, "nội dung bản ghi đã bị sửa đổi")]
    # Deleting a row breaks the chain too.
    db.execute(delete(DossierEvent).where(DossierEvent.dossier_id == other.id, DossierEvent.seq == 1))
    db.expire_all()
    assert verify_chain(dossier_events(db, other.id)) == (2, "thiếu hoặc trùng bản ghi (mong đợi số thứ tự 1)")


def test_cli_audit_verify_reports_tampering(tmp_path, monkeypatch):
    from motcua.cli import app, upgrade_database
    from motcua.core.config import get_settings

    url = f"sqlite:///{tmp_path / 'audit.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    with session_scope(make_sessionmaker(engine)) as session, frozen(local(2027, 3, 2, 9, 0)):
        w = build_world(session)
        d = receive(session, w)
        code = d.code
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        ok = runner.invoke(app, ["audit", "verify"])
        assert ok.exit_code == 0, ok.output
        assert "nhật ký toàn vẹn" in ok.output
        with engine.begin() as conn:
            conn.execute(update(DossierEvent).values(actor_name="Người khác"))
        bad = runner.invoke(app, ["audit", "verify"])
        assert bad.exit_code == 1
        assert code in bad.output and "bị sửa đổi" in bad.output
    finally:
        get_settings.cache_clear()
        engine.dispose()


def test_incremental_verify_checks_what_was_written_since_the_last_run(db, world):
    from motcua.dossiers.audit import record_checkpoint, verify_audit
    from motcua.dossiers.models import AuditCheckpoint

    with frozen(local(2027, 3, 2, 8, 0)):
        old = receive(db, world)
    with frozen(local(2027, 3, 2, 9, 0)):
        first = verify_audit(db, incremental=True)  # no earlier run: a full one
        record_checkpoint(db, first)
    assert (first.mode, first.since) == ("full", None)
    assert [p for p in first.problems if p.dossier_id == old.id] == []
    with frozen(local(2027, 3, 3, 9, 0)):
        new = receive(db, world)
        perform_action(db, new, user=world.head, action="assign", params=ActionParams(assignee=world.specialist))
    db.execute(update(DossierEvent).where(DossierEvent.dossier_id == new.id, DossierEvent.seq == 2)
               .values(note="Sửa trộm"))
    with frozen(local(2027, 3, 3, 10, 0)):
        run = verify_audit(db, incremental=True)
        record_checkpoint(db, run)
    assert (run.mode, run.since, run.checked) == ("incremental", local(2027, 3, 2, 8, 50), 1)
    assert [(p.code, p.seq) for p in run.problems] == [(new.code, 2)]
    runs = db.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.started_at)).all()
    assert [(r.mode, r.checked >= 1, r.problems) for r in runs[-2:]] == [("full", True, 0), ("incremental", True, 1)]
