"""Controlled documents: drafts, approval by the head, effective dates, obsolete versions
kept and marked, distribution, and the internal process tied to the process template."""

from datetime import date

import pytest

from motcua.core.errors import Conflict, Forbidden, InvalidInput, TransitionNotAllowed
from motcua.quality import documents, units
from motcua.quality.enums import DocumentKind, VersionStatus
from tests import factories


def test_versions_approval_and_obsolete_versions(db, people, justice_unit):
    unit = justice_unit
    doc = documents.create_document(db, people.secretary, unit, documents.NewDocument(DocumentKind.procedure, "QT-01", "Kiểm soát tài liệu"))
    with pytest.raises(Conflict, match="QT-01"):
        documents.create_document(db, people.secretary, unit, documents.NewDocument(DocumentKind.form, "QT-01", "Trùng"))
    v1 = documents.add_version(db, people.secretary, doc, unit, documents.NewVersion(
        content="Lần 1", distribution=["Văn phòng Sở", "Phòng Hành chính tư pháp", "Văn phòng Sở"]))
    assert (v1.number, v1.status, v1.distribution) == (1, VersionStatus.draft, ["Văn phòng Sở", "Phòng Hành chính tư pháp"])
    with pytest.raises(Conflict, match="dự thảo chưa phê duyệt"):
        documents.add_version(db, people.secretary, doc, unit, documents.NewVersion(content="Lần 1b"))
    with pytest.raises(Forbidden, match="Chỉ lãnh đạo của đơn vị"):
        documents.approve(db, people.secretary, doc, unit, effective_from=date(2026, 1, 1))
    documents.approve(db, people.head, doc, unit, effective_from=date(2026, 1, 1))
    assert (v1.status, v1.effective_from, v1.approved_by_id) == (VersionStatus.approved, date(2026, 1, 1), people.head.id)
    with pytest.raises(TransitionNotAllowed, match="không có dự thảo"):
        documents.approve(db, people.head, doc, unit, effective_from=date(2026, 2, 1))

    v2 = documents.add_version(db, people.secretary, doc, unit, documents.NewVersion(content="Lần 2", change_note="Sửa bước 3"))
    with pytest.raises(InvalidInput, match="sau ngày hiệu lực của phiên bản đang áp dụng \\(01/01/2026\\)"):
        documents.approve(db, people.head, doc, unit, effective_from=date(2026, 1, 1))
    documents.approve(db, people.head, doc, unit, effective_from=date(2026, 4, 1))
    assert (v1.status, v1.obsolete_on) == (VersionStatus.obsolete, date(2026, 4, 1))
    assert (v2.number, v2.status) == (2, VersionStatus.approved)
    assert documents.version_in_force(doc, date(2025, 12, 31)) is None
    assert documents.version_in_force(doc, date(2026, 3, 31)) is v1
    assert documents.version_in_force(doc, date(2026, 4, 1)) is v2
    [listed] = documents.list_documents(db, people.department, unit)
    assert [(v.number, v.status) for v in listed.versions] == [(1, "obsolete"), (2, "approved")]


def test_an_internal_process_names_the_template_version_dossiers_run_on(db, people, agencies, justice_unit):
    unit = justice_unit
    p = factories.procedure(db, "9.000002", "Thủ tục thử của Sở Tư pháp", agencies=[agencies.justice])
    with pytest.raises(InvalidInput, match="phải gắn với một thủ tục"):
        documents.create_document(db, people.secretary, unit, documents.NewDocument(DocumentKind.internal_process, "QTNB-01", "Quy trình"))
    doc = documents.create_document(db, people.secretary, unit, documents.NewDocument(
        DocumentKind.internal_process, "QTNB-01", "Quy trình nội bộ thủ tục thử", procedure_id=p.id))
    with pytest.raises(InvalidInput, match="chưa có quy trình xử lý hồ sơ"):
        documents.add_version(db, people.secretary, doc, unit, documents.NewVersion(content="Bước 1..."))
    first = factories.process_template(db, p, agencies.justice)
    second = factories.process_template(db, p, agencies.justice)
    version = documents.add_version(db, people.secretary, doc, unit, documents.NewVersion(content="Bước 1..."))
    assert version.process_template_id == second.id  # the active version
    documents.discard_draft(db, people.secretary, doc, unit)
    version = documents.add_version(db, people.secretary, doc, unit, documents.NewVersion(content="Cũ", process_template_id=first.id))
    assert (version.number, version.process_template_id) == (1, first.id)
    other = factories.process_template(db, p, agencies.finance)
    documents.discard_draft(db, people.secretary, doc, unit)
    with pytest.raises(InvalidInput, match="không thuộc thủ tục và đơn vị này"):
        documents.add_version(db, people.secretary, doc, unit, documents.NewVersion(content="X", process_template_id=other.id))
    assert units.unit_of_agency(db, agencies.justice.id).id == unit.id
