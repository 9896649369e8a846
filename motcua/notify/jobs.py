"""Periodic jobs of the notify domain, run by `motcua worker`."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from motcua.core.config import get_settings
from motcua.core.jobs import Job
from motcua.notify.channels import channels_for
from motcua.notify.service import send_due


def send_messages(factory: sessionmaker[Session]) -> str:
    return send_due(factory, channels_for(get_settings())).summary()


# Every minute: a message waits at most a tick of the worker (60 s by default).
JOBS = [Job("notify-send", 60, send_messages)]
