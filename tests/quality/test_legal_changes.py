"""The 3-month rule: a procedure's published change opens a task for every unit implementing
it, due three months after it takes effect; a task left open past that is flagged once, to
the unit and to the Department of Science and Technology."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from motcua.catalog import changes
from motcua.core.clock import frozen
from motcua.core.errors import Conflict, Forbidden
from motcua.notify.models import OutboxMessage
from motcua.quality import legal_changes
from motcua.quality.audit_schemas import TaskDoneIn
from motcua.quality.models import LegalChangeTask
from tests import factories
from tests.factories import local
from tests.quality.audit_world import build


def decide(db, number, effective_on, *records):
    changeset = changes.diff(db, [changes.Entry(record=r) for r in records])
    decision = changes.Decision(number, date(2027, 1, 10), effective_on, "Chủ tịch UBND tỉnh Lạng Sơn")
    return changes.apply(db, changeset, decision, actor="t_admin")


@pytest.fixture
def world(db):
    w = build(db)
    w.p = factories.procedure(db, "QTST-1", "Cấp giấy phép xây dựng (thử ISO)", days=15, agencies=[w.a, w.b, w.c])
    w.other = factories.procedure(db, "QTST-2", "Thủ tục khác (thử ISO)", days=5, agencies=[w.a])
    return w


def tasks(db):
    return db.scalars(select(LegalChangeTask).order_by(LegalChangeTask.due_on, LegalChangeTask.unit_id)).all()


def test_a_time_limit_change_opens_a_task_per_implementing_unit_due_three_months_after(db, session_factory, world):
    with frozen(local(2027, 2, 1)):
        decide(db, "15/QĐ-UBND", date(2027, 1, 31),
               {"code": "QTST-1", "time_limit_days": 10, "time_limit_basis": "Khoản 2 Điều 102 Luật Xây dựng"})
        db.commit()
        assert legal_changes.run(session_factory) == (
            "mở 2 việc cập nhật quy trình theo thay đổi pháp lý, báo 0 việc quá hạn")
    found = tasks(db)
    # Agency c implements it too, but runs no quality system: no unit, no task.
    assert {t.unit_id for t in found} == {world.unit_a.id, world.unit_b.id}
    for t in found:
        assert t.changes == ["time_limit"]
        assert t.decision_number == "15/QĐ-UBND"
        assert t.effective_on == date(2027, 1, 31)
        assert t.due_on == date(2027, 4, 30)  # 31 January + 3 months: the end of April
        assert t.status == "open" and t.flagged_at is None
    # Judged once: another pass opens nothing more.
    with frozen(local(2027, 2, 2)):
        assert legal_changes.run(session_factory).startswith("mở 0 việc")
    assert len(tasks(db)) == 2


def test_legal_basis_and_components_count_a_name_change_does_not(db, world):
    with frozen(local(2027, 2, 1)):
        decide(db, "20/QĐ-UBND", date(2027, 2, 1),
               {"code": "QTST-1", "legal_basis": "Luật Xây dựng 2014; Nghị định 15/2021/NĐ-CP",
                "components": [{"name": "Đơn đề nghị cấp giấy phép", "original_count": 1, "copy_count": 0}],
                "components_basis": "Điều 43 Nghị định 15/2021/NĐ-CP"},
               {"code": "QTST-2", "name": "Thủ tục khác (thử ISO, tên mới)"})
        created = legal_changes.scan(db, legal_changes.unscanned(db))
    assert created == 2
    assert sorted(t.changes for t in tasks(db)) == [["legal_basis", "components"]] * 2
    assert {t.procedure_id for t in tasks(db)} == {world.p.id}


def test_a_task_open_past_three_months_is_flagged_once_to_the_unit_and_the_department(db, session_factory, world):
    with frozen(local(2027, 1, 20)):
        decide(db, "15/QĐ-UBND", date(2027, 1, 15), {"code": "QTST-1", "time_limit_days": 10,
                                                      "time_limit_basis": "Khoản 2 Điều 102 Luật Xây dựng"})
        legal_changes.scan(db, legal_changes.unscanned(db))
    task_a, task_b = sorted(tasks(db), key=lambda t: t.unit_id != world.unit_a.id)
    assert task_a.due_on == task_b.due_on == date(2027, 4, 15)
    with frozen(local(2027, 3, 2)):
        legal_changes.complete_task(db, world.sec_a, task_a.id, **TaskDoneIn(
            done_on="01/03/2027", note="Ban hành lại QT-XD-01 lần 2").model_dump())
        with pytest.raises(Forbidden):  # the other unit's secretary does not act for unit b... nor a
            legal_changes.complete_task(db, world.sec_a, task_b.id, done_on=date(2027, 3, 1), note="x")
        with pytest.raises(Conflict):
            legal_changes.complete_task(db, world.sec_a, task_a.id, done_on=date(2027, 3, 1), note="x")
    db.commit()
    with frozen(local(2027, 4, 15, 23, 0)):  # the due day itself is still in time
        assert legal_changes.run(session_factory).endswith("báo 0 việc quá hạn")
    with frozen(local(2027, 4, 16, 8, 0)):
        assert legal_changes.run(session_factory).endswith("báo 1 việc quá hạn")
        assert legal_changes.run(session_factory).endswith("báo 0 việc quá hạn")
    db.refresh(task_a)
    db.refresh(task_b)
    assert task_a.status == "done" and task_a.flagged_at is None
    assert task_b.status == "open" and task_b.flagged_at is not None
    mails = db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "quality_legal_overdue")
                       .order_by(OutboxMessage.recipient)).all()
    assert [m.recipient for m in mails] == ["iso@khcn.example.vn", "thuky.b@example.vn"]
    assert mails[0].subject == "Quá hạn cập nhật quy trình ISO: thủ tục QTST-1"
    assert ("UBND xã Thử ISO chưa cập nhật quy trình nội bộ và tài liệu của thủ tục QTST-1" in mails[1].body
            and "hạn cập nhật 15/04/2027 đã qua" in mails[1].body and "Quyết định số 15/QĐ-UBND" in mails[1].body)
    # The lists: the unit's secretary sees its own tasks, the Department sees both.
    with frozen(local(2027, 4, 16, 9, 0)):
        mine = legal_changes.list_tasks(db, world.sec_b)
        everyone = legal_changes.list_tasks(db, world.sec_dept, open_only=True)
    assert [(v.agency_code, v.overdue(date(2027, 4, 16))) for v in mine] == [(world.b.code, True)]
    assert [v.task.id for v in everyone] == [task_b.id]


def test_an_abolished_procedure_also_asks_for_the_update(db, world):
    with frozen(local(2027, 5, 1)):
        changeset = changes.diff(db, [changes.Entry(record={"code": "QTST-2"}, kind=changes.ChangeKind.abolished)])
        changes.apply(db, changeset, changes.Decision("30/QĐ-UBND", date(2027, 5, 1), date(2027, 5, 1), "UBND tỉnh"),
                      actor="t_admin")
        assert legal_changes.scan(db, legal_changes.unscanned(db)) == 1
    (task,) = tasks(db)
    assert task.unit_id == world.unit_a.id and task.changes == ["abolished"] and task.due_on == date(2027, 8, 1)
