"""How much of the catalogue holds sourced legal content: procedures in force with a time
limit, components and fees that each carry their basis (catalog.legal), by level and field,
and the list of those still missing something. Read-only."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from motcua.catalog.enums import LEVEL_LABELS, ProcedureLevel, ProcedureStatus
from motcua.catalog.models import DossierComponentSpec, Fee, Field, Procedure

LEVEL_TEXT = {level.value: label for level, label in LEVEL_LABELS.items()}
PARTS = (("time_limit", "Thời hạn"), ("components", "Thành phần hồ sơ"), ("fees", "Phí, lệ phí"))


@dataclass
class CoverageRow:
    label: str
    total: int = 0
    time_limit: int = 0
    components: int = 0
    fees: int = 0
    complete: int = 0  # all three

    def add(self, flags: dict[str, bool]) -> None:
        self.total += 1
        for name, _ in PARTS:
            setattr(self, name, getattr(self, name) + int(flags[name]))
        self.complete += int(all(flags.values()))


@dataclass
class MissingProcedure:
    code: str
    name: str
    level: str
    field: str | None
    missing: list[str]  # labels of the parts without a sourced value


@dataclass
class Coverage:
    total: CoverageRow
    by_level: list[CoverageRow] = field(default_factory=list)
    by_field: list[CoverageRow] = field(default_factory=list)
    missing: list[MissingProcedure] = field(default_factory=list)

    def as_text(self, *, list_missing: bool = False) -> str:
        def line(row: CoverageRow) -> str:
            return (f"{row.label}: {row.total} thủ tục; thời hạn {row.time_limit}, thành phần hồ sơ "
                    f"{row.components}, phí, lệ phí {row.fees}; đủ cả ba {row.complete}")

        out = ["Thủ tục đang có hiệu lực có nội dung pháp lý kèm căn cứ", line(self.total), "", "Theo cấp:"]
        out += [f"  {line(r)}" for r in self.by_level]
        out += ["", "Theo lĩnh vực:"] + [f"  {line(r)}" for r in self.by_field]
        out += ["", f"Thủ tục còn thiếu: {len(self.missing)}"]
        if list_missing:
            out += [f"  {m.code}  {m.name} — thiếu: {', '.join(m.missing)}" for m in self.missing]
        return "\n".join(out)


def sourced_flags():
    """SQL expressions: the procedure has a sourced time limit / components / fees."""
    time_limit = or_(
        and_(or_(Procedure.time_limit_days.is_not(None), Procedure.time_limit_hours.is_not(None)),
             Procedure.time_limit_basis.is_not(None)),
        and_(or_(Procedure.online_time_limit_days.is_not(None),
                 Procedure.online_time_limit_hours.is_not(None)),
             Procedure.online_time_limit_basis.is_not(None)),
    )
    components = and_(
        Procedure.components_basis.is_not(None),
        exists().where(DossierComponentSpec.procedure_id == Procedure.id),
    )
    fees = exists().where(Fee.procedure_id == Procedure.id, Fee.basis.is_not(None))
    return time_limit, components, fees


def coverage(session: Session) -> Coverage:
    time_limit, components, fees = sourced_flags()
    stmt = (
        select(Procedure.code, Procedure.name, Procedure.level, Field.name,
               time_limit.label("t"), components.label("c"), fees.label("f"))
        .outerjoin(Field, Field.id == Procedure.field_id)
        .where(Procedure.status == ProcedureStatus.in_force.value)
        .order_by(Procedure.code)
    )
    result = Coverage(total=CoverageRow("Tất cả"))
    levels: dict[str, CoverageRow] = {}
    fields: dict[str, CoverageRow] = {}
    for code, name, level, field_name, t, c, f in session.execute(stmt):
        flags = {"time_limit": bool(t), "components": bool(c), "fees": bool(f)}
        result.total.add(flags)
        levels.setdefault(level, CoverageRow(LEVEL_TEXT.get(level, level))).add(flags)
        fields.setdefault(field_name or "", CoverageRow(field_name or "(chưa có lĩnh vực)")).add(flags)
        if not all(flags.values()):
            result.missing.append(MissingProcedure(
                code, name, level, field_name, [label for key, label in PARTS if not flags[key]]
            ))
    order = {level.value: i for i, level in enumerate(ProcedureLevel)}
    result.by_level = [levels[k] for k in sorted(levels, key=lambda k: order.get(k, 99))]
    result.by_field = sorted(fields.values(), key=lambda r: (-r.complete, -r.total, r.label))
    return result
