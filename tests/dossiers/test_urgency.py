"""Inboxes by urgency (issue 16): the most overdue first, then due today, then by due time, each
with a label that says how urgent ("Quá hạn N ngày" in working days, "Hạn hôm nay, còn N giờ",
"Còn N ngày làm việc"); and the return step is due at the citizen's appointment."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from motcua.auth.passwords import hash_password
from motcua.calendar.engine import WorkingCalendar
from motcua.core.clock import frozen, to_local
from motcua.dossiers import queries
from motcua.dossiers.deadlines import Urgency, urgency
from motcua.dossiers.models import Dossier, StepExecution
from tests.documents.conftest import login
from tests.dossiers.world import local, receive
from tests.factories import RESULT_NUMBER

PASSWORD = "matkhau-dung-1"
# Fri 30/4/2027 and Mon 3/5/2027 off (made up for the test).
CAL = WorkingCalendar(days_off={date(2027, 4, 30): "Giải phóng miền Nam", date(2027, 5, 3): "Nghỉ bù"})
NOW = local(2027, 5, 4, 10, 0)  # Tuesday, the first working day after the long weekend


def test_overdue_counts_working_days_after_the_due_day():
    assert urgency(CAL, local(2027, 5, 4, 8, 30), NOW) == Urgency("overdue", "Quá hạn 2 giờ")  # earlier today
    assert urgency(CAL, local(2027, 4, 29, 17, 0), NOW) == Urgency("overdue", "Quá hạn 1 ngày")  # Thu: 30/4–3/5 off
    assert urgency(CAL, local(2027, 4, 27, 17, 0), NOW) == Urgency("overdue", "Quá hạn 3 ngày")  # Tue: 28, 29/4, 4/5
    # The due day over, but no working day since: still late, by one day.
    assert urgency(CAL, local(2027, 4, 29, 17, 0), local(2027, 5, 1, 9, 0)) == Urgency("overdue", "Quá hạn 1 ngày")


def test_due_today_says_the_time_left_and_soon_the_working_days_left():
    assert urgency(CAL, local(2027, 5, 4, 17, 0), NOW) == Urgency("today", "Hạn hôm nay, còn 7 giờ")
    assert urgency(CAL, local(2027, 5, 4, 10, 0), NOW) == Urgency("today", "Hạn hôm nay, còn 1 phút")
    assert urgency(CAL, local(2027, 5, 4, 10, 40), NOW) == Urgency("today", "Hạn hôm nay, còn 40 phút")
    assert urgency(CAL, local(2027, 5, 5, 17, 0), NOW) == Urgency("soon", "Còn 1 ngày làm việc")
    assert urgency(CAL, local(2027, 5, 6, 10, 0), NOW) == Urgency("soon", "Còn 2 ngày làm việc")
    assert urgency(CAL, local(2027, 5, 6, 10, 1), NOW) == Urgency("later", "")  # past the due-soon box
    assert urgency(CAL, local(2027, 4, 1, 17, 0), NOW, paused=True) == Urgency("paused", "Tạm dừng tính hạn")


def _rows(html: str) -> list[tuple[str, str]]:
    """(code, urgency label) of every row of the inbox table, in order."""
    rows = re.findall(r'<tr>\s*<td><a href="/ho-so/[^"]+">([^<]+)</a>(.*?)</tr>', html, re.S)
    labels = [re.search(r'class="due due-(\w+)">([^<]+)<', body) for _, body in rows]
    return [(code, f"{m.group(1)}: {m.group(2)}" if m else "") for (code, _), m in zip(rows, labels, strict=True)]


def test_the_inbox_lists_the_most_urgent_first_with_its_label(client, db, world):
    w = world
    with frozen(local(2027, 3, 1, 9, 0)):
        made = [receive(db, w) for _ in range(6)]
    at = local(2027, 3, 10, 10, 0)  # Wednesday
    dues = [local(2027, 3, 15, 17, 0), local(2027, 3, 8, 17, 0), local(2027, 3, 10, 17, 0),
            local(2027, 3, 10, 8, 0), local(2027, 3, 11, 17, 0), None]
    for dossier, due in zip(made, dues, strict=True):
        dossier.due_at = due
    db.flush()
    w.head.password_hash = hash_password(PASSWORD)
    db.flush()
    login(client, w.head.username, PASSWORD)
    with frozen(at):
        page = client.get("/xu-ly", params={"hop": "todo"})
    assert page.status_code == 200
    code = [d.code for d in made]
    assert _rows(page.text) == [
        (code[1], "overdue: Quá hạn 2 ngày"),  # Mon 8/3: Tue 9, Wed 10
        (code[3], "overdue: Quá hạn 2 giờ"),  # 08:00 today
        (code[2], "today: Hạn hôm nay, còn 7 giờ"),
        (code[4], "soon: Còn 1 ngày làm việc"),
        (code[0], ""),  # next week: the date alone
        (code[5], ""),  # no due time: last
    ]
    # The API's box is in the same order.
    with frozen(at):
        api = queries.inbox(db, w.head, box="todo", at=at)
    assert [d.code for d in api.items] == [code[i] for i in (1, 3, 2, 4, 0, 5)]
    # The whole history ("Tất cả") stays newest first.
    with frozen(at):
        everything = queries.inbox(db, w.head, at=at)
    assert [d.code for d in everything.items][:6] == code[::-1]


def test_a_long_name_wraps_inside_its_column(client, db, world):
    """A name as long as the limit allows is in a cell that wraps (motcua.css: overflow-wrap)."""
    w = world
    with frozen(local(2027, 3, 1, 9, 0)):
        dossier = receive(db, w)
    dossier.applicant_name = "Nguyễn" * 33  # 198 characters, no space
    w.head.password_hash = hash_password(PASSWORD)
    db.flush()
    login(client, w.head.username, PASSWORD)
    page = client.get("/xu-ly", params={"hop": "todo"})
    assert f'<td class="applicant-cell">{dossier.applicant_name}<br>' in page.text
    css = client.get("/static/motcua.css").text
    assert re.search(r"table\.inbox \.applicant-cell[^{]*\{[^}]*overflow-wrap: anywhere", css)


def _steps(db, dossier_id, kind):
    db.expire_all()
    return list(db.query(StepExecution).filter_by(dossier_id=uuid.UUID(dossier_id), kind=kind))


def test_the_return_step_is_due_at_the_appointment(desk, db):
    """Issued two days before the appointment, collected on the appointment day: on time."""
    received = local(2027, 3, 2, 9, 0)  # Tuesday; 5 working days → Tuesday 9/3 17:00
    with frozen(received):
        dossier = desk.receive()
    appointment = local(2027, 3, 9, 17, 0)
    assert to_local(db.get(Dossier, uuid.UUID(dossier["id"])).due_at) == appointment
    with frozen(local(2027, 3, 5, 10, 0)):
        for action, who, body in (("forward", "head", {}), ("forward", "specialist", {}), ("approve", "head", {}),
                                  ("issue_result", "clerk", {"result_number": RESULT_NUMBER})):
            assert desk.act(dossier["id"], action, who, body).status_code == 200
    (step,) = _steps(db, dossier["id"], "return")
    assert to_local(step.due_at) == appointment  # not 2 working hours after the issue
    with frozen(local(2027, 3, 9, 16, 30)):
        assert desk.act(dossier["id"], "return_result", "counter").status_code == 200
    (step,) = _steps(db, dossier["id"], "return")
    assert step.outcome == "on_time"


def test_a_result_issued_after_the_appointment_gets_the_steps_allotment(desk, db):
    with frozen(local(2027, 3, 2, 9, 0)):
        dossier = desk.receive()
    issued = local(2027, 3, 10, 9, 0)  # the day after the appointment
    with frozen(issued):
        for action, who, body in (("forward", "head", {}), ("forward", "specialist", {}), ("approve", "head", {}),
                                  ("issue_result", "clerk", {"result_number": RESULT_NUMBER})):
            assert desk.act(dossier["id"], action, who, body).status_code == 200
    (step,) = _steps(db, dossier["id"], "return")
    assert step.due_at - issued > timedelta(0)  # the counter is not late for what it did not have
    assert to_local(step.due_at).date() == issued.date()

