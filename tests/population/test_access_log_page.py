"""The administrators' access-log page (and its API twin): every lookup listed newest first,
filtered by user, dates typed dd/mm/yyyy and ID number; an agency administrator sees only
the lookups made in their agency's scope; anybody else is refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from motcua.core import clock
from tests import factories
from tests.dossiers.world import build_world
from tests.html_forms import signed_in

PAGE = "/quan-tri/tra-cuu-dan-cu"
HUONG, PAO, UNKNOWN = "020192004567", "020070009876", "020199999999"


@pytest.fixture
def logged(client, db, lgsp_env):
    """Four lookups: two counters, three days (local dates 30/11, 01/12, 02/12/2026)."""
    world = build_world(db)
    people = {"counter": factories.account(db, "quay_tinh", "counter_officer", agency=world.centre,
                                           full_name="Nguyễn Thị Một Cửa"),
              "commune": factories.account(db, "quay_xa", "counter_officer", agency=world.commune,
                                           full_name="Lê Văn Xã")}
    headers = {name: factories.bearer(db, user) for name, user in people.items()}
    db.commit()
    units = {"counter": world.centre, "commune": world.commune}
    for who, id_number, moment in [("counter", HUONG, datetime(2026, 11, 30, 2, 0, tzinfo=UTC)),
                                   ("commune", PAO, datetime(2026, 12, 1, 3, 0, tzinfo=UTC)),
                                   ("counter", UNKNOWN, datetime(2026, 12, 1, 16, 30, tzinfo=UTC)),  # 23:30 local
                                   ("commune", HUONG, datetime(2026, 12, 2, 1, 0, tzinfo=UTC))]:
        with clock.frozen(moment):
            response = client.post("/api/v1/population/lookups", headers=headers[who], json={
                "id_number": id_number, "purpose": "counter_prefill", "unit_id": str(units[who].id)})
        assert response.status_code in {200, 404}, response.text
    return world


def listed(html: str) -> list[tuple[str, str]]:
    """(time, id number) of each row shown."""
    return re.findall(r"<td>(\d\d:\d\d \d\d/\d\d/\d{4})</td>.*?<code>(\d{12})</code>", html, re.S)


def sign_in(db, client, username: str, role: str, agency) -> None:
    factories.account(db, username, role, agency=agency)
    db.commit()
    signed_in(client, username)


def test_the_province_administrator_sees_every_lookup_newest_first(client, db, agencies, logged):
    sign_in(db, client, "qt-dancu", "province_admin", agencies.province)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "<strong>4</strong> lượt tra cứu." in page.text
    assert listed(page.text) == [("08:00 02/12/2026", HUONG), ("23:30 01/12/2026", UNKNOWN),
                                 ("10:00 01/12/2026", PAO), ("09:00 30/11/2026", HUONG)]
    assert "Lê Văn Xã <span class=\"muted\">(quay_xa)</span>" in page.text
    assert "Tại quầy, trước khi lập hồ sơ" in page.text
    assert "Không có công dân này" in page.text  # the outcome of the unknown number, with its message
    assert "không có công dân mang số định danh 020199999999" in page.text


FILTERS = [
    ({"user": "quay_xa"}, [HUONG, PAO]),
    ({"user": "nguyen thi mot cua"}, [UNKNOWN, HUONG]),  # the name, typed without diacritics
    ({"user": "QUAY"}, [HUONG, UNKNOWN, PAO, HUONG]),  # a part of a user name finds both counters
    ({"date_from": "01/12/2026", "date_to": "01/12/2026"}, [UNKNOWN, PAO]),  # local days, 23:30 included
    ({"date_from": "2026-12-02"}, [HUONG]),
    ({"date_to": "30/11/2026"}, [HUONG]),
    ({"id_number": HUONG}, [HUONG, HUONG]),
    ({"id_number": "0200700"}, [PAO]),
    ({"user": "Nguyễn Thị Một Cửa", "id_number": HUONG, "date_from": "30/11/2026"}, [HUONG]),
    ({"user": "khong-co-ai"}, []),
]


def test_the_filters_on_the_page_and_the_api(client, db, agencies, logged):
    sign_in(db, client, "qt-dancu", "province_admin", agencies.province)
    for query, expected in FILTERS:
        page = client.get(PAGE, params=query)
        assert page.status_code == 200
        assert [id_number for _, id_number in listed(page.text)] == expected, query
        for value in query.values():
            assert f'value="{value}"' in page.text  # the filters stay as typed
        api = client.get("/api/v1/population/lookups", params=query)
        assert [item["id_number"] for item in api.json()["items"]] == expected, query


def test_a_bad_date_is_422_with_the_filters_kept(client, db, agencies, logged):
    sign_in(db, client, "qt-dancu", "province_admin", agencies.province)
    page = client.get(PAGE, params={"date_from": "31/02/2026", "user": "quay_tinh"})
    assert page.status_code == 422
    assert "Từ ngày không hợp lệ: “31/02/2026” (nhập dạng dd/mm/yyyy, ví dụ 01/07/2025)." in page.text
    assert 'value="quay_tinh"' in page.text and 'value="31/02/2026"' in page.text


def test_an_agency_administrator_sees_only_their_scope(client, db, logged):
    sign_in(db, client, "qt-xa", "agency_admin", logged.commune)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert [id_number for _, id_number in listed(page.text)] == [HUONG, PAO]
    assert "(quay_tinh)" not in page.text


@pytest.mark.parametrize("role", ["counter_officer", "specialist", "head"])
def test_officers_cannot_read_the_log(client, db, logged, role):
    sign_in(db, client, "can-bo", role, logged.centre)
    page = client.get(PAGE)
    assert page.status_code == 403
    assert "Chỉ quản trị tỉnh hoặc quản trị đơn vị được xem nhật ký tra cứu" in page.text
    assert client.get("/api/v1/population/lookups").status_code == 403
