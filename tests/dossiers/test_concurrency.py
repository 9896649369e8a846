"""Many simultaneous receipts at two counters on PostgreSQL: distinct codes, consecutive
daily sequences per receiving unit (each thread has its own connection and transaction)."""

from __future__ import annotations

import threading
from collections import defaultdict

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from motcua.auth.models import User
from motcua.catalog.models import Procedure
from motcua.core.clock import frozen
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.dossiers.models import Dossier
from motcua.dossiers.service import ApplicantData, ComponentData, ReceiptData, receive_dossier
from motcua.org.models import Agency
from tests.databases import fresh_url
from tests.dossiers.world import build_world, local


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_concurrent_receipts_at_two_counters(backend, tmp_path):
    engine = make_engine(fresh_url(backend, "migrated", tmp_path, "conc"))
    factory = make_sessionmaker(engine)
    with session_scope(factory) as session:
        w = build_world(session)
        ids = {"centre": w.centre.id, "commune": w.commune.id, "counter": w.counter.id,
               "counter_commune": w.counter_commune.id, "dept": w.dept.id, "p_cross": w.p_cross.id}

    per_thread, threads_per_counter = 5, 6
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_per_counter * 2)

    def work(counter_key: str, unit_key: str) -> None:
        try:
            barrier.wait(timeout=30)
            for _ in range(per_thread):
                with session_scope(factory) as s:
                    user = s.scalars(select(User).where(User.id == ids[counter_key])
                                     .options(selectinload(User.roles))).one()
                    receive_dossier(s, user=user, procedure=s.get(Procedure, ids["p_cross"]),
                                    agency=s.get(Agency, ids["dept"]), receiving_unit=s.get(Agency, ids[unit_key]),
                                    data=ReceiptData(ApplicantData("person", "Nguyễn Văn An"),
                                                     [ComponentData("Tờ khai")]))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=pair) for pair in
               [("counter", "centre"), ("counter_commune", "commune")] * threads_per_counter]
    with frozen(local(2027, 3, 2, 9, 0)):  # the clock is process-wide: freeze it once, here
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert errors == []
    with session_scope(factory) as session:
        rows = session.execute(select(Dossier.receiving_unit_id, Dossier.code)).all()
    engine.dispose()
    assert len(rows) == per_thread * threads_per_counter * 2
    assert len({code for _, code in rows}) == len(rows)
    by_unit = defaultdict(list)
    for unit, code in rows:
        by_unit[unit].append(int(code.rsplit("-", 1)[1]))
    n = per_thread * threads_per_counter
    assert sorted(by_unit[ids["centre"]]) == list(range(1, n + 1))
    assert sorted(by_unit[ids["commune"]]) == list(range(1, n + 1))
