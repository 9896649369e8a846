"""The quality domain's tables: each unit's ISO 9001 system, its scope and history, the
controlled documents, and the roadmaps of plans 71/KH-UBND and 34/KH-UBND.

Layout: the units / documents / roadmap tables come first (branch i14units); audits,
nonconformities, corrective actions, management reviews, legal-change tasks and objectives
are appended at the END of this module (branch i14audit). All tables are small reference
data (one row per unit, document or plan line), so they are Citus reference tables and may
point at agencies, procedures, process templates and users by foreign key.

A unit's system is keyed by its agency. An agency dissolved or merged by the 2025
reorganisation keeps its `QualityUnit` row (history) with `handed_over_to_id` pointing at
its successor's system, which receives its scope and documents.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from motcua.core.clock import now
from motcua.core.db import REFERENCE, Base, IdMixin
from motcua.org.models import Agency, QmsRolloutUnit


class QualityUnit(IdMixin, Base):
    """One unit's quality-management system (HTQLCL)."""

    __tablename__ = "quality_units"
    __table_args__ = {"info": REFERENCE}

    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), unique=True)
    # Its row of plan 71 appendix II (group and roadmap year), None for a unit outside the plan.
    rollout_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("qms_rollout_units.id"), unique=True)
    standard: Mapped[str] = mapped_column(String(16))  # enums.Standard
    stage: Mapped[str] = mapped_column(String(16))  # enums.Stage
    announcement_number: Mapped[str | None] = mapped_column(String(60))
    announcement_date: Mapped[date | None] = mapped_column(Date)
    announcement_file: Mapped[str | None] = mapped_column(String(255))  # file name / link as published
    consultant: Mapped[str | None] = mapped_column(String(255))
    budget_vnd: Mapped[int | None] = mapped_column(BigInteger)
    leader_name: Mapped[str | None] = mapped_column(String(200))  # lãnh đạo phụ trách
    secretary_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))  # thư ký ISO
    handed_over_to_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("quality_units.id"))
    handed_over_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    agency: Mapped[Agency] = relationship(lazy="raise")
    rollout: Mapped[QmsRolloutUnit | None] = relationship(lazy="raise")

    @property
    def plan_group(self) -> str | None:
        """Appendix II group as its Roman numeral ("I".."VI"), from the seeded row "IV.34"."""
        return self.rollout.source_row.split(".", 1)[0] if self.rollout is not None else None

    @property
    def plan_year(self) -> int | None:
        return self.rollout.year if self.rollout is not None else None


class QualityUnitEvent(IdMixin, Base):
    """What happened to a unit's system: stage changes, announcement, handover. Never edited."""

    __tablename__ = "quality_unit_events"
    __table_args__ = {"info": REFERENCE}

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("quality_units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # enums.UnitEventKind
    at: Mapped[datetime] = mapped_column(default=now)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    from_value: Mapped[str | None] = mapped_column(String(60))
    to_value: Mapped[str | None] = mapped_column(String(60))
    other_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("quality_units.id"))
    note: Mapped[str | None] = mapped_column(Text)


class QualityScopeItem(IdMixin, Base):
    """A procedure covered by the unit's system (scope). Gaps = implemented but not covered."""

    __tablename__ = "quality_scope_items"
    __table_args__ = (UniqueConstraint("unit_id", "procedure_id"), {"info": REFERENCE})

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("quality_units.id"), index=True)
    procedure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("procedures.id"))
    added_on: Mapped[date] = mapped_column(Date)
    # Set when the procedure came with a predecessor's system (2025 reorganisation).
    from_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("quality_units.id"))


class QualityDocument(IdMixin, Base):
    """A controlled document of a unit: policy, objectives, procedure, form, internal process."""

    __tablename__ = "quality_documents"
    __table_args__ = (UniqueConstraint("unit_id", "code"), {"info": REFERENCE})

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("quality_units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # enums.DocumentKind
    code: Mapped[str] = mapped_column(String(40))  # e.g. "QT-01", "CSCL"
    title: Mapped[str] = mapped_column(String(500))
    # The administrative procedure an internal process (or procedure) is about.
    procedure_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("procedures.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)

    versions: Mapped[list[QualityDocumentVersion]] = relationship(
        back_populates="document", lazy="raise", order_by="QualityDocumentVersion.number"
    )


class QualityDocumentVersion(IdMixin, Base):
    """One version (lần ban hành) of a controlled document. Obsolete versions stay, marked."""

    __tablename__ = "quality_document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"), {"info": REFERENCE})

    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("quality_documents.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # enums.VersionStatus
    content: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(255))
    change_note: Mapped[str | None] = mapped_column(Text)
    # For an internal process: the process-template version the dossiers run on.
    process_template_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("process_templates.id"))
    distribution: Mapped[list[str]] = mapped_column(JSON, default=list)  # who holds a controlled copy
    effective_from: Mapped[date | None] = mapped_column(Date)
    obsolete_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=now)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column()
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    document: Mapped[QualityDocument] = relationship(back_populates="versions", lazy="raise")


class QualityPlanActivity(IdMixin, Base):
    """A roadmap line of plan 71 appendix I (what, which quarter, who), planned vs done."""

    __tablename__ = "quality_plan_activities"
    __table_args__ = (UniqueConstraint("plan", "source_row"), {"info": REFERENCE})

    plan: Mapped[str] = mapped_column(String(40))  # "71/KH-UBND"
    source_row: Mapped[str] = mapped_column(String(20))  # "I.1": year group and row
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)
    partners: Mapped[str | None] = mapped_column(Text)
    targets: Mapped[str | None] = mapped_column(Text)
    target_units: Mapped[int | None] = mapped_column(Integer)  # "33 đơn vị" as the plan says
    done_on: Mapped[date | None] = mapped_column(Date)
    done_note: Mapped[str | None] = mapped_column(Text)


class QualityCommuneTarget(IdMixin, Base):
    """Plan 34's commune rollout target for a year: a number of communes or a share."""

    __tablename__ = "quality_commune_targets"
    __table_args__ = (UniqueConstraint("plan", "year"), {"info": REFERENCE})

    plan: Mapped[str] = mapped_column(String(40))  # "34/KH-UBND"
    year: Mapped[int] = mapped_column(Integer)
    communes: Mapped[int | None] = mapped_column(Integer)
    min_share_percent: Mapped[int | None] = mapped_column(Integer)  # cumulative share, e.g. 70
    source: Mapped[str] = mapped_column(Text)


class QualityBudgetLine(IdMixin, Base):
    """A line of plan 34's budget table (amounts in đồng, as the plan states them)."""

    __tablename__ = "quality_budget_lines"
    __table_args__ = (UniqueConstraint("plan", "source_row", "year"), {"info": REFERENCE})

    plan: Mapped[str] = mapped_column(String(40))
    source_row: Mapped[str] = mapped_column(String(20))  # "I.1", "II.2"
    content: Mapped[str] = mapped_column(Text)
    year: Mapped[int] = mapped_column(Integer)
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)


# --- audits, nonconformities, actions, reviews, legal-change tasks, objectives (i14audit) ---


# === i14audit: legal-change tasks, internal audits, management reviews, objective targets ===
# (docs/quality-audits.md). Appended block; owned by the audits/reports part of the domain.
# Percent targets are whole percents (the plans state them so: "≥ 90 %").


class ProcedureVersionScan(Base):
    """A procedure version the legal-change tracking has looked at (`legal_changes.scan`):
    each version is judged once, whatever it gave (tasks, or none for a first load)."""

    __tablename__ = "quality_version_scans"
    __table_args__ = {"info": REFERENCE}

    procedure_version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("procedure_versions.id", ondelete="CASCADE"), primary_key=True
    )
    tasks: Mapped[int] = mapped_column(Integer, default=0)
    scanned_at: Mapped[datetime] = mapped_column(default=now)


class LegalChangeTask(IdMixin, Base):
    """A unit must update its internal process and documents for a changed procedure within
    three months of the change taking effect (QĐ 19/2014 Art. 9; DOMAIN.md §7)."""

    __tablename__ = "quality_legal_tasks"
    __table_args__ = (UniqueConstraint("unit_id", "procedure_version_id"), {"info": REFERENCE})

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("quality_units.id", ondelete="CASCADE"), index=True)
    procedure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("procedures.id", ondelete="CASCADE"), index=True)
    procedure_version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("procedure_versions.id", ondelete="CASCADE"), index=True
    )
    # LegalChange values: what changed (legal_basis, time_limit, components, added, abolished).
    changes: Mapped[list[str]] = mapped_column(JSON)
    decision_number: Mapped[str | None] = mapped_column(String(100))
    effective_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # TaskStatus
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by: Mapped[str | None] = mapped_column(String(100))
    done_note: Mapped[str | None] = mapped_column(Text)
    # When the overdue flag went to the unit and the Department (once).
    flagged_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=now)


class InternalAudit(IdMixin, Base):
    """An internal audit of a unit's system (ISO 9001:2015 clause 9.2): planned, held, its
    findings recorded; closed when every nonconformity is closed."""

    __tablename__ = "quality_audits"
    __table_args__ = {"info": REFERENCE}

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("quality_units.id", ondelete="CASCADE"), index=True)
    planned_on: Mapped[date] = mapped_column(Date, index=True)
    scope: Mapped[str] = mapped_column(Text)
    auditors: Mapped[str] = mapped_column(Text)
    held_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="planned", index=True)  # AuditStatus
    closed_on: Mapped[date | None] = mapped_column(Date)
    reminded_at: Mapped[datetime | None] = mapped_column()
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=now)

    findings: Mapped[list[AuditFinding]] = relationship(
        back_populates="audit", lazy="raise", cascade="all, delete-orphan", order_by="AuditFinding.number"
    )


class AuditFinding(IdMixin, Base):
    """A finding of an audit: a nonconformity (with its root cause, corrected by actions,
    verified and closed) or an observation."""

    __tablename__ = "quality_findings"
    __table_args__ = (UniqueConstraint("audit_id", "number"), {"info": REFERENCE})

    audit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("quality_audits.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # FindingKind
    clause: Mapped[str | None] = mapped_column(String(20))  # "8.5.1"
    description: Mapped[str] = mapped_column(Text)
    root_cause: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # FindingStatus
    verified_on: Mapped[date | None] = mapped_column(Date)
    verified_by: Mapped[str | None] = mapped_column(String(100))
    verification_note: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=now)

    audit: Mapped[InternalAudit] = relationship(back_populates="findings", lazy="raise")
    actions: Mapped[list[CorrectiveAction]] = relationship(
        back_populates="finding", lazy="raise", cascade="all, delete-orphan", order_by="CorrectiveAction.due_on"
    )


class CorrectiveAction(IdMixin, Base):
    """A corrective action of a nonconformity (clause 10.2): owner, deadline, done."""

    __tablename__ = "quality_actions"
    __table_args__ = {"info": REFERENCE}

    finding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("quality_findings.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(255))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=now)

    finding: Mapped[AuditFinding] = relationship(back_populates="actions", lazy="raise")


class ManagementReview(IdMixin, Base):
    """A management review (clause 9.3): planned, held by the head, with its inputs
    ([{"topic": ReviewInput, "note": text}]) and decisions ([text])."""

    __tablename__ = "quality_reviews"
    __table_args__ = {"info": REFERENCE}

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("quality_units.id", ondelete="CASCADE"), index=True)
    planned_on: Mapped[date] = mapped_column(Date, index=True)
    held_on: Mapped[date | None] = mapped_column(Date)
    chaired_by: Mapped[str | None] = mapped_column(String(255))
    inputs: Mapped[list[dict]] = mapped_column(JSON, default=list)
    decisions: Mapped[list[str]] = mapped_column(JSON, default=list)
    reminded_at: Mapped[datetime | None] = mapped_column()
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=now)


class ObjectiveTarget(IdMixin, Base):
    """A unit's quality objectives for a year, as measurable targets (None: no target)."""

    __tablename__ = "quality_targets"
    __table_args__ = (UniqueConstraint("unit_id", "year"), {"info": REFERENCE})

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("quality_units.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    on_time_share_min: Mapped[int | None] = mapped_column(Integer)  # percent of results on time or early
    overdue_max: Mapped[int | None] = mapped_column(Integer)  # open overdue dossiers at the period's end
    satisfaction_min: Mapped[int | None] = mapped_column(Integer)  # percent satisfied of those who rated
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


# === end i14audit block ===
