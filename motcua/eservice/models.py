"""Tables of the local online service.

- `online_services` (reference): the administrator-maintained list of procedures the
  province offers online itself, each with the decision that put it there.
- `online_drafts` / `online_draft_files` (distributed by the draft's id, co-located): a
  citizen's form not yet submitted and one stored file per catalogue component.
- `online_submissions` (distributed by dossier_id, like every dossier-scoped table): which
  citizen account submitted which dossier online here.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from motcua.core.clock import now
from motcua.core.db import REFERENCE, Base, IdMixin, distributed
from motcua.core.ids import new_id


class OnlineService(IdMixin, Base):
    """A procedure the province offers on its own online service."""

    __tablename__ = "online_services"
    __table_args__ = {"info": REFERENCE}

    procedure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("procedures.id", ondelete="CASCADE"), unique=True)
    # The provincial decision (or other text) that lists the procedure as offered here.
    basis: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(64))  # the administrator's user name
    added_at: Mapped[datetime] = mapped_column(default=now)


class OnlineDraft(IdMixin, Base):
    """A citizen's online form, saved and resumed until it is submitted or deleted."""

    __tablename__ = "online_drafts"
    __table_args__ = {"info": distributed("id")}

    citizen_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"), index=True)
    procedure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("procedures.id", ondelete="CASCADE"))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))  # the competent agency chosen
    receiving_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    # The applicant as declared once: from the account and the population lookup, with what
    # the citizen typed (address, phone, e-mail). Keys: service.APPLICANT_FIELDS.
    applicant: Mapped[dict[str, Any]] = mapped_column(JSON)
    # What the population lookup said when it gave nothing (shown on the form), else None.
    lookup_message: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)  # "Nội dung yêu cầu", optional
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class OnlineDraftFile(Base):
    """The file uploaded for one component of a draft (one per component)."""

    __tablename__ = "online_draft_files"
    __table_args__ = (UniqueConstraint("draft_id", "component_id"), {"info": distributed("draft_id")})

    draft_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("online_drafts.id", ondelete="CASCADE"),
                                                primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    # The catalogue component (procedure_components.id); no foreign key: an edit of the
    # catalogue replaces components, and a file for a component gone is simply not offered.
    component_id: Mapped[uuid.UUID]
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=now)


class OnlineSubmission(Base):
    """The citizen account that submitted a dossier on the local online service."""

    __tablename__ = "online_submissions"
    __table_args__ = {"info": distributed("dossier_id")}

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    citizen_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("citizens.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(default=now)
