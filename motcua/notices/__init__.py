"""Notices to the applicant of a dossier (accepted, supplement, payment, result, apology,
returned), written to the notify outbox with the change (docs/notify.md).

A domain of its own, above dossiers, citizens, payments and notify: the overdue alert of
dossiers already writes to the notify outbox (dossiers imports notify), so notify itself
cannot read dossiers without an import cycle between the two domains.
"""

# Registers the audit listener that queues the notices (see applicant.py).
from motcua.notices import applicant as _applicant  # noqa: F401
