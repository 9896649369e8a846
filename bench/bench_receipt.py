"""Receipts per second through the service layer vs the same inserts in raw SQL.

DESIGN.md target: receiving a dossier (code, audit, first step) sustains ≥ 30 % of the
throughput of the same inserts done with raw SQL, measured in the same run. Runs on
SQLite and, when the PostgreSQL binaries are installed, on a temporary PostgreSQL server.

    .venv/bin/python bench/bench_receipt.py [--n 300]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402
from sqlalchemy.orm import selectinload  # noqa: E402

from motcua.auth.models import User  # noqa: E402
from motcua.catalog.models import Procedure  # noqa: E402
from motcua.cli import upgrade_database  # noqa: E402
from motcua.core.clock import frozen  # noqa: E402
from motcua.core.db import make_engine, make_sessionmaker, session_scope  # noqa: E402
from motcua.core.ids import new_id  # noqa: E402
from motcua.dossiers.codes import next_sequence  # noqa: E402
from motcua.dossiers.models import (  # noqa: E402
    Dossier,
    DossierCode,
    DossierComponent,
    DossierEvent,
    StepExecution,
)
from motcua.dossiers.service import ApplicantData, ComponentData, ReceiptData, receive_dossier  # noqa: E402
from motcua.org.models import Agency  # noqa: E402
from tests.dossiers.world import build_world, local  # noqa: E402


def setup(url: str) -> dict:
    upgrade_database(url)
    engine = make_engine(url)
    with session_scope(make_sessionmaker(engine)) as session:
        w = build_world(session)
        ids = {"centre": w.centre.id, "dept": w.dept.id, "counter": w.counter.id, "p": w.p_dept.id}
    engine.dispose()
    return ids


def run_service(url: str, ids: dict, n: int) -> float:
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    start = time.perf_counter()
    with frozen(local(2027, 3, 2, 9, 0)):
        for i in range(n):
            with session_scope(factory) as s:
                user = s.scalars(select(User).where(User.id == ids["counter"]).options(selectinload(User.roles))).one()
                receive_dossier(
                    s, user=user, procedure=s.get(Procedure, ids["p"]), agency=s.get(Agency, ids["dept"]),
                    receiving_unit=s.get(Agency, ids["centre"]),
                    data=ReceiptData(ApplicantData("person", f"Nguyễn Văn {i}", "012345678901", "0912345678"),
                                     [ComponentData("Tờ khai", "original", 1), ComponentData("CCCD", "copy", 1)]),
                )
    elapsed = time.perf_counter() - start
    engine.dispose()
    return n / elapsed


def run_raw(url: str, ids: dict, n: int) -> float:
    """The same rows (counter, code, dossier, 2 components, 2 steps, 1 audit row) with Core inserts."""
    engine = make_engine(url)
    at = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
    due = at + timedelta(days=7)
    start = time.perf_counter()
    for i in range(n):
        with engine.begin() as conn:
            from sqlalchemy.orm import Session

            seq = next_sequence(Session(bind=conn), "RAW-270301")
            did = new_id()
            code = f"RAW-270301-{seq:04d}"
            conn.execute(insert(DossierCode).values(code=code, dossier_ref_id=did, created_at=at))
            conn.execute(insert(Dossier).values(
                id=did, code=code, procedure_id=ids["p"], procedure_code="X", procedure_name="X", agency_id=ids["dept"],
                receiving_unit_id=ids["centre"], return_unit_id=ids["centre"], channel="counter",
                status="awaiting_assignment", external_status=2, applicant_kind="person",
                applicant_name=f"Nguyễn Văn {i}", applicant_name_folded=f"nguyen van {i}", received_at=at,
                effective_receipt_at=at, due_at=due, original_due_at=due, progress_due_at=due, fees_amount=0,
                fees_paid=False, reappointed=False, supplement_count=0, created_at=at, updated_at=at, lock_version=1,
            ))
            conn.execute(insert(DossierComponent), [
                {"dossier_id": did, "id": new_id(), "position": 1, "name": "Tờ khai", "kind": "original", "count": 1,
                 "supplemented": False},
                {"dossier_id": did, "id": new_id(), "position": 2, "name": "CCCD", "kind": "copy", "count": 1,
                 "supplemented": False},
            ])
            conn.execute(insert(StepExecution), [
                {"dossier_id": did, "id": new_id(), "position": p, "kind": k, "name": k, "role": "head",
                 "unit_id": ids["dept"], "allotment_hours": 2, "state": st, "started_at": at, "due_at": due}
                for p, k, st in ((1, "receive", "done"), (2, "assign", "open"))
            ])
            digest = hashlib.sha256(f"{did}{i}".encode()).hexdigest()
            conn.execute(insert(DossierEvent).values(
                dossier_id=did, id=new_id(), seq=1, at=at, action="receive", to_status="awaiting_assignment",
                prev_hash="0" * 64, hash=digest,
            ))
    elapsed = time.perf_counter() - start
    engine.dispose()
    return n / elapsed


def bench(label: str, url: str, n: int) -> None:
    ids = setup(url)
    run_service(url, ids, 5)  # warm-up (lazy default process, caches)
    raw = run_raw(url, ids, n)
    service = run_service(url, ids, n)
    print(f"{label:11s} service {service:8.1f} receipts/s   raw SQL {raw:8.1f} inserts/s   "
          f"ratio {service / raw:5.1%}  (target ≥ 30 %)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite", f"sqlite:///{tmp}/bench.db", args.n)
    from tests.pg_harness import find_pg_bindir, start_pg_server

    if find_pg_bindir() is None:
        print("PostgreSQL    bỏ qua: không có PostgreSQL trên máy này")
        return
    server = start_pg_server()
    try:
        bench("PostgreSQL", server.create_database(f"bench_{uuid.uuid4().hex[:8]}"), args.n)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
