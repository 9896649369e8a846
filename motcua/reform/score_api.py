"""JSON: the reform index sheets, a unit's scores (self and appraised) and the ranking."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from motcua.auth.deps import require_user
from motcua.auth.models import User
from motcua.auth.policies import in_scope
from motcua.core.db import DbSession
from motcua.core.errors import Forbidden
from motcua.dossiers.storage import content_disposition, read_bytes
from motcua.reform import policies, score_evidence, scoring
from motcua.reform.indicators import Source
from motcua.reform.models import ScoreEvidence
from motcua.reform.progress import Upload
from motcua.reform.score_evidence import EvidenceIn
from motcua.reform.score_files import Stage
from motcua.reform.scoring import AppraisalIn, SelfScoreIn, SheetIn, SheetStatus

# Paths under /api/v1/reform: the domain's api.py includes this router into its prefixed one.
router = APIRouter(tags=["cải cách hành chính: chỉ số"])
SignedIn = Annotated[User, Depends(require_user)]
PROBLEM = {"content": {"application/problem+json": {}}}
ERRORS = {403: {"description": "Không có quyền", **PROBLEM}, 404: {"description": "Không tìm thấy", **PROBLEM},
          409: {"description": "Không thực hiện được ở trạng thái này", **PROBLEM},
          422: {"description": "Dữ liệu không hợp lệ", **PROBLEM}}


class SheetOut(BaseModel):
    id: uuid.UUID
    year: int
    name: str
    basis: str
    status: SheetStatus
    max_points: Decimal | None
    survey_points: Decimal
    appraisal_evidence: bool  # every appraised score needs a file of the council


class ItemOut(BaseModel):
    code: str
    title: str
    level: int
    max_points: Decimal | None  # for a parent: the sum of its children's
    scored: bool  # a leaf: units are scored on it
    evidence_required: bool
    from_survey: bool
    source: Source | None  # points from what the system measures, never typed
    note: str | None


class SheetDetailOut(SheetOut):
    items: list[ItemOut]


class ScoreOut(BaseModel):
    item_code: str
    self_points: Decimal | None
    evidence: str | None
    self_note: str | None
    self_at: datetime | None
    appraised_points: Decimal | None
    appraisal_note: str | None
    appraised_at: datetime | None


class TotalsOut(BaseModel):
    agency_id: uuid.UUID
    agency_name: str
    self_total: Decimal
    appraised_total: Decimal
    survey_total: Decimal
    measured_total: Decimal
    total: Decimal
    appraised_complete: bool
    survey_answered: bool


class RankOut(TotalsOut):
    rank: int


class ScoreFileOut(BaseModel):
    id: uuid.UUID
    item_code: str
    stage: Stage  # self: the unit's evidence; appraisal: the council's document
    name: str
    content_type: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
    url: str  # download (signed in, for those who see the unit's sheet)


class SubmissionOut(BaseModel):
    agency_code: str
    submitted_at: datetime
    submitted_by: str


class LineOut(BaseModel):
    code: str
    title: str
    max_points: Decimal | None
    scored: bool
    self_points: Decimal | None
    appraised_points: Decimal | None
    points: Decimal | None  # counted: computed, else appraised, else self; a parent: the sum of its items'
    from_survey: bool
    source: Source | None
    basis: str | None  # how computed points were obtained (source, figure, period)
    files: list[ScoreFileOut]  # evidence files: the unit's, then the council's


class UnitSheetOut(BaseModel):
    agency_code: str
    agency_name: str
    period_from: date | None  # the days the system's figures cover
    period_to: date | None
    submitted_at: datetime | None  # the self-assessment sent for appraisal
    lines: list[LineOut]
    totals: TotalsOut


class StatusIn(BaseModel):
    status: SheetStatus


def _sheet_out(session, sheet) -> SheetOut:
    items = scoring.items_of(session, sheet)
    return SheetOut(id=sheet.id, year=sheet.year, name=sheet.name, basis=sheet.basis, status=sheet.status,
                    max_points=scoring.sheet_max(items), survey_points=scoring.survey_max(items),
                    appraisal_evidence=sheet.appraisal_evidence)


def _detail(session, sheet) -> SheetDetailOut:
    items = scoring.items_of(session, sheet)
    maxima, leaf_ids = scoring.maxima(items), {i.id for i in scoring.leaves(items)}
    return SheetDetailOut(**_sheet_out(session, sheet).model_dump(), items=[
        ItemOut(code=i.code, title=i.title, level=i.code.count(".") + 1, max_points=maxima[i.id],
                scored=i.id in leaf_ids, evidence_required=i.evidence_required, from_survey=i.from_survey,
                source=i.source, note=i.note) for i in items])


@router.get("/score-sheets", response_model=list[SheetOut], summary="Các bộ chỉ số cải cách hành chính")
def list_sheets(session: DbSession, user: SignedIn):
    policies.ensure_staff(session, user)
    return [_sheet_out(session, s) for s in scoring.list_sheets(session)]


@router.post("/score-sheets", status_code=201, response_model=SheetDetailOut, responses=ERRORS,
             summary="Tạo bộ chỉ số (Sở Nội vụ)")
def create_sheet(session: DbSession, user: SignedIn, body: SheetIn):
    return _detail(session, scoring.create_sheet(session, user, body))


@router.get("/score-sheets/{sheet_id}", response_model=SheetDetailOut, responses=ERRORS,
            summary="Bộ chỉ số: lĩnh vực, tiêu chí, tiêu chí thành phần")
def get_sheet(session: DbSession, user: SignedIn, sheet_id: uuid.UUID):
    policies.ensure_staff(session, user)
    return _detail(session, scoring.get_sheet(session, sheet_id))


@router.post("/score-sheets/{sheet_id}/status", response_model=SheetOut, responses=ERRORS,
             summary="Đưa bộ chỉ số vào chấm điểm hoặc khoá (Sở Nội vụ)")
def set_status(session: DbSession, user: SignedIn, sheet_id: uuid.UUID, body: StatusIn):
    sheet = scoring.get_sheet(session, sheet_id)
    scoring.set_status(session, user, sheet, body.status)
    return _sheet_out(session, sheet)


def _score_out(session, row) -> ScoreOut:
    item = session.get(scoring.ScoreItem, row.item_id)
    return ScoreOut(item_code=item.code, self_points=row.self_points, evidence=row.evidence, self_note=row.self_note,
                    self_at=row.self_at, appraised_points=row.appraised_points, appraisal_note=row.appraisal_note,
                    appraised_at=row.appraised_at)


@router.post("/score-sheets/{sheet_id}/self-scores", response_model=ScoreOut, responses=ERRORS,
             summary="Đơn vị tự chấm điểm một mục")
def self_score(session: DbSession, user: SignedIn, sheet_id: uuid.UUID, body: SelfScoreIn):
    return _score_out(session, scoring.self_score(session, user, scoring.get_sheet(session, sheet_id), body))


@router.post("/score-sheets/{sheet_id}/appraisals", response_model=ScoreOut, responses=ERRORS,
             summary="Hội đồng thẩm định ghi điểm một mục")
def appraise(session: DbSession, user: SignedIn, sheet_id: uuid.UUID, body: AppraisalIn):
    return _score_out(session, scoring.appraise(session, user, scoring.get_sheet(session, sheet_id), body))


@router.get("/score-sheets/{sheet_id}/scores", response_model=list[ScoreOut], responses=ERRORS,
            summary="Điểm của một đơn vị")
def unit_scores(session: DbSession, user: SignedIn, sheet_id: uuid.UUID,
                agency: Annotated[str, Query(min_length=1, max_length=20, description="Mã cơ quan")]):
    sheet = scoring.get_sheet(session, sheet_id)
    unit = scoring.find_agency(session, agency)
    if not in_scope(policies.ensure_staff(session, user), unit.id):
        raise Forbidden("Bạn chỉ xem được điểm của cơ quan, đơn vị của mình.")
    rows = scoring.unit_rows(session, sheet, unit).values()
    return sorted((_score_out(session, r) for r in rows), key=lambda s: [int(p) for p in s.item_code.split(".")])


@router.get("/score-sheets/{sheet_id}/ranking", response_model=list[RankOut], responses=ERRORS,
            summary="Xếp hạng các đơn vị (bằng điểm cùng hạng: 1, 2, 2, 4)")
def ranking(session: DbSession, user: SignedIn, sheet_id: uuid.UUID):
    policies.ensure_staff(session, user)
    return [RankOut(**t.__dict__) for t in scoring.ranking(session, scoring.get_sheet(session, sheet_id))]


@router.get("/score-sheets/{sheet_id}/unit-sheet", response_model=UnitSheetOut, responses=ERRORS,
            summary="Bảng điểm của một đơn vị: điểm tự chấm, thẩm định, điểm tính từ khảo sát và số liệu hệ thống")
def unit_sheet(session: DbSession, user: SignedIn, sheet_id: uuid.UUID,
               agency: Annotated[str, Query(min_length=1, max_length=20, description="Mã cơ quan")]):
    sheet = scoring.get_sheet(session, sheet_id)
    unit = scoring.find_agency(session, agency)
    if not in_scope(policies.ensure_staff(session, user), unit.id):
        raise Forbidden("Bạn chỉ xem được điểm của cơ quan, đơn vị của mình.")
    us = scoring.unit_sheet(session, sheet, unit)
    return UnitSheetOut(
        agency_code=unit.code, agency_name=unit.name, period_from=us.span[0] if us.span else None,
        period_to=us.span[1] if us.span else None, totals=TotalsOut(**us.total.__dict__),
        lines=[LineOut(code=ln.item.code, title=ln.item.title, max_points=ln.maximum, scored=ln.scored,
                       self_points=ln.row.self_points if ln.row else None,
                       appraised_points=ln.row.appraised_points if ln.row else None, points=ln.points,
                       from_survey=ln.item.from_survey, source=ln.item.source,
                       basis=ln.computed.basis if ln.computed else None,
                       files=[file_out(f, ln.item.code) for f in ln.files]) for ln in us.lines],
        submitted_at=us.submission.submitted_at if us.submission else None)


def file_out(f: ScoreEvidence, item_code: str) -> ScoreFileOut:
    return ScoreFileOut(id=f.id, item_code=item_code, stage=f.stage, name=f.name, content_type=f.content_type,
                        size=f.size, uploaded_by=f.uploaded_by_name, uploaded_at=f.uploaded_at,
                        url=f"/api/v1/reform/score-evidence/{f.id}")


EVIDENCE = "/score-sheets/{sheet_id}/units/{agency_code}/items/{item_code}/evidence"
CODE = Annotated[str, Path(min_length=1, max_length=20)]


@router.post(EVIDENCE, status_code=201, response_model=list[ScoreFileOut], responses=ERRORS,
             summary="Đính kèm tài liệu kiểm chứng cho điểm một mục (đơn vị; Hội đồng thẩm định khi bộ chỉ số yêu cầu)")
def add_evidence(request: Request, session: DbSession, user: SignedIn, sheet_id: uuid.UUID, agency_code: CODE,
                 item_code: CODE, files: Annotated[list[UploadFile], File(description="PDF, ảnh, DOCX, XLSX; tối đa 5 tệp")],
                 stage: Annotated[Stage, Form(description="self: của đơn vị; appraisal: của Hội đồng")] = Stage.self):
    sheet = scoring.get_sheet(session, sheet_id)
    settings = request.app.state.settings
    data = EvidenceIn(agency_code=agency_code, item_code=item_code, stage=stage)
    uploads = [Upload(f.filename, f.file.read(settings.max_upload_bytes + 1)) for f in files]
    score_evidence.add_evidence(session, user, sheet, data, uploads, root=settings.storage_dir,
                                max_bytes=settings.max_upload_bytes)
    return [file_out(f, item_code) for f in score_evidence.item_files(session, user, sheet, agency_code, item_code)]


@router.get(EVIDENCE, response_model=list[ScoreFileOut], responses=ERRORS,
            summary="Tài liệu kiểm chứng của một mục (người xem được bảng điểm của đơn vị)")
def item_evidence(session: DbSession, user: SignedIn, sheet_id: uuid.UUID, agency_code: CODE, item_code: CODE):
    sheet = scoring.get_sheet(session, sheet_id)
    return [file_out(f, item_code) for f in score_evidence.item_files(session, user, sheet, agency_code, item_code)]


@router.get("/score-evidence/{evidence_id}", response_class=Response, summary="Tải một tài liệu kiểm chứng",
            responses={200: {"content": {"application/octet-stream": {}}}, **ERRORS})
def download_evidence(request: Request, session: DbSession, user: SignedIn, evidence_id: uuid.UUID):
    return evidence_response(request, score_evidence.get_file(session, user, evidence_id))


def evidence_response(request: Request, ev: ScoreEvidence) -> Response:
    """A stored file sent back under its own type, never sniffed again by the browser."""
    content = read_bytes(ev.sha256, request.app.state.settings.storage_dir)
    return Response(content, media_type=ev.content_type, headers={
        "Content-Disposition": content_disposition(ev.name), "X-Content-Type-Options": "nosniff"})


@router.post("/score-sheets/{sheet_id}/units/{agency_code}/submission", status_code=201,
             response_model=SubmissionOut, responses=ERRORS,
             summary="Đơn vị gửi bảng tự chấm để thẩm định (cần đủ điểm và tệp kiểm chứng của các mục bắt buộc)")
def submit(session: DbSession, user: SignedIn, sheet_id: uuid.UUID, agency_code: CODE):
    sent = score_evidence.submit(session, user, scoring.get_sheet(session, sheet_id), agency_code)
    return SubmissionOut(agency_code=agency_code, submitted_at=sent.submitted_at, submitted_by=sent.submitted_by_name)
