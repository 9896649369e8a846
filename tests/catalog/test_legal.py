"""Legal content loaded from research lines (catalog.legal), the coverage report, and pages that
never state a limit the catalogue does not hold."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from motcua.calendar.deadlines import due_for
from motcua.calendar.store import load_calendar
from motcua.catalog.coverage import coverage
from motcua.catalog.legal import load_legal
from motcua.catalog.limits import TimeLimit, procedure_time_limit
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.service import get_procedure_by_code
from motcua.core.clock import LOCAL_TZ

BASIS = "Khoản 1 Điều 16 Luật Hộ tịch số 60/2014/QH13"


def write(path, *lines):
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


def procedure_without_limit(db) -> Procedure:
    """A seeded procedure in force created from exactly one seed row, with no limit loaded."""
    for p in db.scalars(select(Procedure).where(Procedure.time_limit_days.is_(None),
                                                Procedure.time_limit_hours.is_(None),
                                                Procedure.status == "in_force").order_by(Procedure.code)):
        if p.source and re.fullmatch(r"seed003 dòng \d+", p.source):
            return p
    raise AssertionError("no seeded procedure without a limit")


def test_load_matches_seed_rows_loads_only_sourced_values_and_is_idempotent(db, tmp_path):
    target = procedure_without_limit(db)
    row = int(target.source.rsplit(" ", 1)[1])
    first = {"name": target.name, "seed_rows": [row], "national_code": None,
             "time_limit": [{"channel": "all", "kind": "working_days", "value": 7, "text": "07 ngày", "basis": None}],
             "components": [{"name": "Tờ khai", "form": None, "originals": 1, "copies": 0, "required": True,
                             "condition": None}],
             "components_basis": "Điều 9 Nghị định 123/2015/NĐ-CP",
             "fees": [{"name": "Lệ phí", "amount_vnd": 8000, "text": "8.000 đồng", "basis": "Thông tư 85/2019/TT-BTC"}],
             "legal_basis": ["Luật Hộ tịch số 60/2014/QH13"], "result": "Giấy khai sinh", "online": "một phần"}
    # The later line of the same name supersedes the first: same day, with a basis; no fees given.
    later = {"name": target.name, "seed_rows": [row],
             "time_limit": [{"channel": "all", "kind": "same_day", "value": 0, "text": "Trong ngày", "basis": BASIS},
                            {"channel": "online", "kind": "calendar_days", "value": 3, "text": "3 ngày", "basis": BASIS}],
             "components": [], "fees": [], "legal_basis": [], "result": None, "online": None,
             "sources": [{"url": "https://example.vn/tthc", "title": "Trang thủ tục"}]}
    stray = {"name": "Thủ tục không có trong danh mục xyz", "seed_rows": [], "time_limit": []}
    path = write(tmp_path / "legal.jsonl", first, stray, later)

    report = load_legal(db, [path])

    assert report.superseded == 1 and report.lines_read == 3
    assert [codes for _, codes in report.matched] == [[target.code]]
    assert report.unmatched == ["legal.jsonl:2 (Thủ tục không có trong danh mục xyz)"]
    assert any("calendar_days" in item for item in report.left_out)  # never turned into working days
    db.expire_all()
    p = get_procedure_by_code(db, target.code, full=True)
    limit = procedure_time_limit(p)
    assert (limit.days, limit.hours, limit.kind, limit.basis) == (0, None, "same_day", BASIS)
    assert procedure_time_limit(p, "online").days == 0  # no limit of its own online
    assert p.components == [] or p.components_basis is not None  # the first line was superseded
    assert p.content_sources == [{"url": "https://example.vn/tthc", "title": "Trang thủ tục"}]
    versions = db.scalar(select(ProcedureVersion.number).where(ProcedureVersion.procedure_id == p.id)
                         .order_by(ProcedureVersion.number.desc()).limit(1))

    again = load_legal(db, [path])

    assert again.procedures_changed == set()
    assert db.scalar(select(ProcedureVersion.number).where(ProcedureVersion.procedure_id == p.id)
                     .order_by(ProcedureVersion.number.desc()).limit(1)) == versions


def test_a_value_without_basis_is_left_out_and_missing_values_stay(db, tmp_path):
    target = procedure_without_limit(db)
    row = int(target.source.rsplit(" ", 1)[1])
    line = {"name": target.name, "seed_rows": [row],
            "time_limit": [{"channel": "all", "kind": "working_days", "value": 5, "text": "05 ngày", "basis": None}],
            "fees": [{"name": "Lệ phí", "amount_vnd": 1000, "text": "", "basis": "Thông tư 1"}]}

    report = load_legal(db, [write(tmp_path / "a.jsonl", line)])

    assert any("thời hạn (counter) không có căn cứ" in item for item in report.left_out)
    db.expire_all()
    p = get_procedure_by_code(db, target.code, full=True)
    assert not procedure_time_limit(p).known
    assert [(f.amount, f.basis) for f in p.fees] == [(1000, "Thông tư 1")]
    # A later load without fees does not clear them.
    load_legal(db, [write(tmp_path / "b.jsonl", {**line, "fees": []})])
    db.expire_all()
    assert [f.amount for f in get_procedure_by_code(db, target.code, full=True).fees] == [1000]


def test_same_day_is_due_at_close_or_next_working_day_after_the_cutoff(db):
    cal = load_calendar(db)
    monday_morning = __import__("datetime").datetime(2026, 11, 23, 9, 0, tzinfo=LOCAL_TZ)
    monday_late = monday_morning.replace(hour=16)
    same_day = TimeLimit(days=0, basis=BASIS)

    assert same_day.kind == "same_day" and same_day.text == "Trong ngày"
    assert due_for(cal, monday_morning, same_day).due_at.astimezone(LOCAL_TZ).date().isoformat() == "2026-11-23"
    assert due_for(cal, monday_late, same_day).due_at.astimezone(LOCAL_TZ).date().isoformat() == "2026-11-24"


def test_seeded_coverage_counts_sourced_content(db):
    c = coverage(db)

    assert c.total.total == sum(r.total for r in c.by_level)
    # issue 10: at least 300 procedures in force with a sourced limit, components and fees, from the
    # research files in data/catalog/legal that the seed loads
    assert c.total.complete >= 300
    assert len(c.missing) == c.total.total - c.total.complete
    assert all(m.missing for m in c.missing)


def test_pages_show_a_limit_with_its_basis_or_say_it_is_missing(client, db):
    missing = procedure_without_limit(db)
    sourced = db.scalars(select(Procedure).where(Procedure.time_limit_basis.is_not(None))
                         .order_by(Procedure.code).limit(1)).one()

    page = client.get(f"/thu-tuc/{missing.code}").text
    shown = client.get(f"/thu-tuc/{sourced.code}").text

    assert "Chưa có thông tin trong danh mục" in page
    assert not re.search(r"theo quy định[^<]{0,40}\d", page)
    assert procedure_time_limit(sourced).text in shown and sourced.time_limit_basis in shown
