"""Payments: a dossier's fees and charges paid through the national payment platform
(docs/payments.md). The platform itself is behind `motcua.integrations.payment`."""
