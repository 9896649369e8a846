"""`motcua demo`: reproducible, additive, and every invariant of the real services kept.

Each test works on fresh databases of its own (the demo commits per batch), migrated and
seeded like the session's, on both backends.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from motcua.calendar import engine as cal_engine
from motcua.core.clock import LOCAL_TZ, frozen, to_local
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.core.errors import InvalidInput
from motcua.dossiers.audit import verify_chains
from motcua.dossiers.codes import code_pattern, code_scope
from motcua.dossiers.demo import generate
from motcua.dossiers.enums import TERMINAL_STATUSES
from motcua.dossiers.models import (
    Dossier,
    DossierCode,
    DossierCodeCounter,
    DossierEvent,
    DossierPause,
    DossierResult,
    StepExecution,
)
from motcua.dossiers.service.common import limit_args, load_calendar
from motcua.org.models import AdministrativeUnit, Agency
from motcua.workflow.models import ProcessStep
from tests.conftest import BACKENDS
from tests.databases import fresh_url

TODAY = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # a Friday, 16:30 local


@pytest.fixture(params=BACKENDS)
def fresh_db(request, tmp_path):
    """A factory of fresh, migrated and seeded databases of one backend."""
    engines = []

    def make(name: str):
        engine = make_engine(fresh_url(request.param, "reference", tmp_path, name))
        engines.append(engine)
        return make_sessionmaker(engine)

    yield make
    for engine in engines:
        engine.dispose()


def run_demo(factory, n: int, seed: int, **kw):
    with frozen(TODAY), session_scope(factory) as session:
        return generate(session, dossiers=n, seed=seed, **kw)


def snapshot(session: Session) -> list[tuple]:
    return list(session.execute(
        select(Dossier.code, Dossier.status, Dossier.applicant_name, Dossier.received_at, Dossier.due_at,
               Dossier.outcome).order_by(Dossier.code)
    ).tuples())


# Runs of 150 dossiers in 3 batches of 50 (300 in batches of 100 before: the same shape —
# several batches, so the 2 workers split the run — at half the cost); more than two thirds
# of the names differ, as before.
N, BATCH = 150, 50


def test_same_seed_same_history_and_a_second_run_adds(fresh_db):
    a, b = fresh_db("a"), fresh_db("b")
    run_demo(a, N, seed=11, batch_size=BATCH)
    run_demo(b, N, seed=11, batch_size=BATCH, workers=2)  # workers do not change the data
    with session_scope(a) as sa, session_scope(b) as sb:
        first = snapshot(sa)
        assert len(first) == N
        assert first == snapshot(sb)
        # Every status, code and name is reproduced, and they are not all alike.
        assert len({row[1] for row in first}) >= 3
        assert len({row[2] for row in first}) > N * 2 // 3
    # A second run adds as many again; codes continue (no duplicate), chains still verify.
    report = run_demo(a, N, seed=11, batch_size=BATCH)
    assert report.created == N
    with session_scope(a) as session:
        codes = session.scalars(select(Dossier.code)).all()
        assert len(codes) == len(set(codes)) == 2 * N
        assert set(first_code for first_code, *_ in first) < set(codes)
    c = fresh_db("c")  # another seed, another history
    run_demo(c, N, seed=12, batch_size=BATCH)
    with session_scope(c) as sc:
        assert snapshot(sc) != first


def test_invariants_and_shares(fresh_db):
    factory = fresh_db("inv")
    n = 2000
    report = run_demo(factory, n, seed=5, batch_size=700)
    assert report.created == n
    with frozen(TODAY), session_scope(factory) as session:
        checked, problems = verify_chains(session)
        assert (checked, problems) == (n, [])

        # Codes: one dossier_codes row per dossier, and each counter equals the highest
        # sequence handed out in its scope (so a live receipt continues after them).
        rows = session.execute(
            select(Dossier.id, Dossier.code, DossierCode.dossier_ref_id)
            .join(DossierCode, DossierCode.code == Dossier.code)
        ).all()
        assert len(rows) == n and all(i == ref for i, _, ref in rows)
        top: dict[str, int] = {}
        for _, code, _ in rows:
            scope, seq = code.rsplit("-", 1)
            top[scope] = max(top.get(scope, 0), int(seq))
        counters = dict(session.execute(select(DossierCodeCounter.scope, DossierCodeCounter.last_seq)).tuples().all())
        assert counters == top
        # Sequences of a scope are consecutive from 1 (fresh database).
        seqs: dict[str, list[int]] = {}
        for _, code, _ in rows:
            scope, seq = code.rsplit("-", 1)
            seqs.setdefault(scope, []).append(int(seq))
        assert all(sorted(v) == list(range(1, len(v) + 1)) for v in seqs.values())

        # Every dossier has events; accepted ones have steps consistent with their template.
        dossiers = session.scalars(select(Dossier)).all()
        events = Counter(session.scalars(select(DossierEvent.dossier_id)).all())

        # Applicants live in today's communes and wards (since 01/07/2025), named in their address.
        current = {u.id: u.name.casefold() for u in session.scalars(select(AdministrativeUnit).where(
            AdministrativeUnit.kind.in_(["commune", "ward"]), AdministrativeUnit.valid_to.is_(None)))}
        for d in dossiers:
            assert d.applicant_admin_unit_id in current, d.applicant_address
            assert d.applicant_address.casefold().endswith(f", {current[d.applicant_admin_unit_id]}, tỉnh lạng sơn")
        assert all(events[d.id] >= 1 for d in dossiers)
        steps_by_dossier: dict = {}
        for s in session.scalars(select(StepExecution)):
            steps_by_dossier.setdefault(s.dossier_id, []).append(s)
        template_steps: dict = {}
        for s in session.scalars(select(ProcessStep)):
            template_steps.setdefault(s.template_id, {})[s.position] = s
        received = [d for d in dossiers if d.status not in ("incomplete", "refused_at_receipt")]
        assert received
        for d in received:
            steps = steps_by_dossier[d.id]
            tmpl = template_steps[d.template_id]
            for s in steps:
                if s.kind != "consult" or s.parallel_group is None:
                    assert (s.kind, s.name, s.role) == (tmpl[s.position].kind, tmpl[s.position].name,
                                                        tmpl[s.position].role)
            open_steps = [s for s in steps if s.state == "open"]
            if d.current_step_position is not None:
                assert any(s.position == d.current_step_position for s in open_steps)
            else:
                assert not open_steps

        # Deadlines come from the calendar engine: recompute a sample.
        for d in received[:200]:
            cal = load_calendar(session, d.agency_id)
            if d.supplement_count == 0 and not d.reappointed:
                due = cal_engine.due_for_limit(cal, d.received_at, cutoff=_cutoff(session, d),
                                          **limit_args(d.time_limit_days, d.time_limit_hours))
                assert d.due_at == due.due_at
            if d.finished_at is not None and d.status not in ("withdrawn", "stopped"):
                assert d.outcome == cal_engine.outcome(cal, d.finished_at, d.due_at)

        # Pauses and results match the statuses.
        pauses = session.scalars(select(DossierPause)).all()
        paused = {p.dossier_id for p in pauses if p.ended_at is None}
        assert paused == {d.id for d in dossiers if d.status == "supplement_requested"}
        assert all(d.supplement_count == 1 for d in dossiers if d.id in {p.dossier_id for p in pauses})
        results = Counter(session.scalars(select(DossierResult.kind)).all())
        assert results["refusal"] >= 1 and results["result"] >= n * 0.7

        # Shares (docs/demo.md), with bands wide enough for N = 2000.
        status = Counter(d.status for d in dossiers)
        share = {k: v / n for k, v in status.items()}
        assert 0.80 <= share.get("returned", 0) <= 0.97
        assert 0.01 <= share.get("incomplete", 0) <= 0.06
        assert 0.002 <= share.get("refused_at_receipt", 0) <= 0.03
        assert 0.005 <= share.get("withdrawn", 0) <= 0.04
        open_ = [d for d in dossiers if d.finished_at is None]
        assert 0.002 <= len(open_) / n <= 0.06
        returned = [d for d in dossiers if d.status == "returned" and d.outcome]
        outcomes = Counter(d.outcome for d in returned)
        assert outcomes["early"] / len(returned) >= 0.6
        assert 0.01 <= outcomes["late"] / len(returned) <= 0.2
        assert outcomes["on_time"] >= 1
        assert sum(1 for d in dossiers if d.supplement_count) / n >= 0.03
        assert session.scalar(select(func.count()).select_from(StepExecution).where(
            StepExecution.kind == "consult")) >= 10
        cross = [d for d in dossiers if d.receiving_unit_id != d.agency_id]
        assert len(cross) / n >= 0.3  # the provincial centre and other communes receive for others
        # Many receiving units, agencies and procedures; two years of history.
        assert len({d.receiving_unit_id for d in dossiers}) >= 20
        assert len({d.agency_id for d in dossiers}) >= 20
        assert len({d.procedure_id for d in dossiers}) >= 100
        span = max(d.received_at for d in dossiers) - min(d.received_at for d in dossiers)
        assert span.days >= 700
        assert max(d.received_at for d in dossiers) <= TODAY
        # Applicants: folded copy, plausible numbers.
        for d in dossiers[:100]:
            assert d.applicant_name_folded == _fold(d.applicant_name)
            assert d.applicant_id_number.isdigit() and len(d.applicant_id_number) in (10, 12)
            assert d.applicant_phone.startswith("0")
        # The code is that of the receiving unit and local day of receipt.
        for d in dossiers[:100]:
            unit_code = d.code.rsplit("-", 2)[0]
            assert d.code.rsplit("-", 1)[0] == code_scope(unit_code, d.received_at.astimezone(LOCAL_TZ).date())


def _fold(name: str) -> str:
    from motcua.core.text import fold

    return fold(name)


def _cutoff(session: Session, d: Dossier):
    from motcua.catalog.models import Procedure
    from motcua.catalog.service import receipt_cutoff_for

    return receipt_cutoff_for(session.get(Procedure, d.procedure_id))


def test_a_live_receipt_continues_the_codes(fresh_db):
    """After the demo, the counter service hands out the next sequence of the same scope."""
    from motcua.dossiers.codes import next_sequence

    factory = fresh_db("live")
    run_demo(factory, 200, seed=3)
    with session_scope(factory) as session:
        scope, last = session.execute(
            select(DossierCodeCounter.scope, DossierCodeCounter.last_seq).order_by(DossierCodeCounter.last_seq.desc())
        ).first()
        assert next_sequence(session, scope) == last + 1


def test_bad_input_is_refused_in_vietnamese(fresh_db):
    from motcua.core.errors import InvalidInput

    factory = fresh_db("bad")
    with pytest.raises(InvalidInput, match="Số hồ sơ phải từ 1"):
        run_demo(factory, 0, seed=1)


def test_until_adds_older_history_that_is_finished(fresh_db):
    """--until / --days: a window that ended long ago holds finished dossiers only, received
    within the window, coded by their receipt day; the recent history is untouched by it."""
    factory = fresh_db("until")
    run_demo(factory, 200, seed=5)
    with session_scope(factory) as session:
        recent = snapshot(session)
        first_day = min(to_local(r[3]).date() for r in recent)
    until = first_day - timedelta(days=1)
    report = run_demo(factory, 300, seed=5, until=until, days=365)
    assert report.created == 300
    with session_scope(factory) as session:
        older = session.execute(
            select(Dossier.code, Dossier.status, Dossier.received_at, Dossier.receiving_unit_id)
            .where(Dossier.received_at < datetime.combine(first_day, datetime.min.time(), tzinfo=LOCAL_TZ))
        ).all()
        assert len(older) == 300
        days = {to_local(o.received_at).date() for o in older}
        assert min(days) >= until - timedelta(days=364) and max(days) <= until
        assert max(days) >= until - timedelta(days=7)  # the window runs up to `until`
        assert {o.status for o in older} <= {s.value for s in TERMINAL_STATUSES}
        pattern = code_pattern()
        units = dict(session.execute(select(Agency.id, Agency.code)).tuples().all())
        for o in older:
            assert o.code.startswith(code_scope(units[o.receiving_unit_id], to_local(o.received_at).date(), pattern))
        assert [r for r in snapshot(session) if r in recent] == recent
        assert verify_chains(session)[1] == []
    with pytest.raises(InvalidInput, match="ở tương lai"):
        run_demo(factory, 10, seed=5, until=TODAY.date() + timedelta(days=2))
    with pytest.raises(InvalidInput, match="Số ngày"):
        run_demo(factory, 10, seed=5, days=0)


def test_cli_refuses_a_bad_until_date(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from motcua.cli import app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    result = CliRunner().invoke(app, ["demo", "--dossiers", "5", "--until", "30/06/2024"])
    assert result.exit_code == 2
    assert "không hợp lệ" in result.output
