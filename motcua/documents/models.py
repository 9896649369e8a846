"""Form definitions: the number, title and paper size of each prescribed form are data.

Provinces still mix the numbering of Circular 03/2025/TT-VPCP with that of Circular
01/2018/TT-VPCP, so a province administrator can renumber and retitle forms on the page
`/quan-tri/bieu-mau` without a release (see docs/documents.md).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String
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
