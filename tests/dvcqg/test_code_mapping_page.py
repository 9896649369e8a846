"""The administrator page mapping local procedures to national codes: suggestions from the
national list the worker's job pulled from the simulator (live HTTP), a confirmation that
stores the pair, refusals shown again with what was typed, unmapping, and who may do it."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from motcua.auth.roles import Role
from motcua.catalog.models import NationalCode
from motcua.dvcqg.jobs import refresh_national_list
from motcua.dvcqg.models import NationalProcedureRecord
from motcua.integrations.dvcqg.config import DvcqgSettings
from motcua.org import service as org_service
from tests import factories
from tests.dvcqg.test_catalog_sync import MARRIAGE, local
from tests.html_forms import csrf_from, signed_in
from tests.integrations.dvcqg.fixtures import PASSWORD

PAGE = "/quan-tri/thu-tuc/ma-quoc-gia"


def sign_in_admin(db, client, role: Role = Role.province_admin) -> None:
    factories.account(db, "qt-ma", role, agency=org_service.get_agency_by_code(db, "000.00.00.H37"))
    db.commit()
    signed_in(client, "qt-ma")


def pull_national_list(session_factory, simulator, monkeypatch) -> str:
    monkeypatch.setenv("MOTCUA_DVCQG_ADAPTER_URL", simulator.url)
    monkeypatch.setenv("MOTCUA_DVCQG_PASSWORD", PASSWORD)
    return refresh_national_list(session_factory)


def mapping_of(db, procedure) -> NationalCode | None:
    db.expire_all()
    return db.scalar(select(NationalCode).where(NationalCode.procedure_id == procedure.id))


def test_the_job_pulls_the_list_and_the_page_suggests_then_confirms(db, client, session_factory, simulator,
                                                                      monkeypatch):
    assert pull_national_list(session_factory, simulator, monkeypatch) == "đã tải danh mục thủ tục quốc gia lần đầu"
    assert db.scalar(select(func.count()).select_from(NationalProcedureRecord)) == 400
    assert [c["service"] for c in simulator.calls()].count("LayDanhSachTTHC") == 1
    marriage = local(db, "Đăng ký kết hôn")
    sign_in_admin(db, client)

    page = client.get(PAGE, params={"q": "đăng ký kết hôn"})
    assert page.status_code == 200
    assert "Danh mục quốc gia đã tải: <strong>400</strong> thủ tục" in page.text
    assert f"<code>{marriage.code}</code>" in page.text
    # The exact name is the first suggestion, chosen by default, at 100 %.
    assert re.search(rf'value="{MARRIAGE}"\s+checked>', page.text)
    assert f"<code>{MARRIAGE}</code> Đăng ký kết hôn <span class=\"muted\">(100%)</span>" in page.text

    done = client.post(f"{PAGE}/xac-nhan", data={
        "csrf_token": csrf_from(page.text), "code": marriage.code, "national_code": MARRIAGE,
        "tab": "chua-ghep", "q": "đăng ký kết hôn", "page": "1"}, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"{PAGE}?tab=chua-ghep&q=%C4%91%C4%83ng+k%C3%BD+k%E1%BA%BFt+h%C3%B4n"
    mapping = mapping_of(db, marriage)
    assert (mapping.national_code, mapping.national_name, mapping.confirmed_by) == (MARRIAGE, "Đăng ký kết hôn", "qt-ma")

    after = client.get(done.headers["location"])
    assert f"Đã ghép {marriage.code} với mã thủ tục quốc gia {MARRIAGE}: Đăng ký kết hôn." in after.text
    assert f"<code>{marriage.code}</code>" not in after.text  # no longer among the unmapped
    listed = client.get(PAGE, params={"tab": "da-ghep"})
    assert f"<code>{marriage.code}</code>" in listed.text
    assert f"<p><code>{MARRIAGE}</code> Đăng ký kết hôn</p>" in listed.text

    removed = client.post(f"{PAGE}/bo-ghep", data={"csrf_token": csrf_from(listed.text), "code": marriage.code,
                                                   "tab": "da-ghep"}, follow_redirects=False)
    assert removed.status_code == 303 and removed.headers["location"] == f"{PAGE}?tab=da-ghep"
    assert mapping_of(db, marriage) is None


def test_a_refused_code_is_shown_again_with_what_was_typed(db, client, session_factory, simulator, monkeypatch):
    pull_national_list(session_factory, simulator, monkeypatch)
    marriage = local(db, "Đăng ký kết hôn")
    sign_in_admin(db, client)
    token = csrf_from(client.get(PAGE).text)

    for typed, message in (
        ("9.999999", "Mã 9.999999 không có trong danh mục thủ tục quốc gia đã tải về."),
        ("1.0008", "Mã thủ tục quốc gia “1.0008” không đúng dạng (ví dụ 1.001193)."),
    ):
        refused = client.post(f"{PAGE}/xac-nhan", data={
            "csrf_token": token, "code": marriage.code, "national_code": MARRIAGE, "national_code_typed": typed,
            "q": "kết hôn"})
        assert refused.status_code == 422
        assert message in refused.text
        assert f'name="national_code_typed" value="{typed}"' in refused.text
        assert 'name="q" type="search" value="kết hôn"' in refused.text
    nothing = client.post(f"{PAGE}/xac-nhan", data={"csrf_token": token, "code": marriage.code})
    assert nothing.status_code == 422
    assert "Chọn một mã gợi ý hoặc nhập mã thủ tục quốc gia." in nothing.text
    assert mapping_of(db, marriage) is None


def test_without_a_national_list_the_page_says_how_to_get_one(db, client, session_factory, monkeypatch):
    monkeypatch.delenv("MOTCUA_DVCQG_PASSWORD", raising=False)
    assert DvcqgSettings().password == ""
    assert refresh_national_list(session_factory) == (
        "chưa cấu hình tài khoản kết nối Cổng DVC quốc gia: không tải danh mục quốc gia")
    sign_in_admin(db, client)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Chưa tải danh mục thủ tục quốc gia nên chưa có gợi ý." in page.text
    assert "Gợi ý (độ giống của tên)" not in page.text


def test_a_failing_portal_is_reported_not_raised(session_factory, simulator, monkeypatch):
    simulator.fault("LayDanhSachTTHC", "http", "500")
    message = pull_national_list(session_factory, simulator, monkeypatch)
    assert message.startswith("không tải được danh mục quốc gia: ")
    assert "HTTP 500" in message


def test_only_a_province_administrator_maps(db, client):
    sign_in_admin(db, client, Role.agency_admin)
    assert client.get(PAGE).status_code == 403
