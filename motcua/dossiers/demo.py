"""`motcua demo --dossiers N --seed S`: N dossiers of a reproducible, realistic history.

For demonstrations and benchmarks (docs/demo.md). The dossiers are added to whatever the
database holds: run twice, it adds twice, codes continuing from the daily counters.

How it works:
- `load_world` reads, once, what the history needs: the current one-stop sections (the
  provincial service centre and the commune committees), the competent agencies and their
  procedures (the seeded catalogue), working calendars, staff (real users where the
  database has them), and a process template per (procedure, agency) — the same default
  template the receipt service would create (`workflow.service.default_process_for`).
- `day_plan` spreads N receipts over the two years ending at the clock's today, in
  chronological order (weekdays busy, weekends only online, a slow upward trend).
- Per batch, the codes' daily sequences are reserved with the same atomic counter bump as
  a live receipt (`codes.reserve_sequences`), then `simulate` plays each dossier's life
  through its template with the real calendar engine (appointment, step deadlines,
  supplement restart and 766 progress view, outcome) and the same audit hashing
  (`audit.chained_event`), stopping at the clock's now: old dossiers are finished, recent
  ones are still at a step, and some are overdue.
- The rows go in with bulk inserts (PostgreSQL: COPY; SQLite: executemany), one commit per
  batch, so memory stays bounded whatever N is.

Reproducible: the random stream is seeded by `seed` and by the number of dossiers already
in the database, so the same seed on the same starting database (and the same today) gives
the same dossiers, ids included, while a second run on the grown database adds new ones.

Simplification: the history uses today's organisation (post-2025 communes) for the whole
two years, and, when the catalogue flags no procedure as received regardless of boundary,
the first run flags a few commune procedures (as an administrator would) so that
cross-boundary dossiers exist; it prints which.
"""

from __future__ import annotations

import bisect
import json
import multiprocessing
import operator
import random
import time as _time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate

from psycopg.types.json import set_json_dumps
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from motcua.auth.models import User, UserRole
from motcua.calendar import engine as cal_engine
from motcua.catalog.models import Procedure, ProcedureAgency
from motcua.catalog.service import receipt_cutoff_for, time_limit_for
from motcua.core.clock import LOCAL_TZ, now
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.core.errors import InvalidInput
from motcua.core.text import fold
from motcua.dossiers.audit import GENESIS, chained_event
from motcua.dossiers.codes import (
    MAX_DAILY_SEQ,
    code_pattern,
    code_scope,
    render_code,
    reserve_sequences,
)
from motcua.dossiers.enums import EXTERNAL_STATUS, DossierStatus
from motcua.dossiers.lookup_keys import new_lookup_key
from motcua.dossiers.models import (
    Dossier,
    DossierCode,
    DossierComponent,
    DossierEvent,
    DossierPause,
    DossierResult,
    StepExecution,
)
from motcua.dossiers.service.common import limit_args, load_calendar, step_deadline, step_due
from motcua.dossiers.transitions import STATUS_FOR_STEP_KIND
from motcua.org.models import Agency
from motcua.workflow.service import default_processes_for

S = DossierStatus
HISTORY_DAYS = 730
DEFAULT_BATCH = 5000
MAX_DOSSIERS = 10_000_000
MAX_DAYS = 36_500  # --days: a window of up to a hundred years

# Shares (documented in docs/demo.md, checked by tests/dossiers/test_demo.py).
SHARE_SERVICE_CENTRE = 0.35  # department procedures at the provincial centre; the rest at communes
SHARE_CROSS_BOUNDARY = 0.03  # of commune receipts: at another commune's one-stop section
CHANNELS = (("counter", 0.60), ("online", 0.30), ("post", 0.10))
DEMO_DAYS = 5
DEMO_LIMIT_BASIS = "Thời hạn minh hoạ của dữ liệu demo (thủ tục chưa có thời hạn trong danh mục)"
P_INCOMPLETE = 0.03  # form 02 at receipt
P_REFUSED_AT_RECEIPT = 0.01  # form 03
P_WITHDRAW = 0.015  # applicant withdraws during processing (form 05)
P_STOP = 0.003  # the agency stops processing
P_REFUSE = 0.025  # refused after appraisal
P_SUPPLEMENT = 0.08  # one request to supplement at appraisal
P_SUPPLEMENT_NEVER = 0.10  # of those: the applicant never comes back (recent ones stay paused)
P_CONSULT = 0.06  # inter-agency consultation (department dossiers)
P_STUCK = 0.01  # one step takes far too long (overdue while open, late when finished)
CROSS_BOUNDARY_MARK = 5  # procedures flagged when the catalogue flags none
PROVINCE = "tỉnh Lạng Sơn"

# ------------------------------------------------------------------ people

FAMILY = (
    ("Nguyễn", 30), ("Hoàng", 9), ("Trần", 7), ("Lê", 6), ("Phạm", 5), ("Lương", 4), ("Vi", 4),
    ("Nông", 4), ("Lăng", 2), ("Chu", 2), ("Lộc", 2), ("Hà", 2), ("Đinh", 2), ("Vũ", 2), ("Đặng", 2),
    ("Bùi", 2), ("Đỗ", 2), ("Triệu", 2), ("Mã", 1), ("Lâm", 1), ("Dương", 1), ("Ngô", 1), ("Phan", 1),
    ("Hứa", 1), ("Tô", 1), ("Đàm", 1), ("Ma", 1),
)
MIDDLE_M = ("Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thanh", "Xuân", "Ngọc", "Tiến")
MIDDLE_F = ("Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Kim", "Diệu")
GIVEN_M = (
    "An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Kiên", "Long",
    "Mạnh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Toàn",
    "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Hưng", "Lâm", "Thịnh", "Bảo", "Đạt",
)
GIVEN_F = (
    "Anh", "Bích", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ",
    "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "Ngân", "Nga", "Nhung", "Oanh", "Phương", "Quỳnh",
    "Tâm", "Thảo", "Thu", "Thủy", "Trang", "Tuyết", "Uyên", "Vân", "Yến", "Xuân",
)
ORG_KINDS = ("Công ty TNHH", "Công ty TNHH", "Công ty cổ phần", "Hợp tác xã", "Doanh nghiệp tư nhân")
ORG_WORDS = (
    "Hữu Nghị", "Đồng Đăng", "Kỳ Lừa", "Mẫu Sơn", "Xứ Lạng", "Hoàng Long", "Tân Thanh", "Phú Cường",
    "Thành Đạt", "An Phát", "Bắc Sơn", "Na Dương", "Hưng Thịnh", "Việt Trung", "Nông sản Lạng Sơn",
    "Xây dựng Chi Lăng", "Vận tải Cao Lộc", "Thương mại Văn Lãng",
)
HAMLETS = ("Thôn", "Thôn", "Khu", "Khối", "Bản")
HAMLET_NAMES = ("Nà Sla", "Pò Mã", "Bản Ngày", "Khòn Pát", "Nà Pàn", "Còn Quan", "Pác Luông", "Nà Lằng",
                "Phai Luông", "Tân Lập", "Đồng Tâm", "Hợp Thành", "Trung Tâm", "Bình Minh", "Kéo Coóc")
STREETS = ("Lê Lợi", "Trần Đăng Ninh", "Bà Triệu", "Ngô Quyền", "Hùng Vương", "Bắc Sơn", "Tam Thanh",
           "Lý Thái Tổ", "Quang Trung", "Phai Vệ", "Minh Khai", "Chu Văn An")
PHONE_PREFIXES = ("091", "094", "088", "098", "097", "096", "086", "032", "033", "035", "036", "037",
                  "038", "039", "081", "083", "084", "085", "070", "076", "077", "078", "079", "090")
COMPONENTS = (
    ("Tờ khai theo mẫu", "original"), ("Bản sao giấy tờ tùy thân", "copy"), ("Giấy ủy quyền", "original"),
    ("Bản sao giấy khai sinh", "copy"), ("Ảnh chân dung 4x6", "original"), ("Giấy xác nhận của cơ quan", "original"),
    ("Bản sao giấy chứng nhận đăng ký doanh nghiệp", "copy"), ("Bản vẽ, sơ đồ", "copy"),
)
MISSING = ("Tờ khai có chữ ký của người yêu cầu", "Bản sao giấy tờ tùy thân còn hiệu lực",
           "Ảnh chân dung 4x6", "Giấy xác nhận tình trạng hôn nhân", "Bản sao giấy khai sinh",
           "Văn bản ủy quyền có chứng thực")
REFUSALS = ("Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan",
            "Người nộp không đủ điều kiện theo quy định",
            "Nội dung yêu cầu trái quy định pháp luật")
REFUSE_NOTES = ("Không đủ điều kiện theo quy định sau khi thẩm định", "Kết quả xác minh không phù hợp với hồ sơ")
STOP_NOTES = ("Cơ quan có thẩm quyền đề nghị dừng giải quyết", "Hồ sơ đang có tranh chấp, dừng xử lý")
WITHDRAW_NOTE = "Công dân có đơn xin rút hồ sơ"  # a reason is compulsory (form 05)


def person_name(rng: random.Random, female: bool) -> str:
    family = rng.choices(_FAMILY_NAMES, cum_weights=_FAMILY_CUM)[0]
    middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    return f"{family} {middle} {given}"


_FAMILY_NAMES = [n for n, _ in FAMILY]
_FAMILY_CUM = list(accumulate(w for _, w in FAMILY))


@dataclass(frozen=True)
class Applicant:
    kind: str
    name: str
    id_number: str
    phone: str
    address: str


def make_applicant(rng: random.Random, place: str, today: date) -> Applicant:
    """A plausible applicant: a person (CCCD number, mobile phone) or, now and then, a business."""
    if rng.random() < 0.06:
        name = f"{rng.choice(ORG_KINDS)} {rng.choice(ORG_WORDS)}"
        tax = f"49{rng.randrange(10**8):08d}"
        phone = f"0205{rng.randrange(10**7):07d}"
        address = f"Số {rng.randint(1, 250)} đường {rng.choice(STREETS)}, {place}"
        return Applicant("organisation", name, tax, phone, address)
    female = rng.random() < 0.5
    year = today.year - rng.randint(18, 80)
    century = 0 if year < 2000 else 2
    # CCCD: province of birth (020 Lạng Sơn, sometimes elsewhere), sex+century digit, year, 6 digits.
    province = "020" if rng.random() < 0.85 else f"{rng.choice((1, 19, 24, 26, 27, 30, 31, 79)):03d}"
    id_number = f"{province}{century + int(female)}{year % 100:02d}{rng.randrange(10**6):06d}"
    phone = f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**7):07d}"
    if rng.random() < 0.7:
        address = f"{rng.choice(HAMLETS)} {rng.choice(HAMLET_NAMES)}, {place}"
    else:
        address = f"Số {rng.randint(1, 200)} đường {rng.choice(STREETS)}, {place}"
    return Applicant("person", person_name(rng, female), id_number, phone, address)


def deterministic_uuid(rng: random.Random, at: datetime) -> uuid.UUID:
    """A UUIDv7 (time-ordered like core.ids.new_id) whose random part comes from `rng`."""
    ms = int(at.timestamp() * 1000) & ((1 << 48) - 1)
    rnd = rng.getrandbits(74)
    value = (ms << 80) | (0x7 << 76) | ((rnd >> 62) << 64) | (0b10 << 62) | (rnd & ((1 << 62) - 1))
    return uuid.UUID(int=value)


# ------------------------------------------------------------------ the world


@dataclass(frozen=True)
class StepInfo:
    position: int
    kind: str
    name: str
    role: str
    unit_id: uuid.UUID | None
    allotment_hours: Decimal
    parallel_group: str | None


@dataclass(frozen=True, eq=False)
class Route:
    """One way a dossier can go: a procedure, its competent agency, the receiving unit."""

    procedure_id: uuid.UUID
    procedure_code: str
    procedure_name: str
    agency_id: uuid.UUID
    receiving_unit_id: uuid.UUID
    limits: dict  # channel → (days, hours)
    cutoff: object
    limits_known: dict  # channel → the catalogue holds the limit (else an illustrative one, entered)


@dataclass
class Staff:
    """Who acts for a (unit, role): real users when the database has them, else a named officer."""

    people: list[tuple[uuid.UUID | None, str]]


@dataclass
class World:
    units: dict[uuid.UUID, Agency]
    routes: list[Route]
    route_cum: list[float]
    calendars: dict[uuid.UUID | None, cal_engine.WorkingCalendar]
    staff: dict[tuple[uuid.UUID, str], Staff]
    consult_agencies: list[uuid.UUID]
    templates: dict[tuple[uuid.UUID, uuid.UUID], tuple[uuid.UUID, int, tuple[StepInfo, ...]]]
    places: dict[uuid.UUID, tuple[str, uuid.UUID | None]]  # receiving unit → (place name, admin unit)
    homes: list[tuple[str, uuid.UUID | None]]
    marked_cross_boundary: list[str] = field(default_factory=list)

    def calendar(self, agency_id: uuid.UUID) -> cal_engine.WorkingCalendar:
        return self.calendars.get(agency_id) or self.calendars[None]


def _current(stmt):
    return stmt.where(Agency.dissolved_on.is_(None), Agency.valid_to.is_(None))


def _place_name(agency: Agency) -> str:
    """"phường Đông Kinh, tỉnh Lạng Sơn" for that ward's committee: the current (post-2025)
    commune or ward, then the province (districts no longer exist)."""
    for prefix in ("Ủy ban nhân dân ", "UBND "):
        if agency.name.startswith(prefix):
            return f"{agency.name[len(prefix):]}, {PROVINCE}"
    return PROVINCE


def _zipf(rank: int, s: float = 0.9) -> float:
    return 1.0 / (rank + 1) ** s


def load_world(session: Session, *, rng: random.Random, mark_cross_boundary: bool = True) -> World:
    """Read the organisation, catalogue, calendars and staff the history is made from."""
    centres = list(session.scalars(_current(select(Agency).where(
        Agency.is_one_stop.is_(True), Agency.kind == "service_centre", Agency.level == "province",
    )).order_by(Agency.code)))
    communes = list(session.scalars(_current(select(Agency).where(
        Agency.is_one_stop.is_(True), Agency.kind == "commune_committee",
    )).order_by(Agency.code)))
    if not centres and not communes:
        raise InvalidInput("Chưa có Bộ phận Một cửa nào (chạy “motcua seed” để nạp tổ chức và danh mục thủ tục).")
    links = session.execute(_current(
        select(ProcedureAgency.procedure_id, Agency.id, Agency.kind)
        .join(Agency, Agency.id == ProcedureAgency.agency_id)
        .join(Procedure, Procedure.id == ProcedureAgency.procedure_id)
        .where(Agency.kind.in_(["department", "board", "other", "sub_department", "commune_committee"]))
    ).order_by(Procedure.code, Agency.code)).all()  # codes, not ids: the same order in any database
    procedure_ids = {p for p, _, _ in links}
    procedures = {
        p.id: p for p in session.scalars(select(Procedure).where(Procedure.id.in_(procedure_ids)).order_by(Procedure.code))
    } if procedure_ids else {}
    commune_ids = {c.id for c in communes}
    commune_procs = sorted({p for p, a, _ in links if a in commune_ids}, key=lambda p: procedures[p].code)

    # Popularity: a few procedures take most dossiers (Zipf over a seeded order).
    shuffled = list(commune_procs)
    rng.shuffle(shuffled)
    commune_proc_weight = {p: _zipf(i, 1.1) for i, p in enumerate(shuffled)}
    marked: list[str] = []
    if mark_cross_boundary and commune_procs and not any(procedures[p].cross_boundary for p in commune_procs):
        # The most requested commune procedures, as on the provinces' published lists.
        chosen = shuffled[:CROSS_BOUNDARY_MARK]
        session.execute(update(Procedure).where(Procedure.id.in_(chosen)).values(cross_boundary=True, updated_at=now()))
        for p in chosen:
            procedures[p].cross_boundary = True
            marked.append(procedures[p].code)

    def route(pid: uuid.UUID, agency_id: uuid.UUID, receiving: uuid.UUID) -> Route:
        p = procedures[pid]
        limits = {c: time_limit_for(p, c) for c, _ in CHANNELS}
        known = {c: limit != (None, None) for c, limit in limits.items()}
        # Demo only: a procedure the catalogue has no limit for is received as an officer
        # would receive it, with a limit entered and its basis (never printed "theo quy định").
        shown = {c: limit if known[c] else (DEMO_DAYS, None) for c, limit in limits.items()}
        return Route(p.id, p.code, p.name, agency_id, receiving, shown, receipt_cutoff_for(p), known)

    # Popularity: a few procedures take most dossiers (Zipf over a seeded order).
    dept_procs = sorted({p for p, a, kind in links if kind != "commune_committee"}, key=lambda p: procedures[p].code)
    rng.shuffle(dept_procs)
    dept_weight = {p: _zipf(i) for i, p in enumerate(dept_procs)}
    commune_weight = {c.id: rng.lognormvariate(0, 0.6) for c in communes}

    routes: list[Route] = []
    weights: list[float] = []
    centre = centres[0] if centres else None
    groups: list[tuple[list[Route], list[float], float]] = []
    if centre is not None:
        rs, ws = [], []
        for p, a, kind in links:
            if kind != "commune_committee":
                rs.append(route(p, a, centre.id))
                ws.append(dept_weight[p])
        groups.append((rs, ws, SHARE_SERVICE_CENTRE if communes else 1.0))
    if communes:
        rs, ws, xs, xw = [], [], [], []
        by_id = {c.id: c for c in communes}
        for p, a, _ in links:
            if a not in commune_ids:
                continue
            rs.append(route(p, a, a))
            ws.append(commune_weight[a] * commune_proc_weight[p])
            if procedures[p].cross_boundary and len(communes) > 1:
                # Received at another commune (a neighbour in code order, or the busiest one).
                i = communes.index(by_id[a])
                for other in dict.fromkeys((communes[(i + 1) % len(communes)].id, communes[i - 1].id)):
                    xs.append(route(p, a, other))
                    xw.append(commune_weight[a] * commune_proc_weight[p])
        share = 1.0 - (SHARE_SERVICE_CENTRE if centre is not None else 0.0)
        if xs:
            groups.append((xs, xw, share * SHARE_CROSS_BOUNDARY))
            share *= 1 - SHARE_CROSS_BOUNDARY
        groups.append((rs, ws, share))
    for rs, ws, share in groups:
        total = sum(ws) or 1.0
        routes.extend(rs)
        weights.extend(w / total * share for w in ws)
    if not routes:
        raise InvalidInput("Danh mục thủ tục chưa có cơ quan thực hiện nào (chạy “motcua seed”).")

    agency_ids = {r.agency_id for r in routes} | {r.receiving_unit_id for r in routes}
    agencies = {a.id: a for a in session.scalars(select(Agency).where(Agency.id.in_(agency_ids)))}
    calendars: dict[uuid.UUID | None, cal_engine.WorkingCalendar] = {None: load_calendar(session, None)}
    for agency_id in sorted(agency_ids, key=str):
        calendars[agency_id] = load_calendar(session, agency_id)

    staff: dict[tuple[uuid.UUID, str], Staff] = {}
    for user_id, name, role, agency_id in session.execute(
        select(User.id, User.full_name, UserRole.role, UserRole.agency_id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.is_active.is_(True), UserRole.agency_id.in_(agency_ids))
        .order_by(User.username, UserRole.role)
    ):
        staff.setdefault((agency_id, role), Staff([])).people.append((user_id, name))
    consult = sorted({r.agency_id for r in routes if agencies[r.agency_id].level == "province"},
                     key=lambda a: agencies[a].code)
    # Where applicants live: their commune, or (at the provincial centre) any commune.
    places = {u: (_place_name(agencies[u]), agencies[u].admin_unit_id) for u in {r.receiving_unit_id for r in routes}}
    homes = [places[c.id] for c in communes if c.id in places] or list(places.values())
    return World(agencies, routes, list(accumulate(weights)), calendars, staff, consult, {}, places, homes, marked)


def ensure_templates(session: Session, world: World, routes) -> None:
    """The active process template of each (procedure, agency), created as the receipt would."""
    missing = {(r.procedure_id, r.agency_id) for r in routes} - world.templates.keys()
    if not missing:
        return
    procedures = {p.id: p for p in session.scalars(select(Procedure).where(Procedure.id.in_({p for p, _ in missing})))}
    pairs = [(procedures[p], world.units[a]) for p, a in sorted(missing, key=lambda k: (str(k[0]), str(k[1])))]
    for key, template in default_processes_for(session, pairs).items():
        world.templates[key] = (template.id, template.version, tuple(
            StepInfo(s.position, s.kind, s.name, s.role, s.unit_id, Decimal(s.allotment_hours), s.parallel_group)
            for s in template.steps
        ))


def staff_for(world: World, rng: random.Random, unit_id: uuid.UUID, role: str) -> tuple[uuid.UUID | None, str]:
    entry = world.staff.get((unit_id, role))
    if entry is None:
        # No account for this role here: a named officer without an account, stable per unit and role.
        local = random.Random(f"{world.units[unit_id].code}:{role}")
        entry = world.staff[(unit_id, role)] = Staff([(None, person_name(local, local.random() < 0.5))])
    return entry.people[rng.randrange(len(entry.people))]


# ------------------------------------------------------------------ the plan


@dataclass(frozen=True)
class Receipt:
    at: datetime  # UTC
    route: Route
    channel: str


def day_plan(world: World, n: int, today: datetime, *, last: date | None = None,
             days: int = HISTORY_DAYS) -> list[tuple[date, int]]:
    """How many of the N receipts fall on each of the `days` days ending at `last` (default:
    the local date of `today`): weekdays busy, weekends and holidays only online, a slow
    upward trend, and, when the window ends today, today only so far."""
    cal = world.calendars[None]
    local_now = today.astimezone(LOCAL_TZ)
    last = last or local_now.date()
    dates = [last - timedelta(days=days - 1 - i) for i in range(days)]
    weights = []
    for i, day in enumerate(dates):
        trend = 0.8 + 0.4 * i / days
        w = trend if cal.is_working_day(day) else 0.06 * trend
        if day == local_now.date():
            w *= min(1.0, max(0.05, (local_now.hour * 60 + local_now.minute - 450) / 570))
        weights.append(w)
    cum = list(accumulate(weights))
    plan, done = [], 0
    for day, upto in zip(dates, cum, strict=True):
        target = round(n * upto / cum[-1])
        if target > done:
            plan.append((day, target - done))
        done = target
    return plan


def day_receipts(world: World, rng: random.Random, day: date, count: int, today: datetime) -> list[Receipt]:
    """The receipts of one day, in time order: counter and post in office hours, online at any hour."""
    local_now = today.astimezone(LOCAL_TZ)
    working = world.calendars[None].is_working_day(day)
    channel_names = [c for c, _ in CHANNELS]
    channel_cum = list(accumulate(w for _, w in CHANNELS))
    total = world.route_cum[-1]
    result = []
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=LOCAL_TZ)
    for _ in range(count):
        route = world.routes[min(bisect.bisect_right(world.route_cum, rng.random() * total), len(world.routes) - 1)]
        channel = rng.choices(channel_names, cum_weights=channel_cum)[0] if working else "online"
        if channel == "online":
            minute = rng.uniform(6 * 60, 23 * 60) if rng.random() < 0.9 else rng.uniform(0, 24 * 60)
        else:
            minute = rng.uniform(450, 690) if rng.random() < 0.6 else rng.uniform(780, 1020)
        moment = midnight + timedelta(minutes=minute)
        if moment > local_now:
            moment = local_now - timedelta(seconds=rng.uniform(1, 600))
        result.append(Receipt(moment.astimezone(UTC), route, channel))
    result.sort(key=lambda x: x.at)
    return result


def batches_of_days(plan: list[tuple[date, int]], size: int) -> list[list[tuple[date, int]]]:
    """Consecutive whole days, about `size` dossiers a batch: a code scope (unit, day) never
    spans two batches, so the codes do not depend on the order batches are written in."""
    batches: list[list[tuple[date, int]]] = []
    current: list[tuple[date, int]] = []
    filled = 0
    for day, count in plan:
        current.append((day, count))
        filled += count
        if filled >= size:
            batches.append(current)
            current, filled = [], 0
    if current:
        batches.append(current)
    return batches


# ------------------------------------------------------------------ one dossier's life


@dataclass
class Rows:
    dossiers: list[dict] = field(default_factory=list)
    codes: list[dict] = field(default_factory=list)
    components: list[dict] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)
    pauses: list[dict] = field(default_factory=list)
    results: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


class _Life:
    """Plays one dossier through its template, writing the rows the services would write."""

    def __init__(self, world: World, rng: random.Random, rows: Rows, receipt: Receipt, code: str, now_: datetime):
        self.world, self.rng, self.rows, self.now = world, rng, rows, now_
        r = receipt.route
        self.route = r
        self.cal = world.calendar(r.agency_id)
        self.at = receipt.at
        self.id = deterministic_uuid(rng, receipt.at)
        self.events: list[dict] = []
        self.open: list[dict] = []
        self.pause: dict | None = None
        home = world.places[r.receiving_unit_id]
        if r.receiving_unit_id != r.agency_id or rng.random() < 0.1:
            home = world.homes[rng.randrange(len(world.homes))]
        place, admin_unit = home
        a = make_applicant(rng, place, receipt.at.date())
        days, hours = r.limits[receipt.channel]
        # The lookup key comes from a generator of its own (seeded by the id): drawing it from
        # `rng` would change every later draw, i.e. the whole history of a given seed.
        self.d = {
            "id": self.id, "code": code, "lookup_key": new_lookup_key(random.Random(self.id.int).choice), "procedure_id": r.procedure_id, "procedure_code": r.procedure_code,
            "procedure_name": r.procedure_name, "template_id": None, "template_version": None,
            "agency_id": r.agency_id, "receiving_unit_id": r.receiving_unit_id, "return_unit_id": r.receiving_unit_id,
            "channel": receipt.channel, "status": None, "external_status": None, "applicant_kind": a.kind,
            "applicant_name": a.name, "applicant_name_folded": fold(a.name), "applicant_id_number": a.id_number,
            "applicant_phone": a.phone, "applicant_email": None, "applicant_address": a.address,
            "applicant_admin_unit_id": admin_unit, "received_by_id": None, "received_at": receipt.at,
            "effective_receipt_at": None, "time_limit_days": days, "time_limit_hours": hours, "due_at": None,
            "time_limit_basis": None if r.limits_known[receipt.channel] else DEMO_LIMIT_BASIS,
            "time_limit_entered": not r.limits_known[receipt.channel],
            "original_due_at": None, "progress_due_at": None, "finished_at": None, "returned_at": None,
            "return_method": None, "outcome": None, "progress_outcome": None, "reappointed": False,
            "reappointment_reason": None, "supplement_count": 0, "overdue_alerted_at": None,
            "current_step_position": None, "current_step_name": None, "current_unit_id": None, "current_role": None,
            "current_assignee_id": None, "fees_amount": rng.choice((0, 0, 0, 15_000, 30_000, 50_000, 100_000)),
            "fees_paid": False, "missing_items": None, "refusal_reason": None, "note": None,
            "created_at": receipt.at, "updated_at": receipt.at, "lock_version": 1,
        }
        rows.codes.append({"code": code, "dossier_ref_id": self.id, "created_at": receipt.at})
        for i, (name, kind) in enumerate(rng.sample(COMPONENTS, rng.randint(1, 3)), start=1):
            rows.components.append({
                "dossier_id": self.id, "id": deterministic_uuid(rng, receipt.at), "position": i, "name": name,
                "kind": kind, "count": 1, "spec_id": None, "supplemented": False,
            })

    # ---- helpers mirroring dossiers.service.common

    def actor(self, unit_id: uuid.UUID, role: str) -> tuple[uuid.UUID | None, str, str, uuid.UUID]:
        user_id, name = staff_for(self.world, self.rng, unit_id, role)
        return user_id, name, role, unit_id

    def set_status(self, status: S) -> None:
        self.d["status"] = status.value
        self.d["external_status"] = int(EXTERNAL_STATUS[status])

    def record(self, actor, action: str, at: datetime, from_status, *, from_step=None, from_unit_id=None,
               outcome=None, note=None, data=None) -> None:
        d = self.d
        self.events.append({
            "at": at, "actor_id": actor[0], "actor_name": actor[1], "actor_role": actor[2], "actor_unit_id": actor[3],
            "action": action, "from_status": from_status, "to_status": d["status"], "from_step": from_step,
            "to_step": d["current_step_name"], "from_unit_id": from_unit_id, "to_unit_id": d["current_unit_id"],
            "outcome": outcome, "note": note, "data": data,
        })
        d["updated_at"] = at

    def step_unit(self, step: StepInfo) -> uuid.UUID:
        if step.unit_id is not None:
            return step.unit_id
        if step.kind == "receive":
            return self.d["receiving_unit_id"]
        if step.kind == "return":
            return self.d["return_unit_id"]
        return self.d["agency_id"]

    def enter(self, index: int, at: datetime, *, start: datetime | None = None, status: S | None = None,
              assignee: uuid.UUID | None = None) -> None:
        steps, d = self.steps, self.d
        step = steps[index]
        group = [s for s in steps if s.parallel_group == step.parallel_group] if step.parallel_group else [step]
        begin = start or at
        opened = []
        for s in group:
            row = {
                "dossier_id": self.id, "id": deterministic_uuid(self.rng, at), "position": s.position, "kind": s.kind,
                "name": s.name, "role": s.role, "unit_id": self.step_unit(s), "parallel_group": s.parallel_group,
                "assignee_id": None if s.parallel_group else assignee, "allotment_hours": s.allotment_hours,
                "state": "open", "started_at": at,
                "due_at": _utc(step_deadline(self.cal, s.kind, s.allotment_hours, begin, d["due_at"])),
                "finished_at": None, "outcome": None, "finished_by_id": None, "note": None,
            }
            self.rows.steps.append(row)
            opened.append(row)
        self.open.extend(opened)
        parallel = bool(step.parallel_group)
        d["current_step_position"] = step.position
        d["current_step_name"] = step.name if len(group) == 1 else "; ".join(s.name for s in group)
        d["current_role"] = None if parallel else step.role
        d["current_unit_id"] = d["agency_id"] if parallel else opened[0]["unit_id"]
        d["current_assignee_id"] = None if parallel else opened[0]["assignee_id"]
        self.index = index
        self.set_status(status or (S.awaiting_consultation if parallel else STATUS_FOR_STEP_KIND[step.kind]))

    def close(self, executions: list[dict], at: datetime, user_id, state: str = "done", note=None) -> str | None:
        result = None
        for e in executions:
            e["state"], e["finished_at"], e["finished_by_id"] = state, at, user_id
            if note:
                e["note"] = note
            if e["due_at"] is not None:
                e["outcome"] = cal_engine.outcome(self.cal, at, e["due_at"])
            result = e["outcome"]
            self.open.remove(e)
        return result

    def current(self) -> list[dict]:
        pos = self.d["current_step_position"]
        return [e for e in self.open if e["position"] == pos and e["parallel_group"] is None]

    def after_group(self, i: int) -> int:
        group = self.steps[i].parallel_group
        j = i + 1
        while group and j < len(self.steps) and self.steps[j].parallel_group == group:
            j += 1
        return j

    def later(self, start: datetime, hours: float) -> datetime:
        """`hours` of office time after `start`, at least ten minutes, never exactly on a boundary."""
        amount = timedelta(hours=max(hours, 1 / 6)) + timedelta(seconds=self.rng.uniform(0, 60))
        return _utc(self.cal.add_working_time(start, amount))

    def finish(self, at: datetime) -> None:
        d = self.d
        d["finished_at"] = at
        if d["due_at"] is not None:
            d["outcome"] = cal_engine.outcome(self.cal, at, d["due_at"])
        if d["progress_due_at"] is not None:
            d["progress_outcome"] = "late" if d["supplement_count"] > 1 else cal_engine.outcome(
                self.cal, at, d["progress_due_at"])

    def clear_position(self) -> None:
        for k in ("current_step_position", "current_step_name", "current_role", "current_unit_id",
                  "current_assignee_id"):
            self.d[k] = None

    # ---- the story

    def play(self) -> None:
        rng, d, r = self.rng, self.d, self.route
        receiver = self.actor(r.receiving_unit_id, "counter_officer")
        d["received_by_id"] = receiver[0]
        x = rng.random()
        if x < P_INCOMPLETE + P_REFUSED_AT_RECEIPT:
            incomplete = x < P_INCOMPLETE
            self.set_status(S.incomplete if incomplete else S.refused_at_receipt)
            if incomplete:
                d["missing_items"] = rng.sample(MISSING, rng.randint(1, 3))
            else:
                d["refusal_reason"] = rng.choice(REFUSALS)
            d["finished_at"] = self.at
            self.record(receiver, "receive", self.at, None,
                        note=d["refusal_reason"] or "; ".join(d["missing_items"] or []) or None,
                        data={"outcome": "incomplete" if incomplete else "refused"})
            return self.flush()

        days, hours = d["time_limit_days"], d["time_limit_hours"]
        due = cal_engine.due_for_limit(self.cal, self.at, cutoff=r.cutoff, **limit_args(days, hours))
        d["effective_receipt_at"] = _utc(due.effective_receipt_at)
        d["due_at"] = d["original_due_at"] = d["progress_due_at"] = _utc(due.due_at)
        template_id, version, self.steps = self.world.templates[(r.procedure_id, r.agency_id)]
        d["template_id"], d["template_version"] = template_id, version
        self.set_status(S.awaiting_assignment)
        steps = self.steps
        first = 0
        if steps and steps[0].kind == "receive":
            s = steps[0]
            self.rows.steps.append({
                "dossier_id": self.id, "id": deterministic_uuid(rng, self.at), "position": s.position, "kind": s.kind,
                "name": s.name, "role": s.role, "unit_id": r.receiving_unit_id, "parallel_group": None,
                "assignee_id": receiver[0], "allotment_hours": s.allotment_hours, "state": "done",
                "started_at": self.at, "due_at": _utc(step_due(self.cal, self.at, s.allotment_hours)),
                "finished_at": self.at, "outcome": "early", "finished_by_id": receiver[0], "note": None,
            })
            first = 1
        if first < len(steps):
            self.enter(first, self.at, start=max(self.at, d["effective_receipt_at"]))
        self.record(receiver, "receive", self.at, None, from_step=steps[0].name if first else None,
                    from_unit_id=r.receiving_unit_id, outcome="early" if first else None,
                    data={"outcome": "accepted", "due_at": due.due_at.isoformat()})
        if first < len(steps):
            self.handle()
        self.flush()

    def handle(self) -> None:
        """Walk the steps until the dossier is done or its next move would be after now."""
        rng, d = self.rng, self.d
        x = rng.random()
        fate = ("withdraw" if x < P_WITHDRAW else "stop" if x < P_WITHDRAW + P_STOP
                else "refuse" if x < P_WITHDRAW + P_STOP + P_REFUSE else "normal")
        y = rng.random()
        pace = rng.uniform(0.1, 0.7) if y < 0.72 else rng.uniform(0.7, 1.0) if y < 0.9 else rng.uniform(1.0, 2.2)
        stuck_at = rng.randrange(len(self.steps)) if rng.random() < P_STUCK else None
        supplement = rng.random() < P_SUPPLEMENT
        consult = rng.random() < P_CONSULT and d["agency_id"] in self.world.consult_agencies
        stop_after = rng.randrange(1, 4)  # withdraw / stop after this many moves
        moves = 0
        t = self.at
        while d["current_step_position"] is not None:
            step = self.steps[self.index]
            if fate in ("withdraw", "stop") and moves >= stop_after:
                t = self.later(t, rng.uniform(1, 24))
                if t > self.now:
                    return
                return self.withdraw(t, fate)
            if step.parallel_group:
                t = self.parallel(t, pace)
                if t is None:
                    return
                moves += 1
                continue
            hours = float(step.allotment_hours or 1) * pace * rng.uniform(0.6, 1.4)
            if self.index == stuck_at:
                hours *= rng.uniform(4, 15)
            if step.kind == "appraise" and supplement:
                supplement = False
                if not self.supplement(t):
                    return
                t = self.d["updated_at"]
                continue
            if step.kind == "appraise" and consult:
                consult = False
                t = self.consult(t, pace)
                if t is None:
                    return
                continue
            done = self.later(t, hours)
            if done > self.now:
                return
            t = done
            moves += 1
            if step.kind in ("approve", "appraise") and fate == "refuse" and (
                    step.kind == "approve" or rng.random() < 0.3):
                self.refuse(t)
                fate = "normal"
                continue
            self.move(step, t)

    def move(self, step: StepInfo, t: datetime) -> None:
        """The action that completes `step` (assign, forward, approve, issue result, return)."""
        d, steps = self.d, self.steps
        from_status, from_step, from_unit = d["status"], d["current_step_name"], d["current_unit_id"]
        kind = step.kind
        actor = self.actor(self.step_unit(step), step.role)
        data = None
        if kind == "return":
            outcome = self.close(list(self.open), t, actor[0])
            method = {"counter": "counter", "post": "post", "online": "online"}.get(d["channel"], "counter")
            d["return_method"], d["returned_at"] = method, t
            self.clear_position()
            self.set_status(S.returned)
            self.record(actor, "return_result", t, from_status, from_step=from_step, from_unit_id=from_unit,
                        outcome=outcome, data={"method": method})
            return
        j = self.after_group(self.index)
        if j >= len(steps):  # a template without a return step: nothing more can happen
            self.clear_position()
            return
        nxt = steps[j]
        if kind == "issue":
            number = f"{d['code']}/KQ"
            self.rows.results.append({
                "dossier_id": self.id, "id": deterministic_uuid(self.rng, t), "kind": "result", "number": number,
                "issued_at": t, "summary": None, "attachment_id": None, "issued_by_id": actor[0],
            })
            self.finish(t)
            action, data = "issue_result", {"result_number": number, "attachment_id": None}
        elif kind == "approve":
            action = "approve"
        elif kind == "assign":
            action = "forward"
            handler = self.actor(self.step_unit(nxt), nxt.role)
            if handler[0] is not None:  # the head hands over with a handler chosen
                action = "assign"
                data = {"assignee_id": str(handler[0]), "assignee_name": handler[1]}
        else:
            action = "forward"
        outcome = self.close(self.current(), t, actor[0])
        self.enter(j, t, assignee=uuid.UUID(data["assignee_id"]) if action == "assign" else None)
        self.record(actor, action, t, from_status, from_step=from_step, from_unit_id=from_unit, outcome=outcome,
                    data=data)

    def parallel(self, t: datetime, pace: float) -> datetime | None:
        """A template's inter-agency group: each agency hands its step back, then the next step opens."""
        d = self.d
        pending = sorted(self.open, key=lambda e: e["position"])
        finishes = []
        for e in pending:
            finishes.append((self.later(t, float(e["allotment_hours"] or 1) * pace * self.rng.uniform(0.6, 1.4)), e))
        finishes.sort(key=lambda f: f[0])
        for done, e in finishes:
            if done > self.now:
                return None
            from_status, from_step, from_unit = d["status"], d["current_step_name"], d["current_unit_id"]
            actor = self.actor(e["unit_id"], "specialist")
            outcome = self.close([e], done, actor[0])
            data = {"consulted_unit_id": str(e["unit_id"])}
            if not any(o["parallel_group"] for o in self.open):
                self.enter(self.after_group(self.index), done)
            self.record(actor, "forward", done, from_status, from_step=from_step, from_unit_id=from_unit,
                        outcome=outcome, data=data)
        return finishes[-1][0]

    def consult(self, t: datetime, pace: float) -> datetime | None:
        """An ad hoc inter-agency step at appraisal (action consult), answered by the other agency."""
        d, rng = self.d, self.rng
        at = self.later(t, rng.uniform(1, 8))
        if at > self.now:
            return None
        others = [a for a in self.world.consult_agencies if a != d["agency_id"]]
        if not others:
            return at
        agency_id = others[rng.randrange(len(others))]
        agency = self.world.units.get(agency_id)
        name = agency.name if agency else "cơ quan phối hợp"
        from_status, from_step, from_unit = d["status"], d["current_step_name"], d["current_unit_id"]
        step = self.steps[self.index]
        actor = self.actor(self.step_unit(step), step.role)
        days = rng.choice((3, 3, 5, 7))
        due = cal_engine.due_date(self.cal, at, working_days=days, cutoff=None).due_at
        group = f"consult-{at:%H%M%S%f}"
        row = {
            "dossier_id": self.id, "id": deterministic_uuid(rng, at), "position": d["current_step_position"] or 0,
            "kind": "consult", "name": f"Lấy ý kiến {name}"[:255], "role": "specialist", "unit_id": agency_id,
            "parallel_group": group, "assignee_id": None, "allotment_hours": Decimal(days * 8), "state": "open",
            "started_at": at, "due_at": _utc(due), "finished_at": None, "outcome": None, "finished_by_id": None,
            "note": None,
        }
        self.rows.steps.append(row)
        self.open.append(row)
        self.set_status(S.awaiting_consultation)
        self.record(actor, "consult", at, from_status, from_step=from_step, from_unit_id=from_unit,
                    data={"consulted_unit_id": str(agency_id), "consulted_unit": name, "working_days": days,
                          "due_at": due.isoformat()})
        answered = self.later(at, days * 8 * pace * rng.uniform(0.5, 1.3))
        if answered > self.now:
            return None
        from_status, from_step, from_unit = d["status"], d["current_step_name"], d["current_unit_id"]
        them = self.actor(agency_id, "specialist")
        outcome = self.close([row], answered, them[0])
        self.set_status(STATUS_FOR_STEP_KIND[step.kind])
        self.record(them, "forward", answered, from_status, from_step=from_step, from_unit_id=from_unit,
                    outcome=outcome, data={"consulted_unit_id": str(agency_id)})
        return answered

    def supplement(self, t: datetime) -> bool:
        """Request to supplement (once, fully) and, usually, the applicant's return; False if still paused."""
        d, rng, cal = self.d, self.rng, self.cal
        at = self.later(t, rng.uniform(1, 20))
        if at > self.now:
            return False
        step = self.steps[self.index]
        actor = self.actor(self.step_unit(step), step.role)
        from_status, from_step, from_unit = d["status"], d["current_step_name"], d["current_unit_id"]
        items = rng.sample(MISSING, rng.randint(1, 3))
        pause = {
            "dossier_id": self.id, "id": deterministic_uuid(rng, at), "kind": "supplement", "started_at": at,
            "ended_at": None, "reason": None, "missing_items": items, "amount": None, "resume_status": d["status"],
            "requested_by_id": actor[0], "ended_by_id": None,
        }
        self.rows.pauses.append(pause)
        d["supplement_count"] += 1
        d["missing_items"] = items
        self.set_status(S.supplement_requested)
        within = cal.working_days_between(d["effective_receipt_at"].astimezone(LOCAL_TZ).date(),
                                          at.astimezone(LOCAL_TZ).date()) <= 3
        self.record(actor, "request_supplement", at, from_status, from_step=from_step, from_unit_id=from_unit,
                    data={"missing_items": items, "within_3_working_days": within})
        if rng.random() < P_SUPPLEMENT_NEVER and at > self.now - timedelta(days=120):
            return False
        back = self.later(at, rng.uniform(4, 80))
        if back > self.now:
            return False
        counter = self.actor(d["receiving_unit_id"], "counter_officer")
        from_status, from_step, from_unit = d["status"], d["current_step_name"], d["current_unit_id"]
        pause["ended_at"], pause["ended_by_id"] = back, counter[0]
        paused = cal.working_time_between(at, back)
        if paused > timedelta(0):
            for e in self.open:
                if e["due_at"] is not None:
                    e["due_at"] = _utc(cal.add_working_time(e["due_at"], paused))
        old_due = d["due_at"]
        result = cal_engine.legal_due_after_resume(
            cal, back, cutoff=None, **limit_args(d["time_limit_days"], d["time_limit_hours"]))
        d["due_at"] = _utc(result.due_at)
        progress = cal_engine.progress_due_with_pauses(cal, d["original_due_at"], [(at, back)])
        d["progress_due_at"] = _utc(progress)
        self.set_status(S(pause["resume_status"]))
        self.record(counter, "receive_supplement", back, from_status, from_step=from_step, from_unit_id=from_unit,
                    data={"paused_from": at.isoformat(), "old_due_at": old_due.isoformat(),
                          "due_at": result.due_at.isoformat(), "progress_due_at": progress.isoformat()})
        return True

    def refuse(self, t: datetime) -> None:
        d = self.d
        head = self.actor(d["agency_id"], "head")
        from_status, from_step, from_unit = d["status"], d["current_step_name"], d["current_unit_id"]
        note = self.rng.choice(REFUSE_NOTES)
        outcome = self.close(list(self.open), t, head[0])
        self.rows.results.append({
            "dossier_id": self.id, "id": deterministic_uuid(self.rng, t), "kind": "refusal", "number": None,
            "issued_at": t, "summary": note, "attachment_id": None, "issued_by_id": head[0],
        })
        d["refusal_reason"] = note
        self.finish(t)
        returns = [i for i, s in enumerate(self.steps) if s.kind == "return"]
        if returns:
            self.enter(returns[-1], t, status=S.refused)
        else:
            self.clear_position()
            self.set_status(S.refused)
        self.record(head, "refuse", t, from_status, from_step=from_step, from_unit_id=from_unit, outcome=outcome,
                    note=note)

    def withdraw(self, t: datetime, how: str) -> None:
        d = self.d
        if how == "withdraw":
            actor, note, status = (self.actor(d["receiving_unit_id"], "counter_officer"), WITHDRAW_NOTE,
                                   S.withdrawn)
        else:
            actor, note, status = self.actor(d["agency_id"], "head"), self.rng.choice(STOP_NOTES), S.stopped
        from_status, from_step, from_unit = d["status"], d["current_step_name"], d["current_unit_id"]
        self.close(list(self.open), t, actor[0], state="cancelled")
        for p in self.rows.pauses[-1:]:
            if p["dossier_id"] == self.id and p["ended_at"] is None:
                p["ended_at"], p["ended_by_id"] = t, actor[0]
        d["finished_at"] = t
        self.clear_position()
        self.set_status(status)
        self.record(actor, how, t, from_status, from_step=from_step, from_unit_id=from_unit, note=note)

    def flush(self) -> None:
        prev = GENESIS
        for seq, fields in enumerate(self.events, start=1):
            row = chained_event(self.id, seq, prev, fields)
            row["id"] = deterministic_uuid(self.rng, fields["at"])
            self.rows.events.append(row)
            prev = row["hash"]
        self.rows.dossiers.append(self.d)


# ------------------------------------------------------------------ writing


TABLES = (
    ("dossiers", Dossier), ("codes", DossierCode), ("components", DossierComponent), ("steps", StepExecution),
    ("pauses", DossierPause), ("results", DossierResult), ("events", DossierEvent),
)


def _write_sqlalchemy(session: Session, rows: Rows) -> None:
    for attr, model in TABLES:
        data = getattr(rows, attr)
        if data:
            session.execute(insert(model), data)


def _write_copy(session: Session, rows: Rows) -> None:
    """PostgreSQL binary COPY through the session's own connection (same transaction).

    Binary: the client sends UUIDs, timestamps and numbers as they are stored, which costs
    about a third of the CPU of the text format on both sides. JSON columns are written as
    the text format wrote them (UTF-8, not \\u escapes)."""
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        set_json_dumps(_json_text, context=cursor)
        # Every reference in these rows comes from the world read from this database, so the
        # per-row foreign-key triggers only re-check it: a fifth of the server's work. As a
        # superuser, `replica` skips them (no other trigger exists on these tables) for these
        # COPYs only; tests/dossiers/test_demo_bulk.py checks every reference afterwards.
        skip_checks = cursor.execute("SELECT current_setting('is_superuser') = 'on'").fetchone()[0]
        if skip_checks:
            cursor.execute("SET LOCAL session_replication_role = replica")
        for attr, model in TABLES:
            data = getattr(rows, attr)
            if not data:
                continue
            table = model.__tablename__
            columns = [c.name for c in model.__table__.columns]
            oids = dict(cursor.execute(
                "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
                [table],
            ).fetchall())
            quoted = ", ".join(f'"{c}"' for c in columns)  # current_role is a reserved word
            values = operator.itemgetter(*columns)
            with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN (FORMAT BINARY)') as copy:
                copy.set_types([oids[c] for c in columns])
                for row in data:
                    copy.write_row(values(row))
        if skip_checks:  # the rest of the transaction (a test's, say) is checked again;
            # a COPY that fails aborts the transaction, which undoes the SET LOCAL too
            cursor.execute("SET LOCAL session_replication_role = origin")


def _json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


@dataclass
class Report:
    created: int
    seconds: float
    statuses: dict[str, int]
    marked_cross_boundary: list[str]


def run_batch(
    session: Session, world: World, key: str, index: int, days: list[tuple[date, int]], today: datetime,
) -> dict[str, int]:
    """Simulate and write one batch (whole days) in the session's transaction; returns its statuses."""
    rng = random.Random(f"motcua-demo:{key}:{index}")
    batch = [r for day, count in days for r in day_receipts(world, rng, day, count, today)]
    ensure_templates(session, world, {r.route for r in batch})
    pattern = code_pattern()
    scopes: dict[str, int] = {}
    keys = []
    for r in batch:
        unit_code = world.units[r.route.receiving_unit_id].code
        day = r.at.astimezone(LOCAL_TZ).date()
        scope = code_scope(unit_code, day, pattern)
        scopes[scope] = scopes.get(scope, 0) + 1
        keys.append((scope, unit_code, day))
    last = reserve_sequences(session, scopes)
    next_seq = {s: last[s] - n + 1 for s, n in scopes.items()}
    rows = Rows()
    for r, (scope, unit_code, day) in zip(batch, keys, strict=True):
        seq = next_seq[scope]
        next_seq[scope] = seq + 1
        if seq > MAX_DAILY_SEQ and "{seq:04d}" in pattern:
            raise InvalidInput(f"Đơn vị {unit_code} đã dùng hết {MAX_DAILY_SEQ} số hồ sơ trong ngày "
                               f"{day:%d/%m/%Y}; hãy tạo ít hồ sơ hơn.")
        _Life(world, rng, rows, r, render_code(unit_code, day, seq, pattern), today).play()
    statuses: dict[str, int] = {}
    for d in rows.dossiers:
        statuses[d["status"]] = statuses.get(d["status"], 0) + 1
    if session.get_bind().dialect.name == "postgresql":
        _write_copy(session, rows)
    else:
        _write_sqlalchemy(session, rows)
    return statuses


# Worker processes (PostgreSQL): the world is inherited through fork, each has its own engine.
_WORKER: dict = {}


def _worker_init(url: str) -> None:
    _WORKER["factory"] = make_sessionmaker(make_engine(url))


def _worker_run(task) -> dict[str, int]:
    index, days = task
    with session_scope(_WORKER["factory"]) as session:
        return run_batch(session, _WORKER["world"], _WORKER["key"], index, days, _WORKER["today"])


def generate(
    session: Session, *, dossiers: int, seed: int, batch_size: int = DEFAULT_BATCH, workers: int = 1,
    progress: Callable[[int, int, float], None] | None = None, commit: bool = True,
    until: date | None = None, days: int = HISTORY_DAYS,
) -> Report:
    """Add `dossiers` dossiers received over the `days` days ending at `until` (default: the
    two years ending today); commits once per batch (unless `commit` is False: tests).

    Each dossier's life is played up to the clock's now whatever the window: a window that
    ended long ago holds finished dossiers only (older history, docs/demo.md).
    `workers` > 1 (PostgreSQL only) simulates and writes batches in that many processes;
    the data is the same whatever the number of workers."""
    if dossiers < 1 or dossiers > MAX_DOSSIERS:
        raise InvalidInput(f"Số hồ sơ phải từ 1 đến {MAX_DOSSIERS:,}.".replace(",", "."))
    if batch_size < 1 or workers < 1:
        raise InvalidInput("Kích thước lô và số tiến trình phải ≥ 1.")
    if days < 1 or days > MAX_DAYS:
        raise InvalidInput(f"Số ngày của khoảng thời gian phải từ 1 đến {MAX_DAYS:,}.".replace(",", "."))
    started = _time.monotonic()
    today = now()
    local_today = today.astimezone(LOCAL_TZ).date()
    if until is not None and until > local_today:
        raise InvalidInput(f"Ngày kết thúc {until:%d/%m/%Y} ở tương lai; hãy chọn một ngày đến hôm nay.")
    existing = session.scalar(select(func.count()).select_from(Dossier)) or 0
    key = f"{seed}:{existing}"
    if until is not None or days != HISTORY_DAYS:
        # A different window is a different history; the default keeps the original key.
        key += f":{until or local_today}:{days}"
    world = load_world(session, rng=random.Random(f"motcua-demo:{key}:world"))
    tasks = list(enumerate(batches_of_days(day_plan(world, dossiers, today, last=until, days=days), batch_size)))
    statuses: dict[str, int] = {}
    done = 0

    def count(batch_statuses: dict[str, int]) -> None:
        nonlocal done
        for status, n in batch_statuses.items():
            statuses[status] = statuses.get(status, 0) + n
        done += sum(batch_statuses.values())
        if progress:
            progress(done, dossiers, _time.monotonic() - started)

    parallel = workers > 1 and commit and session.get_bind().dialect.name == "postgresql" and len(tasks) > 1
    if parallel:
        # Every template first, in this process, so that workers never race to create one.
        ensure_templates(session, world, world.routes)
    if commit:
        session.commit()
    if parallel:
        _WORKER.update(world=world, key=key, today=today)
        url = session.get_bind().url.render_as_string(hide_password=False)
        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers, len(tasks)), initializer=_worker_init, initargs=(url,)) as pool:
            for batch_statuses in pool.imap_unordered(_worker_run, tasks):
                count(batch_statuses)
        _WORKER.clear()
    else:
        for index, days in tasks:
            batch_statuses = run_batch(session, world, key, index, days, today)
            if commit:
                session.commit()
            else:
                session.flush()
            count(batch_statuses)
    return Report(done, _time.monotonic() - started, statuses, world.marked_cross_boundary)
