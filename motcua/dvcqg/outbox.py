"""The outbox of the dossier exchange: every change of every dossier, whatever its channel,
is written here in the transaction of the change.

Hook: dossiers call their audit listeners (`dossiers.audit.on_event`) for every hash-chained
audit row they append — the one place every change is recorded — and this module registers
one when the `dvcqg` package is imported (motcua/dvcqg/__init__.py), which the app, the
worker and the CLI always do (they import every domain's models). Dossiers never import
dvcqg. A change that rolls back takes its outbox row with it; a change that commits cannot
lose it. The sender (motcua.dvcqg.outbound) reads the rows in audit order per dossier.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from motcua.dossiers.audit import on_event
from motcua.dossiers.enums import ACTION_LABELS
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dvcqg.enums import ONLINE_CONTENT, RECEIPT_CONTENT, RECORD_ONLY_ACTIONS, SYSTEM_HANDLER
from motcua.dvcqg.models import OutboxEntry


def progress_content(event: DossierEvent) -> str:
    """NoiDungXuLy: what was done, at which step, with the officer's note."""
    if event.action == "receive":
        label = RECEIPT_CONTENT.get((event.data or {}).get("outcome", "accepted"), RECEIPT_CONTENT["accepted"])
    else:
        label = ACTION_LABELS.get(event.action) or ONLINE_CONTENT.get(event.action) or event.action
    parts = [label]
    if event.to_step and event.action not in {"receive", "submit_online"}:
        parts.append(f"bước “{event.to_step}”")
    if event.note:
        parts.append(event.note)
    return ": ".join(parts[:1]) + "".join(f" — {p}" for p in parts[1:])


def write_outbox(session: Session, dossier: Dossier, event: DossierEvent) -> None:
    session.add(OutboxEntry(
        dossier_id=dossier.id, seq=event.seq, action=event.action, at=event.at,
        handler=event.actor_name or SYSTEM_HANDLER, content=progress_content(event),
        status=dossier.external_status, progress=event.action not in RECORD_ONLY_ACTIONS,
    ))


on_event("dvcqg-outbox", write_outbox)
