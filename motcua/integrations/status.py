"""What the operations page (`/quan-tri/tich-hop`) shows of each external system.

Two kinds of contribution, so that `integrations` stays free of the database:

- **Health checks** (network, no database), one per system: `motcua/integrations/<system>/health.py`
  defines `CHECK: HealthCheck` and is found by convention (a new system — vneid, payment —
  adds its `health.py`, nothing else); a check registered with `register_health_check` is
  shown too. A check is a `Probe` built from the environment at each run: where it
  connects, whether it is configured, and a call with a short timeout (typically a login,
  which reads nothing).
- **Queue status** (database), from the domains that store the exchanges: an object of the
  `IntegrationStatus` protocol, listed in `PROVIDERS` of `motcua/<domain>/integration_status.py`
  (found by the domain registry) — e.g. the dvcqg outbox: items waiting, the oldest unsent,
  the last error; the population access log: the last failed lookup.

`run_health_checks` runs every probe at once in worker threads (never on the event loop),
each bounded by its own timeout, so one hanging system cannot hold the page.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from motcua.core.errors import DomainError

# The wall-clock margin over a probe's own timeout before it is reported as hanging.
HANG_MARGIN_SECONDS = 1.0


@dataclass(frozen=True)
class Probe:
    target: str  # where the system is reached (shown to the administrator; never a credential)
    configured: bool
    timeout_seconds: float
    # The check itself: returns the seconds it took; raises a DomainError when the system is down.
    run: Callable[[], float] | None = None


@dataclass(frozen=True)
class HealthCheck:
    system: str  # short identifier: "dvcqg", "lgsp", "vneid", "payment"
    label: str  # what the administrator reads
    probe: Callable[[], Probe]


class Health(StrEnum):
    up = "up"
    down = "down"
    not_configured = "not_configured"

    @property
    def label(self) -> str:
        return HEALTH_LABELS[self]


HEALTH_LABELS = {Health.up: "Hoạt động", Health.down: "Không kết nối được", Health.not_configured: "Chưa cấu hình"}


@dataclass(frozen=True)
class HealthResult:
    system: str
    label: str
    target: str
    health: Health
    message: str
    seconds: float | None = None


@dataclass(frozen=True)
class QueueStatus:
    """What a domain knows of its exchanges with `system` (None: not applicable)."""

    system: str
    label: str  # e.g. "Hàng đợi đồng bộ hồ sơ", "Nhật ký tra cứu dân cư"
    pending: int | None = None
    oldest_unsent_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    note: str = ""


class IntegrationStatus(Protocol):
    """A domain's view of its queue for one system; `status` reads in the page's read unit of
    work (`session`) and must not call the system itself."""

    system: str

    def status(self, session: Any) -> QueueStatus: ...


_REGISTERED: dict[str, HealthCheck] = {}


def register_health_check(check: HealthCheck) -> None:
    """Show `check` on the operations page (a system outside `motcua/integrations/`)."""
    _REGISTERED[check.system] = check


def health_checks(package: str = "motcua.integrations") -> list[HealthCheck]:
    """Every `<package>.<system>.health.CHECK`, then the registered ones, by system name."""
    found: dict[str, HealthCheck] = {}
    root = importlib.import_module(package)
    for info in pkgutil.iter_modules(root.__path__):
        name = f"{package}.{info.name}.health"
        if info.ispkg and importlib.util.find_spec(name) is not None:
            check = importlib.import_module(name).CHECK
            found[check.system] = check
    return sorted((found | _REGISTERED).values(), key=lambda c: c.system)


def _prepare(check: HealthCheck) -> Probe | HealthResult:
    """The probe to run, or the result already known (not configured, bad settings)."""
    try:
        probe = check.probe()
    except Exception as exc:  # a settings error (bad environment value) is a finding, not a crash
        return HealthResult(check.system, check.label, "", Health.down, f"Cấu hình không hợp lệ: {exc}")
    if not probe.configured or probe.run is None:
        return HealthResult(check.system, check.label, probe.target, Health.not_configured,
                            "Chưa cấu hình tài khoản kết nối: không gọi hệ thống.")
    return probe


def _run(check: HealthCheck, probe: Probe) -> HealthResult:
    try:
        seconds = probe.run()
    except DomainError as exc:
        return HealthResult(check.system, check.label, probe.target, Health.down, exc.message)
    except Exception as exc:  # anything else the probe raised still says "down", with why
        return HealthResult(check.system, check.label, probe.target, Health.down,
                            f"Lỗi khi kiểm tra: {type(exc).__name__}: {exc}")
    return HealthResult(check.system, check.label, probe.target, Health.up,
                        f"Trả lời trong {seconds:.2f} giây.", seconds)


def run_health_checks(checks: Iterable[HealthCheck]) -> list[HealthResult]:
    """Every check at once in worker threads, in the order given. A probe still running
    `HANG_MARGIN_SECONDS` after its own timeout is reported down, not awaited."""
    prepared = [(check, _prepare(check)) for check in checks]
    runnable = [(check, p) for check, p in prepared if isinstance(p, Probe)]
    if not runnable:
        return [p for _, p in prepared if isinstance(p, HealthResult)]
    pool = ThreadPoolExecutor(max_workers=len(runnable), thread_name_prefix="integration-health")
    try:
        started = time.monotonic()
        futures = {check.system: pool.submit(_run, check, probe) for check, probe in runnable}
        results = []
        for check, p in prepared:
            if isinstance(p, HealthResult):
                results.append(p)
                continue
            remaining = started + p.timeout_seconds + HANG_MARGIN_SECONDS - time.monotonic()
            try:
                results.append(futures[check.system].result(timeout=max(0.0, remaining)))
            except FutureTimeout:
                results.append(HealthResult(check.system, check.label, p.target, Health.down,
                                            f"Không trả lời trong {p.timeout_seconds:g} giây."))
        return results
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
