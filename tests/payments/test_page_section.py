"""The dossier page shows its payments: fee lines with their basis, the link to give the
citizen while pending, the e-receipt once paid."""

from __future__ import annotations

import pytest

from motcua.auth.passwords import hash_password
from motcua.dossiers.enums import DossierStatus
from tests.factories import PASSWORD
from tests.html_forms import csrf_from, form_fields, shown_errors, signed_in
from tests.payments.conftest import ENTERED_BASIS, FEE_BASIS


@pytest.fixture
def specialist_signed_in(db, desk):
    desk.world.specialist.password_hash = hash_password(PASSWORD)
    db.flush()
    signed_in(desk.client, desk.world.specialist.username)


def test_the_dossier_page_shows_the_payment_and_its_receipt(desk, requested, payment_simulator,
                                                             specialist_signed_in):
    dossier, payment = requested
    page = desk.client.get(f"/ho-so/{dossier['id']}").text
    assert "Thanh toán phí, lệ phí trực tuyến" in page
    assert "Lệ phí cấp phiếu lý lịch tư pháp" in page and "200.000 đ" in page and FEE_BASIS in page
    assert f"{ENTERED_BASIS} (cán bộ xác định)" in page and "212.000 đ" in page
    assert f'href="{payment["payment_url"]}"' in page and "Chờ thanh toán" in page

    confirmation = payment_simulator.pay(payment["transaction_id"])["confirmation"]
    assert desk.client.post("/api/v1/payments/confirm", json=confirmation).status_code == 200
    page = desk.client.get(f"/ho-so/{dossier['id']}").text
    assert f"biên lai điện tử số\n    <strong>{confirmation['MaBienLai']}</strong>" in page
    assert "Xác nhận từ nền tảng thanh toán" in page and payment["payment_url"] not in page


def test_no_section_without_payments(desk, specialist_signed_in):
    dossier = desk.dossier_in("processing")
    assert "Thanh toán phí, lệ phí trực tuyến" not in desk.client.get(f"/ho-so/{dossier['id']}").text


def section_of(html: str) -> str:
    start = html.index('id="payments"')
    return html[start:html.index("</section>", start)]


def test_the_officer_requests_payment_from_the_page_and_looks_it_up(db, desk, fees, payment_settings,
                                                                    payment_simulator, specialist_signed_in):
    dossier = desk.dossier_in("processing")
    action = f"/ho-so/{dossier['id']}/thanh-toan"
    page = desk.client.get(f"/ho-so/{dossier['id']}").text
    section = section_of(page)
    # The catalogue's fees with their source: fixed, determined per dossier, not collected.
    assert "Lệ phí cấp phiếu lý lịch tư pháp</td>\n        <td>200.000 đ</td>" in section and FEE_BASIS in section
    assert "Theo từng hồ sơ (cán bộ xác định)" in section and "Theo số trang bản sao" in section
    assert "Không thu (0 đ)" in section
    by_case = f"amount-{fees['by_case'].id}"
    fields = form_fields(page, action)
    assert set(fields) == {"csrf_token", by_case, f"basis-{fees['by_case'].id}", "note"}

    # Nothing typed for the fee the catalogue gives no amount for: refused, the note kept.
    refused = desk.client.post(action, data=fields | {"note": "Nộp trước ngày 10"})
    assert refused.status_code == 422
    assert ("Danh mục không có mức thu cố định cho: Phí cung cấp bản sao theo số trang. "
            "Cần nhập số tiền đã xác định và căn cứ.") in refused.text
    assert form_fields(refused.text, action)["note"] == "Nộp trước ngày 10"
    # An amount without its basis: refused at the basis input, the amount as typed.
    refused = desk.client.post(action, data=fields | {by_case: "12.000"})
    assert refused.status_code == 422
    invalid, _ = shown_errors(refused.text)
    assert f"basis-{fees['by_case'].id}" in invalid
    assert form_fields(refused.text, action)[by_case] == "12.000"
    assert [t["status"] for t in payment_simulator.transactions()] == []  # nothing sent

    sent = desk.client.post(action, data=fields | {by_case: "12.000", f"basis-{fees['by_case'].id}": ENTERED_BASIS},
                            follow_redirects=False)
    assert (sent.status_code, sent.headers["location"]) == (303, f"/ho-so/{dossier['id']}#payments")
    [payment] = desk.client.get(f"/api/v1/dossiers/{dossier['id']}/payments", headers=desk.headers["admin"]).json()
    page = desk.client.get(sent.headers["location"]).text
    assert (f"Đã gửi yêu cầu thanh toán 212.000 đ đến Nền tảng thanh toán quốc gia "
            f"(giao dịch {payment['transaction_id']})") in page
    section = section_of(page)
    assert f"giao dịch {payment['transaction_id']} · Chờ thanh toán" in section
    assert f"{ENTERED_BASIS} (cán bộ xác định)" in section and "212.000 đ" in section
    assert 'id="payment-request"' not in section  # one request at a time
    lookup = f"/ho-so/{dossier['id']}/thanh-toan/{payment['id']}/tra-cuu"

    token = {"csrf_token": form_fields(page, lookup)["csrf_token"]}
    looked = desk.client.post(lookup, data=token)
    assert (f"Nền tảng thanh toán: giao dịch {payment['transaction_id']} chưa được thanh toán."
            in looked.text)

    # Paid on the platform; its confirmation never reaches motcua: the look-up records it.
    receipt = payment_simulator.pay(payment["transaction_id"])["confirmation"]["MaBienLai"]
    page = desk.client.post(lookup, data=token).text  # back on the dossier page, with the answer
    assert (f"Nền tảng thanh toán: giao dịch {payment['transaction_id']} đã thanh toán 212.000 đ, biên lai điện tử "
            f"số {receipt}. Xác nhận chưa về trước đó: nay đã ghi nhận thanh toán.") in page
    section = section_of(page)
    assert f"<strong>{receipt}</strong> (Cán bộ tra cứu tại nền tảng thanh toán)" in section
    assert "Đã thanh toán 212.000 đ" in section
    read = desk.client.get(f"/api/v1/dossiers/{dossier['id']}", headers=desk.headers["admin"]).json()
    assert read["status"] == DossierStatus.processing  # resumed
    desk.client.post(lookup, data=token)  # again: nothing recorded twice
    events = desk.client.get(f"/api/v1/dossiers/{dossier['id']}/events", headers=desk.headers["admin"]).json()
    assert [e["action"] for e in events].count("confirm_payment") == 1


def test_who_may_not_request_payment_sees_the_fees_without_the_form(db, desk, fees, payment_settings):
    dossier = desk.dossier_in("processing")
    desk.world.counter.password_hash = hash_password(PASSWORD)
    db.flush()
    signed_in(desk.client, desk.world.counter.username)
    page = desk.client.get(f"/ho-so/{dossier['id']}").text
    assert "Lệ phí cấp phiếu lý lịch tư pháp" in section_of(page)
    assert 'id="payment-request"' not in page
    refused = desk.client.post(f"/ho-so/{dossier['id']}/thanh-toan", data={
        "csrf_token": csrf_from(page), f"amount-{fees['by_case'].id}": "12000",
        f"basis-{fees['by_case'].id}": ENTERED_BASIS})
    assert refused.status_code == 403
    assert desk.client.get(f"/api/v1/dossiers/{dossier['id']}/payments", headers=desk.headers["admin"]).json() == []
