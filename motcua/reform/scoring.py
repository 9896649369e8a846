"""The reform index self-assessment (Chỉ số cải cách hành chính, PAR INDEX) of the province's units.

A yearly sheet lists fields → criteria → sub-criteria with maximum points; a unit scores itself
on every leaf item (with evidence where the item asks for it), the appraisal council (the
Department of Home Affairs) records appraised points, and the ranking follows.

Rules written here once (docs/reform-scoring.md):
- a unit's points on an item are the appraised points when recorded, otherwise its own (the
  total is then provisional: `UnitTotal.appraised_complete` is False);
- items marked `from_survey` are never typed: their points are the item's maximum times the
  share of satisfied answers about the unit in the year's surveys (`surveys.unit_share`),
  rounded half up to 0.01; no survey answer about the unit → 0 points, flagged;
- items with a `source` (indicators.Source: on-time share, online share, 766 score) are never
  typed either: their points are the maximum times the figure the system measures for the unit
  over the sheet's year up to today (indicators.measure; the 766 score counts as points/100),
  rounded the same way; nothing counted yet → 0 points, flagged;
- ranking: by total, highest first; equal totals share a rank and the next rank skips
  ("1, 2, 2, 4"); within a tie units are listed by name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.core.clock import now, to_local
from motcua.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.core.text import nfc
from motcua.org.models import Agency
from motcua.reform import indicators, policies, surveys
from motcua.reform.indicators import SOURCE_LABELS, SOURCE_PAGES, Source
from motcua.reform.models import ScoreEvidence, ScoreItem, ScoreSheet, ScoreSubmission, UnitScore
from motcua.reform.score_files import Stage, files_of, has_file, submission_of

CENT = Decimal("0.01")


class SheetStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"


SHEET_STATUS_LABELS = {SheetStatus.draft: "Đang soạn", SheetStatus.open: "Đang chấm điểm",
                       SheetStatus.closed: "Đã khoá"}


# --- inputs (shared by the pages and the API) ---------------------------------------------


class ItemIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=20, pattern=r"^\d+(\.\d+){0,2}$", title="Mã mục")
    title: str = Field(min_length=2, max_length=2000, title="Nội dung")
    max_points: Decimal | None = Field(default=None, ge=0, le=100, decimal_places=2, title="Điểm tối đa")
    evidence_required: bool = Field(default=False, title="Cần tài liệu kiểm chứng")
    from_survey: bool = Field(default=False, title="Điểm lấy từ khảo sát")
    source: Source | None = Field(default=None, title="Điểm lấy từ số liệu của hệ thống")
    note: str | None = Field(default=None, max_length=2000, title="Ghi chú")

    @model_validator(mode="after")
    def _one_origin(self):
        if self.from_survey and self.source is not None:
            raise ValueError("Một mục chỉ lấy điểm từ khảo sát hoặc từ số liệu của hệ thống, không cả hai.")
        return self


class SheetIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    year: int = Field(ge=2000, le=2100, title="Năm")
    name: str = Field(min_length=5, max_length=255, title="Tên bộ chỉ số")
    basis: str = Field(min_length=5, max_length=2000, title="Căn cứ")
    appraisal_evidence: bool = Field(default=False, title="Điểm thẩm định phải kèm tài liệu của Hội đồng")
    items: list[ItemIn] = Field(default_factory=list, max_length=500, title="Các mục")


class SelfScoreIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    agency_code: str = Field(min_length=1, max_length=20, title="Cơ quan, đơn vị")
    item_code: str = Field(min_length=1, max_length=20, title="Mã mục")
    points: Decimal = Field(ge=0, le=100, decimal_places=2, title="Điểm tự chấm")
    evidence: str | None = Field(default=None, max_length=2000, title="Tài liệu kiểm chứng")
    note: str | None = Field(default=None, max_length=2000, title="Giải trình")


class AppraisalIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    agency_code: str = Field(min_length=1, max_length=20, title="Cơ quan, đơn vị")
    item_code: str = Field(min_length=1, max_length=20, title="Mã mục")
    points: Decimal = Field(ge=0, le=100, decimal_places=2, title="Điểm thẩm định")
    note: str | None = Field(default=None, max_length=2000, title="Ý kiến thẩm định")


# --- who may -------------------------------------------------------------------------------


def is_appraiser(session: Session, user: User | None) -> bool:
    """The appraisal council: the reform officers of the Department of Home Affairs (and province
    administrators), who also configure the sheets."""
    return policies.manages_plans(session, user)


def ensure_appraiser(session: Session, user: User | None) -> None:
    if not is_appraiser(session, user):
        raise Forbidden("Chỉ cán bộ cải cách hành chính của Sở Nội vụ (Hội đồng thẩm định) được cấu hình bộ "
                        "chỉ số và chấm điểm thẩm định.")


def ensure_may_self_score(session: Session, user: User | None, agency: Agency) -> None:
    """The unit's reform officers and heads (policies.acts_for) score their own unit."""
    if not policies.acts_for(session, user, agency.id):
        raise Forbidden("Bạn chỉ được tự chấm điểm cho cơ quan, đơn vị của mình (cần vai trò Cán bộ cải cách "
                        "hành chính hoặc Lãnh đạo của đơn vị).")


# --- sheets --------------------------------------------------------------------------------


def _parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def create_sheet(session: Session, user: User | None, data: SheetIn) -> ScoreSheet:
    ensure_appraiser(session, user)
    if session.scalar(select(ScoreSheet.id).where(ScoreSheet.year == data.year, ScoreSheet.name == nfc(data.name))):
        raise Conflict(f"Đã có bộ chỉ số “{data.name}” năm {data.year}.")
    sheet = ScoreSheet(year=data.year, name=nfc(data.name), basis=nfc(data.basis), status=SheetStatus.draft,
                       appraisal_evidence=data.appraisal_evidence)
    session.add(sheet)
    session.flush()
    for item in data.items:
        add_item(session, user, sheet, item)
    return sheet


def add_item(session: Session, user: User | None, sheet: ScoreSheet, data: ItemIn) -> ScoreItem:
    ensure_appraiser(session, user)
    if sheet.status != SheetStatus.draft:
        raise Conflict("Bộ chỉ số đã đưa vào chấm điểm: không thêm mục được nữa.")
    items = {i.code: i for i in items_of(session, sheet)}
    if data.code in items:
        raise InvalidInput(f"Mã mục {data.code} đã có trong bộ chỉ số.",
                           details=[{"name": "code", "label": "Mã mục", "message": "Mã mục đã có."}])
    parent_code = _parent_code(data.code)
    parent = items.get(parent_code) if parent_code else None
    if parent_code and parent is None:
        raise InvalidInput(f"Chưa có mục cha {parent_code} của mục {data.code}.",
                           details=[{"name": "code", "label": "Mã mục",
                                     "message": f"Chưa có mục cha {parent_code}."}])
    item = ScoreItem(sheet_id=sheet.id, parent_id=parent.id if parent else None, code=data.code,
                     position=len(items) + 1, title=nfc(data.title),
                     max_points=data.max_points.quantize(CENT) if data.max_points is not None else None,
                     evidence_required=data.evidence_required, from_survey=data.from_survey,
                     source=data.source.value if data.source else None, note=nfc(data.note) if data.note else None)
    session.add(item)
    session.flush()
    return item


def set_status(session: Session, user: User | None, sheet: ScoreSheet, status: SheetStatus) -> None:
    ensure_appraiser(session, user)
    if status == SheetStatus.open:
        missing = [i.code for i in leaves(items_of(session, sheet)) if i.max_points is None]
        if missing:
            raise Conflict("Chưa thể mở chấm điểm: các mục chưa có điểm tối đa: " + ", ".join(missing) + ".")
    sheet.status = status


def get_sheet(session: Session, sheet_id: uuid.UUID) -> ScoreSheet:
    sheet = session.get(ScoreSheet, sheet_id)
    if sheet is None:
        raise NotFound("Không tìm thấy bộ chỉ số.")
    return sheet


def list_sheets(session: Session) -> list[ScoreSheet]:
    return list(session.scalars(select(ScoreSheet).order_by(ScoreSheet.year.desc(), ScoreSheet.name)))


def items_of(session: Session, sheet: ScoreSheet) -> list[ScoreItem]:
    return list(session.scalars(select(ScoreItem).where(ScoreItem.sheet_id == sheet.id)
                                .order_by(ScoreItem.position)))


def leaves(items: list[ScoreItem]) -> list[ScoreItem]:
    """The items units are scored on: those without children."""
    parents = {i.parent_id for i in items}
    return [i for i in items if i.id not in parents]


def maxima(items: list[ScoreItem]) -> dict[uuid.UUID, Decimal | None]:
    """Each item's maximum: the sum of its children's when they all have one, else its own."""
    children: dict[uuid.UUID | None, list[ScoreItem]] = {}
    for i in items:
        children.setdefault(i.parent_id, []).append(i)
    result: dict[uuid.UUID, Decimal | None] = {}

    def walk(item: ScoreItem) -> Decimal | None:
        kids = [walk(k) for k in children.get(item.id, [])]
        value = sum(kids, Decimal(0)) if kids and all(k is not None for k in kids) else item.max_points
        result[item.id] = value
        return value

    for top in children.get(None, []):
        walk(top)
    return result


def sheet_max(items: list[ScoreItem]) -> Decimal | None:
    m = maxima(items)
    tops = [m[i.id] for i in items if i.parent_id is None]
    return sum(tops, Decimal(0)).quantize(CENT) if tops and all(t is not None for t in tops) else None


def survey_max(items: list[ScoreItem]) -> Decimal:
    return sum((i.max_points or Decimal(0) for i in leaves(items) if i.from_survey), Decimal(0)).quantize(CENT)


# --- scores --------------------------------------------------------------------------------


def scorable_item(session: Session, sheet: ScoreSheet, code: str) -> ScoreItem:
    if sheet.status != SheetStatus.open:
        raise Conflict("Bộ chỉ số không ở trạng thái chấm điểm.")
    items = items_of(session, sheet)
    item = next((i for i in leaves(items) if i.code == code), None)
    field = [{"name": "item_code", "label": "Mã mục", "message": f"Không có mục chấm điểm {code}."}]
    if item is None:
        raise InvalidInput(f"Không có mục chấm điểm {code} trong bộ chỉ số.", details=field)
    if item.from_survey:
        raise InvalidInput(f"Mục {code} lấy điểm từ kết quả khảo sát sự hài lòng, không chấm tay.",
                           details=[field[0] | {"message": "Điểm lấy từ kết quả khảo sát."}])
    if item.source:
        label = SOURCE_LABELS[Source(item.source)]
        raise InvalidInput(f"Mục {code} lấy điểm từ số liệu hệ thống đo ({label}), không chấm tay.",
                           details=[field[0] | {"message": f"Điểm lấy từ số liệu của hệ thống: {label}."}])
    return item


def _check_points(item: ScoreItem, points: Decimal) -> None:
    if item.max_points is not None and points > item.max_points:
        raise InvalidInput(f"Điểm của mục {item.code} không được vượt quá {fmt(item.max_points)}.",
                           details=[{"name": "points", "label": "Điểm",
                                     "message": f"Tối đa {fmt(item.max_points)} điểm."}])


def _row(session: Session, sheet: ScoreSheet, item: ScoreItem, agency: Agency) -> UnitScore:
    row = session.scalar(select(UnitScore).where(UnitScore.item_id == item.id, UnitScore.agency_id == agency.id))
    if row is None:
        row = UnitScore(sheet_id=sheet.id, item_id=item.id, agency_id=agency.id)
        session.add(row)
    return row


def self_score(session: Session, user: User, sheet: ScoreSheet, data: SelfScoreIn) -> UnitScore:
    agency = find_agency(session, data.agency_code)
    ensure_may_self_score(session, user, agency)
    item = scorable_item(session, sheet, data.item_code)
    _check_points(item, data.points)
    ensure_not_submitted(session, sheet, agency)
    # A file uploaded first stands for the reference; submitting needs a file anyway (score_evidence.submit).
    if item.evidence_required and not data.evidence and not has_file(session, sheet.id, item.id, agency.id, Stage.self):
        raise InvalidInput(f"Mục {item.code} cần tài liệu kiểm chứng.",
                           details=[{"name": "evidence", "label": "Tài liệu kiểm chứng",
                                     "message": "Mục này cần tài liệu kiểm chứng (số, ngày văn bản hoặc đường dẫn, "
                                                "hoặc đính kèm tệp)."}])
    row = _row(session, sheet, item, agency)
    if row.appraised_points is not None:
        raise Conflict(f"Mục {item.code} đã được thẩm định: không sửa điểm tự chấm được nữa.")
    row.self_points, row.evidence = data.points.quantize(CENT), nfc(data.evidence) if data.evidence else None
    row.self_note, row.self_by_id, row.self_at = (nfc(data.note) if data.note else None), user.id, now()
    session.flush()
    return row


def appraise(session: Session, user: User, sheet: ScoreSheet, data: AppraisalIn) -> UnitScore:
    ensure_appraiser(session, user)
    agency = find_agency(session, data.agency_code)
    item = scorable_item(session, sheet, data.item_code)
    _check_points(item, data.points)
    if sheet.appraisal_evidence and not has_file(session, sheet.id, item.id, agency.id, Stage.appraisal):
        raise InvalidInput(f"Bộ chỉ số yêu cầu tài liệu thẩm định: đính kèm tệp cho mục {item.code} của {agency.name} "
                           "trước khi ghi điểm thẩm định.")
    row = _row(session, sheet, item, agency)
    row.appraised_points, row.appraisal_note = data.points.quantize(CENT), nfc(data.note) if data.note else None
    row.appraised_by_id, row.appraised_at = user.id, now()
    session.flush()
    return row


def ensure_not_submitted(session: Session, sheet: ScoreSheet, agency: Agency) -> None:
    """A submitted self-assessment is what the council appraises: the unit's points and files stay as sent."""
    sent = submission_of(session, sheet.id, agency.id)
    if sent is not None:
        raise Conflict(f"{agency.name} đã gửi bảng tự chấm để thẩm định ngày {to_local(sent.submitted_at):%d/%m/%Y}: "
                       "không sửa điểm tự chấm, không thêm tài liệu kiểm chứng được nữa.")


# --- totals and ranking --------------------------------------------------------------------


def fmt(points: Decimal | None) -> str:
    """Points as Vietnamese write them: 12,5 — 12,25 — 12."""
    if points is None:
        return "—"
    text = f"{points.quantize(CENT):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def share_points(item: ScoreItem, share: Decimal | None) -> Decimal:
    """An item's maximum times a share (0…1), rounded half up to 0.01; no share → 0."""
    if item.max_points is None or share is None:
        return Decimal(0)
    return (item.max_points * share).quantize(CENT, rounding=ROUND_HALF_UP)


def _pct(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}".replace(".", ",")


@dataclass(frozen=True)
class Computed:
    """The points of an item that are not typed: from the surveys, or measured by the system."""

    points: Decimal
    basis: str  # what they come from: the source, the figure and the period (shown beside them)
    counted: bool  # False: nothing to count yet (0 points)
    from_survey: bool


def sheet_span(sheet: ScoreSheet, today: date | None = None) -> tuple[date, date] | None:
    """The days the system's figures are counted over: the sheet's year up to today (None: the
    year has not begun)."""
    today = today or to_local(now()).date()
    start, end = date(sheet.year, 1, 1), min(date(sheet.year, 12, 31), today)
    return None if start > today else (start, end)


def computed_points(session: Session, sheet: ScoreSheet, items: list[ScoreItem],
                    agency_id: uuid.UUID) -> dict[uuid.UUID, Computed]:
    """The points of the unit's items that are not typed, each with its basis."""
    out: dict[uuid.UUID, Computed] = {}
    share = None
    scored = leaves(items)
    if any(i.from_survey for i in scored):
        share = surveys.unit_share(session, sheet.year, agency_id)
    span = sheet_span(sheet)
    figures: dict[Source, indicators.Figure] = {}
    for item in scored:
        if item.from_survey:
            basis = (f"Khảo sát sự hài lòng năm {sheet.year}: {_pct(share)} % ý kiến hài lòng" if share is not None
                     else f"Chưa có phiếu khảo sát năm {sheet.year} về đơn vị")
            out[item.id] = Computed(share_points(item, share), basis, share is not None, True)
        elif item.source:
            source = Source(item.source)
            if span is None:
                out[item.id] = Computed(Decimal(0), f"{SOURCE_LABELS[source]}: năm {sheet.year} chưa bắt đầu",
                                        False, False)
                continue
            if source not in figures:
                figures[source] = indicators.measure(session, source, [agency_id], *span)
            f = figures[source]
            out[item.id] = Computed(share_points(item, f.share), _figure_basis(f), f.share is not None, False)
    return out


def _figure_basis(f: indicators.Figure) -> str:
    days = f"từ {f.start:%d/%m/%Y} đến {f.end:%d/%m/%Y}"
    where = f"nguồn: {SOURCE_PAGES[f.source]}"
    if f.value is None:
        return f"{SOURCE_LABELS[f.source]}: chưa có hồ sơ để tính ({days}; {where})"
    if f.source is Source.index766:
        return (f"{SOURCE_LABELS[f.source]}: {fmt(f.numerator)}/100 điểm, tính được các chỉ tiêu có tổng "
                f"{fmt(f.computable)} điểm ({days}; {where})")
    return (f"{SOURCE_LABELS[f.source]}: {_pct(f.share)} % ({int(f.numerator)}/{int(f.denominator)} hồ sơ; "
            f"{days}; {where})")


@dataclass(frozen=True)
class UnitTotal:
    agency_id: uuid.UUID
    agency_name: str
    self_total: Decimal
    appraised_total: Decimal  # only the appraised items
    survey_total: Decimal
    total: Decimal  # appraised where recorded, else self; plus the survey and measured parts
    appraised_complete: bool  # every typed item appraised
    survey_answered: bool  # the year's surveys hold answers about the unit
    rank: int
    measured_total: Decimal = Decimal(0)  # the items measured by the system


def rank_totals(totals: list[UnitTotal]) -> list[UnitTotal]:
    """Competition ranking ("1, 2, 2, 4"): equal totals share a rank; ties listed by name."""
    ordered = sorted(totals, key=lambda t: (-t.total, t.agency_name))
    ranked: list[UnitTotal] = []
    for position, t in enumerate(ordered, start=1):
        rank = ranked[-1].rank if ranked and ranked[-1].total == t.total else position
        ranked.append(UnitTotal(**{**t.__dict__, "rank": rank}))
    return ranked


def counted_points(row: UnitScore | None) -> Decimal | None:
    """A typed item's points: appraised when recorded, else self-assessed (None: not scored)."""
    if row is None:
        return None
    return row.appraised_points if row.appraised_points is not None else row.self_points


def unit_total(items: list[ScoreItem], agency_id: uuid.UUID, name: str, scored: dict[uuid.UUID, UnitScore],
               computed: dict[uuid.UUID, Computed]) -> UnitTotal:
    """A unit's totals (rank 0: ranking gives it)."""
    typed = [i for i in leaves(items) if i.id not in computed]
    survey = sum((c.points for c in computed.values() if c.from_survey), Decimal(0))
    measured = sum((c.points for c in computed.values() if not c.from_survey), Decimal(0))
    rows = [scored[i.id] for i in typed if i.id in scored]
    self_total = sum((r.self_points for r in rows if r.self_points is not None), Decimal(0))
    appraised = sum((r.appraised_points for r in rows if r.appraised_points is not None), Decimal(0))
    final = sum((counted_points(r) or Decimal(0) for r in rows), Decimal(0))
    complete = all(i.id in scored and scored[i.id].appraised_points is not None for i in typed)
    answered = any(c.counted for c in computed.values() if c.from_survey)
    return UnitTotal(agency_id, name, self_total.quantize(CENT), appraised.quantize(CENT), survey.quantize(CENT),
                     (final + survey + measured).quantize(CENT), complete, answered, 0, measured.quantize(CENT))


def ranking(session: Session, sheet: ScoreSheet) -> list[UnitTotal]:
    """Every unit that has scored on `sheet`, with its totals and rank."""
    items = items_of(session, sheet)
    rows = list(session.scalars(select(UnitScore).where(UnitScore.sheet_id == sheet.id)))
    by_agency: dict[uuid.UUID, dict[uuid.UUID, UnitScore]] = {}
    for r in rows:
        by_agency.setdefault(r.agency_id, {})[r.item_id] = r
    names = dict(session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(by_agency))).tuples().all())
    return rank_totals([unit_total(items, agency_id, names.get(agency_id, ""), scored,
                                   computed_points(session, sheet, items, agency_id))
                        for agency_id, scored in by_agency.items()])


@dataclass(frozen=True)
class Line:
    """One item of a unit's sheet: its maximum, typed scores and counted points."""

    item: ScoreItem
    maximum: Decimal | None
    scored: bool  # a leaf
    row: UnitScore | None
    computed: Computed | None
    points: Decimal | None  # leaf: computed, else appraised, else self; parent: the sum of its leaves'
    files: list[ScoreEvidence]  # the evidence files on it (the unit's, then the council's)


@dataclass(frozen=True)
class UnitSheet:
    sheet: ScoreSheet
    agency: Agency
    lines: list[Line]
    total: UnitTotal
    total_max: Decimal | None
    span: tuple[date, date] | None  # the days the system's figures cover
    submission: ScoreSubmission | None  # the self-assessment sent for appraisal


def unit_sheet(session: Session, sheet: ScoreSheet, agency: Agency) -> UnitSheet:
    """The unit's sheet as the page and its files show it; its total is the ranking's."""
    items = items_of(session, sheet)
    scored = unit_rows(session, sheet, agency)
    computed = computed_points(session, sheet, items, agency.id)
    leaf_ids = {i.id for i in leaves(items)}
    m = maxima(items)
    points: dict[uuid.UUID, Decimal | None] = {}
    for i in items:
        if i.id in leaf_ids:
            points[i.id] = computed[i.id].points if i.id in computed else counted_points(scored.get(i.id))
    children: dict[uuid.UUID | None, list[ScoreItem]] = {}
    for i in items:
        children.setdefault(i.parent_id, []).append(i)

    def walk(item: ScoreItem) -> Decimal | None:
        if item.id in leaf_ids:
            return points[item.id]
        kids = [walk(k) for k in children.get(item.id, [])]
        points[item.id] = sum((k for k in kids if k is not None), Decimal(0)) if any(
            k is not None for k in kids) else None
        return points[item.id]

    for top in children.get(None, []):
        walk(top)
    files = files_of(session, sheet.id, agency.id)
    lines = [Line(i, m[i.id], i.id in leaf_ids, scored.get(i.id), computed.get(i.id), points[i.id],
                  sorted(files.get(i.id, []), key=lambda f: f.stage != Stage.self)) for i in items]
    total = unit_total(items, agency.id, agency.name, scored, computed)
    return UnitSheet(sheet, agency, lines, total, sheet_max(items), sheet_span(sheet),
                     submission_of(session, sheet.id, agency.id))


def unit_rows(session: Session, sheet: ScoreSheet, agency: Agency) -> dict[uuid.UUID, UnitScore]:
    rows = session.scalars(select(UnitScore).where(UnitScore.sheet_id == sheet.id, UnitScore.agency_id == agency.id))
    return {r.item_id: r for r in rows}


def find_agency(session: Session, code: str) -> Agency:
    agency = session.scalar(select(Agency).where(Agency.code == code.strip()))
    if agency is None:
        raise InvalidInput(f"Không tìm thấy cơ quan có mã “{code}”.",
                           details=[{"name": "agency_code", "label": "Cơ quan, đơn vị",
                                     "message": "Không có cơ quan này."}])
    return agency
