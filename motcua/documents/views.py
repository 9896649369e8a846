"""Plain data the form templates render: built from dossiers by `service`, or by hand in tests.

Keeping the PDF layer on these dataclasses means a form can be rendered (and tested)
without a database, and the templates never touch ORM objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# The labels are the dossiers' own (one wording on the page and on paper).
from motcua.dossiers.enums import CHANNEL_LABELS, COMPONENT_KIND_LABELS, OUTCOME_LABELS


@dataclass
class Issuer:
    """The agency printed top-left (ND 30/2020): its parent on the first line, itself in bold."""

    name: str
    parent_name: str = ""
    code: str = ""


@dataclass
class Applicant:
    full_name: str
    kind: str = "person"
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass
class ComponentLine:
    name: str
    kind: str = "original"
    count: int = 1

    @property
    def kind_label(self) -> str:
        return COMPONENT_KIND_LABELS.get(self.kind, self.kind)


@dataclass
class HandOver:
    """One row of the process-control slip (form 06): who handed the dossier to whom, when."""

    from_label: str
    to_label: str
    at: datetime
    outcome: str | None = None
    note: str = ""
    action_label: str = ""

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome or "", "")


@dataclass
class DossierDoc:
    code: str
    procedure_name: str
    issuer: Issuer
    applicant: Applicant
    # The second factor of the public lookup: printed next to the code and in the QR's link.
    lookup_key: str = ""
    procedure_code: str = ""
    competent_agency_name: str = ""
    receiving_unit_name: str = ""
    return_place: str = ""
    channel: str = "counter"
    components: list[ComponentLine] = field(default_factory=list)
    received_at: datetime | None = None
    due_at: datetime | None = None
    time_limit_text: str = ""
    # Where the limit comes from; `time_limit_source` is "catalogue" (the law, as the catalogue
    # holds it), "entered" (typed by the officer: printed as entered, not "theo quy định") or
    # "" (the dossier has no limit).
    time_limit_basis: str = ""
    time_limit_source: str = ""
    officer_name: str = ""
    # "Số: 15/GTN" and the tracking book's "Quyển số" / "Số thứ tự" (documents.registers);
    # empty when the register has no entry (a slip rendered from plain data).
    doc_number: str = ""
    book_volume: str = ""
    book_number: int | None = None
    # "Nơi nhận" of an agency letter (04, 05, 03a), one recipient a line, as printed.
    recipients: list[str] = field(default_factory=list)
    # Who signs an agency letter (03a): the person who took the decision, under the title.
    signer_name: str = ""
    set_count: int = 1
    fees_text: str = ""
    # Form 02
    missing_items: list[str] = field(default_factory=list)
    supplement_note: str = ""
    contact_text: str = ""
    # Form 03
    refusal_reasons: list[str] = field(default_factory=list)
    # Form 04 (and form 01 reprinted after it: `due_at` the appointment given before, `new_due_at`
    # the one given with the apology)
    apology_reason: str = ""
    new_due_at: datetime | None = None
    apology_at: datetime | None = None
    # Form 05
    stop_requested_at: datetime | None = None
    stop_reason: str = ""
    # Form 06
    handovers: list[HandOver] = field(default_factory=list)
    status_label: str = ""
    finished_at: datetime | None = None
    returned_at: datetime | None = None
    outcome: str | None = None

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome or "", "")

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS.get(self.channel, self.channel)


@dataclass
class BookRow:
    code: str
    procedure_name: str
    applicant_name: str
    applicant_address: str = ""
    applicant_phone: str = ""
    competent_agency_name: str = ""
    received_at: datetime | None = None
    due_at: datetime | None = None
    transferred_at: datetime | None = None
    finished_at: datetime | None = None
    returned_at: datetime | None = None
    set_count: int = 1
    note: str = ""


@dataclass
class TrackingBookDoc:
    issuer: Issuer
    date_from: date
    date_to: date
    rows: list[BookRow] = field(default_factory=list)
    # A book is printed in parts (documents.book): the part's first row number (STT), the
    # rows of the whole book, and "Phần 2/5 — hồ sơ số 101–200 …" (empty for a one-part book).
    first_number: int = 1
    total: int | None = None
    part: int = 1
    parts: int = 1
    part_label: str = ""

    @property
    def total_rows(self) -> int:
        return len(self.rows) if self.total is None else self.total

    @property
    def footer_note(self) -> str:
        return f"Phần {self.part}/{self.parts}" if self.parts > 1 else ""
