"""The signed-in applicant rates their own dossier after the result on
/cong-dan/ho-so/{code}/danh-gia (sign-in through the national login simulator)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from motcua.dossiers.enums import DossierStatus
from motcua.ratings.models import Rating

# The national login as the citizens' tests set it up (public base URL, VNEID_* variables).
from tests.citizens.test_login import national_login, national_login_env, settings  # noqa: F401
from tests.html_forms import csrf_from, form_fields, shown_errors
from tests.integrations.vneid.fixtures import CITIZEN
from tests.ratings.conftest import ANSWERS, dossier_in


@pytest.fixture
def citizen_client(client, vneid):
    assert national_login(client, vneid, CITIZEN).status_code == 303
    return client


def post(client, code, data):
    token = csrf_from(client.get("/cong-dan/tai-khoan").text)  # the session's token (any page with a form)
    return client.post(f"/cong-dan/ho-so/{code}/danh-gia", data={**data, "csrf_token": token},
                       follow_redirects=False)


def test_the_applicant_rates_once(citizen_client, db, returned):
    path = f"/cong-dan/ho-so/{returned.code}/danh-gia"
    page = citizen_client.get(path)
    token = csrf_from(page.text)
    assert page.status_code == 200
    assert "Hồ sơ được giải quyết so với thời hạn quy định như thế nào?" in page.text
    assert "Chỉ số 7 (Thông tư 01/2018/TT-VPCP)" in page.text and 'value="very_satisfied"' in page.text

    response = post(citizen_client, returned.code, ANSWERS)
    assert (response.status_code, response.headers["location"]) == (303, path)
    shown = citizen_client.get(path).text
    assert "Cảm ơn ông/bà đã đánh giá" in shown and "Ông/bà đã đánh giá hồ sơ này" in shown
    assert "Rất hài lòng" in shown and "Cán bộ hướng dẫn tận tình" in shown
    assert 'id="rating-submit"' not in shown  # no second form

    # A second post (another tab, a replay): refused clearly, the first rating kept.
    again = citizen_client.post(path, data={**ANSWERS, "satisfaction": "not_satisfied",
                                            "csrf_token": token}, follow_redirects=False)
    assert again.status_code == 409
    assert "Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần." in again.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Rating)) == 1
    rating = db.get(Rating, returned.id)
    assert (rating.channel, rating.satisfaction, rating.citizen_id is not None) == ("online", "very_satisfied", True)


def test_an_incomplete_form_comes_back_with_what_was_chosen(citizen_client, returned):
    response = post(citizen_client, returned.code, {"time_score": "1", "comment": "Chờ hơi lâu"})
    assert response.status_code == 422
    assert 'href="#contacts_score"' in response.text and 'href="#satisfaction"' in response.text
    invalid, summary = shown_errors(response.text)
    assert set(invalid) == {"contacts_score", "attitude_score", "satisfaction"}
    assert len(summary) == 3
    typed = form_fields(response.text, f"/cong-dan/ho-so/{returned.code}/danh-gia")
    assert (typed["time_score"], typed["comment"]) == ("1", "Chờ hơi lâu")
    assert "satisfaction" not in typed


def test_not_before_the_result(citizen_client, db, desk):
    dossier = dossier_in(desk, db, DossierStatus.processing)
    page = citizen_client.get(f"/cong-dan/ho-so/{dossier.code}/danh-gia")
    assert page.status_code == 200
    assert "Hồ sơ chưa có kết quả giải quyết: chỉ có thể đánh giá sau khi có kết quả." in page.text
    assert 'id="rating-submit"' not in page.text
    response = post(citizen_client, dossier.code, ANSWERS)
    assert response.status_code == 409
    assert db.scalar(select(func.count()).select_from(Rating)) == 0


def test_only_the_applicant(citizen_client, db, desk):
    other = dossier_in(desk, db, DossierStatus.returned, id_number="001099000777")
    for code in (other.code, "KHONG-CO"):
        page = citizen_client.get(f"/cong-dan/ho-so/{code}/danh-gia")
        assert page.status_code == 404
        assert "Không tìm thấy hồ sơ mang mã này trong các hồ sơ của ông/bà." in page.text
    assert post(citizen_client, other.code, ANSWERS).status_code == 404
    assert db.scalar(select(func.count()).select_from(Rating)) == 0


def test_signed_out_goes_to_the_national_login(client, returned):
    response = client.get(f"/cong-dan/ho-so/{returned.code}/danh-gia", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/cong-dan/dang-nhap")


def test_the_citizens_dossier_page_leads_to_the_rating(citizen_client, db, desk, returned):
    """«Hồ sơ của tôi» shows the way to rate once the result is out, the rating once given,
    and nothing before the result."""
    page = f"/cong-dan/ho-so/{returned.code}"
    rate = f'href="/cong-dan/ho-so/{returned.code}/danh-gia"'
    shown = citizen_client.get(page).text
    assert rate in shown and "Đánh giá việc giải quyết hồ sơ" in shown
    assert post(citizen_client, returned.code, ANSWERS).status_code == 303
    shown = citizen_client.get(page).text
    assert rate in shown and "Đã đánh giá — xem đánh giá" in shown
    running = dossier_in(desk, db, DossierStatus.processing)
    shown = citizen_client.get(f"/cong-dan/ho-so/{running.code}").text
    assert "/danh-gia" not in shown and 'id="danh-gia"' not in shown
