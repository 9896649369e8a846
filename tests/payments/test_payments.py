"""Paying a dossier's fees through the national payment platform, against its simulator over
real HTTP: request (catalogue amounts, entered amounts with their basis), the citizen pays,
the confirmation is verified and recorded once, a forged one is refused, a replay changes
nothing, the look-up, and the reconciliation of a payment whose callback was lost."""

from __future__ import annotations

import uuid

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from motcua.core.errors import InvalidInput
from motcua.dossiers.enums import DossierStatus, ExternalStatus
from motcua.dossiers.models import Dossier, DossierPause
from motcua.integrations.payment import wire
from motcua.payments import service
from motcua.payments.models import PaymentCallback, PaymentRequest
from motcua.payments.schemas import EnteredFeeIn
from tests.integrations.serving import serving
from tests.payments.conftest import ENTERED_BASIS, FEE_BASIS, ask, in_processing, request_body


def confirm(client, body):
    return client.post("/api/v1/payments/confirm", json=body)


def callbacks(db) -> list[tuple[str | None, str]]:
    db.expire_all()
    return [(c.transaction_id, c.outcome) for c in db.scalars(select(PaymentCallback)
                                                                .order_by(PaymentCallback.received_at))]


def test_the_catalogue_states_the_fees(desk, fees):
    dossier = in_processing(desk)
    response = desk.client.get(f"/api/v1/dossiers/{dossier['id']}/fees", headers=desk.headers["specialist"])
    assert response.status_code == 200
    assert [(f["name"], f["amount"], f["basis"]) for f in response.json()] == [
        ("Lệ phí cấp phiếu lý lịch tư pháp", 200000, FEE_BASIS),
        ("Phí cung cấp bản sao theo số trang", None, None),
        ("Phí tra cứu", 0, FEE_BASIS)]


def test_request_sends_the_catalogue_amounts_and_pauses_the_dossier(db, desk, fees, requested, payment_simulator):
    dossier, payment = requested
    [tx] = payment_simulator.transactions()
    assert payment["transaction_id"] == tx["transaction_id"]
    assert payment["payment_url"] == f"{payment_simulator.url}/_sim/pay/{tx['transaction_id']}"
    assert (payment["status"], payment["status_label"], payment["amount"]) == ("pending", "Chờ thanh toán", 212000)
    assert [(f["name"], f["amount"], f["basis"], f["entered"], f["kind"]) for f in payment["fees"]] == [
        ("Lệ phí cấp phiếu lý lịch tư pháp", 200000, FEE_BASIS, False, "2"),
        ("Phí cung cấp bản sao theo số trang", 12000, ENTERED_BASIS, True, "1")]  # the 0 đồng fee is not collected
    assert payment["lookup_code"].startswith(dossier["code"]) and len(payment["lookup_code"]) == len(
        dossier["code"]) + 14
    sent = tx["payload"]
    assert (sent["MaHoSo"], sent["MaTraCuuTT"], sent["MaTTHC"], sent["TenTTHC"], sent["MaDonVi"], sent["TongTien"]) == (
        dossier["code"], payment["lookup_code"], "TST-1", "Cấp phiếu lý lịch tư pháp (thử)", desk.world.dept.code,
        "212000")
    assert [(f["TenPhiLePhi"], f["SoTien"]) for f in sent["PhiLePhi"]] == [
        ("Lệ phí cấp phiếu lý lịch tư pháp", "200000"), ("Phí cung cấp bản sao theo số trang", "12000")]
    assert (sent["HoTenNguoiNop"], sent["SoCMNDNguoiNop"]) == ("Nguyễn Văn An", "012345678901")

    read = desk.read(dossier["id"])
    assert (read["status"], read["external_status"]) == (DossierStatus.payment_requested, ExternalStatus.payment)
    pause = db.scalars(select(DossierPause).where(DossierPause.dossier_id == uuid.UUID(payment["dossier_id"]))).one()
    assert (pause.kind, pause.amount, pause.ended_at) == ("payment", 212000, None)

    again = ask(desk, dossier["id"], request_body(fees))
    assert again.status_code == 409 and "đang chờ thanh toán" in again.json()["title"]


def test_amounts_are_the_catalogues_or_entered_with_their_basis(desk, fees, payment_settings, payment_simulator):
    dossier = in_processing(desk)
    missing = ask(desk, dossier["id"], {})
    assert missing.status_code == 422
    assert "Phí cung cấp bản sao theo số trang" in missing.json()["title"]
    retyped = ask(desk, dossier["id"], {"entered": [{"fee_id": str(fees["fixed"].id), "amount": 1, "basis": "Tự đặt"},
                                                    *request_body(fees)["entered"]]})
    assert retyped.status_code == 422 and "đã có mức thu trong danh mục (200.000 đ)" in retyped.json()["title"]
    no_basis = ask(desk, dossier["id"], {"entered": [{"fee_id": str(fees["by_case"].id), "amount": 12000}]})
    assert no_basis.status_code == 422
    assert desk.read(dossier["id"])["status"] == DossierStatus.processing
    assert payment_simulator.transactions() == []


def test_only_the_officer_at_the_step_may_request(desk, fees, payment_settings, payment_simulator):
    dossier = in_processing(desk)
    assert ask(desk, dossier["id"], request_body(fees), who="counter").status_code == 403
    assert ask(desk, dossier["id"], request_body(fees), who="outsider").status_code == 403
    assert payment_simulator.transactions() == []


def test_platform_down_leaves_nothing_written(db, desk, fees, payment_settings, payment_simulator):
    dossier = in_processing(desk)
    payment_simulator.fault("create", "http", "503")
    response = ask(desk, dossier["id"], request_body(fees))
    assert response.status_code == 502
    assert "HTTP 503 khi tạo giao dịch thanh toán" in response.json()["title"]
    assert desk.read(dossier["id"])["status"] == DossierStatus.processing
    assert db.scalar(select(func.count()).select_from(PaymentRequest)) == 0
    assert ask(desk, dossier["id"], request_body(fees)).status_code == 201  # the platform is back


def test_confirmation_records_the_receipt_and_resumes_once(db, desk, requested, payment_simulator):
    dossier, payment = requested
    tx = payment["transaction_id"]
    confirmation = payment_simulator.pay(tx)["confirmation"]

    first = confirm(desk.client, confirmation)
    assert first.status_code == 200 and first.json()["error_code"] == "0"
    read = desk.read(dossier["id"])
    assert (read["status"], read["external_status"]) == (DossierStatus.processing, ExternalStatus.processing)
    [paid] = desk.client.get(f"/api/v1/dossiers/{dossier['id']}/payments", headers=desk.headers["specialist"]).json()
    assert (paid["status"], paid["paid_amount"], paid["confirmed_via"]) == ("paid", 212000, "callback")
    assert paid["receipt_number"] == confirmation["MaBienLai"] and paid["receipt_number"].startswith("BLDT-")
    events = desk.events(dossier["id"])
    assert events[-1]["action"] == "confirm_payment" and events[-1]["actor_name"] == "Nền tảng thanh toán quốc gia"
    assert confirmation["MaBienLai"] in events[-1]["note"]
    db.expire_all()
    assert db.get(Dossier, uuid.UUID(dossier["id"])).fees_paid is True

    # The same confirmation again (the platform retries, or someone replays it): answered
    # OK, nothing recorded or resumed a second time.
    for replay in (confirmation, payment_simulator.confirmation(tx)["confirmation"]):
        again = confirm(desk.client, replay)
        assert again.status_code == 200 and again.json()["outcome"] == "replayed"
    assert desk.events(dossier["id"]) == events
    assert desk.client.get(f"/api/v1/dossiers/{dossier['id']}/payments",
                           headers=desk.headers["specialist"]).json() == [paid]
    assert callbacks(db) == [(tx, "recorded"), (tx, "replayed"), (tx, "replayed")]


@pytest.mark.parametrize("tamper", ["checksum", "status", "amount"])
def test_a_forged_confirmation_is_refused_and_kept(db, desk, requested, payment_simulator, tamper, caplog):
    dossier, payment = requested
    tx = payment["transaction_id"]
    # Before anyone paid, a confirmation claiming payment (or with any value changed under
    # the checksum) is not the platform's.
    forged = payment_simulator.confirmation(tx, tamper=tamper)["confirmation"]
    if tamper != "status":
        forged["status"] = "0"
    response = confirm(desk.client, forged)
    assert response.status_code == 400
    assert response.json()["error_code"] == "1" and "check_sum" in response.json()["message"]
    assert desk.read(dossier["id"])["status"] == DossierStatus.payment_requested
    assert callbacks(db) == [(tx, "forged")]
    assert any("payment confirmation refused" in r.message for r in caplog.records)
    assert confirm(desk.client, {"nothing": "here"}).status_code == 400
    assert confirm(desk.client, ["not", "an", "object"]).status_code == 400
    assert [outcome for _, outcome in callbacks(db)] == ["forged", "forged", "forged"]


def test_look_up_what_the_platform_holds(desk, requested, payment_simulator):
    dossier, payment = requested
    url = f"/api/v1/dossiers/{dossier['id']}/payments/{payment['id']}/platform"
    before = desk.client.get(url, headers=desk.headers["specialist"]).json()
    assert (before["found"], before["paid"], before["amount"], before["payment"]["status"]) == (
        True, False, 212000, "pending")
    receipt = payment_simulator.pay(payment["transaction_id"])["confirmation"]["MaBienLai"]
    after = desk.client.get(url, headers=desk.headers["specialist"]).json()
    # The platform says paid; motcua has not heard it yet (the reconciliation will record it).
    assert (after["paid"], after["receipt_number"], after["payment"]["status"]) == (True, receipt, "pending")
    assert desk.client.get(url, headers=desk.headers["outsider"]).status_code == 403


def test_reconciliation_records_a_payment_whose_callback_was_lost(db, session_factory, desk, requested, platform,
                                                                 payment_simulator):
    dossier, payment = requested
    tx = payment["transaction_id"]
    payment_simulator.control("PUT", "/_sim/config", json={"callback_url": "http://127.0.0.1:9/never"})
    payment_simulator.fault("callback", "drop")
    paid = payment_simulator.pay(tx, deliver=True)
    assert paid["delivered"] is False
    assert [c["error"] for c in payment_simulator.callbacks()] == ["dropped (fault)"]
    assert desk.read(dossier["id"])["status"] == DossierStatus.payment_requested

    report = service.reconcile(session_factory, platform)
    assert (report.checked, report.recovered, report.differences) == (1, [tx], [])
    read = desk.read(dossier["id"])
    assert read["status"] == DossierStatus.processing
    [recorded] = desk.client.get(f"/api/v1/dossiers/{dossier['id']}/payments",
                                 headers=desk.headers["specialist"]).json()
    assert (recorded["status"], recorded["confirmed_via"], recorded["receipt_number"]) == (
        "paid", "reconcile", paid["confirmation"]["MaBienLai"])
    events = desk.events(dossier["id"])

    # Run again, then the late callback arrives: nothing recorded twice.
    again = service.reconcile(session_factory, platform)
    assert (again.checked, again.recovered, again.differences) == (1, [], [])
    late = confirm(desk.client, paid["confirmation"])
    assert late.status_code == 200 and late.json()["outcome"] == "replayed"
    assert desk.events(dossier["id"]) == events
    assert [e["action"] for e in events].count("confirm_payment") == 1


def test_reconciliation_reports_what_it_cannot_settle(session_factory, desk, requested, platform, payment_simulator):
    dossier, payment = requested
    payment_simulator.fault("lookup", "http", "500")
    report = service.reconcile(session_factory, platform)
    assert report.recovered == []
    assert report.differences == [f"Giao dịch {payment['transaction_id']}: không tra cứu được "
                                  "(Nền tảng thanh toán quốc gia trả lỗi HTTP 500 khi tra cứu giao dịch "
                                  f"{payment['transaction_id']}.)"]
    payment_simulator.control("POST", "/_sim/reset")  # the platform lost the transaction
    report = service.reconcile(session_factory, platform)
    assert report.differences == [f"Giao dịch {payment['transaction_id']}: nền tảng thanh toán không có giao dịch này"]


def test_full_round_trip_with_the_callback_over_http(app, desk, fees, tokens, payment_settings, payment_simulator):
    """The application served for real: the simulator's payment page POSTs the confirmation
    to the application's callback URL itself."""
    with serving(app) as app_url:
        payment_simulator.control("PUT", "/_sim/config", json={"callback_url": f"{app_url}/api/v1/payments/confirm"})
        dossier = in_processing(desk)
        created = httpx.post(f"{app_url}/api/v1/dossiers/{dossier['id']}/payments", json=request_body(fees),
                             headers=tokens["specialist"], timeout=30)
        assert created.status_code == 201, created.text
        tx = created.json()["transaction_id"]
        # The citizen opens the payment page and pays.
        page = httpx.get(created.json()["payment_url"], timeout=30)
        assert "212000 đồng" in page.text
        paid = httpx.post(created.json()["payment_url"], data={}, timeout=30).json()
        assert (paid["delivered"], paid["callback_status"]) == (True, 200)
        [delivery] = payment_simulator.callbacks()
        assert (delivery["transaction_id"], delivery["http_status"]) == (tx, 200)
        read = httpx.get(f"{app_url}/api/v1/dossiers/{dossier['id']}", headers=tokens["admin"], timeout=30).json()
        assert read["status"] == DossierStatus.processing
        # The platform repeats its callback: answered OK, nothing changes.
        replay = payment_simulator.confirmation(tx, deliver=True)
        assert (replay["delivered"], replay["callback_status"]) == (True, 200)
        forged = payment_simulator.confirmation(tx, tamper="checksum", deliver=True)
        assert (forged["delivered"], forged["callback_status"]) == (True, 400)
        after = httpx.get(f"{app_url}/api/v1/dossiers/{dossier['id']}/events", headers=tokens["admin"],
                          timeout=30).json()
        assert [e["action"] for e in after].count("confirm_payment") == 1


def test_the_fee_lines_rule():
    fixed = service.DueFee(uuid.uuid4(), "Lệ phí cấp giấy phép", 150000, FEE_BASIS, None)
    by_case = service.DueFee(uuid.uuid4(), "Phí thẩm định", None, None, "Theo giá trị công trình")
    free = service.DueFee(uuid.uuid4(), "Phí tra cứu", 0, FEE_BASIS, None)
    typed = EnteredFeeIn(fee_id=by_case.fee_id, amount=500000, basis=ENTERED_BASIS)

    lines = service.fee_lines([fixed, by_case, free], [typed])
    assert [(line["name"], line["amount"], line["basis"], line["kind"], line["entered"]) for line in lines] == [
        ("Lệ phí cấp giấy phép", 150000, FEE_BASIS, "2", False),
        ("Phí thẩm định", 500000, ENTERED_BASIS, "1", True)]
    with pytest.raises(InvalidInput, match="chỉ được nhập số tiền một lần"):
        service.fee_lines([fixed, by_case], [typed, typed])
    with pytest.raises(InvalidInput, match="không có trong danh mục"):
        service.fee_lines([fixed], [typed])
    with pytest.raises(InvalidInput, match="không có khoản phí, lệ phí phải nộp"):
        service.fee_lines([free], [])
    with pytest.raises(InvalidInput, match="không có khoản phí, lệ phí phải nộp"):
        service.fee_lines([], [])


def test_any_confirmation_without_the_key_is_refused(db, desk, requested):
    """Whatever a caller without the shared key posts (every covered field, any values, a
    checksum of its own) is refused with 400 and changes nothing."""
    dossier, payment = requested
    # Control characters are refused earlier, at the boundary (web/input_guard.py), with 422.
    printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
    values = st.one_of(printable, st.integers(), st.none(), st.just(payment["transaction_id"]),
                       st.just("0"), st.just(str(payment["amount"])))
    fields = (*wire.CONFIRMATION_FIELDS, "check_sum")

    @given(body=st.dictionaries(st.sampled_from(fields), values))
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(body):
        response = confirm(desk.client, body)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["outcome"] == "forged"

    run()
    assert desk.read(dossier["id"])["status"] == DossierStatus.payment_requested
    assert {outcome for _, outcome in callbacks(db)} == {"forged"}


def test_what_the_portal_sync_reads(db, desk, requested, payment_simulator):
    dossier, payment = requested
    dossier_id = uuid.UUID(dossier["id"])
    assert service.paid_online(db, dossier_id) == []
    confirm(desk.client, payment_simulator.pay(payment["transaction_id"])["confirmation"])
    db.expire_all()
    [paid] = service.paid_online(db, dossier_id)
    assert (paid.transaction_id, paid.amount, [line["amount"] for line in paid.fees]) == (
        payment["transaction_id"], 212000, [200000, 12000])
