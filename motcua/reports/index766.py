"""The Decision 766/QĐ-TTg self-score of an agency (or one of its procedures) over a period
(issue 13 §4; formulas: shared/reference/qd766.md §2; choices: docs/reports.md "Chỉ số 766").

Every dossier figure is a predicate of `counting.Counting` (received, results, refusals,
overdue...) combined with what the dossier holds: its 766 outcome (`progress_outcome`, set by
the dossiers domain when processing ends: supplement time subtracted, more than one
supplement request late), its result file, its scans, its sync ledger row (`dvcqg_sync`:
held by the portal as `dvcqg.reconcile.portal_holds` says),
its payments and its rating. They are summed per agency in one `GROUP BY`. The PAKN figures
come from `feedback.queries.on_time_statistics`, the ratings from `ratings.queries.satisfaction`.

Each indicator carries its metric code as qd766.md names it (the API path for the groups
whose code is null there), its value, points and maximum, or the reason it cannot be
computed yet. Nothing here decides on time or due soon: `progress_outcome` and
`dossiers.queries.due_soon_limit` do.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, literal_column, or_, select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import agency_scope
from motcua.catalog.models import Procedure
from motcua.core.errors import Forbidden, InvalidInput
from motcua.dossiers.enums import Outcome
from motcua.dossiers.models import Dossier, DossierAttachment, DossierResult
from motcua.dossiers.queries import due_soon_limit
from motcua.dvcqg.models import SyncLedger
from motcua.dvcqg.reconcile import portal_holds
from motcua.feedback.queries import OnTime, on_time_statistics
from motcua.org.models import Agency
from motcua.payments.enums import PaymentStatus
from motcua.payments.models import PaymentRequest
from motcua.ratings.models import Rating
from motcua.ratings.queries import satisfaction
from motcua.reports.counting import Counting, Period, period_bucket, scope_filter, span
from motcua.reports.enums import Column, GroupBy

PROGRESS = "dvc-progress-tree"
ONLINE = "provide-online-tree"
PAYMENT = "formality-online-payment-tree"
TOTAL_MAXIMUM = 100

GROUPS = {
    "publicity": "Công khai, minh bạch",
    "progress": "Tiến độ giải quyết",
    "online": "Dịch vụ công trực tuyến",
    "digitisation": "Số hóa hồ sơ",
    "satisfaction": "Mức độ hài lòng",
    "payment": "Thanh toán trực tuyến",
}


@dataclass(frozen=True)
class Metric:
    """One indicator of qd766.md §1: its code, part (a formula's term scored apart), group,
    Vietnamese name and maximum points."""

    code: str
    group: str
    name: str
    maximum: float
    part: str = ""


M = Metric
METRICS: tuple[Metric, ...] = (
    M("PUBLISH_ON_TIME", "publicity", "TTHC công bố đúng hạn", 6),
    M("PUBLIC_UPDATE_ON_TIME", "publicity", "TTHC cập nhật, công khai đúng hạn", 4),
    M("PUBLIC_CONTENT_FULL", "publicity", "TTHC công khai đầy đủ nội dung", 2),
    M("DOSSIER_SYNC", "publicity", "Hồ sơ đồng bộ trạng thái với Cổng DVCQG", 6),
    M(PROGRESS, "progress", "Hồ sơ xử lý trước hạn, đúng hạn", 20),
    M(ONLINE, "online", "Hồ sơ trực tuyến trên tổng số hồ sơ", 12),
    M("ORIGINAL_RESULT_AVAILABLE", "digitisation", "Hồ sơ có kết quả giải quyết điện tử", 6),
    M("SO_HOA_GIAY_TO_GIAI_QUYET", "digitisation", "Hồ sơ số hóa thành phần hồ sơ", 4),
    M("ELECTRONIC_CERTIFIED_COPY", "digitisation", "Chứng thực bản sao điện tử từ bản chính", 2),
    M("REUSED_DIGITIZED_DATA", "digitisation", "Thành phần hồ sơ cắt giảm, thay thế dựa trên dữ liệu", 2),
    M("SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "digitisation", "Hồ sơ số hóa kết nối kho dữ liệu cá nhân", 4),
    M("CITIZEN_DATA_CONNECTED_DOSSIER", "digitisation", "Hồ sơ có sử dụng dữ liệu dân cư", 2),
    M("CITIZEN_DATA_CONNECTED_FORMALITY", "digitisation", "TTHC kết nối, chia sẻ dữ liệu dân cư", 2),
    M("PETITION_PROCESSING_ON_TIME", "satisfaction", "Phản ánh, kiến nghị xử lý đúng hạn", 6),
    M("PETITION_HANDLING_SATISFACTION", "satisfaction", "Hài lòng trong xử lý phản ánh, kiến nghị", 6),
    M("DOSSIER_RECEIVING_SATISFACTION", "satisfaction", "Hài lòng trong tiếp nhận, giải quyết TTHC", 6),
    M(PAYMENT, "payment", "Hồ sơ thanh toán trực tuyến / hồ sơ có nghĩa vụ tài chính", 6, part="A"),
    M(PAYMENT, "payment", "Thủ tục có phí, lệ phí được thanh toán trực tuyến", 4, part="B+C"),
)
assert sum(m.maximum for m in METRICS) == TOTAL_MAXIMUM  # 18 + 20 + 12 + 22 + 18 + 10

# Why an indicator cannot be computed from what the system holds (Vietnamese, shown as is).
NOT_SUPPORTED: dict[tuple[str, str], str] = {
    ("PUBLISH_ON_TIME", ""): (
        "Chỉ số chấm việc công bố TTHC trên Cơ sở dữ liệu quốc gia đúng hạn; hệ thống chưa lưu hạn công bố "
        "theo quy định để so sánh với ngày công bố."),
    ("PUBLIC_UPDATE_ON_TIME", ""): (
        "Chỉ số chấm việc cập nhật, công khai TTHC trên Cổng DVCQG đúng hạn; hệ thống chưa nhận được ngày "
        "Cổng DVCQG công khai từng thủ tục."),
    ("PUBLIC_CONTENT_FULL", ""): (
        "Mức độ đầy đủ nội dung công khai do Cổng DVCQG chấm trên dữ liệu của Cổng; hệ thống chưa có tiêu chí "
        "chấm công khai được."),
    (ONLINE, ""): (
        "Công thức tính điểm nhóm dịch vụ công trực tuyến (12 điểm) của Cổng DVCQG chưa xác định được "
        "(qd766.md §2); chỉ hiển thị tỷ lệ hồ sơ tiếp nhận trực tuyến."),
    ("ELECTRONIC_CERTIFIED_COPY", ""): (
        "Hệ thống chưa ghi nhận việc chứng thực bản sao điện tử từ bản chính tại cấp xã."),
    ("REUSED_DIGITIZED_DATA", ""): (
        "Chưa hỗ trợ tái sử dụng dữ liệu: hồ sơ không ghi thành phần nào được cắt giảm hoặc thay thế bằng dữ "
        "liệu đã số hóa (lấy từ kho dữ liệu, cơ sở dữ liệu quốc gia) nên không đếm được."),
    ("SYNCED_WITH_DVCQG_PERSONAL_STORAGE", ""): (
        "Hệ thống chưa kết nối kho quản lý dữ liệu điện tử của tổ chức, cá nhân trên Cổng DVCQG."),
    ("CITIZEN_DATA_CONNECTED_DOSSIER", ""): (
        "Hồ sơ chưa ghi việc khai thác Cơ sở dữ liệu quốc gia về dân cư (xác thực VNeID, mã CSDL) khi tiếp nhận."),
    ("CITIZEN_DATA_CONNECTED_FORMALITY", ""): (
        "Danh mục thủ tục chưa ghi thủ tục nào đã kết nối, chia sẻ dữ liệu dân cư."),
    ("PETITION_HANDLING_SATISFACTION", ""): (
        "Phản ánh, kiến nghị chỉ ghi ý kiến “câu trả lời có hữu ích không”, chưa ghi mức độ hài lòng về việc "
        "xử lý như Cổng DVCQG hỏi."),
    (PAYMENT, "B+C"): (
        "Phần theo thủ tục (B, C) cần số thủ tục có phí, lệ phí của cơ quan theo cách Cổng DVCQG đếm; định "
        "nghĩa mẫu số này chưa công khai nên chỉ tính phần A (6 điểm)."),
}


@dataclass(frozen=True)
class Indicator:
    metric: Metric
    numerator: int | None = None
    denominator: int | None = None
    value: float | None = None  # percent, two decimals (None: no denominator or not computable)
    points: float | None = None  # None: not computable (see reason)
    reason: str | None = None  # why it cannot be computed yet
    note: str | None = None  # how a computed figure reads (e.g. a zero denominator's rule)

    @property
    def computed(self) -> bool:
        return self.points is not None


@dataclass
class Figures:
    """What the dossiers of one agency give for the period (each a count)."""

    received: int = 0
    received_online: int = 0
    synced: int = 0
    handled: int = 0  # results and refusals issued in the period
    handled_on_time: int = 0  # of those, early or on time in the 766 view
    results: int = 0
    e_results: int = 0
    digitised: int = 0
    with_fees: int = 0
    paid_online: int = 0


@dataclass
class Score:
    period: Period
    agency_id: uuid.UUID
    agency_code: str
    agency_name: str
    procedure_code: str | None
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def points(self) -> float:
        return round(sum(i.points for i in self.indicators if i.points is not None), 2)

    @property
    def computed_maximum(self) -> float:
        return sum(i.metric.maximum for i in self.indicators if i.computed)


# --- what a dossier holds ---------------------------------------------------------------


def _e_results():
    """Dossiers whose result has its electronic document (the file issued with it)."""
    return (select(DossierResult.dossier_id.label("dossier_id"))
            .where(DossierResult.kind == "result", DossierResult.attachment_id.is_not(None))
            .group_by(DossierResult.dossier_id).subquery("e_results"))


def _scanned():
    """Dossiers with at least one scanned input (an attachment of purpose "scan")."""
    return (select(DossierAttachment.dossier_id.label("dossier_id"))
            .where(DossierAttachment.purpose == "scan")
            .group_by(DossierAttachment.dossier_id).subquery("scanned"))


def _payments():
    """Per dossier: the largest amount asked and how many payments were confirmed online."""
    return (select(PaymentRequest.dossier_id.label("dossier_id"), func.max(PaymentRequest.amount).label("amount"),
                   func.count().filter(PaymentRequest.status == PaymentStatus.paid.value).label("paid"))
            .group_by(PaymentRequest.dossier_id).subquery("payments"))


@dataclass
class _Frame:
    """The predicates of the 766 figures, over the candidates of `Counting` joined to what each
    dossier holds (its e-result, scans, payments, ledger row and rating)."""

    counting: Counting
    e_results: object = field(init=False)
    scanned: object = field(init=False)
    payments: object = field(init=False)
    p: dict[str, ColumnElement[bool]] = field(init=False)

    def __post_init__(self) -> None:
        c = self.counting.predicates
        self.e_results, self.scanned, self.payments = _e_results(), _scanned(), _payments()
        results = or_(c[Column.finished_early], c[Column.finished_on_time], c[Column.finished_late])
        handled = or_(results, c[Column.refused])
        # The 766 view of the dossiers domain; a dossier without a time limit has none and counts on
        # time, as in the statistics (counting.py).
        on_time = or_(Dossier.progress_outcome.in_((Outcome.early.value, Outcome.on_time.value)),
                      Dossier.progress_outcome.is_(None))
        e_result = self.e_results.c.dossier_id.is_not(None)
        with_fees = and_(c[Column.received], or_(Dossier.fees_amount > 0, self.payments.c.amount > 0))
        self.p = {
            "received": c[Column.received],
            "received_online": c[Column.received_online],
            "synced": and_(c[Column.received], portal_holds()),
            "handled": handled,
            "handled_on_time": and_(handled, on_time),
            "results": results,
            "e_results": and_(results, e_result),
            # qd766.md §4, 4.2: an input in the dossier's files and the result in electronic form.
            "digitised": and_(results, e_result, self.scanned.c.dossier_id.is_not(None)),
            "with_fees": with_fees,
            "paid_online": and_(with_fees, self.payments.c.paid > 0),
        }

    def select(self, *columns) -> object:
        stmt = self.counting.frame(select(*columns))
        return (stmt.outerjoin(self.e_results, self.e_results.c.dossier_id == Dossier.id)
                .outerjoin(self.scanned, self.scanned.c.dossier_id == Dossier.id)
                .outerjoin(self.payments, self.payments.c.dossier_id == Dossier.id)
                .outerjoin(SyncLedger, SyncLedger.dossier_id == Dossier.id))


def dossier_figures(session: Session, p: Period, *, where=()) -> dict[uuid.UUID, Figures]:
    """Per competent agency, the dossier figures of the period (one GROUP BY)."""
    frame = _Frame(Counting(p))
    names = list(Figures.__dataclass_fields__)
    counts = [func.count().filter(frame.p[n]).label(n) for n in names]
    stmt = frame.select(Dossier.agency_id, *counts).where(*where).group_by(Dossier.agency_id)
    return {r[0]: Figures(*(int(v or 0) for v in r[1:])) for r in session.execute(stmt)}


# Figures of the dossiers received in the period; the others are of those finished in it.
RECEIPT_FIGURES = frozenset({"received", "received_online", "synced", "with_fees", "paid_online"})


def figures_by_period(session: Session, periods: list[Period], *, where=()) -> list[Figures]:
    """`dossier_figures` of several periods (in order, not overlapping) summed over agencies, in
    one GROUP BY: each dossier is put in the period it was received in and in the one it
    finished in (`counting.period_bucket`), and each figure read from the matching one. So the
    joined groupings (results, scans, payments) are read once, not once per period."""
    frame = _Frame(span(periods))
    names = list(Figures.__dataclass_fields__)
    counts = [func.count().filter(frame.p[n]).label(n) for n in names]
    stmt = (frame.select(period_bucket(periods, "received").label("received_in"),
                         period_bucket(periods, "finished").label("finished_in"), *counts)
            .where(*where).group_by(literal_column("received_in"), literal_column("finished_in")))
    out = [Figures() for _ in periods]
    for row in session.execute(stmt):
        for n in names:
            bucket = row.received_in if n in RECEIPT_FIGURES else row.finished_in
            if bucket is not None:
                setattr(out[bucket], n, getattr(out[bucket], n) + int(getattr(row, n) or 0))
    return out


# --- the formulas (qd766.md §2) -----------------------------------------------------------


def _pct(num: int, den: int) -> float | None:
    return round(100 * num / den, 2) if den else None


def _ratio(metric: Metric, num: int, den: int, *, points, empty: str | None = None,
           empty_points: float | None = None) -> Indicator:
    """An indicator num/den scored by `points(ratio)`; with den = 0, `empty_points` (the portal's
    observed rule) or not computable with the reason `empty`."""
    if den == 0:
        if empty_points is not None:
            return Indicator(metric, num, den, None, empty_points, note=empty)
        return Indicator(metric, num, den, None, None, reason=empty)
    return Indicator(metric, num, den, _pct(num, den), round(points(num / den), 2))


NO_RECEIPT = "Không có hồ sơ tiếp nhận trong kỳ nên không tính được tỷ lệ."


def indicators(f: Figures, *, petitions=None, ratings=None, by_procedure: bool = False) -> list[Indicator]:
    """Every indicator of METRICS from the figures (pure). `petitions`: feedback.queries.OnTime
    of the agency (None: none received); `ratings`: ratings.queries.SatisfactionStats."""
    by_metric = {(m.code, m.part): m for m in METRICS}
    out: dict[tuple[str, str], Indicator] = {k: Indicator(m, reason=NOT_SUPPORTED.get(k)) for k, m in by_metric.items()}

    def put(key, ind):
        out[key] = ind

    put(("DOSSIER_SYNC", ""), _ratio(by_metric["DOSSIER_SYNC", ""], f.synced, f.received,
                                     points=lambda r: 6 * r, empty=NO_RECEIPT))
    put((PROGRESS, ""), _ratio(by_metric[PROGRESS, ""], f.handled_on_time, f.handled, points=lambda r: 20 * r,
                               empty="Không có hồ sơ giải quyết xong trong kỳ; Cổng DVCQG chưa công bố cách chấm "
                                     "khi mẫu số bằng 0."))
    online = by_metric[ONLINE, ""]
    put((ONLINE, ""), Indicator(online, f.received_online, f.received, _pct(f.received_online, f.received),
                                None, reason=NOT_SUPPORTED[ONLINE, ""]))
    no_result = "Không có hồ sơ có kết quả giải quyết trong kỳ."
    put(("ORIGINAL_RESULT_AVAILABLE", ""), _ratio(by_metric["ORIGINAL_RESULT_AVAILABLE", ""], f.e_results, f.results,
                                                  points=lambda r: min(6, 6 * r), empty=no_result))
    put(("SO_HOA_GIAY_TO_GIAI_QUYET", ""), _ratio(by_metric["SO_HOA_GIAY_TO_GIAI_QUYET", ""], f.digitised, f.results,
                                                  points=lambda r: min(4, 4 * r), empty=no_result))
    procedure_note = "Phản ánh, kiến nghị không gắn với thủ tục: chỉ tính cho cơ quan."
    pakn = by_metric["PETITION_PROCESSING_ON_TIME", ""]
    if by_procedure:
        put(("PETITION_PROCESSING_ON_TIME", ""), Indicator(pakn, reason=procedure_note))
    elif petitions is None or petitions.counted == 0:
        put(("PETITION_PROCESSING_ON_TIME", ""), Indicator(
            pakn, 0, 0, None, 6.0, note="Không có phản ánh, kiến nghị đến hạn trả lời trong kỳ: Cổng DVCQG tính đủ 6 điểm."))
    else:
        put(("PETITION_PROCESSING_ON_TIME", ""), Indicator(pakn, petitions.on_time, petitions.counted,
                                                           _pct(petitions.on_time, petitions.counted), petitions.score))
    rated = by_metric["DOSSIER_RECEIVING_SATISFACTION", ""]
    if ratings is None or ratings.total == 0:
        put(("DOSSIER_RECEIVING_SATISFACTION", ""), Indicator(
            rated, 0, 0, None, 0.0, note="Chưa có đánh giá nào trong kỳ: Cổng DVCQG tính 0 điểm."))
    else:
        put(("DOSSIER_RECEIVING_SATISFACTION", ""), _ratio(rated, ratings.satisfied, ratings.total,
                                                           points=lambda r: min(6, 6 * r / 0.90)))
    put((PAYMENT, "A"), _ratio(by_metric[PAYMENT, "A"], f.paid_online, f.with_fees, points=lambda r: 6 * r,
                               empty="Không có hồ sơ có nghĩa vụ tài chính trong kỳ: Cổng DVCQG tính 0 điểm.",
                               empty_points=0.0))
    return [out[(m.code, m.part)] for m in METRICS]


def scores(session: Session, p: Period, agencies: list, *, procedure=None, where=()) -> list[Score]:
    """The self-score of each agency (objects with id, code, name) over `p`; of one procedure of
    theirs when `procedure` is given (its dossiers and ratings; PAKN are the agency's only)."""
    where = list(where)
    if procedure is not None:
        where.append(Dossier.procedure_id == procedure.id)
    ids = {a.id for a in agencies}
    figures = dossier_figures(session, p, where=[*where, Dossier.agency_id.in_(ids)]) if ids else {}
    petitions = {} if procedure is not None or not ids else {
        s.agency_id: s for s in on_time_statistics(session, start=p.date_from, end=p.date_to, as_of=p.at, agency_ids=ids)}
    out = []
    for a in agencies:
        stats = satisfaction(session, a.id, (p.start, p.end), procedure_id=procedure.id if procedure else None)
        out.append(Score(p, a.id, a.code, a.name, procedure.code if procedure else None,
                         indicators(figures.get(a.id, Figures()), petitions=petitions.get(a.id), ratings=stats,
                                    by_procedure=procedure is not None)))
    return out


SCOPE_NAME = "Toàn bộ các cơ quan trong phạm vi"


def scope_score(session: Session, p: Period, scope: set[uuid.UUID] | None, *, pooled: Figures | None = None) -> Score:
    """The self-score of the agencies in `scope` (None: the province) taken as one body: their
    dossier figures, PAKN and ratings summed, then scored by the same `indicators` (the portal
    scores a province on its pooled data too, qd766.md §1). For one agency holding every
    dossier, PAKN and rating of the scope it is that agency's `scores`. `pooled`: the dossier
    figures when already read (`figures_by_period`)."""
    if pooled is None:
        scoped = scope_filter(GroupBy.agency, scope)
        per_agency = dossier_figures(session, p, where=[] if scoped is None else [scoped]).values()
        pooled = Figures(*(sum(getattr(f, n) for f in per_agency) for n in Figures.__dataclass_fields__))
    items = on_time_statistics(session, start=p.date_from, end=p.date_to, as_of=p.at, agency_ids=scope)
    petitions = None
    if items:
        sums = [sum(getattr(i, n) for i in items) for n in ("received", "counted", "on_time", "late", "pending",
                                                            "no_deadline")]
        petitions = OnTime(uuid.UUID(int=0), SCOPE_NAME, "", *sums)
    ratings = satisfaction(session, None, (p.start, p.end), agency_ids=scope)
    return Score(p, uuid.UUID(int=0), "", SCOPE_NAME, None, indicators(pooled, petitions=petitions, ratings=ratings))


# --- points at risk -------------------------------------------------------------------------

REASONS = {
    "overdue": "Quá hạn giải quyết",
    "due_soon": "Sắp đến hạn giải quyết",
    "second_supplement": "Yêu cầu bổ sung hồ sơ từ lần thứ hai: tính là quá hạn",
    "no_e_result": "Đã có kết quả nhưng chưa có kết quả điện tử",
    "not_synced": "Chưa đồng bộ với Cổng DVCQG",
    "unrated": "Đã giải quyết xong, chưa được đánh giá mức độ hài lòng",
}


# The points-at-risk list holds the most urgent dossiers up to this many (page and files).
RISK_LIMIT = 500


@dataclass(frozen=True)
class Risk:
    dossier: Dossier
    reasons: tuple[str, ...]  # keys of REASONS, in its order

    @property
    def labels(self) -> list[str]:
        return [REASONS[r] for r in self.reasons]


def points_at_risk(session: Session, p: Period, *, where=(), limit: int = RISK_LIMIT) -> list[Risk]:
    """The dossiers of the period that lose points now, and why: open and overdue, open and due
    soon (the inbox's rule), more than one supplement request, a result without its electronic
    document, not held by the portal, a result or refusal not rated. Most urgent first."""
    frame = _Frame(Counting(p))
    c = frame.counting.predicates
    rated = select(Rating.dossier_id).where(Rating.dossier_id == Dossier.id).exists()
    soon = due_soon_limit(session, p.at)
    flags = {
        "overdue": c[Column.overdue],
        "due_soon": frame.counting.due_by(soon),
        "second_supplement": and_(Dossier.supplement_count > 1,
                                  or_(frame.p["handled"], c[Column.in_progress], c[Column.overdue],
                                      c[Column.waiting_applicant])),
        "no_e_result": and_(frame.p["results"], frame.e_results.c.dossier_id.is_(None)),
        "not_synced": and_(c[Column.received], ~portal_holds()),
        "unrated": and_(frame.p["handled"], ~rated),  # a refusal is rated too (ratings.service.RATABLE)
    }
    columns = [f.label(k) for k, f in flags.items()]
    stmt = (frame.select(Dossier, *columns).where(or_(*flags.values()), *where)
            .order_by(Dossier.due_at.is_(None), Dossier.due_at, Dossier.received_at, Dossier.id).limit(limit))
    risks = []
    for row in session.execute(stmt):
        reasons = tuple(k for k in REASONS if bool(getattr(row, k)))
        risks.append(Risk(row[0], reasons))
    return risks


# --- in a user's scope (the statistics' rule: the dossiers of the agencies in scope) ----------


@dataclass
class Report:
    period: Period
    procedure_code: str | None
    scores: list[Score]
    risks: list[Risk]


def _agency(session: Session, code: str, scope: set[uuid.UUID] | None) -> Agency:
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        raise InvalidInput(f"Không có cơ quan mã “{code[:40]}”.")
    if scope is not None and agency.id not in scope:
        raise Forbidden("Bạn không được xem chỉ số của cơ quan này: cơ quan không thuộc phạm vi của bạn.")
    return agency


def report(session: Session, user: User | None, p: Period, *, agency_code: str | None = None,
           procedure_code: str | None = None, with_risks: bool = True) -> Report:
    """The self-score of the agency `agency_code`, or of every agency in `user`'s scope with
    dossiers in the period; of one procedure when `procedure_code` is given; and the points at
    risk of the same dossiers."""
    scope = set() if user is None else agency_scope(session, user)
    scoped = scope_filter(GroupBy.agency, scope)
    where = [] if scoped is None else [scoped]
    procedure = None
    if procedure_code:
        procedure = session.scalar(select(Procedure).where(Procedure.code == procedure_code))
        if procedure is None:
            raise InvalidInput(f"Không có thủ tục mã “{procedure_code[:64]}”.")
        where.append(Dossier.procedure_id == procedure.id)
    if agency_code:
        agencies = [_agency(session, agency_code, scope)]
        where.append(Dossier.agency_id == agencies[0].id)
    else:
        counting = Counting(p)
        ids = session.scalars(counting.frame(select(Dossier.agency_id)).where(*where).distinct()).all()
        agencies = sorted(session.scalars(select(Agency).where(Agency.id.in_(ids))), key=lambda a: (a.code, a.name)) \
            if ids else []
    found = scores(session, p, agencies, procedure=procedure, where=[] if scoped is None else [scoped])
    risks = points_at_risk(session, p, where=where) if with_risks and agencies else []
    return Report(p, procedure.code if procedure else None, found, risks)


__all__ = ["METRICS", "NOT_SUPPORTED", "REASONS", "Figures", "Indicator", "Metric", "Risk", "Report", "Score",
           "dossier_figures", "figures_by_period", "report", "indicators", "points_at_risk", "scope_score", "scores"]
