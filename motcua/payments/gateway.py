"""The payment platform the application talks to: the adapter configured from the
environment (`PAYMENT_URL`, `MOTCUA_PAYMENT_*`), one per request, job or command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends

from motcua.integrations.payment.config import PaymentSettings
from motcua.integrations.payment.keypay import KeypayPlatform
from motcua.integrations.payment.platform import PaymentPlatform


@contextmanager
def open_platform() -> Iterator[PaymentPlatform]:
    with KeypayPlatform(PaymentSettings()) as platform:
        yield platform


def payment_platform() -> Iterator[PaymentPlatform]:
    """FastAPI dependency (tests may override it)."""
    with open_platform() as platform:
        yield platform


Platform = Annotated[PaymentPlatform, Depends(payment_platform)]
