"""A unit's system: lifecycle build → apply → announce → maintain, scope and its gaps,
conversion to TCVN ISO 9001:2015, the 2025 handover, and who may do it."""

from datetime import date

import pytest
from sqlalchemy import select

from motcua.catalog.models import ProcedureAgency
from motcua.core.errors import Forbidden, InvalidInput, TransitionNotAllowed
from motcua.org.service import dissolve_agency
from motcua.quality import documents, policies, units
from motcua.quality.enums import DocumentKind, Stage, Standard, UnitEventKind
from motcua.quality.models import QualityScopeItem
from tests import factories


def _approve(db, people, unit, kind, code):
    document = documents.create_document(db, people.secretary, unit, documents.NewDocument(kind, code, kind.label))
    documents.add_version(db, people.secretary, document, unit, documents.NewVersion(content="Nội dung"))
    documents.approve(db, people.head, document, unit, effective_from=date(2026, 1, 5))


def test_lifecycle_of_a_conversion_to_2015(db, people, justice_unit):
    unit = justice_unit
    assert (unit.standard, unit.stage) == (Standard.iso_9001_2008, Stage.maintain)
    units.convert_standard(db, people.secretary, unit, Standard.iso_9001_2015)
    assert (unit.standard, unit.stage) == (Standard.iso_9001_2015, Stage.build)
    with pytest.raises(TransitionNotAllowed, match="chỉ chuyển sang phiên bản mới hơn"):
        units.convert_standard(db, people.secretary, unit, Standard.iso_9001_2008)
    with pytest.raises(TransitionNotAllowed, match="từ giai đoạn “Xây dựng” sang “Duy trì, cải tiến”"):
        units.move_to_stage(db, people.secretary, unit, Stage.maintain)
    with pytest.raises(TransitionNotAllowed, match="chưa ban hành chính sách chất lượng, mục tiêu chất lượng"):
        units.move_to_stage(db, people.secretary, unit, Stage.apply)
    _approve(db, people, unit, DocumentKind.policy, "CSCL")
    _approve(db, people, unit, DocumentKind.objectives, "MTCL-2026")
    units.move_to_stage(db, people.secretary, unit, Stage.apply)
    assert unit.stage == Stage.apply

    # announcing needs every procedure the unit implements in its scope
    implemented = units.implemented_procedures(db, unit.agency_id)
    assert len(implemented) > 1
    gaps_before = len(units.scope_gaps(db, unit))
    units.cover(db, people.secretary, unit, [implemented[0].id])
    assert len(units.scope_gaps(db, unit)) == gaps_before - 1 == len(implemented) - 1
    with pytest.raises(TransitionNotAllowed, match=f"còn {len(implemented) - 1} thủ tục"):
        units.announce(db, people.secretary, unit, number="15/QĐ-STP", on=date(2026, 3, 2))
    assert units.cover(db, people.secretary, unit, [p.id for p in implemented]) == len(implemented) - 1
    assert units.scope_gaps(db, unit) == []
    with pytest.raises(TransitionNotAllowed, match="bằng quyết định công bố"):
        units.move_to_stage(db, people.secretary, unit, Stage.announce)
    units.announce(db, people.secretary, unit, number="15/QĐ-STP", on=date(2026, 3, 2), file="qd-15.pdf")
    assert (unit.stage, unit.announcement_number, unit.announcement_date) == (Stage.announce, "15/QĐ-STP", date(2026, 3, 2))
    units.move_to_stage(db, people.head, unit, Stage.maintain)
    # re-announced after a scope change
    units.announce(db, people.secretary, unit, number="40/QĐ-STP", on=date(2026, 6, 1))
    assert unit.stage == Stage.announce

    assert [(e.kind, e.from_value, e.to_value) for e in units.events_of(db, unit)] == [
        (UnitEventKind.created, None, Stage.maintain),
        (UnitEventKind.standard, Standard.iso_9001_2008, Standard.iso_9001_2015),
        (UnitEventKind.stage, Stage.build, Stage.apply),
        (UnitEventKind.scope, None, None),
        (UnitEventKind.scope, None, None),
        (UnitEventKind.announced, Stage.apply, Stage.announce),
        (UnitEventKind.stage, Stage.announce, Stage.maintain),
        (UnitEventKind.announced, Stage.maintain, Stage.announce),
    ]


def test_scope_takes_only_implemented_procedures(db, people, justice_unit, agencies):
    elsewhere = factories.procedure(db, "9.999999", "Thủ tục của Sở Tài chính", agencies=[agencies.finance])
    with pytest.raises(InvalidInput, match="các thủ tục đơn vị đang thực hiện"):
        units.cover(db, people.secretary, justice_unit, [elsewhere.id])


def test_secretaries_act_for_their_own_unit_and_the_department_sees_all(db, people, justice_unit):
    with pytest.raises(Forbidden, match="Chỉ thư ký ISO hoặc lãnh đạo của đơn vị"):
        units.move_to_stage(db, people.other_secretary, justice_unit, Stage.apply)
    with pytest.raises(Forbidden):
        units.convert_standard(db, people.department, justice_unit, Standard.iso_9001_2015)
    with pytest.raises(Forbidden, match="Bạn chỉ xem được"):
        documents.list_documents(db, people.other_secretary, justice_unit)
    assert documents.list_documents(db, people.department, justice_unit) == []
    assert policies.visible_agency_ids(db, people.department) is None
    assert policies.visible_agency_ids(db, people.admin) is None
    # a counter officer of the Department is not part of the quality work
    assert policies.visible_agency_ids(db, people.counter) == set()
    assert policies.visible_agency_ids(db, people.secretary) == {justice_unit.agency_id}
    mine = units.list_units(db, people.secretary, page_size=500)
    assert [u.agency.name for u in mine.items] == ["Sở Tư pháp"] and mine.total == 1
    assert units.list_units(db, people.department, page_size=500).total == 121
    with pytest.raises(Forbidden, match="Chỉ Sở Khoa học và Công nghệ"):
        policies.ensure_sees_all(db, people.secretary)
    units.convert_standard(db, people.admin, justice_unit, Standard.iso_9001_2015)


def test_a_merged_unit_hands_its_system_to_its_successor_when_the_merger_is_recorded(db, people, agencies):
    old = factories.agency(db, "000.00.98.H37", "Sở Thử nghiệm cũ")
    new = factories.agency(db, "000.00.99.H37", "Sở Thử nghiệm mới")
    p = factories.procedure(db, "9.000001", "Cấp giấy thử nghiệm", agencies=[old])
    unit = units.create_unit(db, old, standard=Standard.iso_9001_2015, stage=Stage.maintain)
    db.add(QualityScopeItem(unit_id=unit.id, procedure_id=p.id, added_on=date(2024, 1, 2)))
    secretary = factories.user(db, "tk.cu", "Thư ký cũ", ("quality_secretary", old))
    policy = documents.create_document(db, secretary, unit, documents.NewDocument(DocumentKind.policy, "CSCL", "Chính sách"))
    admin = people.admin
    dissolve_agency(db, old, on=date(2025, 7, 1), successor=new, actor_id=admin.id)

    # Recording the merger handed the system over (quality.reorganisation, in the same transaction).
    successor = units.unit_of_agency(db, new.id)
    assert successor.agency_id == new.id
    assert [(e.actor_id, e.other_unit_id, e.note) for e in units.events_of(db, unit)
            if e.kind == UnitEventKind.handed_over] == [(admin.id, successor.id, "Theo sắp xếp tổ chức bộ máy, ngày 01/07/2025.")]
    assert (successor.standard, successor.stage, successor.rollout_id) == (Standard.iso_9001_2015, Stage.maintain, None)
    assert (unit.handed_over_to_id, unit.handed_over_on) == (successor.id, date(2025, 7, 1))
    [item] = db.scalars(select(QualityScopeItem).where(QualityScopeItem.unit_id == successor.id)).all()
    assert (item.procedure_id, item.from_unit_id) == (p.id, unit.id)
    assert policy.unit_id == successor.id
    assert units.hand_over(db, unit) is None  # once
    with pytest.raises(Forbidden, match="đã bàn giao cho đơn vị kế thừa"):
        units.move_to_stage(db, people.admin, unit, Stage.announce)
    # the successor's secretary reads the old record
    heir = factories.user(db, "tk.moi", "Thư ký mới", ("quality_secretary", new))
    assert policies.visible_agency_ids(db, heir) == {new.id, old.id}
    # A second merger (the heir into a third unit): that unit's people read both earlier systems.
    last = factories.agency(db, "000.00.97.H37", "Sở Thử nghiệm sau cùng")
    dissolve_agency(db, new, on=date(2025, 10, 1), successor=last, actor_id=admin.id)
    assert units.unit_of_agency(db, last.id) is not None and successor.handed_over_to_id is not None
    last_secretary = factories.user(db, "tk.sau", "Thư ký sau cùng", ("quality_secretary", last))
    assert policies.visible_agency_ids(db, last_secretary) == {last.id, new.id, old.id}
    assert db.scalar(select(ProcedureAgency.id).where(ProcedureAgency.procedure_id == p.id)) is not None
