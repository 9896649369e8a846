"""Default internal process (quy trình nội bộ) for a procedure: pure functions, no database.

Every procedure gets receive → assign → appraise → approve → issue result → return, and
the allotments of the steps add up to the procedure's time limit, in working hours
(1 working day = 8 working hours, the default office hours of the calendar).

How the time limit is split (`DEFAULT_SHARES`, in per mille of the limit):
  receive 5 %, assign 5 %, appraise 60 %, approve 15 %, issue 10 %, return 5 %.
Each share is rounded down to a quarter of an hour; appraisal takes what rounding left
over, so the sum is exactly the limit. A limit of 0 days ("trong ngày") is taken as
one working day of 8 hours; a procedure without a limit gets `FALLBACK_DAYS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal


class StepKind:
    """Kinds of process steps."""

    receive = "receive"  # tiếp nhận at the one-stop section
    assign = "assign"  # lãnh đạo phân công
    appraise = "appraise"  # chuyên viên thẩm định, xử lý
    consult = "consult"  # liên thông: another agency's step, in parallel, own deadline
    approve = "approve"  # lãnh đạo phê duyệt, ký
    issue = "issue"  # văn thư vào số, đóng dấu, ban hành
    return_ = "return"  # trả kết quả at the one-stop section

    ALL = ("receive", "assign", "appraise", "consult", "approve", "issue", "return")


STEP_KIND_LABELS = {
    "receive": "Tiếp nhận hồ sơ",
    "assign": "Phân công xử lý",
    "appraise": "Thẩm định, xử lý hồ sơ",
    "consult": "Lấy ý kiến cơ quan phối hợp (liên thông)",
    "approve": "Phê duyệt kết quả",
    "issue": "Vào số, ban hành kết quả",
    "return": "Trả kết quả",
}

DEFAULT_ROLES = {
    "receive": "counter_officer",
    "assign": "head",
    "appraise": "specialist",
    "consult": "specialist",
    "approve": "head",
    "issue": "clerk",
    "return": "counter_officer",
}

# Actions a step allows by default (a template may narrow or widen them per step).
DEFAULT_STEP_ACTIONS: dict[str, tuple[str, ...]] = {
    "receive": ("claim", "forward"),
    "assign": ("claim", "assign", "forward", "request_supplement"),
    "appraise": ("claim", "forward", "send_back", "request_supplement", "request_payment", "consult"),
    "consult": ("forward",),
    "approve": ("claim", "approve", "send_back", "request_payment"),
    "issue": ("claim", "issue_result", "send_back", "request_payment"),
    "return": ("claim", "return_result"),
}

HOURS_PER_DAY = Decimal(8)
FALLBACK_DAYS = 5
DEFAULT_SHARES: tuple[tuple[str, int], ...] = (
    ("receive", 50),
    ("assign", 50),
    ("appraise", 600),
    ("approve", 150),
    ("issue", 100),
    ("return", 50),
)
QUARTER = Decimal("0.25")


@dataclass
class StepSpec:
    """One step of a process, as data (also the JSON import/export format)."""

    position: int
    kind: str
    name: str
    role: str
    allotment_hours: Decimal
    actions: list[str] = field(default_factory=list)
    unit_code: str | None = None  # acting agency; None = competent agency (receiving unit for receive/return)
    parallel_group: str | None = None


def total_hours(days: int | None, hours: int | None) -> Decimal:
    """The procedure's time limit in working hours (see the module docstring for 0 and None)."""
    if hours:
        return Decimal(hours)
    if days is None:
        return FALLBACK_DAYS * HOURS_PER_DAY
    if days == 0:
        return HOURS_PER_DAY
    return Decimal(days) * HOURS_PER_DAY


def split_allotments(total: Decimal) -> list[tuple[str, Decimal]]:
    """Split `total` working hours over the default steps; the parts add up to `total` exactly."""
    parts: list[tuple[str, Decimal]] = []
    for kind, share in DEFAULT_SHARES:
        part = (total * share / 1000 / QUARTER).to_integral_value(rounding=ROUND_DOWN) * QUARTER
        parts.append((kind, part))
    rest = total - sum(p for _, p in parts)
    return [(k, p + rest if k == "appraise" else p) for k, p in parts]


def default_steps(days: int | None, hours: int | None) -> list[StepSpec]:
    """The default process for a time limit of `days` working days or `hours` working hours."""
    return [
        StepSpec(
            position=i,
            kind=kind,
            name=STEP_KIND_LABELS[kind],
            role=DEFAULT_ROLES[kind],
            allotment_hours=part,
            actions=list(DEFAULT_STEP_ACTIONS[kind]),
        )
        for i, (kind, part) in enumerate(split_allotments(total_hours(days, hours)), start=1)
    ]
