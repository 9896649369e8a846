"""Form 07 printed in parts, the page that asks for it, and the whole book as a worker-printed file.

Parts are cut every `book.BOOK_PART_ROWS` rows (100 in production); the tests set 3 so that a
handful of real dossiers spans several parts, with several dossiers received at the same
instant across a part boundary (the order must still be total).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from motcua.core.clock import frozen
from motcua.documents import book
from motcua.documents.models import BookFile
from tests.documents.conftest import csrf_from, login
from tests.documents.pdfutil import A4_LANDSCAPE, page_sizes, pdf_text

MONDAY_MORNING = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
DAY = {"tu_ngay": "2026-11-23", "den_ngay": "2026-11-24"}


@pytest.fixture
def seven(receive, monkeypatch):
    """Seven dossiers over two days, four of them received at the same instant; parts of 3."""
    monkeypatch.setattr(book, "BOOK_PART_ROWS", 3)
    dossiers = []
    with frozen(MONDAY_MORNING):
        dossiers += [receive() for _ in range(4)]  # ties across the boundary of parts 1 and 2
    for hours in (1, 2, 25):
        with frozen(MONDAY_MORNING + timedelta(hours=hours)):
            dossiers.append(receive())
    return dossiers


def codes_in(text: str, dossiers) -> list[str]:
    """The dossier codes found in a PDF's text, in the order they are printed."""
    found = [(text.index(d.code), d.code) for d in dossiers if d.code in text]
    return [code for _, code in sorted(found)]


def test_parts_return_every_row_once_in_the_book_order(db, org, staff, seven):
    plan = book.plan_book(db, staff.counter, unit_code=org.centre.code, date_from=datetime(2026, 11, 23).date(),
                          date_to=datetime(2026, 11, 24).date())

    assert (plan.rows, plan.parts) == (7, 3)
    parts = [book.part_dossiers(db, staff.counter, plan, part) for part in (1, 2, 3)]

    assert [len(p) for p in parts] == [3, 3, 1]
    printed = [d.id for p in parts for d in p]
    assert len(set(printed)) == 7 and set(printed) == {d.id for d in seven}
    expected = sorted(seven, key=lambda d: (d.received_at, d.id))
    assert printed == [d.id for d in expected]
    assert plan.part_label(2) == "Phần 2/3 — hồ sơ số 4–6 trong tổng số 7 hồ sơ"
    with pytest.raises(book.InvalidInput, match="Sổ này có 3 phần"):
        book.part_dossiers(db, staff.counter, plan, 4)


def test_api_prints_one_part_with_its_note_and_numbering(client, org, seven):
    login(client, "tn.quay")
    params = {"unit": org.centre.code, "from": "2026-11-23", "to": "2026-11-24"}
    ordered = sorted(seven, key=lambda d: (d.received_at, d.id))

    texts = {}
    for part in (1, 2, 3):
        response = client.get("/api/v1/reports/tracking-book", params=params | {"part": part})
        assert response.status_code == 200, response.text
        assert (response.headers["x-book-rows"], response.headers["x-book-parts"]) == ("7", "3")
        assert set(page_sizes(response.content)) == {A4_LANDSCAPE}
        texts[part] = pdf_text(response.content)

    assert codes_in(texts[1], seven) == [d.code for d in ordered[:3]]
    assert codes_in(texts[2], seven) == [d.code for d in ordered[3:6]]
    assert codes_in(texts[3], seven) == [d.code for d in ordered[6:]]
    assert "Từ ngày 23/11/2026 đến ngày 24/11/2026 — 7 hồ sơ" in texts[2]
    assert "Phần 2/3 — hồ sơ số 4–6 trong tổng số 7 hồ sơ" in texts[2]
    assert "Phần 2/3 · Trang 1/1" in texts[2]  # the page footer names the part too
    # Numbering runs on: the second part's first row is number 4.
    assert re.search(rf"\b4 {re.escape(ordered[3].code)}", texts[2])
    beyond = client.get("/api/v1/reports/tracking-book", params=params | {"part": 4})
    assert beyond.status_code == 422
    assert beyond.json()["title"] == "Sổ này có 3 phần; chọn phần từ 1 đến 3."


def test_book_page_lists_the_parts(client, org, seven):
    login(client, "tn.quay")

    page = client.get("/so-theo-doi", params={"don_vi": org.centre.code} | DAY)

    assert page.status_code == 200
    assert "7 hồ sơ, in thành 3 phần, mỗi phần tối đa 3 hồ sơ" in page.text
    links = re.findall(r'href="(/so-theo-doi/in\?[^"]+)"', page.text)
    assert len(links) == 3 and "Phần 3/3: hồ sơ số 7–7 (PDF)" in page.text
    part = client.get(links[2].replace("&amp;", "&"))
    assert part.status_code == 200 and part.headers["content-type"] == "application/pdf"
    assert "Phần 3/3 — hồ sơ số 7–7 trong tổng số 7 hồ sơ" in pdf_text(part.content)


def test_book_page_keeps_what_was_typed_on_error(client, org, staff):
    login(client, "tn.quay")

    page = client.get("/so-theo-doi", params={"don_vi": org.centre.code, "tu_ngay": "31/02/2026", "den_ngay": "hôm qua"})

    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "Từ ngày không hợp lệ: “31/02/2026”" in page.text and "Đến ngày không hợp lệ: “hôm qua”" in page.text
    assert 'value="31/02/2026"' in page.text and 'value="hôm qua"' in page.text
    # plain text inputs: a browser's date input would drop a value it cannot parse
    assert 'id="book-from" type="text" name="tu_ngay" value="31/02/2026"' in page.text
    assert f'<option value="{org.centre.code}" selected>' in page.text

    backwards = client.get("/so-theo-doi/in", params={"don_vi": org.centre.code, "tu_ngay": "2026-11-23",
                                                      "den_ngay": "2026-11-01", "phan": "1"})
    assert backwards.status_code == 422 and backwards.headers["content-type"].startswith("text/html")
    assert "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu." in backwards.text
    assert 'value="2026-11-23"' in backwards.text and 'value="2026-11-01"' in backwards.text

    token = csrf_from(client.get("/so-theo-doi").text)
    posted = client.post("/so-theo-doi/tep", data={"csrf_token": token, "don_vi": org.finance.code,
                                                   "tu_ngay": "01/11/2026", "den_ngay": "30/11/2026"})
    assert posted.status_code == 403
    assert "Bạn chỉ được in sổ theo dõi hồ sơ của cơ quan, đơn vị mình." in posted.text
    assert 'value="01/11/2026"' in posted.text and 'value="30/11/2026"' in posted.text


def test_a_long_book_is_printed_by_the_worker_and_served_only_to_who_may_see_it(client, db, org, seven, settings):
    login(client, "tn.quay")
    page = client.get("/so-theo-doi", params={"don_vi": org.centre.code} | DAY)
    assert "Tạo một tệp PDF cả sổ (chạy nền)" in page.text

    queued = client.post("/so-theo-doi/tep", data={"csrf_token": csrf_from(page.text), "don_vi": org.centre.code} | DAY,
                         follow_redirects=False)
    assert queued.status_code == 303
    again = client.post("/so-theo-doi/tep", data={"csrf_token": csrf_from(page.text), "don_vi": org.centre.code} | DAY,
                        follow_redirects=False)
    assert again.status_code == 303
    rows = db.query(BookFile).all()
    assert len(rows) == 1 and rows[0].status == "queued"  # a second click queues nothing more
    waiting = client.get(queued.headers["location"])
    assert "Đang chờ tạo tệp" in waiting.text and 'http-equiv="refresh"' in waiting.text

    assert book.run_book_files(db, settings=settings) == [rows[0].id]

    done = client.get(queued.headers["location"])
    assert "Đã tạo xong" in done.text
    link = re.search(r'href="(/so-theo-doi/tep/[0-9a-f-]+)"', done.text).group(1)
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.content)
    ordered = sorted(seven, key=lambda d: (d.received_at, d.id))
    assert codes_in(text, seven) == [d.code for d in ordered]
    assert all(f"Phần {n}/3 — " in text for n in (1, 2, 3))
    assert len(page_sizes(pdf.content)) == 3

    login(client, "tn.ngoai")  # head at the Department of Finance: not that unit's book
    assert client.get(link).status_code == 403
    login(client, "tn.quantri")  # the province administrator may
    assert client.get(link).status_code == 200
    client.cookies.clear()
    anonymous = client.get(link, follow_redirects=False)
    assert anonymous.status_code in (303, 401)
    login(client, "tn.quay")
    assert client.get("/so-theo-doi/tep/0190a0a0-0000-7000-8000-000000000000").status_code == 404


def test_a_file_that_cannot_be_printed_is_marked_failed(client, db, org, staff, seven, settings, monkeypatch):
    plan = book.plan_book(db, staff.counter, unit_code=org.centre.code, date_from=datetime(2026, 11, 23).date(),
                          date_to=datetime(2026, 11, 24).date())
    row = book.request_file(db, staff.counter, plan)
    monkeypatch.setattr(book, "MAX_FILE_ROWS", 5)  # the book grew past the limit after the request

    book.run_book_files(db, settings=settings)

    db.refresh(row)
    assert row.status == "failed" and row.error == "Sổ có 7 hồ sơ, quá 5 hồ sơ của một tệp."
    login(client, "tn.quay")
    assert client.get(f"/so-theo-doi/tep/{row.id}").status_code == 404
