"""The outbound sync against the simulator over real HTTP, on both backends: every change of a
counter dossier written to the outbox in its transaction, sent in order (TraCuuHoSo →
DongBoHoSoMC → CapNhatTienDoHoSoMC), retried with back-off through failures and timeouts
without losing or repeating anything; unmapped procedures reported, never sent; reconcile."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from motcua.auth.queries import find_user
from motcua.auth.roles import Role
from motcua.catalog.models import NationalCode
from motcua.core.clock import now
from motcua.dossiers.service import perform_action
from motcua.dossiers.service.context import ActionParams
from motcua.dvcqg.enums import SyncState
from motcua.dvcqg.models import OutboxEntry, SyncLedger
from motcua.dvcqg.outbound import LEASE, claim, send_pending
from motcua.dvcqg.reconcile import out_of_sync, reconcile, sync_ratio
from motcua.integrations.dvcqg import wire
from tests import factories
from tests.dossiers.world import build_world, receive
from tests.html_forms import signed_in

MARRIAGE = "1.000894"  # a code of the simulator's national catalogue
LATER = timedelta(hours=2)  # past any back-off
SYNC_PAGE = "/quan-tri/dvcqg/dong-bo-ho-so"


@pytest.fixture
def world(db):
    w = build_world(db)
    db.add(NationalCode(procedure_id=w.p_dept.id, national_code=MARRIAGE, national_name="Đăng ký kết hôn",
                        confirmed_by="kiểm thử"))
    db.commit()
    return w


def act(db, dossier, user, action: str, **params):
    """`perform_action` as `user`, loaded again with its roles (the test commits in between)."""
    return perform_action(db, dossier, user=find_user(db, user.username), action=action, params=ActionParams(**params))


def outbox(db, dossier) -> list[tuple[int, str, int, bool]]:
    db.expire_all()
    return [(e.seq, e.action, e.status, e.sent_at is not None)
            for e in db.scalars(select(OutboxEntry).where(OutboxEntry.dossier_id == dossier.id).order_by(OutboxEntry.seq))]


def test_every_change_is_written_with_it_and_sent_in_order(db, session_factory, portal, simulator, world):
    dossier = receive(db, world)
    db.commit()
    assert outbox(db, dossier) == [(1, "receive", 2, False)]

    report = send_pending(session_factory, portal)
    assert (report.synced, report.steps, report.failed) == ([dossier.code], 1, {})
    held = simulator.held(dossier.code)
    assert held["TrangThaiHoSo"] == "2" and held["NgayHenTra"] == wire.format_date(dossier.due_at)
    assert held["record"]["MaTTHC"] == MARRIAGE and held["record"]["TenTTHC"] == "Đăng ký kết hôn"
    assert held["record"]["KenhThucHien"] == "1" and held["record"]["DonViXuLy"] == world.dept.name
    assert held["record"]["DuocThanhToanTrucTuyen"] == "0"
    assert [(f["TenPhiLePhi"], f["Gia"]) for f in held["record"]["DanhSachLePhi"]] == [("Phí, lệ phí", "0")]
    assert [(p["TrangThai"], p["NoiDungXuLy"], p["NguoiXuLy"]) for p in held["progress"]] == [
        ("2", "Tiếp nhận hồ sơ", "Nguyễn Thị Một Cửa")]
    assert outbox(db, dossier) == [(1, "receive", 2, True)]

    act(db, dossier, world.head, "forward")
    act(db, dossier, world.specialist, "request_supplement", missing_items=["Bản sao giấy khai sinh"])
    db.commit()
    assert send_pending(session_factory, portal).steps == 2
    held = simulator.held(dossier.code)
    assert [v["isUpdating"] for v in held["versions"]] == ["False", "True"]
    assert [p["TrangThai"] for p in held["progress"]] == ["2", "4", "5"]
    assert held["progress"][2]["NoiDungXuLy"].startswith("Yêu cầu bổ sung hồ sơ")
    assert held["record"]["DanhSachHoSoBoSung"][0]["NoiDungBoSung"] == "Bản sao giấy khai sinh"
    # Nothing pending: a pass sends nothing; reconcile finds the portal in step.
    assert send_pending(session_factory, portal).synced == []
    result = reconcile(session_factory, portal)
    assert (result.checked, result.differences, result.unmapped) == (1, [], [])


def test_a_rolled_back_change_leaves_no_outbox_row(db, world):
    dossier = receive(db, world)
    db.commit()
    act(db, dossier, world.head, "forward")
    db.rollback()
    assert outbox(db, dossier) == [(1, "receive", 2, False)]


def test_unmapped_procedure_is_reported_not_sent(db, session_factory, portal, simulator, world):
    dossier = receive(db, world, procedure=world.p_cross)
    db.commit()
    report = send_pending(session_factory, portal)
    assert (report.synced, report.unmapped) == ([], [dossier.code])
    assert not [c for c in simulator.calls() if c["service"] == "DongBoHoSoMC"]
    [listed] = [o for o in out_of_sync(db) if o.dossier_id == dossier.id]
    assert (listed.state, listed.unsent) == (SyncState.unmapped, 1)
    assert "chưa được ghép mã" in listed.last_error
    assert reconcile(session_factory, portal).unmapped == [dossier.code]


def test_failures_and_timeouts_lose_nothing_and_repeat_nothing(db, session_factory, portal, simulator, world):
    first, second = receive(db, world), receive(db, world)
    db.commit()
    simulator.fault("DongBoHoSoMC", "http", "503", times=1)
    report = send_pending(session_factory, portal)
    # The first dossier failed and waits for its back-off; the second went on.
    assert list(report.failed) == [first.code] and report.synced == [second.code]
    ledger = db.get(SyncLedger, first.id)
    assert (ledger.state, ledger.attempts) == (SyncState.failed, 1)
    assert ledger.next_attempt_at > now() + timedelta(seconds=20)
    assert send_pending(session_factory, portal).synced == []  # not yet due

    # The portal carries out the progress call after our timeout (2 s): the step is on the
    # portal although we saw a failure; the next attempt must not append it again.
    simulator.fault("CapNhatTienDoHoSoMC", "delay", "3", times=1)
    report = send_pending(session_factory, portal, at=now() + LATER)
    assert "không trả lời" in report.failed[first.code]
    time.sleep(1.5)
    simulator.fault("TraCuuHoSo", "error_code", "99", times=1)
    assert list(send_pending(session_factory, portal, at=now() + LATER).failed) == [first.code]
    assert send_pending(session_factory, portal, at=now() + LATER).synced == [first.code]

    for dossier in (first, second):
        held = simulator.held(dossier.code)
        assert [p["TrangThai"] for p in held["progress"]] == ["2"], dossier.code
        assert outbox(db, dossier) == [(1, "receive", 2, True)]
    db.expire_all()
    assert (db.get(SyncLedger, first.id).state, db.get(SyncLedger, first.id).attempts) == (SyncState.synced, 0)
    assert reconcile(session_factory, portal).differences == []
    assert [o for o in out_of_sync(db) if o.dossier_id in {first.id, second.id}] == []


def test_reconcile_reports_what_the_portal_holds_differently(db, session_factory, portal, simulator, world):
    dossier = receive(db, world)
    db.commit()
    send_pending(session_factory, portal)
    act(db, dossier, world.head, "forward")
    db.commit()
    result = reconcile(session_factory, portal)
    [difference] = result.differences
    assert difference.code == dossier.code
    assert difference.reasons[0] == "còn 1 thay đổi chưa gửi được"
    assert "trạng thái trên Cổng 2 Được tiếp nhận, tại một cửa 4 Đang xử lý" in difference.reasons
    [listed] = [o for o in out_of_sync(db) if o.dossier_id == dossier.id]
    assert (listed.national_status, listed.status, listed.unsent) == (2, 4, 1)


def test_out_of_sync_page_for_staff_of_the_agencies_concerned(db, client, session_factory, portal, world):
    unmapped = receive(db, world, procedure=world.p_cross)
    synced = receive(db, world)
    db.commit()
    send_pending(session_factory, portal)
    factories.account(db, "qt-dongbo", Role.province_admin, agency=world.centre)
    factories.account(db, "cv-xa-khac", Role.specialist, agency=world.commune2)
    db.commit()

    signed_in(client, "qt-dongbo")
    page = client.get(SYNC_PAGE)
    assert page.status_code == 200
    assert unmapped.code in page.text and synced.code not in page.text
    assert "Thủ tục chưa ghép mã quốc gia" in page.text and "2 – Được tiếp nhận" in page.text

    signed_in(client, "cv-xa-khac")
    page = client.get(SYNC_PAGE)
    assert page.status_code == 200 and unmapped.code not in page.text
    assert "Mọi hồ sơ đã được đồng bộ" in page.text


def test_one_sender_at_a_time_per_dossier(db, session_factory, world):
    dossier = receive(db, world)
    db.commit()
    assert claim(session_factory, dossier.id, at=now()) is True
    assert claim(session_factory, dossier.id, at=now()) is False  # a second worker keeps off
    assert claim(session_factory, dossier.id, at=now() + LEASE + timedelta(seconds=1)) is True  # lease over


def test_sync_ratio_of_the_period(db, session_factory, portal, world):
    start = now() - timedelta(hours=1)
    _first, second, _third = receive(db, world), receive(db, world), receive(db, world, procedure=world.p_cross)
    db.commit()
    send_pending(session_factory, portal)  # the unmapped third is not sent
    act(db, second, world.head, "forward")
    db.commit()
    ratio = sync_ratio(db, start, now() + timedelta(hours=1))
    assert (ratio.received, ratio.synced, ratio.up_to_date) == (3, 2, 1)
    assert round(ratio.percent, 1) == 66.7
    assert sync_ratio(db, start - timedelta(days=1), start).received == 0
