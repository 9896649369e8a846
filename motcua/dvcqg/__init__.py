"""The National Public Service Portal (Cổng Dịch vụ công quốc gia): the catalogue sync and
the dossier exchange (docs/dvcqg.md); the transport is in motcua.integrations.dvcqg."""

# Registers the audit listener that writes every dossier change to the outbox (see outbox.py).
from motcua.dvcqg import outbox as _outbox  # noqa: F401
