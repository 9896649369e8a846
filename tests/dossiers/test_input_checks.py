"""Input limits and identity-number checks (issue 16), the same on the counter page and in the
API (one input model, dossiers/schemas.py), and every refused field shown at once, at its
field, with what was typed kept."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from motcua.dossiers.identity import normal_id_number
from motcua.dossiers.models import Dossier
from motcua.dossiers.schemas import NAME_MAX
from tests.documents.conftest import ENTERED_BASIS, PROCEDURE, login
from tests.dossiers.test_inputs import bearer, counter_form
from tests.html_forms import form_fields, shown_errors

ID_FORMAT = "không đúng định dạng: cần số căn cước (12 chữ số), chứng minh nhân dân cũ (9 chữ số) hoặc hộ chiếu"


@pytest.mark.parametrize(("kind", "typed", "stored"), [
    ("person", "001234567890", "001234567890"),  # citizen ID (CCCD)
    ("person", "001 234 567 890", "001234567890"),  # typed in groups
    ("person", "012345678", "012345678"),  # old ID card (CMND)
    ("person", "c1234567", "C1234567"),  # passport
    ("organisation", "0101234567", "0101234567"),  # tax code
    ("organisation", "0101234567-001", "0101234567-001"),  # a branch's 13-digit code, as written
    ("organisation", "0101234567001", "0101234567-001"),  # the same, typed plain
    (None, "0101234567", "0101234567"),  # kind unknown: any known shape
    (None, "001234567890", "001234567890"),
])
def test_identity_numbers_accepted(kind, typed, stored):
    assert normal_id_number(typed, kind) == stored


@pytest.mark.parametrize(("kind", "typed"), [
    ("person", "12ab"), ("person", "0012345678901"), ("person", "12345678"), ("person", "CC1234567"),
    ("person", "0101234567"),  # a tax code is not a person's identity number
    ("organisation", "001234567890"), ("organisation", "0101234567-01"), ("organisation", "0101234567/001"),
])
def test_identity_numbers_refused(kind, typed):
    with pytest.raises(ValueError, match="Số định danh .* không đúng định dạng"):
        normal_id_number(typed, kind)


def _api_body(org, **applicant) -> dict:
    return {"procedure_code": PROCEDURE, "agency_code": org.justice.code, "receiving_unit_code": org.centre.code,
            "applicant": {"kind": "person", "full_name": "Hà Thị Lan", **applicant},
            "components": [{"name": "Tờ khai"}], "time_limit_days": 3, "time_limit_basis": ENTERED_BASIS}


def test_api_refuses_a_bad_id_number_and_a_long_name_with_vietnamese_messages(client, db, staff, org):
    before = db.scalar(select(func.count()).select_from(Dossier))
    answer = client.post("/api/v1/dossiers", json=_api_body(org, full_name="A" * (NAME_MAX + 1), id_number="12ab"),
                         headers=bearer(db, staff.counter))
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    errors = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert errors["applicant.full_name"] == "Không được quá 200 ký tự."
    assert errors["applicant.id_number"].startswith(f"Số định danh “12ab” {ID_FORMAT}")
    assert db.scalar(select(func.count()).select_from(Dossier)) == before


def test_api_stores_a_13_digit_tax_code_written_with_its_hyphen(client, db, staff, org):
    body = _api_body(org, kind="organisation", full_name="Công ty TNHH Thử Nghiệm", id_number="0101234567001")
    answer = client.post("/api/v1/dossiers", json=body, headers=bearer(db, staff.counter))
    assert answer.status_code == 201, answer.text
    assert answer.json()["applicant"]["id_number"] == "0101234567-001"


def test_the_counter_shows_every_error_at_its_field_at_once_and_keeps_the_typing(client, db, staff, org):
    login(client, "tn.quay")
    before = db.scalar(select(func.count()).select_from(Dossier))
    long_name = "Nguyễn Thị " + "Hoa" * 70
    address = "Số 12 đường Trần Đăng Ninh, phường Tam Thanh, tỉnh Lạng Sơn"
    form = counter_form(client, org, full_name=long_name, id_number="12ab", fees="mười nghìn", address=address,
                        phone="0912345678")
    page = client.post("/quay", data=form)

    assert page.status_code == 422
    at_fields, summary = shown_errors(page.text)
    assert at_fields == {
        "full_name": "Không được quá 200 ký tự.",
        "id_number": f"Số định danh “12ab” {ID_FORMAT} (1 chữ cái và 7 chữ số).",
        "fees": "Phải là số nguyên.",
    }
    assert summary == [f"Người nộp hồ sơ — Họ và tên (tên tổ chức): {at_fields['full_name']}",
                       f"Người nộp hồ sơ — Số định danh: {at_fields['id_number']}",
                       "Phí, lệ phí: Phải là số nguyên."]
    # Everything typed is back in the inputs the browser will send again.
    again = form_fields(page.text, "/quay")
    for name in ("full_name", "id_number", "fees", "address", "phone", "extra-0-name", "time_limit_days",
                 "time_limit_basis", "idempotency_key"):
        assert again[name] == form[name], name
    assert db.scalar(select(func.count()).select_from(Dossier)) == before

    # Corrected, the same form goes through.
    fixed = {**again, "full_name": "Nguyễn Thị Hoa", "id_number": "020190009999", "fees": "8.000"}
    done = client.post("/quay", data=fixed, follow_redirects=False)
    assert done.status_code == 303, done.text[:2000]
    assert db.scalar(select(func.count()).select_from(Dossier)) == before + 1


def test_the_counter_form_carries_the_limits_as_maxlength(client, staff, org):
    login(client, "tn.quay")
    page = client.get("/quay", params={"ma_tt": PROCEDURE}).text
    assert 'name="full_name" value="" required maxlength="200"' in page
    assert 'name="address" value="" maxlength="300"' in page
