"""The population lookup through the API against the LGSP simulator over real HTTP: the counter
form's prefill, a handler's check of a dossier, the access-log row written with each (who,
when, whose number, which dossier, why, outcome), failures answered in Vietnamese with their
row still committed, and refusals for roles out of scope that reach no system."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from motcua.core import clock
from motcua.population.models import PopulationLookup
from tests import factories
from tests.dossiers.world import build_world, receive
from tests.html_forms import signed_in
from tests.pg_harness import free_port

URL = "/api/v1/population/lookups"
HUONG = "020192004567"
AT = datetime(2026, 12, 2, 2, 30, tzinfo=UTC)  # 09:30 in Lạng Sơn


@pytest.fixture
def world(db):
    return build_world(db)


def rows(db) -> list[PopulationLookup]:
    db.expire_all()
    return list(db.scalars(select(PopulationLookup).order_by(PopulationLookup.at, PopulationLookup.id)))


def at_counter(client, db, world, id_number: str, user=None):
    headers = factories.bearer(db, user or world.counter)
    db.commit()
    with clock.frozen(AT):
        return client.post(URL, json={"id_number": id_number, "purpose": "counter_prefill",
                                      "unit_id": str(world.centre.id)}, headers=headers)


def test_the_counter_form_is_prefilled_and_the_lookup_logged(client, db, world, lgsp_env):
    response = at_counter(client, db, world, "020 192 004 567")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["prefill"] == {"applicant_kind": "person", "full_name": "Lộc Thị Hương", "id_number": HUONG,
                               "address": "Số 45 đường Lê Lợi, Phường Lương Văn Tri, Lạng Sơn"}
    assert body["citizen"]["birth_date"] == "21/05/1992" and body["citizen"]["sex"] == "Nữ"
    assert body["citizen"]["permanent_address"]["commune_name"] == "Xã Đồng Đăng"
    assert body["outcome"] == "found"
    (row,) = rows(db)
    assert (row.id, row.user_id, row.username, row.user_name, row.at) == (
        uuid.UUID(body["lookup_id"]), world.counter.id, "t_motcua", "Nguyễn Thị Một Cửa", AT)
    assert (row.agency_id, row.id_number, row.dossier_ref_id, row.dossier_code, row.purpose, row.outcome,
            row.message) == (world.centre.id, HUONG, None, None, "counter_prefill", "found", None)
    (sent,) = lgsp_env.lookups()
    assert (sent["SoDinhDanh"], sent["NguoiTraCuu"], sent["DonViTraCuu"], sent["MaHoSo"], sent["MucDich"]) == (
        HUONG, "t_motcua", world.centre.code, "", "Tiếp nhận hồ sơ tại quầy: điền thông tin người nộp")


def test_a_handler_checks_a_dossier_and_the_row_names_the_dossier(client, db, world, lgsp_env):
    dossier = receive(db, world)
    headers = factories.bearer(db, world.specialist)
    db.commit()
    with clock.frozen(AT):
        response = client.post(URL, json={"id_number": "020070009876", "purpose": "dossier_check",
                                          "dossier_id": str(dossier.id)}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["citizen"]["birth_date"] == "1970"
    (row,) = rows(db)
    assert (row.user_id, row.agency_id, row.dossier_ref_id, row.dossier_code, row.purpose, row.at) == (
        world.specialist.id, world.dept.id, dossier.id, dossier.code, "dossier_check", AT)
    assert lgsp_env.lookups()[0]["MaHoSo"] == dossier.code


def test_an_unknown_citizen_is_404_in_vietnamese_and_logged(client, db, world, lgsp_env):
    response = at_counter(client, db, world, "020199999999")
    assert response.status_code == 404
    problem = response.json()
    assert problem["title"] == "Cơ sở dữ liệu quốc gia về dân cư không có công dân mang số định danh 020199999999."
    assert problem["code"] == "population_not_found" and problem["detail"]["outcome"] == "not_found"
    (row,) = rows(db)
    assert (str(row.id), row.outcome, row.message) == (problem["detail"]["lookup_id"], "not_found", problem["title"])


def test_a_platform_that_is_down_is_502_in_vietnamese_and_logged(client, db, world, lgsp_env, monkeypatch):
    lgsp_env.fault("http", "503", service="TraCuuThongTinCongDan", times=-1)
    response = at_counter(client, db, world, HUONG)
    assert response.status_code == 502
    assert response.json()["title"] == ("Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP) trả lỗi HTTP 503 khi "
                                        "tra cứu Cơ sở dữ liệu quốc gia về dân cư.")
    monkeypatch.setenv("LGSP_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    response = at_counter(client, db, world, HUONG)
    assert response.status_code == 502
    assert response.json()["title"].startswith("Không kết nối được Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP)")
    assert [(r.outcome, r.id_number) for r in rows(db)] == [("unavailable", HUONG)] * 2


def test_a_refusal_by_the_platform_is_403_and_logged(client, db, world, lgsp_env):
    lgsp_env.fault("error_code", "403", service="TraCuuThongTinCongDan")
    response = at_counter(client, db, world, HUONG)
    assert response.status_code == 403
    assert response.json()["code"] == "population_not_permitted"
    assert [r.outcome for r in rows(db)] == ["not_permitted"]


def test_roles_out_of_scope_are_refused_before_any_call(client, db, world, lgsp_env):
    dossier = receive(db, world)
    # a clerk of the competent department handles no dossier data; the other commune's
    # officers are out of scope; a counter officer of another unit cannot use this counter
    cases = [(world.clerk, {"purpose": "dossier_check", "dossier_id": str(dossier.id)}),
             (world.outsider, {"purpose": "dossier_check", "dossier_id": str(dossier.id)}),
             (world.counter_commune, {"purpose": "counter_prefill", "unit_id": str(world.centre.id)})]
    for user, context in cases:
        headers = factories.bearer(db, user)
        db.commit()
        response = client.post(URL, json={"id_number": HUONG} | context, headers=headers)
        assert response.status_code == 403, (user.username, response.text)
        assert response.json()["title"] in {
            "Chỉ công chức Bộ phận Một cửa và người giải quyết hồ sơ của cơ quan có thẩm quyền được tra cứu "
            "Cơ sở dữ liệu quốc gia về dân cư.",
            f"Chỉ công chức Bộ phận Một cửa của {world.centre.name} được tra cứu Cơ sở dữ liệu quốc gia về dân cư "
            "tại quầy này."}
    assert rows(db) == [] and lgsp_env.calls() == []


def test_bad_input_is_422_in_vietnamese_without_a_call(client, db, world, lgsp_env):
    response = at_counter(client, db, world, "12345")
    assert response.status_code == 422
    assert response.json()["title"] == "Số định danh cá nhân phải gồm đúng 12 chữ số (số căn cước, căn cước công dân)."
    headers = factories.bearer(db, world.counter)
    db.commit()
    missing = client.post(URL, json={"id_number": HUONG, "purpose": "counter_prefill"}, headers=headers)
    assert missing.status_code == 422 and "unit_id" in missing.text
    assert rows(db) == [] and lgsp_env.calls() == []


def test_the_counter_page_calls_it_with_its_session_and_csrf_header(client, db, agencies, lgsp_env):
    factories.account(db, "quay-ls", "counter_officer", agency=agencies.centre)
    db.commit()
    signed_in(client, "quay-ls")
    page = client.get("/quay")
    token = page.text.split('"X-CSRF-Token": "', 1)[1].split('"', 1)[0]
    body = {"id_number": HUONG, "purpose": "counter_prefill", "unit_id": str(agencies.centre.id)}
    assert client.post(URL, json=body).status_code == 403  # a cookie without the header is refused
    response = client.post(URL, json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 200, response.text
    assert [r.username for r in rows(db)] == ["quay-ls"]


def test_the_dossier_page_offers_the_check_for_a_citizen_only(client, db, world):
    person = receive(db, world)
    organisation = receive(db, world)
    organisation.applicant_kind, organisation.applicant_id_number = "organisation", "4900123456"
    factories.account(db, "cv-doichieu", "specialist", agency=world.dept)
    db.commit()
    signed_in(client, "cv-doichieu")
    page = client.get(f"/ho-so/{person.id}")
    assert page.status_code == 200
    assert (f'data-dossier-id="{person.id}" data-id-number="012345678901">Đối chiếu số định danh 012345678901'
            in page.text)
    assert 'id="population-check"' not in client.get(f"/ho-so/{organisation.id}").text
