"""The online channel end to end against the simulator over real HTTP, on both backends
(issue 11, "Done when"): a citizen's submission on the portal reaches the online queue with
status 1 under its MaHoSo; the counter asks for completion (5), the supplement arrives online,
the counter accepts (2, appointment on the portal); handling, a supplement asked and sent
online, the result issued (9) and returned (10): the portal holds 10 and every step in order.
Everything goes through the worker's jobs; taking the same submission twice creates nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from motcua.auth.queries import find_user
from motcua.auth.roles import Role
from motcua.core.errors import TransitionNotAllowed
from motcua.domains import registry
from motcua.dossiers.enums import DossierStatus
from motcua.dossiers.models import Dossier, DossierAttachment, DossierComponent, DossierEvent
from motcua.dossiers.service import perform_action
from motcua.dossiers.service.context import ActionParams
from motcua.dossiers.service.online import OnlineDecision, decide_online
from motcua.dvcqg.jobs import JOBS
from motcua.dvcqg.models import OutboxEntry
from motcua.dvcqg.reconcile import reconcile
from motcua.integrations.dvcqg import wire
from motcua.integrations.dvcqg.config import DvcqgSettings
from motcua.integrations.dvcqg.legacy import LegacyPortal
from motcua.jobs.worker import run_due_jobs
from tests import factories
from tests.dossiers.world import receive
from tests.dvcqg.conftest import MARRIAGE
from tests.html_forms import csrf_from, signed_in
from tests.integrations.dvcqg.fixtures import PASSWORD

PDF = "JVBERi0xLjQKJSBrIHRo"  # base64 of a small PDF header
QUEUE = "/quay/truc-tuyen"
EXCHANGE = [job for job in JOBS if job.name in {"dvcqg-inbound", "dvcqg-dossier-sync"}]


def submission(world) -> dict:
    return {
        "MaTTHC": MARRIAGE, "MaDonViTiepNhan": world.centre.code, "ChuHoSo": "Nguyễn Thị Hoà", "LoaiDoiTuong": "1",
        "SoGiayToChuHoSo": "020190001234", "SoDienThoai": "0912345678", "Email": "hoa@example.vn",
        "TrichYeuHoSo": "Cấp phiếu lý lịch tư pháp", "NgayNopHoSo": "20261201080000", "MaDoiTuong": "TECH-77",
        "ThanhPhanHoSo": [{"TenThanhPhanHoSo": "Tờ khai yêu cầu cấp phiếu", "SoLuong": "1",
                           "TaiLieuNop": [{"TepDinhKemId": "F1", "TenTepDinhKem": "to-khai.pdf", "NoiDungTep": PDF}]}],
    }


def worker_pass(factory) -> dict[str, str]:
    """`motcua worker --once`, limited to the exchange jobs (the others are not under test)."""
    return run_due_jobs(factory, elapsed=0, jobs=EXCHANGE)


def act(db, dossier, user, action: str, **params):
    return perform_action(db, dossier, user=find_user(db, user.username), action=action, params=ActionParams(**params))


def decide(db, dossier, world, outcome: str, **fields):
    return decide_online(db, dossier, user=find_user(db, world.counter.username),
                         decision=OnlineDecision(outcome=outcome, **fields))


def the_dossier(db, code: str) -> Dossier:
    db.expire_all()
    return db.scalars(select(Dossier).where(Dossier.code == code)).one()


def test_worker_once_runs_the_exchange_jobs():
    names = [job.name for job in registry.jobs()]
    assert {"dvcqg-inbound", "dvcqg-dossier-sync", "dvcqg-catalog-list"} <= set(names)


def test_submission_to_returned_result_with_every_step_on_the_portal(db, session_factory, simulator, world):
    code = simulator.submit(submission(world))
    outcome = worker_pass(session_factory)
    assert outcome["dvcqg-inbound"].startswith("nhận 1 hồ sơ trực tuyến mới")
    assert outcome["dvcqg-dossier-sync"].startswith("đồng bộ 1 hồ sơ (1 bước xử lý)")

    dossier = the_dossier(db, code)
    assert (dossier.status, dossier.external_status, dossier.channel) == (DossierStatus.submitted_online, 1, "online")
    assert (dossier.applicant_name, dossier.applicant_id_number, dossier.agency_id) == (
        "Nguyễn Thị Hoà", "020190001234", world.dept.id)
    [component] = db.scalars(select(DossierComponent).where(DossierComponent.dossier_id == dossier.id)).all()
    assert component.name == "Tờ khai yêu cầu cấp phiếu"
    assert db.scalar(select(DossierAttachment.filename).where(DossierAttachment.dossier_id == dossier.id)) == "to-khai.pdf"
    held = simulator.held(code)
    assert (held["TrangThaiHoSo"], held["record"]["NgayTiepNhan"], held["record"]["MaDoiTuong"]) == ("1", "", "TECH-77")
    assert [v["isUpdating"] for v in held["versions"]] == ["True"]  # the portal knew it from the submission

    # Offered again (taken once already): nothing new.
    simulator.control("POST", f"/_sim/dossiers/{code}/resend")
    assert worker_pass(session_factory)["dvcqg-inbound"].startswith("nhận 0 hồ sơ trực tuyến mới")
    assert db.scalar(select(func.count()).select_from(Dossier).where(Dossier.code == code)) == 1

    # Incomplete: status 5 on the portal, not the terminal 3; the supplement arrives online.
    decide(db, dossier, world, "incomplete", missing_items=["Bản sao căn cước công dân"])
    db.commit()
    assert (dossier.status, dossier.external_status) == (DossierStatus.supplement_requested, 5)
    worker_pass(session_factory)
    assert simulator.held(code)["TrangThaiHoSo"] == "5"
    round_1 = simulator.supplement(code, {"NoiDungBoSung": "Bản sao căn cước công dân", "ThanhPhanHoSo": [
        {"TenThanhPhanHoSo": "Bản sao căn cước công dân",
         "TaiLieuNop": [{"TepDinhKemId": "F2", "TenTepDinhKem": "cccd.pdf", "NoiDungTep": PDF}]}]})
    assert worker_pass(session_factory)["dvcqg-inbound"].endswith("1 hồ sơ bổ sung trực tuyến")
    dossier = the_dossier(db, code)
    assert [c.supplemented for c in db.scalars(select(DossierComponent).where(
        DossierComponent.dossier_id == dossier.id).order_by(DossierComponent.position))] == [False, True]
    act(db, dossier, world.counter, "receive_supplement")
    db.commit()
    assert (dossier.status, dossier.external_status) == (DossierStatus.submitted_online, 1)
    worker_pass(session_factory)
    assert simulator.held(code)["record"]["DanhSachHoSoBoSung"][0]["HoSoBoSungId"] == round_1
    assert worker_pass(session_factory)["dvcqg-inbound"].endswith("0 hồ sơ bổ sung trực tuyến")  # taken

    # Accepted: code kept, appointment from the acceptance, status 2 on the portal.
    dossier = decide(db, the_dossier(db, code), world, "accepted")
    db.commit()
    assert (dossier.code, dossier.external_status, dossier.due_at is not None) == (code, 2, True)
    worker_pass(session_factory)
    held = simulator.held(code)
    assert (held["TrangThaiHoSo"], held["NgayHenTra"]) == ("2", wire.format_date(dossier.due_at))
    assert held["record"]["NgayTiepNhan"] == wire.format_date(dossier.received_at)
    with pytest.raises(TransitionNotAllowed):
        decide(db, dossier, world, "refused", refusal_reason="x")

    # Handling, a supplement asked and sent online, result issued and returned.
    act(db, dossier, world.head, "forward")
    act(db, dossier, world.specialist, "request_supplement", missing_items=["Giấy xác nhận cư trú"])
    db.commit()
    worker_pass(session_factory)
    simulator.supplement(code, {"NoiDungBoSung": "Giấy xác nhận cư trú", "ThanhPhanHoSo": [
        {"TenThanhPhanHoSo": "Giấy xác nhận cư trú",
         "TaiLieuNop": [{"TepDinhKemId": "F3", "TenTepDinhKem": "cu-tru.pdf", "NoiDungTep": PDF}]}]})
    worker_pass(session_factory)
    dossier = the_dossier(db, code)
    act(db, dossier, world.counter, "receive_supplement")
    act(db, dossier, world.specialist, "forward")
    act(db, dossier, world.head, "approve")
    act(db, dossier, world.clerk, "issue_result", result_number="15/QĐ-STP")
    db.commit()
    worker_pass(session_factory)
    assert simulator.held(code)["TrangThaiHoSo"] == "9"
    act(db, dossier, world.counter, "return_result")
    db.commit()
    worker_pass(session_factory)

    held = simulator.held(code)
    assert held["TrangThaiHoSo"] == "10" and held["record"]["NgayTra"] == wire.format_date(dossier.returned_at)
    assert [p["TrangThai"] for p in held["progress"]] == [
        "1", "5", "1", "2", "4", "5", "4", "4", "4", "9", "10"]
    assert [p["NoiDungXuLy"].split(" — ")[0] for p in held["progress"]] == [
        "Công dân nộp hồ sơ trực tuyến", "Hồ sơ chưa đầy đủ, yêu cầu bổ sung, hoàn thiện", "Tiếp nhận hồ sơ bổ sung",
        "Tiếp nhận hồ sơ", "Chuyển bước tiếp theo", "Yêu cầu bổ sung hồ sơ", "Tiếp nhận hồ sơ bổ sung",
        "Chuyển bước tiếp theo", "Phê duyệt", "Ban hành kết quả", "Trả kết quả"]
    # One progress entry per step of the audit trail (online supplements and files: record only).
    steps = [e.action for e in db.scalars(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id)
                                          .order_by(DossierEvent.seq))]
    assert steps.count("online_supplement") == 2 and len(steps) == 13
    assert db.scalar(select(func.count()).select_from(OutboxEntry).where(
        OutboxEntry.dossier_id == dossier.id, OutboxEntry.sent_at.is_(None))) == 0
    with LegacyPortal(DvcqgSettings(adapter_url=simulator.url, password=PASSWORD)) as portal:
        assert reconcile(session_factory, portal).differences == []


def test_refused_online_dossier_is_status_3(db, session_factory, simulator, world):
    code = simulator.submit(submission(world))
    worker_pass(session_factory)
    dossier = decide(db, the_dossier(db, code), world, "refused", refusal_reason="Không thuộc thẩm quyền")
    db.commit()
    assert (dossier.status, dossier.external_status) == (DossierStatus.refused_at_receipt, 3)
    worker_pass(session_factory)
    assert simulator.held(code)["TrangThaiHoSo"] == "3"


def test_submission_of_an_unmapped_procedure_is_reported_not_taken(db, session_factory, simulator, world):
    code = simulator.submit(submission(world) | {"MaTTHC": "1.001193"})
    outcome = worker_pass(session_factory)["dvcqg-inbound"]
    assert "1 hồ sơ không nhận được" in outcome and "chưa được ghép" in outcome
    assert db.scalar(select(Dossier.id).where(Dossier.code == code)) is None
    assert simulator.held(code)["TrangThaiHoSo"] == "1"


def test_online_queue_page_decides_like_the_counter(db, client, session_factory, simulator, world):
    code = simulator.submit(submission(world))
    worker_pass(session_factory)
    dossier = the_dossier(db, code)
    factories.account(db, "mc-truc-tuyen", Role.counter_officer, agency=world.centre)
    factories.account(db, "mc-xa-khac", Role.counter_officer, agency=world.commune2)
    db.commit()

    signed_in(client, "mc-xa-khac")
    assert code not in client.get(QUEUE).text  # another section's queue

    signed_in(client, "mc-truc-tuyen")
    page = client.get(QUEUE)
    assert page.status_code == 200 and code in page.text and "Nguyễn Thị Hoà" in page.text
    token = csrf_from(page.text)
    refused = client.post(f"{QUEUE}/{dossier.id}", data={"csrf_token": token, "outcome": "incomplete",
                                                          "note": "Thiếu giấy tờ"})
    assert refused.status_code == 422
    assert "liệt kê đầy đủ, một lần các giấy tờ còn thiếu" in refused.text
    assert 'value="Thiếu giấy tờ"' in refused.text  # typed values shown again
    assert the_dossier(db, code).status == DossierStatus.submitted_online

    accepted = client.post(f"{QUEUE}/{dossier.id}", data={"csrf_token": token, "outcome": "accepted"},
                           follow_redirects=False)
    assert accepted.status_code == 303 and accepted.headers["location"] == f"/ho-so/{dossier.id}"
    dossier = the_dossier(db, code)
    assert (dossier.external_status, dossier.received_by_id is not None) == (2, True)
    assert "Không có hồ sơ trực tuyến nào chờ tiếp nhận" in client.get(QUEUE).text


def test_a_code_already_used_locally_is_reported(db, session_factory, simulator, world):
    taken = receive(db, world).code  # a counter dossier's code
    db.commit()
    simulator.submit(submission(world) | {"MaHoSo": taken})
    outcome = worker_pass(session_factory)["dvcqg-inbound"]
    assert f"{taken}: mã hồ sơ đã được dùng cho một hồ sơ khác của tỉnh" in outcome
    assert db.scalar(select(func.count()).select_from(Dossier).where(Dossier.code == taken)) == 1
