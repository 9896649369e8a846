"""Periodic job of payments, run by `motcua worker`."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from motcua.core.jobs import Job
from motcua.integrations.payment.config import PaymentSettings
from motcua.payments import service
from motcua.payments.gateway import open_platform


def reconcile_payments(factory: sessionmaker[Session]) -> str:
    """A payment whose callback was lost is recorded within a quarter of an hour. Without the
    shared key there is nothing to verify with: said, not failed."""
    if not PaymentSettings().hash_key:
        return "chưa cấu hình khoá dùng chung với nền tảng thanh toán: không đối soát"
    with open_platform() as platform:
        report = service.reconcile(factory, platform)
    return (f"đối soát thanh toán: {report.checked} giao dịch, ghi nhận {len(report.recovered)}, "
            f"{len(report.differences)} khác biệt")


JOBS = [Job("payments-reconcile", 15 * 60, reconcile_payments)]
