"""Forms administration pages: numbering and editing the printed forms (province administrator)."""

from __future__ import annotations

from sqlalchemy import select

from motcua.documents.models import FormDefinition
from tests.documents.conftest import csrf_from, login

PDF_BYTES = b"%PDF-1.4\n% scan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_province_admin_renumbers_forms(client, db, staff, receive):
    login(client, "tn.quantri")
    page = client.get("/quan-tri/bieu-mau")
    assert page.status_code == 200
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in page.text

    response = client.post(
        "/quan-tri/bieu-mau-bo-so", data={"csrf_token": csrf_from(page.text), "scheme": "tt01-2018"},
        follow_redirects=False,
    )

    assert response.status_code == 303
    numbers = dict(db.execute(select(FormDefinition.key, FormDefinition.number)).all())
    assert numbers["control_slip"] == "05" and numbers["tracking_book"] == "06"
    dossier = receive()
    # the API follows the configured numbering: 05 is now the control slip
    slip = client.get(f"/api/v1/dossiers/{dossier.id}/forms/05")
    assert slip.status_code == 200
    assert "Mẫu số 05" in __import__("tests.documents.pdfutil", fromlist=["pdf_text"]).pdf_text(slip.content)


def test_form_edit_validates_and_needs_province_admin(client, db, staff):
    login(client, "tn.quantri")
    token = csrf_from(client.get("/quan-tri/bieu-mau").text)
    bad = client.post(
        "/quan-tri/bieu-mau/receipt", data={"csrf_token": token, "number": "02", "title": "X", "paper_size": "A3",
                                            "active": "1"},
    )
    assert "Số mẫu 02 đang dùng" in bad.text and "Khổ giấy phải là một trong" in bad.text
    assert db.scalar(select(FormDefinition.number).where(FormDefinition.key == "receipt")) == "01"

    client.cookies.clear()
    login(client, "tn.lanhdao")
    assert client.get("/quan-tri/bieu-mau").status_code == 403


