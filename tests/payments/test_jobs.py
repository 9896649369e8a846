"""The worker's reconciliation job: said, not failed, without the shared key; with it, a
payment whose callback was lost is recorded."""

from __future__ import annotations

from motcua.payments.jobs import JOBS, reconcile_payments


def test_without_the_shared_key_nothing_is_called(session_factory, monkeypatch):
    monkeypatch.delenv("MOTCUA_PAYMENT_HASH_KEY", raising=False)
    assert reconcile_payments(session_factory) == ("chưa cấu hình khoá dùng chung với nền tảng thanh toán: "
                                                   "không đối soát")
    assert [(job.name, job.every_seconds) for job in JOBS] == [("payments-reconcile", 900)]


def test_the_job_records_a_payment_the_callback_missed(session_factory, desk, requested, payment_simulator):
    dossier, payment = requested
    payment_simulator.pay(payment["transaction_id"])  # paid; the confirmation never reaches motcua
    assert reconcile_payments(session_factory) == "đối soát thanh toán: 1 giao dịch, ghi nhận 1, 0 khác biệt"
    assert desk.read(dossier["id"])["status"] == "processing"
    assert reconcile_payments(session_factory) == "đối soát thanh toán: 1 giao dịch, ghi nhận 0, 0 khác biệt"
