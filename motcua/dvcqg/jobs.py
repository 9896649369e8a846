"""Periodic jobs of the national portal domain, run by `motcua worker`."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from motcua.core.jobs import Job
from motcua.dvcqg import catalog_sync, inbound, outbound
from motcua.integrations.dvcqg.config import DvcqgSettings
from motcua.integrations.dvcqg.legacy import LegacyPortal
from motcua.integrations.dvcqg.portal import PortalError

NO_ACCOUNT = "chưa cấu hình tài khoản kết nối Cổng DVC quốc gia"


def refresh_national_list(factory: sessionmaker[Session]) -> str:
    """The cached national list the code-mapping page suggests from. Without an account
    (a fresh install with no portal) there is nothing to call: said, not failed."""
    settings = DvcqgSettings()
    if not settings.password:
        return f"{NO_ACCOUNT}: không tải danh mục quốc gia"
    try:
        with LegacyPortal(settings) as portal:
            changes = catalog_sync.refresh_list(factory, portal)
    except PortalError as exc:
        return f"không tải được danh mục quốc gia: {exc.message}"
    if changes.first:
        return "đã tải danh mục thủ tục quốc gia lần đầu"
    return f"danh mục quốc gia: {len(changes.added)} thủ tục mới, {len(changes.gone)} thủ tục không còn"


def send_dossier_changes(factory: sessionmaker[Session]) -> str:
    """The outbox, in order per dossier (outbound.send_pending). A dossier that fails waits
    for its back-off; the others go on."""
    settings = DvcqgSettings()
    if not settings.password:
        return f"{NO_ACCOUNT}: không gửi hồ sơ"
    with LegacyPortal(settings) as portal:
        return outbound.send_pending(factory, portal).summary()


def take_online_dossiers(factory: sessionmaker[Session]) -> str:
    """Citizens' online submissions and supplements into the online queue (inbound.take_inbound)."""
    settings = DvcqgSettings()
    if not settings.password:
        return f"{NO_ACCOUNT}: không nhận hồ sơ trực tuyến"
    try:
        with LegacyPortal(settings) as portal:
            return inbound.take_inbound(factory, portal).summary()
    except PortalError as exc:
        return f"không nhận được hồ sơ trực tuyến: {exc.message}"


# Four times a day: the national catalogue changes with ministries' decisions, not by the minute;
# a portal that was down at start-up is tried again within six hours.
# Every minute: since TT 04/2025/TT-VPCP the exchange is meant to be real-time.
JOBS = [
    Job("dvcqg-catalog-list", 6 * 60 * 60, refresh_national_list),
    Job("dvcqg-inbound", 60, take_online_dossiers),
    Job("dvcqg-dossier-sync", 60, send_dossier_changes),
]
