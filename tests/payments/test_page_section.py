"""The dossier page shows its payments: fee lines with their basis, the link to give the
citizen while pending, the e-receipt once paid."""

from __future__ import annotations

import pytest

from motcua.auth.passwords import hash_password
from tests.factories import PASSWORD
from tests.html_forms import signed_in
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
