"""Form definitions: the number, title and paper size of each prescribed form are data.

Provinces still mix the numbering of Circular 03/2025/TT-VPCP with that of Circular
01/2018/TT-VPCP, so a province administrator can renumber and retitle forms on the page
`/quan-tri/bieu-mau` without a release (see docs/documents.md).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from motcua.core.clock import now
from motcua.core.db import REFERENCE, Base, IdMixin


class FormDefinition(IdMixin, Base):
    __tablename__ = "form_definitions"
    __table_args__ = {"info": REFERENCE}

    # Stable identifier used by the code (receipt, supplement_request, ...); never changes.
    key: Mapped[str] = mapped_column(String(40), unique=True)
    # Printed number ("01", "02", ...) and the title in capitals as printed on the form.
    number: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))
    # "A5", "A4" or "A4 landscape".
    paper_size: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class BookFile(IdMixin, Base):
    """A tracking book (form 07) printed by `motcua worker` into one PDF file (docs/documents.md).

    The row is written with the clerk's request (status "queued") and is the job itself: the
    worker claims it, prints the book part by part, stores the PDF by content hash (storage)
    and records it here. Whoever may print the unit's book may download the file.
    """

    __tablename__ = "book_files"
    __table_args__ = (
        Index("ix_book_files_status_requested_at", "status", "requested_at"),
        Index("ix_book_files_requested_by_id_requested_at", "requested_by_id", "requested_at"),
        {"info": REFERENCE},
    )

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    requested_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=now)
    # queued → running → done | failed (BOOK_FILE_STATUS_LABELS).
    status: Mapped[str] = mapped_column(String(16), default="queued")
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    rows: Mapped[int | None] = mapped_column(Integer)
    parts: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str | None] = mapped_column(String(500))
