"""Dossier services: receipt, handling actions, overdue alerts (see the submodules)."""

from motcua.dossiers.service.actions import (
    ActionParams,
    available_actions,
    check_action,
    checked_note,
    perform_action,
    perform_system_action,
)
from motcua.dossiers.service.alerts import run_overdue_alerts, send_overdue_alerts
from motcua.dossiers.service.files import attach_file, list_attachments, read_attachment
from motcua.dossiers.service.intake import Receipt, act, receive
from motcua.dossiers.service.receive import (
    ApplicantData,
    ComponentData,
    ReceiptData,
    check_receiving_unit,
    receive_dossier,
)

__all__ = [
    "ActionParams",
    "ApplicantData",
    "ComponentData",
    "Receipt",
    "ReceiptData",
    "act",
    "attach_file",
    "available_actions",
    "check_action",
    "checked_note",
    "check_receiving_unit",
    "list_attachments",
    "perform_action",
    "perform_system_action",
    "read_attachment",
    "receive",
    "receive_dossier",
    "run_overdue_alerts",
    "send_overdue_alerts",
]
