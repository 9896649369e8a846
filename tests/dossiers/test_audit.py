"""Tampering with an audit row is reported by the verify function and by `motcua audit verify`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import delete, select, update
from typer.testing import CliRunner

from motcua.core.clock import frozen
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.dossiers.audit import GENESIS, dossier_events, event_hash, verify_chain, verify_chains
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.service import ActionParams, perform_action
from tests.databases import fresh_url
from tests.dossiers.world import build_world, local, receive


def test_event_hash_is_canonical_and_chained():
    facts = {"dossier_id": None, "seq": 1, "action": "receive", "note": "Ghi chú", "data": {"b": 1, "a": 2}}
    assert event_hash(facts, GENESIS) == event_hash(dict(reversed(list(facts.items()))), GENESIS)
    assert event_hash(facts, GENESIS) != event_hash({**facts, "note": "Ghi chu"}, GENESIS)
    assert event_hash(facts, GENESIS) != event_hash(facts, "1" * 64)



def test_event_hash_is_pinned():
    """The hash definition is what stored chains are verified against: a faster
    implementation must give the same digest for every kind of value."""
    facts = {
        "dossier_id": uuid.UUID("01890a5d-ac96-7ab2-80e2-4536629c90de"), "seq": 3,
        "at": datetime(2026, 3, 2, 9, 15, 7, 123456, tzinfo=timezone(timedelta(hours=7))), "actor_id": None,
        "actor_name": "Nguyễn Thị Hoa", "actor_role": "specialist",
        "actor_unit_id": uuid.UUID("01890a5d-ac96-7ab2-80e2-4536629c90df"), "action": "request_supplement",
        "from_status": "appraising", "to_status": "supplement_requested", "from_step": "Thẩm định",
        "to_step": "Thẩm định", "from_unit_id": None, "to_unit_id": None, "outcome": None,
        "note": 'Thiếu "giấy" \\ tờ\n',
        "data": {"missing_items": ["Ảnh 4x6", "Bản sao"], "within_3_working_days": True, "amount": Decimal("1.50"),
                 "n": 2},
    }
    assert event_hash(facts, GENESIS) == "f24b2b485d58423694b2e8200e16affb67f894c9501f4836fe9a58d68b5b81a0"
    utc = {**facts, "seq": True, "at": datetime(2026, 1, 1, tzinfo=UTC)}
    assert event_hash(utc, GENESIS) == "afe3526e86bca0c81bd57fcd3934f6e6c5b2930026135f2922c4ed3e17908ae1"
    assert event_hash({"seq": 1}, GENESIS) == "e6fb715a25d9d79e65419c401b16da05023d143c5ae5778d6ffdf32a90cdf1a2"


def test_tampered_row_is_reported(db, world):
    with frozen(local(2027, 3, 2, 9, 0)):
        d = receive(db, world)
        other = receive(db, world)
        perform_action(db, d, user=world.head, action="assign", params=ActionParams(assignee=world.specialist))
        perform_action(db, other, user=world.counter, action="withdraw",
                       params=ActionParams(note="Công dân có đơn xin rút hồ sơ"))
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
    from motcua.cli import app
    from motcua.core.config import get_settings

    url = fresh_url("sqlite", "migrated", tmp_path, "audit")
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
