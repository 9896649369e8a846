"""Application-generated ids (UUIDv7): time-ordered, no database sequence (Citus-friendly)."""

from __future__ import annotations

import uuid

from uuid6 import uuid7


def new_id() -> uuid.UUID:
    return uuid7()
