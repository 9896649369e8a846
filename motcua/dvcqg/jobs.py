"""Periodic jobs of the national portal domain, run by `motcua worker`."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from motcua.core.jobs import Job
from motcua.dvcqg import catalog_sync
from motcua.integrations.dvcqg.config import DvcqgSettings
from motcua.integrations.dvcqg.legacy import LegacyPortal
from motcua.integrations.dvcqg.portal import PortalError


def refresh_national_list(factory: sessionmaker[Session]) -> str:
    """The cached national list the code-mapping page suggests from. Without an account
    (a fresh install with no portal) there is nothing to call: said, not failed."""
    settings = DvcqgSettings()
    if not settings.password:
        return "chưa cấu hình tài khoản kết nối Cổng DVC quốc gia: không tải danh mục quốc gia"
    try:
        with LegacyPortal(settings) as portal:
            changes = catalog_sync.refresh_list(factory, portal)
    except PortalError as exc:
        return f"không tải được danh mục quốc gia: {exc.message}"
    if changes.first:
        return "đã tải danh mục thủ tục quốc gia lần đầu"
    return f"danh mục quốc gia: {len(changes.added)} thủ tục mới, {len(changes.gone)} thủ tục không còn"


# Four times a day: the national catalogue changes with ministries' decisions, not by the minute;
# a portal that was down at start-up is tried again within six hours.
JOBS = [Job("dvcqg-catalog-list", 6 * 60 * 60, refresh_national_list)]
