"""The sample plan transcribed from seed 004, the plan and task API, deadlines as written."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.core.errors import InvalidInput
from motcua.reform.plans import deadline_from_text
from tests import factories


def test_the_sample_plan_is_quang_ninh_2021_with_its_tasks_in_seven_groups(client, db, officer, sample):
    headers = factories.bearer(db, officer)
    plans = client.get("/api/v1/reform/plans", headers=headers).json()
    served = next(p for p in plans if p["id"] == str(sample.id))
    assert (served["year"], served["province"], served["is_sample"]) == (2021, "Quảng Ninh", True)
    assert served["decision"] == "Quyết định số …/QĐ-UBND, tháng 12/2020, của UBND tỉnh Quảng Ninh"
    assert served["decision_date"] is None and len(served["unreadable"]) == 11
    assert served["tasks"] == 23
    assert served["groups"] == {"direction": 7, "institutions": 3, "procedures": 3, "apparatus": 2,
                                "civil_service": 2, "public_finance": 2, "e_government": 4}

    first = client.get(f"/api/v1/reform/plans/{sample.id}/tasks", params={"page_size": 10}, headers=headers).json()
    assert first["total"] == 23 and len(first["items"]) == 10
    task = first["items"][1]
    assert {k: task[k] for k in ("content_group", "title", "lead_unit", "deadline", "deadline_text", "status")} == {
        "content_group": "direction", "title": "Xây dựng Kế hoạch cải cách hành chính tỉnh Quảng Ninh năm 2021",
        "lead_unit": "Sở Nội vụ", "deadline": "2020-12-31", "deadline_text": "Tháng 12/2020", "status": "not_started"}
    last = client.get(f"/api/v1/reform/plans/{sample.id}/tasks", params={"page_size": 10, "page": 3},
                      headers=headers).json()
    assert [t["position"] for t in last["items"]] == [21, 22, 23]
    finance = client.get(f"/api/v1/reform/plans/{sample.id}/tasks", params={"content_group": "public_finance"},
                         headers=headers).json()
    assert finance["total"] == 2 and {t["lead_unit"] for t in finance["items"]} == {"Sở Tài chính"}
    recurring = [t for t in first["items"] + last["items"] if t["deadline_text"] == "Nhiệm vụ thường xuyên"]
    assert recurring and all(t["deadline"] is None and t["overdue"] is False for t in recurring)


def test_the_plans_need_a_signed_in_staff_member(client, db, sample):
    assert client.get("/api/v1/reform/plans").status_code == 401
    outsider = factories.user(db, "t_khach", "Người Không Vai Trò")
    refused = client.get("/api/v1/reform/plans", headers=factories.bearer(db, outsider))
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(("text", "expected"), [
    ("Tháng 12/2020", date(2020, 12, 31)),
    ("Tháng 02/2021", date(2021, 2, 28)),
    ("Quý II/2021", date(2021, 6, 30)),
    ("quý 4/2021", date(2021, 12, 31)),
    ("6 tháng đầu năm 2021", date(2021, 6, 30)),
    ("Năm 2021 và các năm tiếp theo", date(2021, 12, 31)),
    ("15/03/2021", date(2021, 3, 15)),
    ("Tháng 4/2021 (kế hoạch); Tháng 9/2021 (báo cáo)", date(2021, 9, 30)),
    ("Nhiệm vụ thường xuyên", None),
    ("Khi có sự thay đổi về TTHC của Bộ, ngành Trung ương", None),
    ("Theo Văn bản số 6916/UBND-TH4 ngày 09/10/2020 của UBND tỉnh", None),
    ("", None),
])
def test_a_written_deadline_means_a_date(text, expected):
    assert deadline_from_text(text) == expected


def test_an_impossible_deadline_is_refused():
    with pytest.raises(InvalidInput, match="không tồn tại"):
        deadline_from_text("31/02/2021")
