"""The 766 online-payment indicator (part A: dossiers paid online / dossiers with a financial
obligation, 6 points × the share; docs/reports.md) with a payment made through the payments
domain's real flow: requested from the platform (its simulator), paid there, and confirmed by
the platform's signed callback to /api/v1/payments/confirm."""

# ruff: noqa: F811  (fixtures imported by name are parameters of the tests below)
from __future__ import annotations

from datetime import timedelta

from motcua.core.clock import now, to_local
from motcua.dossiers.enums import DossierStatus
from tests.dossiers.conftest import desk, tokens, world  # noqa: F401
from tests.integrations.payment.fixtures import (  # noqa: F401
    payment_settings,
    payment_simulator,
    payment_simulator_server,
)
from tests.payments.conftest import fees, in_processing, request_body, requested  # noqa: F401

PAYMENT = "formality-online-payment-tree"


def payment_indicator(desk) -> dict:
    today = to_local(now()).date()  # the dossiers were received now: yesterday–today holds them
    response = desk.client.get("/api/v1/reports/766", headers=desk.headers["admin"], params={
        "from": (today - timedelta(days=1)).isoformat(), "to": today.isoformat(), "agency": desk.world.dept.code})
    assert response.status_code == 200, response.text
    [score] = response.json()["scores"]
    assert score["agency_code"] == desk.world.dept.code
    [part_a] = [i for i in score["indicators"] if (i["code"], i["part"]) == (PAYMENT, "A")]
    return part_a


def test_a_payment_confirmed_by_the_platform_counts_online(desk, fees, requested, payment_simulator):
    paid_dossier, payment = requested
    # Another dossier with fees (200,000 đồng on its receipt) whose payment is not made online,
    # and one without any fee: only dossiers with a financial obligation are counted.
    in_processing(desk)
    desk.receive(fees=0)
    before = payment_indicator(desk)
    assert (before["numerator"], before["denominator"], before["value"], before["points"], before["maximum"]) == (
        0, 2, 0.0, 0.0, 6.0)
    assert before["reason"] is None

    # The citizen pays on the platform; the platform posts its signed confirmation.
    confirmation = payment_simulator.pay(payment["transaction_id"])["confirmation"]
    response = desk.client.post("/api/v1/payments/confirm", json=confirmation)
    assert response.status_code == 200, response.text
    assert desk.read(paid_dossier["id"])["status"] == DossierStatus.processing  # resumed after the payment

    after = payment_indicator(desk)
    assert (after["numerator"], after["denominator"], after["value"], after["points"]) == (1, 2, 50.0, 3.0)
    # The platform repeats its callback: the payment is counted once.
    assert desk.client.post("/api/v1/payments/confirm", json=confirmation).status_code == 200
    assert payment_indicator(desk) == after


def test_a_forged_confirmation_counts_nothing(desk, fees, requested, payment_simulator):
    _, payment = requested
    forged = payment_simulator.confirmation(payment["transaction_id"], tamper="checksum")["confirmation"]
    assert desk.client.post("/api/v1/payments/confirm", json=forged).status_code != 200
    part_a = payment_indicator(desk)
    assert (part_a["numerator"], part_a["denominator"], part_a["value"], part_a["points"]) == (0, 1, 0.0, 0.0)
