"""Officer workload (issue 13 §5) over a known history (`known` in conftest), figures checked by hand.

The default process of the department's 5-day procedure allots (working hours) receive 2,
assign 2, appraise 24, approve 6, issue 4, return 2; office hours 7:30–11:30 and 13:00–17:00.
June 2027: Tuesday 1 June.

- A: received Tue 1 June 09:00 (counter; the receive step closes at once: 0 h), forwarded by
  the head at 10:00 (assign: 1 h), by the specialist Wed 2 June 10:00 (appraise: 1.5 + 4 + 2.5 =
  8 h), approved by the head Wed 14:00 (approve: 1.5 + 1 = 2.5 h), issued by the clerk Mon 7 June
  10:00 (issue: 3 + 8 + 8 + 2.5 = 21.5 h, over its 4 h: late). Rated "satisfied" on 8 June.
- B: received Tue 1 June 09:30, forwarded by the head at 11:00 (assign: 1.5 h), claimed by the
  specialist at 13:30: open in their hands, past its 24 h by 10 July.
"""

from __future__ import annotations

import pytest

from motcua.core.clock import frozen
from motcua.core.errors import Forbidden
from motcua.reports import workload
from motcua.reports.counting import period
from tests import factories
from tests.html_forms import signed_in
from tests.reports.conftest import JUNE, LOOK_AT


def figures(rows):
    return {(r.username, r.unit_name): (r.steps, r.dossiers, r.on_time, r.late, r.average_hours, r.open_now,
                                        r.open_overdue, r.ratings, r.satisfied) for r in rows}


DEPT, CENTRE = "Sở Tư pháp thử nghiệm", "Trung tâm Phục vụ hành chính công thử nghiệm"
EXPECTED = {
    # steps, dossiers, on time, late, average office hours per step, open, open overdue, ratings, satisfied
    ("t_motcua", CENTRE): (2, 2, 2, 0, 0.0, 0, 0, 1, 1),
    ("t_lanhdao", DEPT): (3, 2, 3, 0, round(5 / 3, 1), 0, 0, 1, 1),
    ("t_chuyenvien", DEPT): (1, 1, 1, 0, 8.0, 1, 1, 1, 1),
    ("t_vanthu", DEPT): (1, 1, 0, 1, 21.5, 0, 0, 1, 1),
}


def test_workload_figures_of_a_known_history(db, known):
    with frozen(LOOK_AT):
        w = workload.workload(db, known.admin, period(*JUNE))
    assert figures(w.rows) == EXPECTED
    total = workload.totals(w.rows)
    assert (total.steps, total.dossiers, total.on_time, total.late, total.open_now) == (7, 2, 6, 1, 1)
    assert total.average_hours == round((0 + 5 + 8 + 21.5) / 7, 1)


def test_a_head_sees_their_unit_only(db, known):
    with frozen(LOOK_AT):
        mine = workload.workload(db, known.head, period(*JUNE))
        assert figures(mine.rows) == {k: v for k, v in EXPECTED.items() if k[1] == DEPT}
        # The head of another department sees nothing of this one, and cannot ask for it.
        other = workload.workload(db, known.head2, period(*JUNE))
        assert other.rows == [] and [u.code for u in other.units] == [known.dept2.code]
        with pytest.raises(Forbidden):
            workload.workload(db, known.head2, period(*JUNE), unit_code=known.dept.code)
        with pytest.raises(Forbidden):  # no head at all
            workload.workload(db, known.specialist, period(*JUNE))


def test_july_has_none_of_june_steps(db, known):
    with frozen(LOOK_AT):
        w = workload.workload(db, known.admin, period(JUNE[1].replace(month=7, day=1), JUNE[1].replace(month=7, day=9)))
    # Only B's open step is in someone's hands; nothing was handed over in July.
    assert figures(w.rows) == {("t_chuyenvien", DEPT): (0, 0, 0, 0, None, 1, 1, 0, 0)}


def test_workload_page_for_heads_only(client, db, known):
    factories.user(db, "t_lanhdao_web", "Mai Thị Trưởng", ("head", known.dept), password=factories.PASSWORD)
    factories.user(db, "t_lanhdao_khac", "Ngô Văn Khác", ("head", known.dept2), password=factories.PASSWORD)
    factories.user(db, "t_chuyenvien_web", "Lý Văn Viên", ("specialist", known.dept), password=factories.PASSWORD)
    db.commit()
    url = "/bao-cao/can-bo?ky=month&nam=2027&so=6"
    signed_in(client, "t_lanhdao_web")
    with frozen(LOOK_AT):
        page = client.get(url)
    assert page.status_code == 200, page.text[:500]
    assert "Trần Văn Chuyên" in page.text and "Hoàng Văn Thư" in page.text and "Nguyễn Thị Một Cửa" not in page.text
    assert 'data-officer="t_vanthu"' in page.text and "21,5" in page.text
    client.cookies.clear()
    signed_in(client, "t_lanhdao_khac")
    with frozen(LOOK_AT):
        assert "Trần Văn Chuyên" not in client.get(url).text
        assert client.get(url + f"&don_vi={known.dept.code}").status_code == 403
    client.cookies.clear()
    signed_in(client, "t_chuyenvien_web")
    with frozen(LOOK_AT):
        assert client.get(url).status_code == 403
