"""Pages: the roadmap with plan 34's commune targets, the register of units, a unit's
page, and a secretary and head keeping a controlled document through the forms."""

import re

from tests import factories
from tests.html_forms import csrf_from, form_fields, signed_in


def test_roadmap_page_shows_plans_71_and_34(client):
    page = client.get("/chat-luong/lo-trinh")
    assert page.status_code == 200
    text = page.text
    assert "Năm 2018: 50 đơn vị cấp xã" in text and "Năm 2019: 42 đơn vị cấp xã" in text
    assert "Đến hết năm 2020: ít nhất 70% đơn vị cấp xã" in text
    years = re.findall(r"<tr><td>(20\d\d)</td><td>(\d+)</td>", text)
    assert years == [("2018", "33"), ("2019", "45"), ("2020", "41")]
    assert "Quý II/2018" in text and "3.060.000.000" in text


def test_units_register_and_a_unit_page(client, agencies):
    page = client.get("/chat-luong/don-vi", params={"nhom": "VI"})
    assert page.status_code == 200 and "23 đơn vị." in page.text
    unit = client.get(f"/chat-luong/don-vi/{agencies.justice.code}")
    assert unit.status_code == 200
    assert "Nhóm I (dòng I.7), năm 2018" in unit.text and "Tài liệu của hệ thống" not in unit.text
    merged = client.get("/chat-luong/don-vi/000.00.11.H37")
    assert "Sở Nông nghiệp và Môi trường" in merged.text and "Bàn giao hệ thống cho đơn vị kế thừa" in merged.text
    assert client.get("/chat-luong/don-vi/000.00.00.X99").status_code == 404


def test_a_secretary_drafts_and_the_head_approves_a_document(client, db, agencies):
    factories.account(db, "tk_tp", "quality_secretary", agency=agencies.justice)
    factories.account(db, "ld_tp", "head", agency=agencies.justice)
    db.commit()
    unit_url = f"/chat-luong/don-vi/{agencies.justice.code}"
    signed_in(client, "tk_tp")
    token = csrf_from(client.get(unit_url).text)
    refused = client.post(f"{unit_url}/tai-lieu", data={"csrf_token": token, "kind": "policy", "code": "", "title": "Chính sách"})
    assert refused.status_code == 422 and 'value="Chính sách"' in refused.text
    created = client.post(f"{unit_url}/tai-lieu", data={"csrf_token": token, "kind": "policy", "code": "CSCL",
                                                        "title": "Chính sách chất lượng"}, follow_redirects=False)
    assert created.status_code == 303
    doc_url = created.headers["location"]
    drafted = client.post(f"{doc_url}/phien-ban", data={"csrf_token": token, "content": "Cam kết phục vụ",
                                                        "distribution": "Lãnh đạo Sở\nVăn phòng Sở"}, follow_redirects=True)
    assert "Dự thảo" in drafted.text and "Lãnh đạo Sở, Văn phòng Sở" in drafted.text
    assert "Phê duyệt, ban hành" not in drafted.text
    signed_in(client, "ld_tp")
    page = client.get(doc_url)
    bad = client.post(f"{doc_url}/phe-duyet", data={"csrf_token": csrf_from(page.text), "effective_from": "31/02/2026"})
    assert bad.status_code == 422 and "Ngày hiệu lực không hợp lệ" in bad.text and 'value="31/02/2026"' in bad.text
    done = client.post(f"{doc_url}/phe-duyet", data={"csrf_token": csrf_from(page.text), "effective_from": "05/01/2026"},
                       follow_redirects=True)
    assert "Đang có hiệu lực: lần ban hành 1, từ 05/01/2026." in done.text


def test_the_department_records_a_roadmap_activity(client, db, people):
    factories.account(db, "cv_khcn", "specialist", agency=people.khcn)
    db.commit()
    assert "Ghi nhận nội dung đã thực hiện" not in client.get("/chat-luong/lo-trinh").text
    signed_in(client, "cv_khcn")
    page = client.get("/chat-luong/lo-trinh")
    token = csrf_from(page.text)
    refused = client.post("/chat-luong/lo-trinh/da-thuc-hien", data={"csrf_token": token, "source_row": "II.3", "on": "hôm qua"})
    assert refused.status_code == 422 and "Ngày thực hiện không hợp lệ" in refused.text
    done = client.post("/chat-luong/lo-trinh/da-thuc-hien", data={"csrf_token": token, "source_row": "II.3", "on": "14/06/2019"},
                       follow_redirects=True)
    assert "Đã thực hiện 14/06/2019" in done.text


def test_a_refused_form_does_not_blank_the_systems_details(client, db, agencies):
    """A refused announcement comes back with what was typed in it, and the details form beside it
    still shows the unit's recorded consultant, budget and leader (not the empty announcement post)."""
    factories.account(db, "tk_tp", "quality_secretary", agency=agencies.justice)
    db.commit()
    signed_in(client, "tk_tp")
    url = f"/chat-luong/don-vi/{agencies.justice.code}"
    token = csrf_from(client.get(url).text)
    saved = client.post(f"{url}/thong-tin", data={"csrf_token": token, "consultant": "Công ty Tư vấn ISO Lạng Sơn",
                                                   "budget_vnd": "30000000", "leader_name": "Phó Giám đốc Sở"},
                        follow_redirects=False)
    assert saved.status_code == 303
    refused = client.post(f"{url}/cong-bo", data={"csrf_token": token, "number": "12/QĐ-STP", "on": "31/02/2026"})
    assert refused.status_code == 422
    fields = form_fields(refused.text, f"{url}/thong-tin")
    assert (fields["consultant"], fields["budget_vnd"], fields["leader_name"]) == (
        "Công ty Tư vấn ISO Lạng Sơn", "30000000", "Phó Giám đốc Sở")
    assert form_fields(refused.text, f"{url}/cong-bo")["number"] == "12/QĐ-STP"
