"""Evidence files on the reform index scores (issue 15 item 3): uploaded, listed and downloaded by
those who see the unit's sheet, kept when the points change; a bad file refused with nothing
stored; a self-assessment submitted for appraisal only with a file on every item that requires
one; the council's documents when the sheet asks for them; the counts in the unit's XLSX/PDF."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from motcua.core.clock import LOCAL_TZ, frozen
from motcua.core.errors import Conflict, Forbidden, InvalidInput
from motcua.reform import score_evidence, scoring
from motcua.reform.models import ScoreEvidence
from motcua.reform.progress import Upload
from motcua.reform.score_evidence import EvidenceIn
from motcua.reform.score_files import Stage, files_of, submission_of
from motcua.reform.scoring import AppraisalIn, ItemIn, SelfScoreIn, SheetIn
from tests import factories
from tests.html_forms import csrf_from, form_fields, shown_errors, signed_in
from tests.reform.test_exports import _rows, _scored, pdf_lines

D = Decimal
PDF = b"%PDF-1.4\n% ke hoach CCHC\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
NOT_ACCEPTED = ("Định dạng tệp không được chấp nhận (chỉ nhận PDF, PNG, JPEG, TIFF, DOCX, XLSX); nội dung tệp không "
                "khớp định dạng nào trong số đó.")
ADMIN = "/quan-tri/cai-cach/chi-so"
API = "/api/v1/reform"
DAY = datetime(2026, 11, 20, 9, 0, tzinfo=LOCAL_TZ)


def _sheet(db, council, *, appraisal_evidence=False):
    """Two items need evidence (1.1, 1.2), one does not (2.1), one comes from the surveys (3.1)."""
    sheet = scoring.create_sheet(db, council, SheetIn(
        year=2026, name="Bộ chỉ số có tài liệu kiểm chứng", basis="Kiểm thử", appraisal_evidence=appraisal_evidence,
        items=[ItemIn(code="1", title="Công tác chỉ đạo, điều hành"),
               ItemIn(code="1.1", title="Kế hoạch CCHC", max_points=D("2"), evidence_required=True),
               ItemIn(code="1.2", title="Báo cáo CCHC", max_points=D("1.5"), evidence_required=True),
               ItemIn(code="2", title="Cải cách thủ tục hành chính"),
               ItemIn(code="2.1", title="Công khai thủ tục", max_points=D("3")),
               ItemIn(code="3", title="Sự hài lòng"),
               ItemIn(code="3.1", title="Chỉ số hài lòng", max_points=D("4"), from_survey=True)]))
    scoring.set_status(db, council, sheet, scoring.SheetStatus.open)
    return sheet


def _attach(db, user, sheet, agency, code, files, *, stage=Stage.self, root):
    return score_evidence.add_evidence(db, user, sheet, EvidenceIn(agency_code=agency.code, item_code=code,
                                                                   stage=stage), files, root=root)


def _score(db, user, sheet, agency, code, points, evidence=None):
    return scoring.self_score(db, user, sheet, SelfScoreIn(agency_code=agency.code, item_code=code, points=D(points),
                                                           evidence=evidence))


def _count(db) -> int:
    return db.scalar(select(func.count()).select_from(ScoreEvidence))


def test_files_on_a_self_score_are_listed_and_kept_when_the_points_change(db, people, agencies, tmp_path):
    sheet, j, root = _sheet(db, people["council"]), agencies.justice, tmp_path / "files"
    added = _attach(db, people["justice"], sheet, j, "1.1", [Upload("ke-hoach.pdf", PDF), Upload("anh chup", PNG)],
                    root=root)
    assert [(f.name, f.content_type, f.size, f.stage, f.uploaded_by_name) for f in added] == [
        ("ke-hoach.pdf", "application/pdf", len(PDF), "self", "Cán Bộ Tư Pháp"),
        ("anh chup.png", "image/png", len(PNG), "self", "Cán Bộ Tư Pháp")]
    assert (root / added[0].sha256[:2] / added[0].sha256).read_bytes() == PDF
    # The file stands for the written reference: 1.1 is scored without one.
    _score(db, people["justice"], sheet, j, "1.1", "2")
    _score(db, people["justice"], sheet, j, "1.1", "1.5", evidence="KH 12/KH-STP")
    us = scoring.unit_sheet(db, sheet, j)
    assert [(ln.item.code, ln.points, [f.name for f in ln.files]) for ln in us.lines if ln.scored] == [
        ("1.1", D("1.50"), ["ke-hoach.pdf", "anh chup.png"]), ("1.2", None, []), ("2.1", None, []),
        ("3.1", D("0"), [])]
    # Another unit has no file on the same item.
    assert files_of(db, sheet.id, agencies.finance.id) == {}


@pytest.mark.parametrize("files", [
    [Upload("bao-cao.pdf", b"<html>not a pdf</html>")],
    [Upload("ke-hoach.pdf", PDF), Upload("bao-cao.pdf", b"<html>not a pdf</html>")],
])
def test_a_bad_file_is_refused_and_nothing_is_stored(db, people, agencies, tmp_path, files):
    sheet, root = _sheet(db, people["council"]), tmp_path / "files"
    with pytest.raises(InvalidInput) as refused:
        _attach(db, people["justice"], sheet, agencies.justice, "1.1", files, root=root)
    assert refused.value.message == "Tệp “bao-cao.pdf”: " + NOT_ACCEPTED
    assert refused.value.details == [{"name": "files", "label": "Tệp", "message": NOT_ACCEPTED}]
    assert _count(db) == 0 and not root.exists()  # no row, and not even the good file on disk


def test_who_may_attach_and_where(db, people, agencies, tmp_path):
    sheet, j, root = _sheet(db, people["council"]), agencies.justice, tmp_path / "files"
    with pytest.raises(Forbidden, match="cơ quan, đơn vị của mình"):  # finance's head, on justice's sheet
        _attach(db, people["finance"], sheet, j, "1.1", [Upload("a.pdf", PDF)], root=root)
    with pytest.raises(InvalidInput, match="lấy điểm từ kết quả khảo sát"):
        _attach(db, people["justice"], sheet, j, "3.1", [Upload("a.pdf", PDF)], root=root)
    with pytest.raises(InvalidInput, match="^Chọn ít nhất một tệp để đính kèm.$"):
        _attach(db, people["justice"], sheet, j, "1.1", [], root=root)
    with pytest.raises(InvalidInput, match="^Mỗi lần đính kèm tối đa 5 tệp.$"):
        _attach(db, people["justice"], sheet, j, "1.1", [Upload(f"{n}.pdf", PDF) for n in range(6)], root=root)
    with pytest.raises(Conflict, match="^Bộ chỉ số này không yêu cầu tài liệu thẩm định"):
        _attach(db, people["council"], sheet, j, "1.1", [Upload("bien-ban.pdf", PDF)], stage=Stage.appraisal,
                root=root)
    # Once appraised, the unit adds no file to the item.
    _score(db, people["justice"], sheet, j, "1.2", "1", evidence="BC 5")
    scoring.appraise(db, people["council"], sheet, AppraisalIn(agency_code=j.code, item_code="1.2", points=D("1")))
    with pytest.raises(Conflict, match="^Mục 1.2 đã được thẩm định"):
        _attach(db, people["justice"], sheet, j, "1.2", [Upload("a.pdf", PDF)], root=root)
    assert _count(db) == 0


def test_submission_needs_a_file_on_every_required_item_and_names_them(db, people, agencies, tmp_path):
    sheet, j, root = _sheet(db, people["council"]), agencies.justice, tmp_path / "files"
    _score(db, people["justice"], sheet, j, "1.1", "2", evidence="KH 12/KH-STP")  # a reference, no file
    _score(db, people["justice"], sheet, j, "1.2", "1.5", evidence="BC 3/BC-STP")
    with pytest.raises(Conflict) as refused:
        score_evidence.submit(db, people["justice"], sheet, j.code)
    assert refused.value.message == (f"Chưa gửi thẩm định được bảng tự chấm của {j.name}: các mục cần tài liệu kiểm "
                                     "chứng chưa có tệp đính kèm: 1.1, 1.2; các mục chưa tự chấm điểm: 2.1.")
    assert submission_of(db, sheet.id, j.id) is None
    _attach(db, people["justice"], sheet, j, "1.1", [Upload("ke-hoach.pdf", PDF)], root=root)
    _score(db, people["justice"], sheet, j, "2.1", "3")
    with pytest.raises(Conflict, match="chưa có tệp đính kèm: 1.2[.]$"):
        score_evidence.submit(db, people["justice"], sheet, j.code)
    _attach(db, people["justice"], sheet, j, "1.2", [Upload("bao-cao.pdf", PDF)], root=root)
    with pytest.raises(Forbidden):  # another unit does not submit for justice
        score_evidence.submit(db, people["finance"], sheet, j.code)
    with frozen(DAY):
        sent = score_evidence.submit(db, people["justice"], sheet, j.code)
    assert (sent.submitted_by_name, sent.submitted_at) == ("Cán Bộ Tư Pháp", DAY)
    # Frozen from now on: the points and files the council appraises stay as sent.
    frozen_msg = f"^{j.name} đã gửi bảng tự chấm để thẩm định ngày 20/11/2026: không sửa điểm tự chấm"
    with pytest.raises(Conflict, match=frozen_msg):
        _score(db, people["justice"], sheet, j, "2.1", "1")
    with pytest.raises(Conflict, match=frozen_msg):
        _attach(db, people["justice"], sheet, j, "2.1", [Upload("them.pdf", PDF)], root=root)
    with pytest.raises(Conflict, match=frozen_msg):
        score_evidence.submit(db, people["justice"], sheet, j.code)
    assert scoring.unit_rows(db, sheet, j)[scoring.items_of(db, sheet)[4].id].self_points == D("3.00")
    assert _count(db) == 2
    scoring.appraise(db, people["council"], sheet, AppraisalIn(agency_code=j.code, item_code="2.1", points=D("2.5")))


def test_the_council_attaches_its_documents_when_the_sheet_asks(db, people, agencies, tmp_path):
    sheet = _sheet(db, people["council"], appraisal_evidence=True)
    j, root = agencies.justice, tmp_path / "files"
    _score(db, people["justice"], sheet, j, "2.1", "3")
    appraisal = AppraisalIn(agency_code=j.code, item_code="2.1", points=D("2"))
    with pytest.raises(InvalidInput) as refused:
        scoring.appraise(db, people["council"], sheet, appraisal)
    assert refused.value.message == (f"Bộ chỉ số yêu cầu tài liệu thẩm định: đính kèm tệp cho mục 2.1 của {j.name} "
                                     "trước khi ghi điểm thẩm định.")
    with pytest.raises(Forbidden, match="Hội đồng thẩm định"):  # a unit does not file the council's documents
        _attach(db, people["justice"], sheet, j, "2.1", [Upload("x.pdf", PDF)], stage=Stage.appraisal, root=root)
    _attach(db, people["council"], sheet, j, "2.1", [Upload("bien-ban.pdf", PDF)], stage=Stage.appraisal, root=root)
    row = scoring.appraise(db, people["council"], sheet, appraisal)
    assert row.appraised_points == D("2.00")
    line = next(ln for ln in scoring.unit_sheet(db, sheet, j).lines if ln.item.code == "2.1")
    assert [(f.name, f.stage, f.uploaded_by_name) for f in line.files] == [("bien-ban.pdf", "appraisal",
                                                                            "Hội Đồng Thẩm Định")]


def test_the_api_uploads_lists_downloads_and_submits(client, db, people, agencies, tmp_path):
    sheet, j = _sheet(db, people["council"]), agencies.justice
    justice, finance = factories.bearer(db, people["justice"]), factories.bearer(db, people["finance"])
    council = factories.bearer(db, people["council"])
    db.commit()
    url = f"{API}/score-sheets/{sheet.id}/units/{j.code}/items/1.1/evidence"
    bad = client.post(url, headers=justice, files=[("files", ("x.pdf", b"GIF89a not accepted", "application/pdf"))])
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["title"] == "Tệp “x.pdf”: " + NOT_ACCEPTED
    assert client.get(url, headers=justice).json() == []
    other = client.post(url, headers=finance, files=[("files", ("a.pdf", PDF, "application/pdf"))])
    assert other.status_code == 403

    created = client.post(url, headers=justice, data={"stage": "self"},
                          files=[("files", ("Kế hoạch CCHC.pdf", PDF, "application/pdf")),
                                 ("files", ("anh.png", PNG, "image/png"))])
    assert created.status_code == 201, created.text
    listed = client.get(url, headers=justice).json()
    assert listed == created.json()
    assert [(f["item_code"], f["stage"], f["name"], f["content_type"], f["size"], f["uploaded_by"]) for f in listed] == [
        ("1.1", "self", "Kế hoạch CCHC.pdf", "application/pdf", len(PDF), "Cán Bộ Tư Pháp"),
        ("1.1", "self", "anh.png", "image/png", len(PNG), "Cán Bộ Tư Pháp")]
    download = client.get(listed[0]["url"], headers=justice)
    assert (download.status_code, download.content, download.headers["content-type"],
            download.headers["x-content-type-options"]) == (200, PDF, "application/pdf", "nosniff")
    assert client.get(listed[0]["url"], headers=council).content == PDF  # the Department sees every unit
    # Another unit's officer: neither the file, nor the list, nor the page's link.
    hidden = client.get(listed[0]["url"], headers=finance)
    assert hidden.status_code == 404 and hidden.json()["title"] == "Không tìm thấy tài liệu kiểm chứng."
    assert client.get(url, headers=finance).status_code == 404
    assert client.get(f"{ADMIN}/tai-lieu/{listed[0]['id']}", headers=finance).status_code == 404

    submit = f"{API}/score-sheets/{sheet.id}/units/{j.code}/submission"
    refused = client.post(submit, headers=justice)
    assert refused.status_code == 409 and refused.json()["title"] == (
        f"Chưa gửi thẩm định được bảng tự chấm của {j.name}: các mục cần tài liệu kiểm chứng chưa có tệp đính kèm: "
        "1.2; các mục chưa tự chấm điểm: 1.1, 1.2, 2.1.")
    client.post(url.replace("/1.1/", "/1.2/"), headers=justice, files=[("files", ("bc.pdf", PDF, "application/pdf"))])
    for code, points in (("1.1", "2"), ("1.2", "1.5"), ("2.1", "2.75")):
        assert client.post(f"{API}/score-sheets/{sheet.id}/self-scores", headers=justice,
                           json={"agency_code": j.code, "item_code": code, "points": points}).status_code == 200
    sent = client.post(submit, headers=justice)
    assert sent.status_code == 201 and sent.json()["submitted_by"] == "Cán Bộ Tư Pháp"
    unit = client.get(f"{API}/score-sheets/{sheet.id}/unit-sheet", params={"agency": j.code}, headers=justice).json()
    assert unit["submitted_at"] == sent.json()["submitted_at"]
    assert [(ln["code"], [f["name"] for f in ln["files"]]) for ln in unit["lines"]] == [
        ("1", []), ("1.1", ["Kế hoạch CCHC.pdf", "anh.png"]), ("1.2", ["bc.pdf"]), ("2", []), ("2.1", []), ("3", []),
        ("3.1", [])]
    late = client.post(url, headers=justice, files=[("files", ("them.pdf", PDF, "application/pdf"))])
    assert late.status_code == 409 and len(client.get(url, headers=justice).json()) == 2


def test_the_sheet_page_attaches_shows_and_submits(client, db, people, agencies):
    sheet, j = _sheet(db, people["council"]), agencies.justice
    db.commit()
    signed_in(client, "t_stp")
    url = f"{ADMIN}/{sheet.id}"
    page = client.get(url, params={"don_vi": j.code})
    assert "Chưa gửi bảng tự chấm để thẩm định." in page.text
    base = {"csrf_token": csrf_from(page.text), "agency_code": j.code, "evidence_item": "1.1", "stage": "self"}
    bad = client.post(f"{url}/tai-lieu", data=base, files=[("files", ("sai.pdf", b"plain text", "application/pdf"))])
    assert bad.status_code == 422
    assert shown_errors(bad.text)[0] == {"files": NOT_ACCEPTED}
    assert form_fields(bad.text, f"{url}/tai-lieu")["evidence_item"] == "1.1"  # what was typed stays
    assert _count(db) == 0
    wrong_item = client.post(f"{url}/tai-lieu", data=base | {"evidence_item": "9.9"},
                             files=[("files", ("ke-hoach.pdf", PDF, "application/pdf"))])
    assert shown_errors(wrong_item.text)[0] == {"evidence_item": "Không có mục chấm điểm 9.9."}
    saved = client.post(f"{url}/tai-lieu", data=base, files=[("files", ("ke-hoach.pdf", PDF, "application/pdf"))],
                        follow_redirects=False)
    assert saved.status_code == 303
    [ev] = db.scalars(select(ScoreEvidence)).all()
    page = client.get(url, params={"don_vi": j.code})
    assert f'<a href="{ADMIN}/tai-lieu/{ev.id}">ke-hoach.pdf</a>' in page.text
    assert client.get(f"{ADMIN}/tai-lieu/{ev.id}").content == PDF
    refused = client.post(f"{url}/gui-tham-dinh", data={"csrf_token": csrf_from(page.text), "agency_code": j.code})
    assert refused.status_code == 409
    assert ("các mục cần tài liệu kiểm chứng chưa có tệp đính kèm: 1.2; các mục chưa tự chấm điểm: 1.1, 1.2, 2.1."
            in refused.text)
    assert submission_of(db, sheet.id, j.id) is None


def test_the_unit_sheet_files_count_the_evidence_per_item(client, db, people, agencies, tmp_path, settings):
    sheet, j = _scored(db, people, agencies), agencies.justice
    sheet = scoring.get_sheet(db, sheet.id)
    _attach(db, people["justice"], sheet, j, "1.2", [Upload("bc-1.pdf", PDF), Upload("bc-2.png", PNG)],
            root=settings.storage_dir)
    db.commit()
    signed_in(client, "t_snv")
    rows = _rows(client.get(f"{ADMIN}/{sheet.id}/bang-diem.xlsx", params={"don_vi": j.code}).content)
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Mục")
    assert rows[header][7] == "Số tệp kiểm chứng"
    assert [(r[0], r[7]) for r in rows[header + 1:-1]] == [("1", None), ("1.1", 0), ("1.2", 2), ("2", None),
                                                           ("2.1", 0), ("3", None), ("3.1", 0)]
    assert (rows[-1][1], rows[-1][7]) == ("Tổng điểm", 2)
    lines = pdf_lines(client.get(f"{ADMIN}/{sheet.id}/bang-diem.pdf", params={"don_vi": j.code}).content)
    assert any(ln.startswith("1.2 Báo cáo CCHC 1,5 1,5 1,5") and ln.endswith(" 2") for ln in lines)
    assert any(ln.startswith("Tổng điểm 10,5 6,5 3,5 8") for ln in lines)
