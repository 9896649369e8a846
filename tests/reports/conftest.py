"""A known history for the statistics of June 2027, built through the dossier services.

Every dossier is received and moved by `dossiers.service` with the clock frozen at each step,
so its appointment, pauses and outcome are the real rules' (the calendar's working days).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from motcua.core.clock import frozen
from motcua.dossiers.models import Dossier
from motcua.dossiers.service import ActionParams, perform_action
from motcua.ratings.enums import RatingChannel, Satisfaction
from motcua.ratings.inputs import RatingIn
from motcua.ratings.service import record_rating
from tests import factories
from tests.dossiers.world import World, build_world, local, receive

JUNE = (date(2027, 6, 1), date(2027, 6, 30))
# When the tests look: after the end of June, with dossier D7's supplement received in July.
LOOK_AT = local(2027, 7, 10, 9, 0)


@dataclass
class History:
    world: World
    viewer: object  # roles at the centre, the department and the commune: sees exactly the world
    d: dict[str, Dossier] = field(default_factory=dict)


def act(db, dossier, user, action, at, **params):
    with frozen(at):
        return perform_action(db, dossier, user=user, action=action, params=ActionParams(**params))


def to_result(db, w: World, dossier, *, issue_at, start_day: int):
    """Forward, appraise, approve (on the days from `start_day`), then issue at `issue_at`."""
    month = issue_at.month if start_day <= issue_at.day else issue_at.month - 1
    act(db, dossier, w.head, "forward", local(2027, month, start_day, 10))
    act(db, dossier, w.specialist, "forward", local(2027, month, start_day, 11))
    act(db, dossier, w.head, "approve", local(2027, month, start_day, 14))
    act(db, dossier, w.clerk, "issue_result", issue_at, result_number="1/KQ")


def received_at(db, w: World, at, **kwargs):
    with frozen(at):
        return receive(db, w, **kwargs)


@pytest.fixture
def history(db) -> History:
    w = build_world(db)
    viewer = factories.user(db, "t_thongke", "Lê Thị Thống Kê", ("head", w.centre), ("head", w.dept),
                            ("head", w.commune), password=factories.PASSWORD)
    h = History(w, viewer)
    d = h.d
    # D11: received and finished in May: not in June's figures at all.
    d["may_done"] = received_at(db, w, local(2027, 5, 24, 9))
    to_result(db, w, d["may_done"], issue_at=local(2027, 5, 26, 15), start_day=25)
    # D8: received in May, still open on 1 June (carried over), result on its due day (on time).
    d["carried"] = received_at(db, w, local(2027, 5, 27, 9))
    to_result(db, w, d["carried"], issue_at=local(2027, 6, 3, 10), start_day=1)
    # D1: late. D2: early. D3: would be late, on time after the apology moved its date.
    d["late"] = received_at(db, w, local(2027, 6, 1, 9))
    to_result(db, w, d["late"], issue_at=local(2027, 6, 10, 10), start_day=2)
    d["early"] = received_at(db, w, local(2027, 6, 1, 9, 30))
    to_result(db, w, d["early"], issue_at=local(2027, 6, 3, 15), start_day=2)
    d["apology"] = received_at(db, w, local(2027, 6, 1, 10))
    act(db, d["apology"], w.head, "apologize_reschedule", local(2027, 6, 4, 9), note="Cần xác minh thêm",
        extra_working_days=3)
    to_result(db, w, d["apology"], issue_at=local(2027, 6, 11, 10), start_day=9)
    # D4: withdrawn. D5: refused after appraisal. D6: in progress, overdue at the end of June.
    d["withdrawn"] = received_at(db, w, local(2027, 6, 2, 9))
    act(db, d["withdrawn"], w.counter, "withdraw", local(2027, 6, 3, 9), note="Công dân có đơn xin rút")
    d["refused"] = received_at(db, w, local(2027, 6, 2, 9, 30))
    act(db, d["refused"], w.head, "forward", local(2027, 6, 3, 9))
    act(db, d["refused"], w.head, "refuse", local(2027, 6, 4, 9), note="Không đủ điều kiện cấp")
    d["overdue"] = received_at(db, w, local(2027, 6, 2, 10))
    act(db, d["overdue"], w.head, "forward", local(2027, 6, 3, 9))
    # D7: waiting for a supplement from 15 June; received back on 5 July (after the period).
    d["supplement"] = received_at(db, w, local(2027, 6, 14, 9))
    act(db, d["supplement"], w.head, "request_supplement", local(2027, 6, 15, 9), missing_items=["Bản sao sổ hộ khẩu"])
    act(db, d["supplement"], w.counter, "receive_supplement", local(2027, 7, 5, 9))
    # D9: received at the end of June, due in July: in progress, not yet due.
    d["in_progress"] = received_at(db, w, local(2027, 6, 28, 9))
    # D10: a cross-boundary receipt at the commune for the department, finished early.
    d["cross"] = received_at(db, w, local(2027, 6, 7, 9), procedure=w.p_cross, unit=w.commune, user=w.counter_commune)
    to_result(db, w, d["cross"], issue_at=local(2027, 6, 8, 15), start_day=8)
    # Not counted: an incomplete receipt in June, a dossier received in July.
    d["incomplete"] = received_at(db, w, local(2027, 6, 9, 9), outcome="incomplete", missing_items=["Tờ khai"])
    d["july"] = received_at(db, w, local(2027, 7, 1, 9))
    db.flush()
    return h


@pytest.fixture
def known(db):
    """Two dossiers of June 2027 handled step by step (the workload's known history; its figures
    are worked out by hand in test_workload.py): A through to its result (rated "satisfied"), B
    claimed by the specialist and still open."""
    w = build_world(db)
    a = received_at(db, w, local(2027, 6, 1, 9))
    act(db, a, w.head, "forward", local(2027, 6, 1, 10))
    act(db, a, w.specialist, "forward", local(2027, 6, 2, 10))
    act(db, a, w.head, "approve", local(2027, 6, 2, 14))
    act(db, a, w.clerk, "issue_result", local(2027, 6, 7, 10), result_number="1/KQ")
    record_rating(db, a, RatingIn(time_score=0, contacts_score=2, attitude_score=2,
                                  satisfaction=Satisfaction.satisfied),
                  channel=RatingChannel.online, at=local(2027, 6, 8, 9))
    b = received_at(db, w, local(2027, 6, 1, 9, 30))
    act(db, b, w.head, "forward", local(2027, 6, 1, 11))
    act(db, b, w.specialist, "claim", local(2027, 6, 1, 13, 30))
    db.flush()
    return w
