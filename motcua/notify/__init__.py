"""Notifications leave through an outbox: rows written with the change, sent by `motcua worker`."""
