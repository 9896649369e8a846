"""Staff lists cost what the page shows (issue 8) and still show exactly what the rule allows.

The list queries run the visibility rule branch by branch (one index scan per agency column,
a union, a limit per branch). These tests compare them with the rule written as one OR (the
former query, kept here as the oracle) on a varied dataset, count the statements of the inbox
page, and check on PostgreSQL that the inbox can be served without scanning the dossiers.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import event, exists, false, or_, select, text

from motcua.auth.models import User, UserRole
from motcua.auth.policies import agency_scope
from motcua.auth.tokens import issue_token
from motcua.core.text import fold
from motcua.dossiers import queries
from motcua.dossiers.enums import EXTERNAL_STATUS, DossierStatus
from motcua.dossiers.models import OPEN_PREDICATE, Dossier, StepExecution
from motcua.org.models import Agency
from tests.dossiers.world import local

STATUSES = list(DossierStatus)


def _old_rule(scope):
    """The visibility rule as it was written before issue 8: one OR over three columns and steps."""
    if scope is None:
        return None
    if not scope:
        return false()
    consulted = exists().where(StepExecution.dossier_id == Dossier.id, StepExecution.parallel_group.is_not(None),
                               StepExecution.unit_id.in_(scope))
    return or_(Dossier.agency_id.in_(scope), Dossier.receiving_unit_id.in_(scope), Dossier.return_unit_id.in_(scope),
               consulted)


def _oracle(db, user, box, *, at, until, status=None, q=None):
    stmt = select(Dossier.id)
    rule = _old_rule(agency_scope(db, user))
    if rule is not None:
        stmt = stmt.where(rule)
    if box is not None:
        stmt = stmt.where(queries._box_filter(user, box, at=at, due_soon_until=until))
    if status is not None:
        stmt = stmt.where(Dossier.status == status)
    if q is not None:
        stmt = stmt.where(or_(Dossier.applicant_name_folded.contains(fold(q)), Dossier.code.contains(q)))
    if box is not None:  # a box: the most urgent first (issue 16)
        return list(db.scalars(stmt.order_by(Dossier.due_at.is_(None), Dossier.due_at, Dossier.received_at, Dossier.id)))
    return list(db.scalars(stmt.order_by(Dossier.received_at.desc(), Dossier.id.desc())))


@pytest.fixture
def varied(db, world):
    """~160 dossiers over every status, spread over the world's agencies in all three roles,
    some with inter-agency steps, and two more users: one with roles in two agencies, one over
    a sub-department."""
    rng = random.Random(8)
    sub = Agency(code="T00.01.01.H99", name="Phòng thử nghiệm", name_folded="phong thu nghiem", kind="department",
                 level="province", is_one_stop=False, parent_id=world.dept.id)
    db.add(sub)
    db.flush()
    w = world
    units = [w.centre, w.dept, w.dept2, w.commune, w.commune2, sub]
    people = [w.specialist.id, w.head.id, w.clerk.id, w.specialist2.id, w.counter.id, None, None]
    start = local(2027, 1, 4)
    for i in range(160):
        status = STATUSES[i % len(STATUSES)]
        agency, receiving, ret = rng.choice(units), rng.choice(units), rng.choice(units)
        current = rng.choice(units)
        role = rng.choice(["specialist", "head", "clerk", "counter_officer"])
        received = start + timedelta(hours=7 * i + rng.randint(0, 5), minutes=rng.randint(0, 59))
        d = Dossier(
            code=f"H99-LIST-{i:04d}", procedure_id=w.p_dept.id, procedure_code=w.p_dept.code,
            procedure_name=w.p_dept.name, agency_id=agency.id, receiving_unit_id=receiving.id, return_unit_id=ret.id,
            channel="counter", status=status.value, external_status=int(EXTERNAL_STATUS[status]),
            applicant_kind="person", applicant_name=f"Người nộp {i}", applicant_name_folded=f"nguoi nop {i}",
            received_at=received, due_at=received + timedelta(days=rng.choice([1, 3, 40, 400])),
            current_unit_id=current.id, current_role=role,
            current_assignee_id=rng.choice(people),
        )
        db.add(d)
        db.flush()
        if i % 4 == 0:
            db.add(StepExecution(dossier_id=d.id, position=5, kind="consult", name="Liên thông", role="specialist",
                                 unit_id=rng.choice(units).id, parallel_group="g1" if i % 8 == 0 else None,
                                 allotment_hours=8, state=rng.choice(["open", "done"]), started_at=received))
    two = User(username="t_hai_noi", full_name="Hai Nơi", password_hash="!", is_active=True)
    two.roles = [UserRole(role="specialist", agency_id=w.dept2.id), UserRole(role="counter_officer",
                                                                            agency_id=w.commune.id)]
    over_sub = User(username="t_truong_so", full_name="Trưởng Sở", password_hash="!", is_active=True)
    over_sub.roles = [UserRole(role="head", agency_id=w.dept.id)]
    db.add_all([two, over_sub])
    db.flush()
    return [w.counter, w.counter_commune, w.specialist, w.head, w.specialist2, w.outsider, w.admin, two, over_sub]


def _all_pages(db, user, box, *, at, page_size=7, **filters):
    ids, page = [], 1
    while True:
        result = queries.inbox(db, user, box=box, page=page, page_size=page_size, at=at, **filters)
        ids += [d.id for d in result.items]
        if len(result.items) < page_size:
            return ids, result
        page += 1


def test_lists_and_counts_match_the_rule_written_as_one_or(db, varied):
    at = local(2027, 2, 15, 10)
    until = queries.due_soon_limit(db, at)
    assert until == local(2027, 2, 17, 10)  # two working days ahead, same clock time
    for user in varied:
        expected_counts = {box: len(_oracle(db, user, box, at=at, until=until)) for box in queries.BOXES}
        assert queries.box_counts(db, user, at=at) == expected_counts, user.username
        for box in (None, *queries.BOXES):
            expected = _oracle(db, user, box, at=at, until=until)
            ids, result = _all_pages(db, user, box, at=at)
            assert ids == expected, (user.username, box)
            assert (result.total, result.more) == (len(expected), False)
        for status in ("processing", "returned"):
            ids, _ = _all_pages(db, user, None, at=at, status=status)
            assert ids == _oracle(db, user, None, at=at, until=until, status=status), (user.username, status)
        ids, _ = _all_pages(db, user, None, at=at, q="nop 1")
        assert ids == _oracle(db, user, None, at=at, until=until, q="nop 1")


def test_scope_sees_some_but_not_all(db, varied):
    """The dataset is varied enough: every unit user sees some dossiers and misses others."""
    at = local(2027, 2, 15, 10)
    total = len(_oracle(db, varied[-3], None, at=at, until=at))  # the province admin
    for user in varied[:6] + varied[7:]:
        seen = len(_oracle(db, user, None, at=at, until=at))
        assert 0 < seen < total, user.username


def test_history_totals_are_capped(db, varied, monkeypatch):
    monkeypatch.setattr(queries, "TOTAL_CAP", 10)
    result = queries.inbox(db, varied[-3], page_size=5)
    assert (result.total, result.more, len(result.items)) == (10, True, 5)
    assert queries.visible_count(db, varied[-3], [Dossier.code == "H99-LIST-0003"], cap=10) == (1, False)


def _statements(engine, fn):
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return seen


def test_inbox_page_runs_a_fixed_number_of_queries(db, world, client, engine):
    """Query-count test (STYLE.md §11): the page's statements do not grow with the dossiers."""
    token = issue_token(db, world.counter, "test")
    db.flush()
    headers = {"Authorization": f"Bearer {token}"}
    counts = []
    for n in (1, 25):
        for i in range(n):
            received = local(2027, 1, 4) + timedelta(minutes=len(counts) * 100 + i)
            db.add(Dossier(code=f"H99-QC-{len(counts)}-{i}", procedure_id=world.p_dept.id,
                           procedure_code=world.p_dept.code, procedure_name=world.p_dept.name,
                           agency_id=world.dept.id, receiving_unit_id=world.centre.id,
                           return_unit_id=world.centre.id, channel="counter", status="processing",
                           external_status=4, applicant_kind="person", applicant_name="A",
                           applicant_name_folded="a", received_at=received))
        db.flush()
        for box in ("todo", "all"):
            statements = _statements(engine, lambda b=box: client.get(f"/xu-ly?hop={b}", headers=headers))
            counts.append(sum(1 for s in statements if "dossiers" in s))
    assert counts[:2] == counts[2:]
    # the box counts, (the capped total,) the page: its agency columns, its consultations, its rows
    assert max(counts) <= 5


def test_inbox_query_can_use_indexes_on_postgresql(db, world, engine):
    """With sequential scans priced out, every read of `dossiers` in the inbox and its counts is
    an index scan: the former OR over three columns had none to use."""
    if engine.dialect.name != "postgresql":
        pytest.skip("EXPLAIN plans are PostgreSQL's")
    db.execute(text("SET LOCAL enable_seqscan = off"))
    statements = []

    def keep(conn, cursor, statement, parameters, *args):
        if "FROM dossiers" in statement and not statement.startswith("EXPLAIN"):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        for user in (world.counter, world.specialist):
            queries.box_counts(db, user)
            queries.inbox(db, user, box="todo")
            queries.inbox(db, user)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert len(statements) >= 6
    for statement, parameters in statements:
        plan = "\n".join(db.connection().exec_driver_sql("EXPLAIN " + statement, parameters).scalars())
        assert "Seq Scan on dossiers" not in plan, plan


def test_open_predicate_is_the_partial_indexes(db):
    """The open filter of the queries and the partial indexes' predicate name the same statuses."""
    rendered = str(queries._open().compile(compile_kwargs={"literal_binds": True}))
    assert rendered.replace("dossiers.", "") == f"({OPEN_PREDICATE})"
