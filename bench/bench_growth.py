"""Growth of the staff lists on PostgreSQL: run at 100,000 and at 1,000,000 dossiers and compare.

Run: DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/bench_growth.py [--repeat 5]
on a database filled by `motcua demo --dossiers N`. In-process (no HTTP): it times the
queries each page runs, the median of `--repeat` runs after one warm-up, for a counter officer
at the busiest receiving unit and a specialist at the busiest competent agency (both created
once, as `bench_counter` / `bench_specialist`). Writes (overdue pass, audit checkpoint) are
rolled back. The target (issue 8) is a ratio 1M / 100k ≤ 1.5 for every list and count.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import selectinload  # noqa: E402

from motcua.auth.models import User, UserRole  # noqa: E402
from motcua.core.db import make_engine, make_sessionmaker  # noqa: E402
from motcua.dossiers import queries  # noqa: E402
from motcua.dossiers.audit import verify_audit  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.dossiers.service import send_overdue_alerts  # noqa: E402
from motcua.org.models import Agency  # noqa: E402


def bench_user(session, name: str, role: str, agency_id) -> User:
    user = session.scalar(select(User).where(User.username == name).options(selectinload(User.roles)))
    if user is None:
        user = User(username=name, full_name=name, password_hash="!", is_active=True)
        user.roles = [UserRole(role=role, agency_id=agency_id)]
        session.add(user)
        session.commit()
    return user


def timed(fn, repeat: int) -> float:
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    engine = make_engine(os.environ["DATABASE_URL"])
    session = make_sessionmaker(engine)()
    n = session.scalar(select(func.count()).select_from(Dossier))
    busiest = select(func.count()).label("n")
    unit = session.execute(select(Dossier.receiving_unit_id, busiest).group_by(Dossier.receiving_unit_id)
                           .order_by(busiest.desc()).limit(1)).first()[0]
    agency = session.execute(select(Dossier.agency_id, busiest).join(Agency, Agency.id == Dossier.agency_id)
                             .where(Agency.is_one_stop.is_(False)).group_by(Dossier.agency_id)
                             .order_by(busiest.desc()).limit(1)).first()[0]
    counter = bench_user(session, "bench_counter", "counter_officer", unit)
    specialist = bench_user(session, "bench_specialist", "specialist", agency)
    code = session.scalar(select(Dossier.code).where(Dossier.receiving_unit_id == unit)
                          .order_by(Dossier.received_at).limit(1))

    def counter_page():
        counts = queries.box_counts(session, counter)
        queries.inbox(session, counter, box="todo", total=counts["todo"])

    def inbox_first_page():
        queries.box_counts(session, counter)
        queries.inbox(session, counter)

    def todo_box():
        counts = queries.box_counts(session, specialist)
        queries.inbox(session, specialist, box="todo", total=counts["todo"])

    def public_lookup():
        dossier = queries.find_by_code(session, code)
        session.get(Agency, dossier.agency_id)

    def overdue_pass():
        send_overdue_alerts(session)
        session.rollback()

    def audit_incremental():
        verify_audit(session, incremental=True)
        session.rollback()

    send_overdue_alerts(session)  # steady state: what is due was alerted by the previous pass
    verify_audit(session, incremental=True)  # a checkpoint to be incremental from
    session.commit()
    cases = [
        ("inbox first page (all, with tab counts)", inbox_first_page),
        ("to-do box (specialist, with counts)", todo_box),
        ("counter page with tab counts", counter_page),
        ("lookup by code (staff API filter)", lambda: queries.inbox(session, counter, code=code)),
        ("public lookup", public_lookup),
        ("overdue job, one pass", overdue_pass),
        ("audit verify --incremental", audit_incremental),
    ]
    print(f"{n:,} dossiers; counter at {unit}, specialist at {agency}")
    for label, fn in cases:
        print(f"  {label:45s} {timed(fn, args.repeat) * 1000:8.1f} ms", flush=True)


if __name__ == "__main__":
    main()
