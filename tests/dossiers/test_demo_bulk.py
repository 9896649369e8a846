"""The bulk history of `motcua demo` (COPY on PostgreSQL) is data like the services': the
statistics API counts it as a hand-written count over its rows does, `audit verify` accepts
every chain, every reference it writes exists (the COPY skips the per-row foreign-key checks
on PostgreSQL), and a bulk dossier opens on its page and moves on through the real action.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from motcua.auth.models import User
from motcua.core.clock import LOCAL_TZ, frozen
from motcua.dossiers.audit import verify_audit, verify_chain
from motcua.dossiers.demo import TABLES, generate
from motcua.dossiers.enums import STATUS_LABELS
from motcua.dossiers.models import Dossier, DossierEvent, DossierPause, StepExecution
from motcua.dossiers.service.actions import available_actions
from motcua.org.models import Agency
from motcua.reports.counting import COLUMNS
from tests import factories
from tests.html_forms import signed_in

TODAY = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # a Friday, 16:30 local
N = 300


@pytest.fixture
def bulk(db):
    """N demo dossiers in the test's transaction (written by the bulk path: COPY on PostgreSQL)."""
    with frozen(TODAY):
        report = generate(db, dossiers=N, seed=21, batch_size=100, commit=False)
    assert report.created == N
    return db


def hand_count(dossiers, pauses, cross_boundary: set, start: datetime, end: datetime, at: datetime, key) -> dict:
    """docs/reports.md's rules applied row by row in Python: {group key: {column: n}}."""
    open_pause = {}
    for p in pauses:
        if p.started_at <= at and (p.ended_at is None or p.ended_at > at):
            open_pause[p.dossier_id] = min(open_pause.get(p.dossier_id, p.kind), p.kind)
    groups: dict = {}
    for d in dossiers:
        if d.effective_receipt_at is None or d.received_at >= end or (d.finished_at and d.finished_at < start):
            continue
        c = groups.setdefault(key(d), Counter())
        received = d.received_at >= start
        c["carried_over" if not received else "received"] += 1
        if received:
            c["received_" + d.channel] += 1
            if d.procedure_id in cross_boundary and d.receiving_unit_id != d.agency_id:
                c["cross_boundary"] += 1
        if d.finished_at is not None and d.finished_at < end:
            if d.status in ("withdrawn", "stopped"):
                c[d.status] += 1
            elif d.refusal_reason is not None:
                c["refused"] += 1
            else:
                c["finished_" + (d.outcome or "on_time")] += 1
        if d.finished_at is None or d.finished_at >= at:
            kind = open_pause.get(d.id)
            if kind is not None:
                c["waiting_applicant"] += 1
                c["waiting_" + kind] += 1
            elif d.due_at is not None and d.due_at < at:
                c["overdue"] += 1
            else:
                c["in_progress"] += 1
    return {k: {col.value: v[col.value] for col in COLUMNS} for k, v in groups.items()}


KEYS = {
    "agency": lambda d: str(d.agency_id),
    "receiving_unit": lambda d: str(d.receiving_unit_id),
    "channel": lambda d: d.channel,
    "procedure": lambda d: str(d.procedure_id),
}


def local_day(y: int, m: int, d: int) -> datetime:
    return datetime.combine(date(y, m, d), time.min, tzinfo=LOCAL_TZ)


def test_statistics_api_counts_the_bulk_rows_as_a_hand_count_does(bulk, client, agencies):
    from motcua.catalog.models import Procedure

    db = bulk
    admin = factories.user(db, "t_tk_bulk", "Trần Thị Thống Kê", ("province_admin", agencies.province))
    headers = factories.bearer(db, admin)
    dossiers = db.scalars(select(Dossier)).all()
    pauses = db.scalars(select(DossierPause)).all()
    cross = set(db.scalars(select(Procedure.id).where(Procedure.cross_boundary.is_(True))))
    assert cross  # the first run flags some procedures: cross-boundary dossiers exist
    # A past quarter (open dossiers judged at its end) and the weeks up to today (judged now).
    periods = [("2025-07-01", "2025-09-30", local_day(2025, 7, 1), local_day(2025, 10, 1), local_day(2025, 10, 1)),
               ("2026-10-01", "2026-11-20", local_day(2026, 10, 1), local_day(2026, 11, 21), TODAY)]
    seen = Counter()
    for date_from, date_to, start, end, at in periods:
        for group_by, key in KEYS.items():
            with frozen(TODAY):
                response = client.get("/api/v1/reports/statistics", headers=headers,
                                      params={"from": date_from, "to": date_to, "group_by": group_by})
            assert response.status_code == 200, response.text
            body = response.json()
            ours = {r["key"]: {c.value: r[c.value] for c in COLUMNS} for r in body["rows"]}
            expected = hand_count(dossiers, pauses, cross, start, end, at, key)
            assert ours == expected, (date_from, group_by)
            for c in COLUMNS:
                seen[c.value] += body["total"][c.value]
                assert body["total"][c.value] == sum(r[c.value] for r in expected.values())
    # The comparison is not vacuous: the bulk history fills the columns the demo generates.
    for column in ("carried_over", "received", "received_online", "received_counter", "received_post",
                   "finished_early", "finished_on_time", "finished_late", "in_progress", "overdue"):
        assert seen[column] > 0, column


def test_every_chain_verifies_and_every_reference_exists(bulk):
    db = bulk
    with frozen(TODAY):
        run = verify_audit(db, incremental=False)
    assert (run.checked, run.problems) == (N, [])
    for _, model in TABLES:
        child = model.__table__
        for fk in child.foreign_keys:
            parent = aliased(fk.column.table)
            column = child.c[fk.parent.name]
            missing = db.scalar(
                select(func.count()).select_from(child)
                .outerjoin(parent, parent.c[fk.column.name] == column)
                .where(column.is_not(None), parent.c[fk.column.name].is_(None))
            )
            assert missing == 0, f"{child.name}.{fk.parent.name} → {fk.column.table.name}"
    # Every dossier and each of its rows was written: none without its audit trail.
    assert db.scalar(select(func.count(func.distinct(DossierEvent.dossier_id)))) == N


def test_a_bulk_dossier_opens_on_its_page_and_moves_on(bulk, client):
    db = bulk
    open_ = db.scalars(select(Dossier).where(Dossier.finished_at.is_(None), Dossier.current_step_position.is_not(None))
                       .order_by(Dossier.code)).all()
    assert open_
    chosen, action, officer = None, None, None
    for i, d in enumerate(open_):
        units = {d.agency_id, d.receiving_unit_id, d.current_unit_id} - {None}
        roles = [(role, db.get(Agency, u)) for u in sorted(units, key=str)
                 for role in ("counter_officer", "specialist", "head", "clerk")]
        officer = factories.user(db, f"t_bulk_{i}", "Nguyễn Văn Xử Lý", *roles, password=factories.PASSWORD)
        can = available_actions(db, d, officer)
        action = next((a for a in ("forward", "approve") if a in can), None)
        if action:
            chosen = d
            break
    assert chosen is not None, [d.status for d in open_]
    signed_in(client, officer.username)
    with frozen(TODAY):
        page = client.get(f"/ho-so/{chosen.id}")
    assert page.status_code == 200, page.text[:500]
    assert chosen.code in page.text and STATUS_LABELS[chosen.status] in page.text
    before_status, before_position = chosen.status, chosen.current_step_position
    before_events = db.scalar(
        select(func.count()).select_from(DossierEvent).where(DossierEvent.dossier_id == chosen.id))
    open_before = db.scalars(select(StepExecution.id).where(StepExecution.dossier_id == chosen.id,
                                                           StepExecution.state == "open")).all()
    with frozen(TODAY + timedelta(minutes=5)):
        response = client.post(f"/api/v1/dossiers/{chosen.id}/actions/{action}", json={},
                               headers=factories.bearer(db, db.get(User, officer.id)))
    assert response.status_code == 200, response.text
    db.expire_all()
    moved = db.get(Dossier, chosen.id)
    events = db.scalars(select(DossierEvent).where(DossierEvent.dossier_id == chosen.id)
                        .order_by(DossierEvent.seq)).all()
    assert len(events) == before_events + 1
    assert (events[-1].action, events[-1].from_status, events[-1].to_status, events[-1].actor_id) == (
        action, before_status, moved.status, officer.id)
    assert verify_chain(events) is None  # the live row continues the bulk chain
    # The step it was at is closed by the officer; the dossier is at its next one.
    for step in db.scalars(select(StepExecution).where(StepExecution.id.in_(open_before))):
        assert (step.state, step.finished_by_id) == ("done", officer.id)
    assert moved.current_step_position is not None and moved.current_step_position > before_position
    assert moved.status != before_status
    with frozen(TODAY + timedelta(minutes=6)):
        again = client.get(f"/ho-so/{chosen.id}")
    assert again.status_code == 200 and STATUS_LABELS[moved.status] in again.text

