"""A refused form-definition edit or numbering choice comes back with what was typed, its
message beside it and the refusal's status, and writes nothing."""

from sqlalchemy import select

from motcua.documents.models import FormDefinition
from tests.documents.conftest import csrf_from, login
from tests.html_forms import form_fields

ADMIN = "/quan-tri/bieu-mau"


def _stored(db, key: str):
    db.expire_all()
    return db.execute(select(FormDefinition.number, FormDefinition.title, FormDefinition.paper_size,
                             FormDefinition.active).where(FormDefinition.key == key)).one()


def test_refused_form_definition_keeps_the_typed_row(client, db, staff):
    login(client, "tn.quantri")
    page = client.get(ADMIN)
    before = _stored(db, "receipt")
    response = client.post(f"{ADMIN}/receipt", data={"csrf_token": csrf_from(page.text), "number": "02",
                                                      "title": "Giấy tiếp nhận (đang sửa)", "paper_size": "A4 landscape",
                                                      "active": "1"})
    assert response.status_code == 422
    assert 'id="row-error-receipt"' in response.text and "Số mẫu 02 đang dùng" in response.text
    fields = form_fields(response.text, f"{ADMIN}/receipt")
    assert fields["number"] == "02" and fields["title"] == "Giấy tiếp nhận (đang sửa)"
    assert fields["paper_size"] == "A4 landscape"
    assert fields["active"] == "1"
    # the other rows keep their stored values
    assert form_fields(response.text, f"{ADMIN}/control_slip")["title"] != "Giấy tiếp nhận (đang sửa)"
    assert _stored(db, "receipt") == before


def test_refused_numbering_shows_the_message(client, db, staff):
    login(client, "tn.quantri")
    page = client.get(ADMIN)
    before = _stored(db, "control_slip")
    response = client.post(f"{ADMIN}-bo-so", data={"csrf_token": csrf_from(page.text), "scheme": "tt99-2030"})
    assert response.status_code == 422
    assert 'id="scheme-error">Bộ số hiệu không hợp lệ; chọn một trong:' in response.text
    assert csrf_from(response.text)
    assert _stored(db, "control_slip") == before
