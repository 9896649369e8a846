"""The unit's pages of issue 14 left from the first branches: management reviews (plan, record
held with inputs and decisions), yearly objective targets beside the measured objectives, and
the unit's six-monthly report exported as XLSX and PDF with the page's figures. Who may do what
is the services' (the unit's secretary records, the Department of Science and Technology reads)."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from motcua.core.clock import frozen
from motcua.org.models import Agency
from motcua.quality import audits, objectives, units
from motcua.quality.audit_schemas import (
    ActionIn,
    AuditHeldIn,
    AuditPlanIn,
    FindingIn,
    ReviewHeldIn,
    ReviewPlanIn,
    TargetIn,
)
from motcua.quality.enums import UnitEventKind
from motcua.quality.models import (
    InternalAudit,
    ManagementReview,
    ObjectiveTarget,
    QualityScopeItem,
    QualityUnit,
)
from motcua.ratings import service as ratings
from motcua.ratings.enums import RatingChannel
from motcua.ratings.inputs import parse_rating
from tests import factories
from tests.documents.pdfutil import pdf_text
from tests.factories import local
from tests.html_forms import csrf_from, form_fields, shown_errors, signed_in
from tests.needs import require_tool
from tests.quality.audit_world import build, unit
from tests.ratings.conftest import ANSWERS
from tests.reports.conftest import LOOK_AT, history  # noqa: F401 (the known June 2027 history)


def test_a_secretary_plans_and_records_a_management_review_through_the_pages(client, db):
    w = build(db)
    factories.account(db, "tk_xd", "quality_secretary", agency=w.a)
    factories.account(db, "tk_xa", "quality_secretary", agency=w.b)
    factories.account(db, "cv_khcn", "specialist", agency=w.dept_agency)
    db.commit()
    unit_url = f"/chat-luong/don-vi/{w.a.code}"
    reviews_url = f"{unit_url}/xem-xet"
    with frozen(local(2027, 6, 10, 9)):
        signed_in(client, "tk_xd")
        assert f'href="{reviews_url}"' in client.get(unit_url).text  # reachable from the unit page
        token = csrf_from(client.get(reviews_url).text)
        refused = client.post(reviews_url, data={"csrf_token": token, "planned_on": "31/02/2027"})
        assert refused.status_code == 422
        at_fields, _ = shown_errors(refused.text)
        assert set(at_fields) == {"planned_on"} and "Ngày họp dự kiến" in refused.text
        assert form_fields(refused.text, reviews_url)["planned_on"] == "31/02/2027"
        assert db.query(ManagementReview).filter_by(unit_id=w.unit_a.id).count() == 0
        r = client.post(reviews_url, data={"csrf_token": token, "planned_on": "20/06/2027"}, follow_redirects=False)
        assert r.status_code == 303
        review_url = r.headers["location"]
        page = client.get(review_url).text
        assert "20/06/2027" in page and "Ghi biên bản họp" in page
    typed = {"csrf_token": token, "held_on": "21/06/2027", "chaired_by": "Phạm Văn Lãnh Đạo",
             "input_objectives": "Tỷ lệ đúng hạn 83,3 %, chưa đạt 90 %",
             "input_audit_results": "1 điểm không phù hợp về sổ theo dõi", "input_risks": "",
             "decisions": "Bổ sung 1 cán bộ một cửa\n\nSửa mẫu sổ theo dõi trước 30/07/2027\n"}
    with frozen(local(2027, 6, 20, 16)):
        # The day typed is tomorrow: refused, everything typed is back in the form.
        refused = client.post(review_url, data=typed)
        assert refused.status_code == 422 and "Ngày họp không được sau hôm nay." in refused.text
        again = form_fields(refused.text, review_url)
        assert again["chaired_by"] == "Phạm Văn Lãnh Đạo"
        assert again["input_objectives"] == "Tỷ lệ đúng hạn 83,3 %, chưa đạt 90 %"
        assert again["decisions"] == typed["decisions"]
        # No input at all: shown at the inputs' group.
        refused = client.post(review_url, data=typed | {"held_on": "20/06/2027", "input_objectives": "",
                                                        "input_audit_results": ""})
        assert refused.status_code == 422 and 'id="inputs-error"' in refused.text
        assert form_fields(refused.text, review_url)["decisions"] == typed["decisions"]
        ok = client.post(review_url, data=typed | {"held_on": "20/06/2027"}, follow_redirects=False)
        assert ok.status_code == 303
        page = client.get(review_url).text
    db.expire_all()
    review = db.query(ManagementReview).filter_by(unit_id=w.unit_a.id).one()
    assert (review.planned_on, review.held_on, review.chaired_by) == (date(2027, 6, 20), date(2027, 6, 20),
                                                                      "Phạm Văn Lãnh Đạo")
    # In the order of clause 9.3.2, the empty box left out; one decision per non-empty line.
    assert review.inputs == [{"topic": "objectives", "note": "Tỷ lệ đúng hạn 83,3 %, chưa đạt 90 %"},
                             {"topic": "audit_results", "note": "1 điểm không phù hợp về sổ theo dõi"}]
    assert review.decisions == ["Bổ sung 1 cán bộ một cửa", "Sửa mẫu sổ theo dõi trước 30/07/2027"]
    assert "Mức độ đạt mục tiêu chất lượng" in page and "Sửa mẫu sổ theo dõi trước 30/07/2027" in page
    assert "Ghi biên bản họp" not in page
    with frozen(local(2027, 6, 21, 9)):
        assert client.post(review_url, data=typed | {"held_on": "20/06/2027"}).status_code == 409  # once
        # Another unit's secretary neither reads nor plans; the Department reads, without forms.
        signed_in(client, "tk_xa")
        assert client.get(reviews_url).status_code == 403
        assert client.get(review_url).status_code == 403
        assert client.post(reviews_url, data={"csrf_token": csrf_from(client.get("/").text),
                                              "planned_on": "01/12/2027"}).status_code == 403
        signed_in(client, "cv_khcn")
        listing = client.get(reviews_url)
        assert listing.status_code == 200 and "Phạm Văn Lãnh Đạo" in listing.text
        assert f'action="{reviews_url}"' not in listing.text
    db.expire_all()
    assert db.query(ManagementReview).count() == 1


def test_targets_are_set_through_the_page_and_shown_beside_the_measured_objectives(client, db, history):  # noqa: F811
    w, d = history.world, history.d
    unit(db, w.dept)  # the test department's system (outside plan 71)
    for key, level in (("early", "very_satisfied"), ("late", "not_satisfied"), ("apology", "satisfied")):
        with frozen(local(2027, 6, 20)):
            ratings.record_rating(db, d[key], parse_rating(ANSWERS | {"satisfaction": level}),
                                  channel=RatingChannel.kiosk)
    bearer = factories.bearer(db, factories.account(db, "tk_tp_thu", "quality_secretary", agency=w.dept))
    khcn = db.scalars(select(Agency).where(Agency.seed_key == "so-khcn")).one()
    factories.account(db, "cv_khcn_mt", "specialist", agency=khcn)
    db.commit()
    url = f"/chat-luong/don-vi/{w.dept.code}/muc-tieu"
    with frozen(local(2027, 6, 30, 20)):  # the year so far: to the end of June
        signed_in(client, "tk_tp_thu")
        page = client.get(url, params={"nam": 2027})
        assert page.status_code == 200 and "Đơn vị chưa đặt chỉ tiêu năm nào." in page.text
        token = csrf_from(page.text)
        refused = client.post(url, data={"csrf_token": token, "year": "2027", "on_time_share_min": "120",
                                         "overdue_max": "0", "satisfaction_min": "90"})
        assert refused.status_code == 422
        at_fields, _ = shown_errors(refused.text)
        assert list(at_fields) == ["on_time_share_min"]
        assert form_fields(refused.text, url) | {"csrf_token": ""} == {
            "csrf_token": "", "year": "2027", "on_time_share_min": "120", "overdue_max": "0", "satisfaction_min": "90"}
        refused = client.post(url, data={"csrf_token": token, "year": "2027"})
        assert refused.status_code == 422 and "Nhập ít nhất một chỉ tiêu." in refused.text
        assert db.query(ObjectiveTarget).count() == 0
        ok = client.post(url, data={"csrf_token": token, "year": "2027", "on_time_share_min": "80",
                                    "overdue_max": "0", "satisfaction_min": "90"}, follow_redirects=False)
        assert ok.status_code == 303 and ok.headers["location"] == f"{url}?nam=2027"
        page = client.get(url, params={"nam": 2027}).text
        # Edit: the form shows the year's targets; saving again replaces them.
        assert form_fields(page, url) | {"csrf_token": ""} == {
            "csrf_token": "", "year": "2027", "on_time_share_min": "80", "overdue_max": "0", "satisfaction_min": "90"}
        # Next year's targets are set ahead; nothing to measure yet.
        client.post(url, data={"csrf_token": token, "year": "2028", "on_time_share_min": "85"})
        ahead = client.get(url, params={"nam": 2028}).text
        assert "Năm 2028 chưa bắt đầu" in ahead
        # The Department reads the figures and targets; it does not set a unit's targets.
        signed_in(client, "cv_khcn_mt")
        seen = client.get(url, params={"nam": 2027}).text
        assert "83,3" in seen and f'action="{url}"' not in seen
        assert client.post(url, data={"csrf_token": csrf_from(seen), "year": "2027",
                                      "on_time_share_min": "50"}).status_code == 403
    rows = re.findall(r"<tr><td>(\d+)</td><th scope=\"row\">([^<]+)</th><td>([^<]*)</td><td>([^<]*)</td>"
                      r"<td>([^<]*)</td></tr>", page)
    # 2027 to 30 June: results D2, D10, D11 early, D8, D3 on time, D1 late; D6 open past its
    # appointment (D9 is due in July); 3 ratings, 2 satisfied.
    assert rows == [
        ("1", "Hồ sơ có kết quả trong kỳ", "6", "", ""),
        ("2", "Hồ sơ giải quyết trước hạn và đúng hạn", "5", "", ""),
        ("3", "Tỷ lệ giải quyết trước hạn và đúng hạn (%)", "83,3", "≥ 80 %", "Đạt"),
        ("4", "Hồ sơ quá hạn cuối kỳ", "1", "≤ 0", "Không đạt"),
        ("5", "Lượt đánh giá mức độ hài lòng", "3", "", ""),
        ("6", "Lượt hài lòng và rất hài lòng", "2", "", ""),
        ("7", "Tỷ lệ hài lòng (%)", "66,7", "≥ 90 %", "Không đạt"),
    ]
    years = re.findall(r"<td><a href=\"[^\"]+\?nam=(\d{4})\">", ahead)
    assert years == ["2028", "2027"]
    db.expire_all()
    assert [(t.year, t.on_time_share_min, t.overdue_max, t.satisfaction_min)
            for t in db.query(ObjectiveTarget).order_by(ObjectiveTarget.year)] == [(2027, 80, 0, 90), (2028, 85, None, None)]
    api = client.get(f"/api/v1/quality/units/{w.dept.code}/targets", headers=bearer).json()
    assert [(t["year"], t["on_time_share_min"], t["overdue_max"], t["satisfaction_min"]) for t in api] == [
        (2028, 85, None, None), (2027, 80, 0, 90)]


def test_the_unit_report_exports_as_xlsx_and_pdf_with_the_page_figures(client, db, history):  # noqa: F811
    w, d = history.world, history.d
    dept_unit = unit(db, w.dept)
    sec = factories.account(db, "tk_bc", "quality_secretary", agency=w.dept)
    for key, level in (("early", "very_satisfied"), ("late", "not_satisfied"), ("apology", "satisfied")):
        with frozen(local(2027, 6, 20)):
            ratings.record_rating(db, d[key], parse_rating(ANSWERS | {"satisfaction": level}),
                                  channel=RatingChannel.kiosk)
    with frozen(local(2027, 6, 22, 16)):
        objectives.set_target(db, sec, dept_unit.id, TargetIn(year=2027, on_time_share_min=80, overdue_max=0,
                                                               satisfaction_min=90))
        audit = audits.plan_audit(db, sec, dept_unit.id, AuditPlanIn(planned_on="22/06/2027", scope="s", auditors="a"))
        audits.record_held(db, sec, audit.id, AuditHeldIn(held_on="22/06/2027", summary="s"))
        nc = audits.add_finding(db, sec, audit.id, FindingIn(kind="nonconformity", description="d", root_cause="r"))
        audits.add_action(db, sec, nc.id, ActionIn(description="a", owner="o", due_on="29/06/2027"))
        review = audits.plan_review(db, sec, dept_unit.id, ReviewPlanIn(planned_on="22/06/2027"))
        audits.record_review(db, sec, review.id, ReviewHeldIn(held_on="22/06/2027", chaired_by="c",
                                                              inputs=[{"topic": "risks", "note": "n"}], decisions=["d"]))
    token = factories.bearer(db, sec)
    db.commit()
    url = f"/chat-luong/don-vi/{w.dept.code}/bao-cao"
    params = {"loai": "half", "nam": 2027, "ky": 1}
    with frozen(LOOK_AT):
        signed_in(client, "tk_bc")
        page = client.get(url, params=params)
        assert page.status_code == 200
        assert f'href="{url}.xlsx?loai=half&amp;nam=2027&amp;ky=1"' in page.text
        xlsx = client.get(f"{url}.xlsx", params=params)
        pdf = client.get(f"{url}.pdf", params=params)
        api_xlsx = client.get(f"/api/v1/quality/units/{w.dept.code}/report.xlsx",
                              params={"kind": "half", "year": 2027, "number": 1}, headers=token)
    assert xlsx.status_code == 200 and pdf.status_code == 200
    assert xlsx.headers["content-disposition"] == f'attachment; filename="iso-{w.dept.code}-20270101-20270630.xlsx"'
    assert pdf.headers["content-type"] == "application/pdf"
    page_rows = [(n, label, *values) for n, label, values in (
        (m.group(1), m.group(2), re.findall(r"<td>([^<]*)</td>", m.group(3))) for m in re.finditer(
            r'<tr><td>(\d+)</td><th scope="row">([^<]+)</th>((?:<td>[^<]*</td>)+)</tr>', page.text))]
    expected = [
        ("1", "Hồ sơ có kết quả trong kỳ", "6", "", ""),
        ("2", "Hồ sơ giải quyết trước hạn và đúng hạn", "5", "", ""),
        ("3", "Tỷ lệ giải quyết trước hạn và đúng hạn (%)", "83,3", "≥ 80 %", "Đạt"),
        ("4", "Hồ sơ quá hạn cuối kỳ", "1", "≤ 0", "Không đạt"),
        ("5", "Lượt đánh giá mức độ hài lòng", "3", "", ""),
        ("6", "Lượt hài lòng và rất hài lòng", "2", "", ""),
        ("7", "Tỷ lệ hài lòng (%)", "66,7", "≥ 90 %", "Không đạt"),
        ("1", "Công bố trong kỳ", "0", "", ""),
        ("2", "Đánh giá nội bộ đã thực hiện", "1", "", ""),
        ("3", "Họp xem xét của lãnh đạo", "1", "", ""),
        ("4", "Điểm không phù hợp phát hiện", "1", "", ""),
        ("5", "Điểm không phù hợp chưa đóng", "1", "", ""),
        ("6", "Điểm không phù hợp quá hạn khắc phục", "1", "", ""),  # its action was due 29/06
        ("7", "Thay đổi pháp lý phải cập nhật", "0", "", ""),
        ("8", "Cập nhật theo thay đổi pháp lý chưa xong", "0", "", ""),
        ("9", "Cập nhật quá 3 tháng", "0", "", ""),
    ]
    assert page_rows == expected
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == (f"Báo cáo tình hình áp dụng hệ thống quản lý chất lượng theo TCVN ISO 9001 – "
                                 f"{w.dept.name} – Báo cáo 6 tháng đầu năm 2027 (từ 01/01/2027 đến 30/06/2027)")
    assert [c.value for c in sheet[3]] == ["STT", "Chỉ số", "Kết quả", "Chỉ tiêu", "Đánh giá"]
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert cells[0][:2] == ["I", "Mục tiêu chất lượng"] and cells[8][:2] == ["II", "Duy trì, cải tiến hệ thống"]
    numbered = [row for row in cells if isinstance(row[0], int)]
    # The file keeps numbers as numbers (83.3, not text): shown as the page shows them, they are the page's.
    assert numbered[2][2] == 83.3 and numbered[6][2] == 66.7
    as_page = [tuple("" if v is None else (f"{v}".replace(".", ",") if isinstance(v, float) else str(v)) for v in row)
               for row in numbered]
    assert as_page == expected
    api_cells = [[c.value for c in row] for row in load_workbook(io.BytesIO(api_xlsx.content)).active.iter_rows(min_row=4)]
    assert api_cells == cells  # the API's file is the page's file
    text = pdf_text(pdf.content)
    assert "Kính gửi: Sở Khoa học và Công nghệ." in text
    assert "BÁO CÁO 6 THÁNG ĐẦU NĂM 2027 (TỪ 01/01/2027 ĐẾN 30/06/2027)" in text
    # The PDF's table, row by row (laid out as printed), is the page's.
    printed = [tuple(re.split(r"\s{2,}", line.strip())) for line in pdf_layout(pdf.content).splitlines()
               if re.match(r"\s+\d+\s{2,}", line)]
    assert [tuple("".join(cell.split()) for cell in row) for row in printed] == [
        tuple("".join(cell.split()) for cell in row if cell) for row in expected]


def pdf_layout(pdf: bytes) -> str:
    """The PDF's text laid out as printed (columns kept apart), NFC."""
    out = subprocess.run([require_tool("pdftotext"), "-layout", "-enc", "UTF-8", "-", "-"], input=pdf,
                         capture_output=True, check=True)
    return unicodedata.normalize("NFC", out.stdout.decode("utf-8"))


def test_a_merger_recorded_in_the_org_admin_screen_hands_the_quality_system_over(client, db, agencies):
    # Sở Tư pháp (plan 71 row I.7) merges into Sở Tài chính, both running seeded systems. Its
    # audit of last year stays its own history; its scope moves.
    justice = units.unit_of_agency(db, agencies.justice.id)
    finance = units.unit_of_agency(db, agencies.finance.id)
    assert justice.handed_over_to_id is None and finance is not None
    sec = factories.account(db, "tk_tp_cu", "quality_secretary", agency=agencies.justice)
    covered = [p.id for p in units.implemented_procedures(db, agencies.justice.id)[:2]]
    with frozen(local(2026, 11, 5, 16)):
        assert units.cover(db, sec, justice, covered) == 2
        audits.plan_audit(db, sec, justice.id, AuditPlanIn(planned_on="05/11/2026", scope="Hộ tịch", auditors="a"))
    admin = factories.account(db, "qt_tinh_iso", "province_admin", agency=agencies.province)
    factories.account(db, "tk_tc", "quality_secretary", agency=agencies.finance)
    db.commit()
    with frozen(local(2027, 3, 2, 9)):
        signed_in(client, "qt_tinh_iso")
        url = f"/quan-tri/co-quan/{agencies.justice.code}"
        token = csrf_from(client.get(url).text)
        done = client.post(f"{url}/giai-the", data={"csrf_token": token, "on": "01/03/2027",
                                                    "successor_code": agencies.finance.code})
        assert done.status_code == 200 and "Đã ghi nhận giải thể" in done.text
        old_page = client.get(f"/chat-luong/don-vi/{agencies.justice.code}").text
        new_page = client.get(f"/chat-luong/don-vi/{agencies.finance.code}").text
    db.expire_all()
    justice, finance = db.get(QualityUnit, justice.id), db.get(QualityUnit, finance.id)
    assert (justice.handed_over_to_id, justice.handed_over_on) == (finance.id, date(2027, 3, 1))
    assert [(e.kind, e.actor_id) for e in units.events_of(db, justice) if e.other_unit_id == finance.id] == [
        (UnitEventKind.handed_over, admin.id)]
    assert [(e.kind, e.actor_id) for e in units.events_of(db, finance) if e.other_unit_id == justice.id] == [
        (UnitEventKind.received, admin.id)]
    moved = db.scalars(select(QualityScopeItem.procedure_id).where(QualityScopeItem.unit_id == finance.id,
                                                                   QualityScopeItem.from_unit_id == justice.id))
    assert sorted(moved) == sorted(covered)
    assert f'Cho <a href="/chat-luong/don-vi/{agencies.finance.code}">Sở Tài chính</a> ngày 01/03/2027' in old_page
    assert f'<a href="/chat-luong/don-vi/{agencies.justice.code}">Sở Tư pháp</a> ngày 01/03/2027' in new_page
    # History stays: the audit is still Sở Tư pháp's, and Sở Tài chính's secretary reads it.
    [audit] = db.scalars(select(InternalAudit).where(InternalAudit.unit_id == justice.id)).all()
    with frozen(local(2027, 3, 2, 10)):
        signed_in(client, "tk_tc")
        assert client.get(f"/chat-luong/danh-gia/{audit.id}").status_code == 200
        assert client.get(f"/chat-luong/don-vi/{agencies.justice.code}/xem-xet").status_code == 200
