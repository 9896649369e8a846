"""Progress entries, roles, overdue flags, the period reports and a unit's own plan, against exact figures."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from motcua.core.clock import LOCAL_TZ, frozen
from motcua.core.errors import Forbidden, InvalidInput, NotFound
from motcua.notify.models import OutboxMessage
from motcua.reform import progress
from motcua.reform.jobs import run_reminders
from motcua.reform.models import ReformEvidence, ReformProgress, ReformReminder, ReformTask
from motcua.reform.plans import (
    ContentGroup,
    PlanData,
    TaskData,
    TaskStatus,
    UnitRole,
    create_plan,
    deadline_from_text,
)
from motcua.reform.progress import ProgressIn, ReportPeriod, Upload
from tests import factories
from tests.dossiers.world import local
from tests.html_forms import signed_in

PDF = b"%PDF-1.4\n% minh chung\n"
TODAY = date(2027, 10, 15)


def _task(group, title, lead, deadline_text, *, lead_id=None, coop_ids=()):
    return TaskData(content_group=group, title=title, lead_unit=lead, deadline_text=deadline_text,
                    deadline=deadline_from_text(deadline_text), lead_agency_id=lead_id,
                    cooperating_agency_ids=list(coop_ids))


@pytest.fixture
def world(db, agencies, tmp_path):
    justice, finance = agencies.justice, agencies.finance
    plan = create_plan(db, PlanData(year=2027, province="Lạng Sơn", decision="Quyết định số 1/QĐ-UBND (kiểm thử)",
                                    title="Kế hoạch CCHC năm 2027 (kiểm thử)"), [
        _task(ContentGroup.procedures, "Rà soát TTHC", "Sở Tư pháp", "Quý I/2027", lead_id=justice.id,
              coop_ids=[finance.id]),
        _task(ContentGroup.institutions, "Kiểm tra văn bản", "Sở Tư pháp", "30/06/2027", lead_id=justice.id),
        _task(ContentGroup.public_finance, "Tự chủ tài chính", "Sở Tài chính", "Tháng 8/2027", lead_id=finance.id),
        _task(ContentGroup.direction, "Tuyên truyền CCHC", "Sở Tư pháp", "Nhiệm vụ thường xuyên", lead_id=justice.id),
    ])
    tasks = progress.plan_tasks(db, plan)
    ns = type("World", (), {})()
    ns.plan, ns.t1, ns.t2, ns.t3, ns.t4 = plan, *tasks
    ns.justice, ns.finance = justice, finance
    ns.lead = factories.user(db, "t_tuphap", "Lê Văn Tư Pháp", ("reform_officer", justice))
    ns.coop = factories.user(db, "t_taichinh", "Phạm Thị Tài Chính", ("reform_officer", finance))
    ns.root = tmp_path / "files"
    return ns


def report(db, w, user, task, on, role=UnitRole.lead, files=(), **fields):
    data = ProgressIn(role=role, reported_on=on, content=fields.pop("content", "Đã triển khai."), **fields)
    return progress.report_progress(db, user, task, data, list(files), on=TODAY, root=w.root)


def history(db, w):
    report(db, w, w.lead, w.t1, date(2027, 2, 15), status=TaskStatus.in_progress, percent=40)
    report(db, w, w.coop, w.t1, date(2027, 2, 20), role=UnitRole.cooperate, content="Sở Tài chính góp ý dự thảo.")
    report(db, w, w.lead, w.t1, date(2027, 3, 25), status=TaskStatus.done, files=[Upload("ket-qua.pdf", PDF)])
    report(db, w, w.lead, w.t2, date(2027, 5, 10), status=TaskStatus.in_progress, percent=50)
    report(db, w, w.lead, w.t2, date(2027, 7, 15), status=TaskStatus.done, files=[Upload("bao-cao", PDF)])
    report(db, w, w.lead, w.t4, date(2027, 4, 1), status=TaskStatus.in_progress, percent=30)


def figures(r: progress.Report) -> tuple:
    t = r.total
    return t.tasks, t.done_on_time, t.done_late, t.in_progress, t.not_started, t.overdue, t.entries


def test_entries_update_the_task_and_keep_their_evidence(db, world):
    w = world
    history(db, w)
    assert (w.t1.status, w.t1.percent, w.t1.completed_on) == ("done", 100, date(2027, 3, 25))
    assert (w.t4.status, w.t4.percent) == ("in_progress", 30)
    entries = progress.entries_of(db, [w.t1.id])[w.t1.id]
    assert [(e.role, e.unit_name, e.status) for e in entries] == [
        ("lead", "Sở Tư pháp", "in_progress"), ("cooperate", w.finance.name, None), ("lead", "Sở Tư pháp", "done")]
    files = progress.evidence_of(db, [entries[2].id])[entries[2].id]
    assert [(f.name, f.content_type, f.size) for f in files] == [("ket-qua.pdf", "application/pdf", len(PDF))]
    assert (w.root / files[0].sha256[:2] / files[0].sha256).read_bytes() == PDF
    named = progress.evidence_of(db, [e.id for e in progress.entries_of(db, [w.t2.id])[w.t2.id]])
    assert [f.name for fs in named.values() for f in fs] == ["bao-cao.pdf"]


def test_roles_are_checked_in_the_service(db, world, agencies):
    w = world
    with pytest.raises(Forbidden):  # the co-operating unit does not report the lead's progress
        report(db, w, w.coop, w.t1, date(2027, 2, 1), status=TaskStatus.in_progress, percent=10)
    with pytest.raises(Forbidden):  # the lead unit is not a co-operating unit of its own task
        report(db, w, w.lead, w.t1, date(2027, 2, 1), role=UnitRole.cooperate)
    other = factories.user(db, "t_khac", "Đỗ Văn Khác", ("specialist", w.justice))
    with pytest.raises(Forbidden):  # a specialist is neither the reform officer nor the head
        report(db, w, other, w.t1, date(2027, 2, 1), status=TaskStatus.in_progress, percent=10)
    assert db.scalar(select(func.count()).select_from(ReformProgress)) == 0


def test_a_home_affairs_officer_reports_on_behalf_of_a_unit(db, world, officer):
    entry = report(db, world, officer, world.t3, date(2027, 9, 1), status=TaskStatus.in_progress, percent=20)
    assert (entry.unit_name, entry.author_name, world.t3.status) == ("Sở Tài chính", "Trần Thị Cải Cách", "in_progress")
    part = report(db, world, officer, world.t1, date(2027, 9, 1), role=UnitRole.cooperate, unit_name="Công an tỉnh")
    assert (part.unit_name, part.agency_id) == ("Công an tỉnh", None)


@pytest.mark.parametrize(("fields", "files", "message"), [
    ({"status": TaskStatus.done}, [], "ít nhất một tệp minh chứng"),
    ({"status": TaskStatus.in_progress, "percent": 100}, [], "từ 1 đến 99"),
    ({"status": TaskStatus.in_progress}, [], "từ 1 đến 99"),
    ({"status": TaskStatus.done, "percent": 80}, [Upload("a.pdf", PDF)], "100 %"),
    ({}, [], "chọn tình trạng"),
    ({"status": TaskStatus.done}, [Upload("a.pdf", b"just text")], "Định dạng tệp không được chấp nhận"),
])
def test_a_bad_report_changes_nothing(db, world, fields, files, message):
    with pytest.raises(InvalidInput, match=message):
        report(db, world, world.lead, world.t1, date(2027, 3, 1), files=files, **fields)
    assert db.scalar(select(func.count()).select_from(ReformProgress)) == 0
    assert db.scalar(select(func.count()).select_from(ReformEvidence)) == 0
    assert (world.t1.status, world.t1.percent) == ("not_started", 0)


def test_a_future_report_is_refused(db, world):
    with pytest.raises(InvalidInput, match="sau hôm nay"):
        report(db, world, world.lead, world.t1, date(2027, 10, 16), status=TaskStatus.in_progress, percent=5)


def test_overdue_flags(db, world):
    w = world
    history(db, w)
    assert [t.title for t in progress.overdue_tasks(db, on=TODAY, visible={w.t1.id, w.t2.id, w.t3.id, w.t4.id})] == [
        "Tự chủ tài chính"]
    state_june = progress.state_at(progress.entries_of(db, [w.t2.id])[w.t2.id], date(2027, 6, 30))
    assert state_june == progress.State(TaskStatus.in_progress, 50, None)
    assert not progress.is_overdue(w.t2, state_june, date(2027, 6, 30))  # due that very day
    assert progress.is_overdue(w.t2, state_june, date(2027, 7, 1))
    done = progress.state_at(progress.entries_of(db, [w.t2.id])[w.t2.id])
    assert progress.is_overdue(w.t2, done, TODAY) and progress.done_late(w.t2, done)  # done, but late
    assert not progress.is_overdue(w.t4, progress.NOT_STARTED, TODAY)  # recurring: no deadline


@pytest.mark.parametrize(("kind", "expected"), [
    # tasks, done on time, done late, in progress, not started, overdue, entries of the period
    (ReportPeriod.q1, (4, 1, 0, 0, 3, 0, 3)),
    (ReportPeriod.q2, (4, 1, 0, 2, 1, 0, 2)),
    (ReportPeriod.q3, (4, 1, 1, 1, 1, 1, 1)),
    (ReportPeriod.q4, (4, 1, 1, 1, 1, 1, 0)),
    (ReportPeriod.h1, (4, 1, 0, 2, 1, 0, 5)),
    (ReportPeriod.m9, (4, 1, 1, 1, 1, 1, 6)),
    (ReportPeriod.year, (4, 1, 1, 1, 1, 1, 6)),
])
def test_reports_per_period(db, world, kind, expected):
    w = world
    history(db, w)
    r = progress.assemble(db, w.plan, kind, on=TODAY)
    assert figures(r) == expected
    groups = progress.Totals()
    for t in r.groups.values():
        groups.add(t)
    assert groups == r.total  # the groups add up to the whole


def test_reports_per_unit_and_judged_while_the_year_runs(db, world):
    w = world
    history(db, w)
    finance = progress.assemble(db, w.plan, ReportPeriod.year, unit=w.finance.code, on=TODAY)
    assert finance.unit == w.finance.name and finance.at == TODAY
    assert [r.task.title for r in finance.rows] == ["Rà soát TTHC", "Tự chủ tài chính"]
    assert figures(finance) == (2, 1, 0, 0, 1, 1, 3)
    lead = progress.assemble(db, w.plan, ReportPeriod.m9, unit="Sở Tư pháp", on=TODAY)
    assert figures(lead) == (3, 1, 1, 1, 0, 0, 6)
    assert lead.groups[ContentGroup.procedures].done_on_time == 1
    with pytest.raises(InvalidInput, match="Không có đơn vị"):
        progress.assemble(db, w.plan, ReportPeriod.q1, unit="Sở Không Có", on=TODAY)
    with pytest.raises(InvalidInput, match="^Kỳ báo cáo Quý IV năm 2027 chưa bắt đầu.$"):
        progress.assemble(db, w.plan, ReportPeriod.q4, on=date(2027, 9, 30))


def test_a_period_is_named_with_its_year_once():
    names = {kind: progress.period_name(kind, 2027) for kind in ReportPeriod}
    assert names == {ReportPeriod.q1: "Quý I năm 2027", ReportPeriod.q2: "Quý II năm 2027",
                     ReportPeriod.q3: "Quý III năm 2027", ReportPeriod.q4: "Quý IV năm 2027",
                     ReportPeriod.h1: "6 tháng đầu năm 2027", ReportPeriod.m9: "9 tháng năm 2027",
                     ReportPeriod.year: "năm 2027"}


def test_reminders_before_the_deadline_and_when_overdue_once_each(db, world, officer, sample, session_factory):
    w = world
    w.lead.email = "cchc@sotuphap.example.vn"
    officer.email = "cchc@sonoivu.example.vn"
    # A real plan whose lead unit is written but not an agency here: its reminders go to the
    # Department of Home Affairs' reform officers.
    create_plan(db, PlanData(year=2027, province="Lạng Sơn", decision="Quyết định số 9/QĐ-UBND (kiểm thử)",
                             title="Kế hoạch bổ sung (kiểm thử)"),
                [_task(ContentGroup.direction, "Đo lường sự hài lòng", "Ban Dân tộc tỉnh", "Tháng 2/2027")])
    db.commit()
    # The sample plan's 13 dated tasks of 2021 are long past their deadlines, not done, and
    # nobody is reminded of them (a sample is not followed up).
    sample_overdue = [t for t in progress.plan_tasks(db, sample) if t.deadline and t.deadline < date(2027, 3, 20)]
    assert len(sample_overdue) == 13 and all(t.status != "done" for t in sample_overdue)
    assert run_reminders(session_factory, at=local(2027, 3, 20, 9)) == 1  # the February task; t1 is 11 days off
    assert run_reminders(session_factory, at=local(2027, 3, 24, 9)) == 1  # t1: 7 days before
    assert run_reminders(session_factory, at=local(2027, 3, 25, 9)) == 0  # once
    assert run_reminders(session_factory, at=local(2027, 4, 1, 9)) == 1  # t1 overdue
    mails = db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reform_reminder")
                       .order_by(OutboxMessage.recipient, OutboxMessage.subject)).all()
    assert [(m.recipient, m.subject) for m in mails] == [
        ("cchc@sonoivu.example.vn", "Nhiệm vụ cải cách hành chính đã quá hạn"),
        ("cchc@sotuphap.example.vn", "Nhiệm vụ cải cách hành chính sắp đến hạn"),
        ("cchc@sotuphap.example.vn", "Nhiệm vụ cải cách hành chính đã quá hạn")]
    assert "“Đo lường sự hài lòng” (chủ trì: Ban Dân tộc tỉnh) đã quá hạn: thời hạn 28/02/2027" in mails[0].body
    assert "“Rà soát TTHC” (chủ trì: Sở Tư pháp) sắp đến hạn: thời hạn 31/03/2027; tình trạng: 0 %." in mails[1].body
    kinds = db.scalars(select(ReformReminder.kind).where(ReformReminder.task_id == w.t1.id)).all()
    assert sorted(kinds) == ["before_deadline", "overdue"]
    reminded_plans = set(db.scalars(select(ReformTask.plan_id).join(
        ReformReminder, ReformReminder.task_id == ReformTask.id)))
    assert sample.id not in reminded_plans


def test_the_overdue_list_leaves_out_the_sample_plan(db, world, sample):
    w = world
    overdue = progress.overdue_tasks(db, on=TODAY)
    assert [t.title for t in overdue] == ["Rà soát TTHC", "Kiểm tra văn bản", "Tự chủ tài chính"]
    assert all(t.plan_id == w.plan.id for t in overdue)


# --- a unit's own plan (issue 15 item 1: "per unit, derived from it") ------------------------------

NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0, tzinfo=LOCAL_TZ)


def _rows(up: progress.UnitPlan) -> list[tuple]:
    return [(r.task.title, r.role, r.task.status, r.overdue, r.entries, r.own_entries) for r in up.rows]


def test_each_unit_sees_the_tasks_it_leads_or_co_operates_on(db, world):
    w = world
    history(db, w)
    justice = progress.unit_plan(db, w.lead, w.plan, w.justice.code, on=TODAY)
    assert _rows(justice) == [
        ("Rà soát TTHC", "lead", "done", False, 3, 2),  # done 25/03, before the end of Quý I
        ("Kiểm tra văn bản", "lead", "done", True, 2, 2),  # done 15/07, after 30/06: late
        ("Tuyên truyền CCHC", "lead", "in_progress", False, 1, 1),  # recurring: never overdue
    ]
    assert (justice.count(role="lead"), justice.count(role="cooperate"), justice.count(overdue=True)) == (3, 0, 1)
    finance = progress.unit_plan(db, w.coop, w.plan, w.finance.code, on=TODAY)
    assert _rows(finance) == [
        ("Rà soát TTHC", "cooperate", "done", False, 3, 1),
        ("Tự chủ tài chính", "lead", "not_started", True, 0, 0),  # Tháng 8/2027 passed, nothing reported
    ]
    with pytest.raises(Forbidden, match="cơ quan, đơn vị mình"):  # justice's officer, finance's plan
        progress.unit_plan(db, w.lead, w.plan, w.finance.code, on=TODAY)
    with pytest.raises(NotFound):
        progress.unit_plan(db, w.lead, w.plan, "000.99.99.H37", on=TODAY)


def test_the_unit_plan_page_and_api(client, db, world, officer):
    w = world
    history(db, w)
    headers = factories.bearer(db, w.coop)
    db.commit()
    with frozen(NOW):
        body = client.get(f"/api/v1/reform/plans/{w.plan.id}/units/{w.finance.code}/tasks", headers=headers).json()
        assert (body["agency_name"], body["year"], body["total"], body["lead"], body["cooperate"], body["overdue"]) == (
            w.finance.name, 2027, 2, 1, 1, 1)
        assert [(t["title"], t["role"], t["status"], t["overdue"], t["entries"], t["own_entries"])
                for t in body["tasks"]] == [("Rà soát TTHC", "cooperate", "done", False, 3, 1),
                                            ("Tự chủ tài chính", "lead", "not_started", True, 0, 0)]
        other = client.get(f"/api/v1/reform/plans/{w.plan.id}/units/{w.justice.code}/tasks", headers=headers)
        assert other.status_code == 403 and other.json()["title"].startswith("Bạn chỉ xem được kế hoạch")

        signed_in(client, "t_cchc")  # the Department sees every unit's plan, linked from the plan
        plan_page = client.get(f"/quan-tri/cai-cach-hanh-chinh/{w.plan.id}")
        link = f"/quan-tri/cai-cach-hanh-chinh/{w.plan.id}/don-vi/{w.justice.code}"
        assert f'<a href="{link}">{w.justice.name}</a>' in plan_page.text
        page = client.get(link)
    assert page.status_code == 200
    assert f"Kế hoạch cải cách hành chính năm 2027 của {w.justice.name}" in page.text
    summary = page.text.split('id="tong-hop-don-vi">')[1].split("</dl>")[0]
    assert [s.split("</dd>")[0] for s in summary.split("<dd>")[1:]] == ["3", "3", "0", "1"]
    table = page.text.split('id="nhiem-vu-don-vi">')[1].split("</table>")[0]
    assert table.count("<tr>") == 4 and table.count("Quá hạn") == 1 and "3 (2)" in table
